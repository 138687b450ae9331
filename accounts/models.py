"""People: one user model for staff, observers and registered citizens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who can sign in. Staff are users holding at least one staff role (a group)."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("az", "Azərbaycanca"), ("en", "English"), ("ru", "Русский")],
        default="az",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("access_backoffice", _("Can open the staff area")),
            ("manage_users", _("Can manage users and their roles")),
            ("view_programme_elections", _("Can work in the elections programme")),
            ("view_programme_participation", _("Can work in the public participation programme")),
            ("view_programme_human_rights", _("Can work in the human rights programme")),
            ("view_programme_civil_society", _("Can work in the civil society programme")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.username

    @cached_property
    def role_names(self) -> list[str]:
        from accounts.roles import Role

        known = set(Role.values)
        return sorted(name for name in self.groups.values_list("name", flat=True) if name in known)

    @property
    def is_staff_member(self) -> bool:
        """Holds a staff role (or is a superuser): such users must use two-factor sign-in."""
        return self.is_superuser or bool(self.role_names)

    def has_role(self, role: str) -> bool:
        return role in self.role_names
