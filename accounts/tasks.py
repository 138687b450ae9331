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
