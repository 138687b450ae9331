"""Middleware shared by every app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core import request_context


class RequestContextMiddleware:
    """Makes the client's address available to services (for the audit log)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        info = request_context.RequestInfo(
            ip_address=request_context.client_ip(request.META),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        token = request_context.set_current(info)
        try:
            return self.get_response(request)
        finally:
            request_context.reset_current(token)
