"""Token authentication for the API: `Authorization: Bearer brk_...`, checked against scopes."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from api.errors import ApiError
from api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Accepts an active token that carries every scope in `scopes`."""

    def __init__(self, *scopes: str):
        super().__init__()
        self.scopes = set(scopes)

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if not self.scopes.issubset(api_token.scopes):
            raise ApiError(
                403,
                "insufficient_scope",
                _("This token does not carry the scope needed here."),
                details={"required": sorted(self.scopes)},
            )
        request.user = api_token.user
        request.api_token = api_token
        return api_token


def token_auth(*scopes: str) -> TokenAuth:
    return TokenAuth(*scopes)
