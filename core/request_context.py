"""The request being served, for code that has no request object (services, audit)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestInfo | None] = ContextVar("birlik_request", default=None)


def client_ip(meta: dict) -> str | None:
    """The client address; X-Forwarded-For is trusted only when behind our own proxy (HTTPS=1)."""
    from django.conf import settings

    if getattr(settings, "HTTPS", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return meta.get("REMOTE_ADDR") or None


def set_current(info: RequestInfo | None):
    return _current.set(info)


def reset_current(token) -> None:
    _current.reset(token)


def current() -> RequestInfo | None:
    return _current.get()
