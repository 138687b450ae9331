"""Sign-in events go to the audit log; a successful sign-in also sends the user a notice."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_log
from core import request_context


@receiver(user_logged_in, dispatch_uid="accounts.on_sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    from accounts.tasks import send_sign_in_notice

    audit_log(actor=user, action=AuditEntry.Action.SIGN_IN, obj=user)
    info = request_context.current()
    ip_address = info.ip_address if info else None
    when = timezone.now().isoformat()
    transaction.on_commit(
        lambda: send_sign_in_notice.enqueue(user_id=user.pk, ip_address=ip_address, when=when)
    )


@receiver(user_logged_out, dispatch_uid="accounts.on_sign_out")
def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_log(actor=user, action=AuditEntry.Action.SIGN_OUT, obj=user)


@receiver(user_login_failed, dispatch_uid="accounts.on_sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the identifier tried is kept, never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_log(
        actor=None,
        action=AuditEntry.Action.SIGN_IN_FAILED,
        changes={"identifier": tried},
        object_label=tried,
    )
