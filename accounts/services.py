"""Writing people and their roles. Each change is checked, then recorded in the audit log with
what it was before and after; bad input raises ValidationError (keyed by field) and writes
nothing."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot

_PROFILE_FIELDS = ["full_name", "phone", "preferred_language"]
_PHONE_RE = re.compile(r"^\+?[0-9 ()-]{5,31}$")


def _clean_roles(roles, errors: dict) -> list[str]:
    roles = [str(role) for role in roles]
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        errors["roles"] = _("There is no role called %(roles)s.") % {"roles": ", ".join(unknown)}
    return sorted(set(roles) & set(Role.values))


def _clean_profile(*, full_name: str, phone: str, preferred_language: str, errors: dict) -> dict:
    full_name = (full_name or "").strip()
    phone = (phone or "").strip()
    if not full_name:
        errors["full_name"] = _("Enter the person's full name.")
    elif len(full_name) > User._meta.get_field("full_name").max_length:
        errors["full_name"] = _("The name is too long.")
    if phone and not _PHONE_RE.match(phone):
        errors["phone"] = _("Enter a phone number with digits only, for example +994 12 345 67 89.")
    if preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = _("Choose one of the site's languages.")
    return {"full_name": full_name, "phone": phone, "preferred_language": preferred_language}


def _email_in_use(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _check_may_change(actor: User, user: User) -> None:
    # A superuser is the installation's owner; only another superuser may change one.
    if user.is_superuser and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("Only a superuser can change a superuser's account."))


def _active_administrators() -> int:
    return User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).count()


def _lock_administrators() -> None:
    # Serialises every change that could remove the last administrator.
    Group.objects.select_for_update().filter(name=Role.ADMINISTRATOR).first()


def _role_groups(roles: list[str]) -> list[Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=roles)}
    missing = [role for role in roles if role not in groups]
    if missing:
        from accounts.roles import sync_roles

        sync_roles()
        groups = {group.name: group for group in Group.objects.filter(name__in=roles)}
    return [groups[role] for role in roles]


def _set_role_groups(user: User, roles: list[str]) -> None:
    keep = list(user.groups.exclude(name__in=Role.values))  # groups that are not roles stay
    user.groups.set([*keep, *_role_groups(roles)])
    user.forget_cached_roles()


@transaction.atomic
def user_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    roles: list[str],
    phone: str = "",
    preferred_language: str = settings.LANGUAGE_CODE,
    send_invitation: bool = True,
) -> User:
    """Create an account (a staff member when `roles` is not empty) and invite the person by
    email to set their password. The address is taken as verified: the administrator vouches for
    it, and the invitation only works for whoever reads that mailbox."""
    from allauth.account.adapter import get_adapter

    from accounts.tasks import send_staff_invitation

    errors: dict[str, str] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    else:
        if _email_in_use(email):
            errors["email"] = _("A user with this email address already exists.")
    profile = _clean_profile(
        full_name=full_name, phone=phone, preferred_language=preferred_language, errors=errors
    )
    roles = _clean_roles(roles, errors)
    if errors:
        raise ValidationError(errors)

    user = User(
        username=get_adapter().generate_unique_username([email, profile["full_name"], "user"]),
        email=email,
        **profile,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # another request created the same address meanwhile
        raise ValidationError(
            {"email": _("A user with this email address already exists.")}
        ) from error
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    _set_role_groups(user, roles)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        changes={"email": email, **profile, "roles": roles, "is_active": True},
    )
    if send_invitation:
        invited_by = str(actor) if actor is not None else ""
        transaction.on_commit(
            lambda: send_staff_invitation.enqueue(user_id=user.pk, invited_by=invited_by)
        )
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, full_name: str, phone: str, preferred_language: str
) -> User:
    """Change a person's name, phone number and language (email and password are theirs)."""
    errors: dict[str, str] = {}
    profile = _clean_profile(
        full_name=full_name, phone=phone, preferred_language=preferred_language, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    _check_may_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, _PROFILE_FIELDS)
    for field, value in profile.items():
        setattr(user, field, value)
    changes = model_changes(before, snapshot(user, _PROFILE_FIELDS))
    if changes:
        user.save(update_fields=list(changes))
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=user, changes=changes)
    return user


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: list[str]) -> User:
    """Give `user` exactly these roles. The last active administrator keeps that role."""
    errors: dict[str, str] = {}
    roles = _clean_roles(roles, errors)
    if errors:
        raise ValidationError(errors)
    _check_may_change(actor, user)
    _lock_administrators()
    user.forget_cached_roles()
    old_roles = user.role_names
    if old_roles == roles:
        return user
    losing_admin = Role.ADMINISTRATOR in old_roles and Role.ADMINISTRATOR not in roles
    if losing_admin and user.is_active and _active_administrators() <= 1:
        raise ValidationError(
            {"roles": _("At least one active administrator must remain. Appoint another first.")}
        )
    _set_role_groups(user, roles)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        changes={"roles": [old_roles, roles]},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stop a person from signing in (their sessions end with their next request; their API
    tokens stop working). Nothing is deleted: the audit log still names them."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    _check_may_change(actor, user)
    _lock_administrators()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    if user.has_role(Role.ADMINISTRATOR) and _active_administrators() <= 1:
        raise ValidationError(_("At least one active administrator must remain."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=user, changes={"is_active": [True, False]}
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    _check_may_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=user, changes={"is_active": [False, True]}
    )
    return user


@transaction.atomic
def user_reset_two_factor(*, actor: User, user: User) -> User:
    """For a person who lost their authenticator and recovery codes: remove both and end all
    their sessions. A staff member then has to enrol again at their next sign-in."""
    from allauth.mfa.models import Authenticator

    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            _("You cannot reset your own two-factor sign-in; ask another administrator.")
        )
    _check_may_change(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    removed = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if not removed:
        raise ValidationError(_("This person has not set up two-factor sign-in."))
    Authenticator.objects.filter(user=user).delete()
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.SECURITY,
        obj=user,
        changes={"two_factor_removed": removed, "sessions_ended": True},
    )
    return user


@transaction.atomic
def user_send_invitation(*, actor: User, user: User) -> None:
    """Send the set-your-password invitation again (for someone who has not used it yet)."""
    from accounts.tasks import send_staff_invitation

    if not user.is_active:
        raise ValidationError(_("This account is deactivated; reactivate it first."))
    if user.has_usable_password():
        raise ValidationError(
            _("This person has already set a password; they can reset it from the sign-in page.")
        )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.SECURITY,
        obj=user,
        changes={"event": "invitation_sent", "email": user.email},
    )
    invited_by = str(actor) if actor is not None else ""
    transaction.on_commit(
        lambda: send_staff_invitation.enqueue(user_id=user.pk, invited_by=invited_by)
    )
