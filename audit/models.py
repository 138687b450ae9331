"""The audit log: an append-only record of who changed (or read) what, when and from where."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )

    def by_actor(self, text: str) -> "AuditEntryQuerySet":
        """Entries whose recorded actor (email or name as written then) contains `text`."""
        return self.filter(actor_label__icontains=text.strip()) if text.strip() else self

    def from_address(self, address: str) -> "AuditEntryQuerySet":
        """An exact address, or every address starting with it ("203.0.113.")."""
        address = address.strip()
        if not address:
            return self
        return self.filter(ip_address__startswith=address)

    def between(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> "AuditEntryQuerySet":
        """Entries from the start of `start` to the end of `end`, both local days included."""
        queryset = self
        zone = timezone.get_current_timezone()
        if start is not None:
            since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__gte=since)
        if end is not None:
            until = datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            queryset = queryset.filter(created_at__lt=until)
        return queryset

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        READ = "read", _("Viewed")
        IMPORT = "import", _("Imported")
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        SECURITY = "security", _("Security change")
        PUBLISH = "publish", _("Published")
        EXPORT = "export", _("Exported")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even if the user is later deleted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("change"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def change_rows(self) -> list[dict]:
        """The change as rows of (field, before, after), for the before/after table.

        Updates record {field: [old, new]} (see audit.services.model_changes); a creation
        records the new values, a deletion the old ones; anything else is shown as "after".
        """
        rows = []
        changes = self.changes if isinstance(self.changes, dict) else {"": self.changes}
        for field, value in changes.items():
            is_pair = isinstance(value, list) and len(value) == 2
            if self.action in (self.Action.UPDATE, self.Action.SECURITY) and is_pair:
                before, after, has_before = value[0], value[1], True
            elif self.action == self.Action.DELETE:
                before, after, has_before = value, None, True
            else:
                before, after, has_before = None, value, False
            rows.append(
                {"field": field, "before": before, "after": after, "has_before": has_before}
            )
        return rows
