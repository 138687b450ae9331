"""The API's own endpoints: who a token acts as."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from api.auth import token_auth
from api.services import api_token_effective_scopes

router = Router(tags=["tokens"])


class MeUserOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    roles: list[str]


class MeTokenOut(Schema):
    name: str
    prefix: str
    scopes: list[str]
    granted_scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class MeOut(Schema):
    user: MeUserOut
    token: MeTokenOut


@router.get("/me", auth=token_auth(), response=MeOut, summary="Who this token acts as")
def me(request: HttpRequest):
    """The user the token acts as and its scopes: `scopes` are those in force now,
    `granted_scopes` those it was issued with (a scope lapses when its user loses the
    permission behind it)."""
    token = request.auth
    user = token.user
    return {
        "user": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.preferred_language,
            "roles": user.role_names,
        },
        "token": {
            "name": token.name,
            "prefix": token.prefix,
            "scopes": sorted(api_token_effective_scopes(token)),
            "granted_scopes": sorted(token.scopes),
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "last_used_at": token.last_used_at,
        },
    }
