"""People: one user model for staff, observers and registered citizens."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, role_label


class UserQuerySet(models.QuerySet):
    def staff(self) -> "UserQuerySet":
        """Users holding a staff role, and superusers."""
        return self.filter(
            models.Q(is_superuser=True) | models.Q(groups__name__in=Role.values)
        ).distinct()

    def with_role(self, role: str) -> "UserQuerySet":
        return self.filter(groups__name=role)

    def without_role(self) -> "UserQuerySet":
        return self.filter(is_superuser=False).exclude(groups__name__in=Role.values)

    def search(self, text: str) -> "UserQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(email__icontains=text) | models.Q(full_name__icontains=text))

    def with_two_factor(self) -> "UserQuerySet":
        """Annotates `has_totp`: whether the user has an authenticator app enrolled."""
        from allauth.mfa.models import Authenticator

        return self.annotate(
            has_totp=models.Exists(
                Authenticator.objects.filter(
                    user=models.OuterRef("pk"), type=Authenticator.Type.TOTP
                )
            )
        )


class BirlikUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


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
    # Raised to end every session of this person at once (e.g. after their two-factor was
    # reset): it is part of the session hash Django checks on each request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = BirlikUserManager()

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
        constraints = [
            # One account per email address, whatever its letter case; sign-in is by email.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message=_("A user with this email address already exists."),
            )
        ]

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers only the password; adding the generation lets an administrator
        # sign a person out everywhere without touching their password.
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "birlik.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def __str__(self) -> str:
        return self.full_name or self.email or self.username

    @cached_property
    def role_names(self) -> list[str]:
        known = set(Role.values)
        # groups.all() uses prefetch_related("groups") when a list view has done it.
        return sorted(group.name for group in self.groups.all() if group.name in known)

    @property
    def role_labels(self) -> list[str]:
        """The roles' translated names, for display."""
        return [role_label(name) for name in self.role_names]

    def forget_cached_roles(self) -> None:
        """After the roles change, the next `role_names` reads them again."""
        self.__dict__.pop("role_names", None)
        getattr(self, "_prefetched_objects_cache", {}).pop("groups", None)
        self.__dict__.pop("_perm_cache", None)
        self.__dict__.pop("_group_perm_cache", None)
        self.__dict__.pop("_user_perm_cache", None)

    @property
    def is_staff_member(self) -> bool:
        """Holds a staff role (or is a superuser): such users must use two-factor sign-in."""
        return self.is_superuser or bool(self.role_names)

    def has_role(self, role: str) -> bool:
        return role in self.role_names
