"""API tokens for tests: `token, raw = make_token(scopes=[Scope.GEO_READ])`, then send
`HTTP_AUTHORIZATION=f"Bearer {raw}"`. The token's user holds a role that backs its scopes."""

from accounts.roles import Role
from accounts.tests.factories import make_staff
from api.models import ApiToken, Scope
from api.services import api_token_create


def make_token(*, scopes=(Scope.GEO_READ,), user=None, name="Test device", **fields):
    if user is None:
        role = Role.COORDINATOR if Scope.GEO_WRITE in scopes else Role.ANALYST
        user = make_staff(role)
    token, raw_token = api_token_create(user=user, name=name, scopes=list(scopes), **fields)
    return token, raw_token


def bearer(raw_token: str) -> dict[str, str]:
    """Headers for the Django test client."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


__all__ = ["ApiToken", "bearer", "make_token"]
