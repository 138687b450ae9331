"""Spam protection for the public report form that needs no outside service.

- A signed timestamp rendered into the form: a form sent back within a few seconds was filled
  by a program, one sent back after many hours is stale (or replayed).
- Rate limits per client address and per browser session, counted in the cache. The address is
  kept only as a keyed hash, so the cache never holds the addresses of people who report.
- (The honeypot field and the limit on links are checked by the view and the service.)
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from core.request_context import client_ip

SALT = "incidents.report-form"
MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 6 * 60 * 60
ADDRESS_LIMIT = 5
SESSION_LIMIT = 3
WINDOW_SECONDS = 60 * 60
SESSION_KEY = "incidents_reported_at"

TOO_FAST = "too_fast"
EXPIRED = "expired"
INVALID = "invalid"


def form_token(now: float | None = None) -> str:
    """The value of the form's hidden `started` field."""
    return signing.dumps({"t": int(time.time() if now is None else now)}, salt=SALT)


def check_form_token(token: str, now: float | None = None) -> str | None:
    """None when the form was filled at a human pace; otherwise TOO_FAST, EXPIRED or INVALID."""
    try:
        started = int(signing.loads(token or "", salt=SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return INVALID
    age = (time.time() if now is None else now) - started
    if age < MIN_FILL_SECONDS:
        return TOO_FAST
    if age > MAX_FORM_AGE_SECONDS:
        return EXPIRED
    return None


def _address_key(request) -> str:
    address = client_ip(request.META) or "unknown"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"incidents:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"incidents:report:{digest}"


def _session_times(request, now: float) -> list[float]:
    times = request.session.get(SESSION_KEY, [])
    return [t for t in times if isinstance(t, int | float) and now - t < WINDOW_SECONDS]


def over_limit(request, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    if (cache.get(_address_key(request)) or 0) >= ADDRESS_LIMIT:
        return True
    return len(_session_times(request, now)) >= SESSION_LIMIT


def count_report(request, now: float | None = None) -> None:
    """Count one report (or one caught bot) against the address and the session."""
    now = time.time() if now is None else now
    key = _address_key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)
    request.session[SESSION_KEY] = [*_session_times(request, now), now]
