"""One error format for the whole API, whatever went wrong:

    {"error": {"code": "validation_error", "message": "...", "details": [...]}}

`code` is stable and meant for programs; `message` is for people and is translated into the
language the client asks for (Accept-Language). Endpoints that need a specific refusal raise
`ApiError(409, "already_signed", _("You have already signed this petition."))`; Django's
`Http404` and `PermissionDenied` and ninja's own errors are turned into the same shape here.
"""

import logging
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("api")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    """What every error response looks like."""

    error: ErrorBody


CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "throttled",
    500: "server_error",
}


def default_message(status: int) -> str:
    """The translated sentence for a status, for errors that carry no message of their own."""
    messages = {
        400: _("The request could not be read."),
        401: _("A valid API token is required (Authorization: Bearer)."),
        403: _("You may not do this."),
        404: _("No such record."),
        405: _("This address does not accept this method."),
        409: _("This conflicts with the current state of the record."),
        413: _("The request is too large."),
        422: _("The request is not valid."),
        429: _("Too many requests. Please wait and try again."),
        500: _("Something went wrong on our side. The error has been recorded."),
    }
    return messages.get(status, _("The request failed."))


def error_body(code: str, message: str, details: Any = None) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    details: Any = None,
) -> HttpResponse:
    return api.create_response(
        request,
        error_body(
            code or CODES_BY_STATUS.get(status, "error"),
            str(message or default_message(status)),
            details,
        ),
        status=status,
    )


def _field_path(location: Any) -> str:
    return ".".join(str(part) for part in location)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError):
        return error_response(
            api, request, exc.status, code=exc.code, message=exc.message, details=exc.details
        )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError):
        details = []
        for err in exc.errors:
            location = list(err.get("loc", []))
            details.append(
                {
                    # loc[0] is where the value came from: query, path, body, form, header.
                    "location": str(location[0]) if location else "",
                    "field": _field_path(location[1:]),
                    "message": str(err.get("msg", "")),
                    "type": str(err.get("type", "")),
                }
            )
        return error_response(api, request, 422, details=details)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        if hasattr(exc, "message_dict"):
            details = [
                {"field": field, "message": str(message)}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            details = [{"field": "", "message": str(message)} for message in exc.messages]
        return error_response(api, request, 422, details=details)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError):
        response = error_response(api, request, 401)
        # RFC 6750: tell the client which scheme to use.
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied):
        return error_response(api, request, 403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return error_response(api, request, 404)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled):
        return error_response(api, request, 429)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        # ninja's own HttpErrors carry English text; the message is always our translated
        # sentence for the status, and the original text goes along as a detail.
        reason = str(exc)
        return error_response(
            api, request, exc.status_code, details={"reason": reason} if reason else None
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception):
        # Never a traceback in the response: it goes to the log (and to error reporting that
        # listens to got_request_exception), the client gets the one error shape.
        logger.error(
            "Unhandled error in API request %s %s",
            request.method,
            request.path,
            exc_info=exc,
        )
        signals.got_request_exception.send(sender=None, request=request)
        return error_response(api, request, 500)
