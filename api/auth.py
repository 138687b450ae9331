"""Token authentication for the API: `Authorization: Bearer brk_...`, checked against scopes.

    @router.get("/stations", auth=token_auth(Scope.GEO_READ), response=...)

A token acts as its user, and never for more than that user may do now: a scope counts only
while the user still holds the permission behind it (see `api.services.SCOPE_PERMISSIONS`).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from api.errors import ApiError
from api.models import ApiToken
from api.services import api_token_authenticate, api_token_effective_scopes


class TokenAuth(HttpBearer):
    """Accepts an active token that carries every scope in `scopes`."""

    openapi_bearerFormat = "brk_…"
    openapi_description = (
        "An API token issued by an administrator (`manage.py api_token issue`), sent as "
        "`Authorization: Bearer brk_...`. Each endpoint lists the scopes it needs."
    )

    def __init__(self, *scopes: str):
        super().__init__()
        self.scopes = {str(scope) for scope in scopes}

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # HttpBearer logs a malformed header under DEBUG, which may be a token; parse it here.
        scheme, _space, raw_token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not raw_token.strip():
            return None
        return self.authenticate(request, raw_token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        effective = api_token_effective_scopes(api_token)
        missing = self.scopes - effective
        if missing:
            raise ApiError(
                403,
                "insufficient_scope",
                _("This token does not carry the scope needed here."),
                details={"required": sorted(self.scopes), "missing": sorted(missing)},
            )
        request.user = api_token.user
        request.api_token = api_token
        return api_token


def token_auth(*scopes: str) -> TokenAuth:
    return TokenAuth(*scopes)
