"""allauth hooks: where people land after sign-in, the lockout message, and the rule that staff
keep their two-factor sign-in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_log
from core.crypto import decrypt_text, encrypt_text


def lockout_minutes() -> int:
    """How long one account stays locked after too many failed sign-ins (the per-key window)."""
    rates = parse_rates(getattr(settings, "ACCOUNT_RATE_LIMITS", {}).get("login_failed", ""))
    per_key = [rate for rate in rates if rate.per == "key"] or rates
    if not per_key:
        return 15
    return max(1, round(max(rate.duration for rate in per_key) / 60))


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _count_sign_in_as_reauthentication(request, user) -> None:
    """A staff member who must enrol has just typed their password; allauth would ask for it
    again before the enrolment page (it only trusts an explicit re-authentication). The sign-in
    that has just happened is as fresh a proof, so it is recorded as one."""
    from allauth.account.internal.flows.login import get_authentication_records

    records = [dict(record) for record in get_authentication_records(request, user)]
    if records and records[-1].get("method") == "password":
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": format_lazy(
            _(
                "Too many failed sign-in attempts. For your safety, signing in to this account "
                "is blocked for up to {minutes} minutes. Try again later, or reset your password."
            ),
            minutes=lockout_minutes(),
        ),
    }

    def get_login_redirect_url(self, request):
        user = request.user
        if getattr(user, "is_staff_member", False):
            return reverse("backoffice:home")
        return super().get_login_redirect_url(request)

    def login(self, request, user) -> None:
        super().login(request, user)
        if getattr(user, "is_staff_member", False) and not _has_totp(user):
            _count_sign_in_as_reauthentication(request, user)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # The lockout is the moment an attack becomes visible: record it.
            tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
            audit_log(
                actor=None,
                action=AuditEntry.Action.SIGN_IN_FAILED,
                changes={"identifier": tried, "reason": "locked_out"},
                object_label=tried,
            )
            raise


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Staff accounts must keep two-factor sign-in, so the authenticator app cannot be "
            "turned off. If you changed phones, set the app up on the new phone with your "
            "secret, or ask an administrator for help."
        ),
    }

    def get_totp_label(self, user) -> str:
        return user.email or user.get_username()

    # TOTP secrets and the recovery-code seed are stored encrypted (core.crypto).
    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff_member:
            return False
        return super().can_delete_authenticator(authenticator)
