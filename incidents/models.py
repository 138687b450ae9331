"""Incidents: violations seen around an election, reported by observers (through the API) or by
citizens (the public form, anonymous allowed), checked by staff and, once verified, published
with a summary that staff write for the public.

Who reported, and the reporter's own description, are confidential: the description and the
citizen's name and contact are encrypted at rest, and the public pages and API read only the
published incidents' public fields (see `Incident.public_point` and incidents.selectors).
Writes go through incidents.services, which validates, audits and runs each change in one
transaction."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedTextField
from core.i18n import TranslatedField
from elections.models import Election
from geo.models import PollingStation, Region, country_bounds
from observers.models import Observer

# Citizens' coordinates are shown to the public rounded to this many decimals (about 1 km),
# so that a report made from home never points at the home.
PUBLIC_COORDINATE_DECIMALS = 2
SUMMARY_LANGUAGES = ("az", "en", "ru")


class IncidentCategory(models.Model):
    """A kind of incident; staff add, rename, reorder and retire them (never delete: old
    incidents keep theirs)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name = TranslatedField("name")
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in lists.")
    )
    active = models.BooleanField(
        _("offered on the forms"),
        default=True,
        help_text=_("Retired categories stay on old incidents but are not offered any more."),
    )

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["position", "name_az", "pk"]

    def __str__(self) -> str:
        return self.name


class IncidentQuerySet(models.QuerySet):
    def published(self) -> "IncidentQuerySet":
        return self.filter(status=Incident.Status.PUBLISHED)

    def with_status(self, status: str) -> "IncidentQuerySet":
        return self.filter(status=status)

    def of_election(self, election: "Election | int") -> "IncidentQuerySet":
        return self.filter(election=election)

    def with_places(self) -> "IncidentQuerySet":
        return self.select_related(
            "election", "category", "region", "station__constituency__district"
        )


class Incident(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class ReporterKind(models.TextChoices):
        OBSERVER = "observer", _("Observer")
        CITIZEN = "citizen", _("Citizen")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="incidents"
    )
    category = models.ForeignKey(
        IncidentCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
    )
    # The station's region, or the one the citizen chose: what coordinators are scoped by.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="incidents"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # The reporter's own words may name people: encrypted, and never shown to the public.
    description = EncryptedTextField(_("description"))
    reporter_kind = models.CharField(_("reported by"), max_length=10, choices=ReporterKind.choices)
    observer = models.ForeignKey(
        Observer,
        verbose_name=_("observer"),
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
    )
    # Optional: a citizen who gives neither is anonymous.
    citizen_name = EncryptedTextField(_("reporter's name"), blank=True)
    citizen_contact = EncryptedTextField(_("reporter's contact"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    # What the public reads, written by staff when publishing, per language (at least one;
    # the others fall back to it). The description may name people; the summary must not.
    public_summary_az = models.TextField(_("public summary (Azerbaijani)"), blank=True)
    public_summary_en = models.TextField(_("public summary (English)"), blank=True)
    public_summary_ru = models.TextField(_("public summary (Russian)"), blank=True)
    public_summary = TranslatedField("public_summary")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        permissions = [
            ("verify_incident", _("Can verify or reject incidents and add notes")),
            ("publish_incident", _("Can publish and unpublish incidents")),
        ]
        indexes = [models.Index(fields=["status", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(reporter_kind="observer", observer__isnull=False)
                    | models.Q(reporter_kind="citizen", observer__isnull=True)
                ),
                name="incidents_incident_reporter_matches_kind",
                violation_error_message=_("An observer's report names the observer."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="incidents_incident_both_coordinates_or_neither",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=(
                    ~models.Q(status="published")
                    | ~models.Q(public_summary_az="")
                    | ~models.Q(public_summary_en="")
                    | ~models.Q(public_summary_ru="")
                ),
                name="incidents_incident_published_has_summary",
                violation_error_message=_("A published incident needs a public summary."),
            ),
        ]

    def __str__(self) -> str:
        # Used in the audit log and page titles: never the description or the reporter.
        return f"#{self.pk} {self.category}" if self.pk else str(self.category)

    def get_absolute_url(self) -> str:
        return reverse("incidents_staff:incident_detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.reporter_kind == self.ReporterKind.CITIZEN and not (
            self.citizen_name or self.citizen_contact
        )

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def summaries(self) -> dict[str, str]:
        return {code: getattr(self, f"public_summary_{code}") for code in SUMMARY_LANGUAGES}

    def clean(self) -> None:
        super().clean()
        check_coordinates(self.latitude, self.longitude)

    def public_point(self) -> tuple[float, float] | None:
        """Where the public map puts the incident: its station, or the reported point rounded
        to about a kilometre; None when neither is known."""
        station = self.station
        if station is not None and station.has_position:
            return float(station.latitude), float(station.longitude)
        if self.has_position:
            step = Decimal(1).scaleb(-PUBLIC_COORDINATE_DECIMALS)
            return (
                float(Decimal(self.latitude).quantize(step, rounding=ROUND_HALF_UP)),
                float(Decimal(self.longitude).quantize(step, rounding=ROUND_HALF_UP)),
            )
        return None


def check_coordinates(latitude, longitude) -> None:
    """Both or neither, and inside the country (with its small margin)."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        field = "longitude" if longitude is None else "latitude"
        raise ValidationError({field: _("Give both latitude and longitude, or neither.")})
    bounds = country_bounds()
    errors = {}
    if not bounds.min_latitude <= Decimal(latitude) <= bounds.max_latitude:
        errors["latitude"] = _("This latitude is outside Azerbaijan.")
    if not bounds.min_longitude <= Decimal(longitude) <= bounds.max_longitude:
        errors["longitude"] = _("This longitude is outside Azerbaijan.")
    if errors:
        raise ValidationError(errors)


def _media_name(instance: "IncidentMedia", filename: str) -> str:
    # A random name: the uploaded one may name a person, and names must not be guessable.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"incidents/{uuid.uuid4().hex}.{extension}"


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class IncidentMedia(models.Model):
    """A photo or video sent with a report. Kept in the private storage (never served by URL)
    and opened only through the staff view that checks the reader's rights."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="media"
    )
    file = models.FileField(
        _("file"), upload_to=_media_name, storage=_private_storage, max_length=200
    )
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident photo or video")
        verbose_name_plural = _("incident photos and videos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]


class IncidentNote(models.Model):
    """A staff member's note on an incident: what was checked, with whom. Encrypted, like the
    report it is about."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident note")
        verbose_name_plural = _("incident notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident} · {self.created_at:%Y-%m-%d %H:%M}"


class IncidentStatusChange(models.Model):
    """One step of the verification workflow; the report itself has no actor."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=10, choices=Incident.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=10, choices=Incident.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident status change")
        verbose_name_plural = _("incident status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident}: {self.from_status or '—'} → {self.to_status}"


S = Incident.Status
# Reopening a rejected report and unpublishing are steps back, recorded like the others.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.VERIFIED, S.REJECTED),
    S.VERIFIED: (S.PUBLISHED, S.REJECTED),
    S.PUBLISHED: (S.VERIFIED,),
    S.REJECTED: (S.NEW,),
}
# Publishing and unpublishing need publish_incident; every other step verify_incident.
PUBLISH_STEPS = {(S.VERIFIED, S.PUBLISHED), (S.PUBLISHED, S.VERIFIED)}


def step_permission(from_status: str, to_status: str) -> str:
    if (from_status, to_status) in PUBLISH_STEPS:
        return "incidents.publish_incident"
    return "incidents.verify_incident"
