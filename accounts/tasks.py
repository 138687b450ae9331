"""Background tasks for accounts. Tasks take ids and switch to the user's language."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_sign_in_notice(*, user_id: int, ip_address: str | None, when: str) -> bool:
    """Tell a user that their account was just used to sign in, in their own language."""
    from accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "ip_address": ip_address or "?",
            "when": datetime.fromisoformat(when),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("accounts/email/sign_in_notice_subject.txt", context).strip()
        body = render_to_string("accounts/email/sign_in_notice.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def invitation_url(user) -> str:
    """A one-time link where the person sets their own password (allauth's password reset key).

    The key stops working once the password is set, and after PASSWORD_RESET_TIMEOUT.
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_staff_invitation(*, user_id: int, invited_by: str = "") -> bool:
    """Invite a new staff member to set a password and enrol in two-factor sign-in."""
    from accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "invited_by": invited_by,
            "url": invitation_url(user),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("accounts/email/staff_invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/staff_invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
