"""Staff-only rules for every request: two-factor enrolment first, and an idle timeout."""

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "birlik_last_seen"
MFA_OK_KEY = "birlik_mfa_enrolled"
# Read by the sign-out audit receiver to say why the session ended.
LOGOUT_REASON_ATTR = "_birlik_logout_reason"

# Pages a staff member without two-factor may still open: enrolment itself (which may first ask
# for the password again), the recovery codes shown right after it, and signing in and out.
_MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "account_login",
    }
)
# Static files, language switching and the health check; the API uses device tokens, not
# sessions.
_MFA_EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz", "/favicon", "/api/")


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff_member:
            response = self._idle_timeout(request) or self._require_two_factor(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle_timeout(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - int(last_seen) > settings.STAFF_IDLE_TIMEOUT:
            setattr(request, LOGOUT_REASON_ATTR, "idle_timeout")
            logout(request)
            messages.info(request, _("You were signed out after a period of inactivity."))
            return redirect_to_login(request.get_full_path())
        request.session[LAST_SEEN_KEY] = now
        return None

    def _require_two_factor(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(_MFA_EXEMPT_PREFIXES):
            return None
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            url_name = None
        if url_name in _MFA_EXEMPT_URL_NAMES:
            return None
        # Checked against the database until enrolled, then remembered for the session.
        if request.session.get(MFA_OK_KEY):
            return None
        if _has_totp(request.user):
            request.session[MFA_OK_KEY] = True
            return None
        messages.warning(
            request, _("Staff accounts must use two-factor sign-in. Please set it up now.")
        )
        return redirect("mfa_activate_totp")
