"""NinjaAPI as Birlik serves it: JSON for every answer under /api/v1/, even for a wrong address
or method, and an OpenAPI document that lists each endpoint's scopes and error responses."""

import functools
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from api.errors import ErrorOut, error_response, install_error_handlers

_ERROR_DESCRIPTIONS = {
    401: "No valid API token.",
    403: "The token lacks a scope, or its user may not do this.",
    404: "No such record, or no such endpoint.",
    422: "A parameter or the request body is not valid.",
    500: "Unexpected server error (no details are given).",
}


class BirlikOpenAPISchema(OpenAPISchema):
    """Adds the shared error responses and the required token scopes to every operation."""

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        from api.auth import TokenAuth

        details = super().operation_details(operation)
        responses = details["responses"]
        statuses = {500}
        if operation.auth_callbacks:
            statuses |= {401, 403}
        if details["parameters"] or "requestBody" in details:
            statuses.add(422)
        if any(param["in"] == "path" for param in details["parameters"]):
            statuses.add(404)
        for status in sorted(statuses):
            if status not in responses:
                responses[status] = {
                    "description": _ERROR_DESCRIPTIONS[status],
                    "content": {
                        self.api.renderer.media_type: {
                            "schema": {"$ref": "#/components/schemas/ErrorOut"}
                        }
                    },
                }
        scopes = sorted(
            {
                scope
                for auth in operation.auth_callbacks
                if isinstance(auth, TokenAuth)
                for scope in auth.scopes
            }
        )
        if operation.auth_callbacks:
            details["x-scopes"] = scopes
            note = f"Token scopes needed: {', '.join(scopes) if scopes else 'none'}."
            details["description"] = f"{details.get('description', '')}\n\n{note}".strip()
        return details

    def get_components(self) -> dict[str, Any]:
        components = super().get_components()
        schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components["schemas"].update(schema.pop("$defs", {}))
        components["schemas"]["ErrorOut"] = schema
        return components


class BirlikAPI(NinjaAPI):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        install_error_handlers(self)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return BirlikOpenAPISchema(self, path_prefix)

    def _get_urls(self) -> list:
        patterns = super()._get_urls()
        # The last pattern is ninja's root view, which raises a (HTML) 404; ours answers with
        # where the documentation is.
        patterns[-1] = path("", self._index_view, name="api-root")
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._json_method_not_allowed(pattern.callback)
        # Anything else under the API's prefix is a JSON 404, not the site's HTML page.
        patterns.append(re_path(r"^.*$", self._unknown_path_view, name="api-unknown"))
        return patterns

    def _index_view(self, request: HttpRequest) -> HttpResponse:
        return self.create_response(
            request,
            {
                "title": self.title,
                "version": self.version,
                "docs": reverse(f"{self.urls_namespace}:openapi-view"),
                "openapi": reverse(f"{self.urls_namespace}:openapi-json"),
            },
            status=200,
        )

    @csrf_exempt
    def _unknown_path_view(self, request: HttpRequest) -> HttpResponse:
        return error_response(
            self, request, 404, message=_("There is no API endpoint at this address.")
        )

    def _json_method_not_allowed(self, view):
        """ninja answers a wrong method with a plain-text 405; turn it into our error shape."""

        def convert(request: HttpRequest, response: HttpResponse) -> HttpResponse:
            if response.status_code != 405 or response.get("Content-Type", "").startswith(
                self.renderer.media_type
            ):
                return response
            allowed = sorted(m.strip() for m in response.get("Allow", "").split(",") if m)
            json_response = error_response(
                self,
                request,
                405,
                message=_("This endpoint does not accept the %(method)s method.")
                % {"method": request.method},
                details={"allowed": allowed},
            )
            json_response["Allow"] = ", ".join(allowed)
            return json_response

        if iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_wrapper(request: HttpRequest, *args, **kwargs):
                return convert(request, await view(request, *args, **kwargs))

            return markcoroutinefunction(async_wrapper)

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            return convert(request, view(request, *args, **kwargs))

        return wrapper
