"""Sign-in events and security changes go to the audit log; a successful sign-in also sends the
user a notice."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts.middleware import LOGOUT_REASON_ATTR
from audit.models import AuditEntry
from audit.services import audit_log
from core import request_context


@receiver(user_logged_in, dispatch_uid="accounts.on_sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    from accounts.tasks import send_sign_in_notice

    methods = []
    if request is not None and hasattr(request, "session"):
        methods = sorted(
            {
                str(record.get("method"))
                for record in request.session.get("account_authentication_methods", [])
            }
        )
    audit_log(
        actor=user,
        action=AuditEntry.Action.SIGN_IN,
        obj=user,
        changes={"methods": methods} if methods else None,
    )
    info = request_context.current()
    ip_address = info.ip_address if info else None
    when = timezone.now().isoformat()
    transaction.on_commit(
        lambda: send_sign_in_notice.enqueue(user_id=user.pk, ip_address=ip_address, when=when)
    )


@receiver(user_logged_out, dispatch_uid="accounts.on_sign_out")
def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        reason = getattr(request, LOGOUT_REASON_ATTR, None)
        audit_log(
            actor=user,
            action=AuditEntry.Action.SIGN_OUT,
            obj=user,
            changes={"reason": reason} if reason else None,
        )


@receiver(user_login_failed, dispatch_uid="accounts.on_sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the identifier tried is kept, never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_log(
        actor=None,
        action=AuditEntry.Action.SIGN_IN_FAILED,
        changes={"identifier": tried, "reason": "password"},
        object_label=tried,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts.on_mfa_failed")
def on_two_factor_failed(sender, request, user, authenticator, reauthentication, **kwargs):
    # The password was right, so the person is known; the code was wrong.
    audit_log(
        actor=None,
        action=AuditEntry.Action.SIGN_IN_FAILED,
        obj=user,
        changes={
            "identifier": user.email,
            "reason": "reauthentication_code" if reauthentication else "two_factor_code",
        },
    )


def _security_receiver(event: str):
    def record(sender, request=None, user=None, **kwargs) -> None:
        if user is None:
            return
        authenticator = kwargs.get("authenticator")
        changes = {"event": event}
        if authenticator is not None:
            changes["authenticator"] = authenticator.type
        audit_log(actor=user, action=AuditEntry.Action.SECURITY, obj=user, changes=changes)

    return record


for _signal, _event in [
    (mfa_signals.authenticator_added, "two_factor_added"),
    (mfa_signals.authenticator_removed, "two_factor_removed"),
    (mfa_signals.authenticator_reset, "recovery_codes_regenerated"),
    (account_signals.password_changed, "password_changed"),
    (account_signals.password_set, "password_set"),
    (account_signals.password_reset, "password_reset"),
]:
    _signal.connect(
        _security_receiver(_event), weak=False, dispatch_uid=f"accounts.security.{_event}"
    )


@receiver(account_signals.email_confirmed, dispatch_uid="accounts.on_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    audit_log(
        actor=email_address.user,
        action=AuditEntry.Action.SECURITY,
        obj=email_address.user,
        changes={"event": "email_verified", "email": email_address.email},
    )


@receiver(account_signals.user_signed_up, dispatch_uid="accounts.on_sign_up")
def on_sign_up(sender, request, user, **kwargs) -> None:
    audit_log(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=user,
        changes={"email": user.email, "via": "sign_up"},
    )
