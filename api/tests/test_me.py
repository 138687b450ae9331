import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from api.models import Scope
from api.tests.factories import bearer, make_token

pytestmark = pytest.mark.django_db


def test_me_tells_who_the_token_acts_as_and_its_scopes(client):
    token, raw = make_token(scopes=[Scope.GEO_READ, Scope.GEO_WRITE], name="Tablet 7")
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == token.user.email
    assert body["user"]["roles"] == [Role.COORDINATOR]
    assert body["token"]["name"] == "Tablet 7"
    assert body["token"]["prefix"] == token.prefix
    assert body["token"]["scopes"] == ["geo:read", "geo:write"]
    assert body["token"]["last_used_at"] is not None


def test_me_shows_a_lapsed_scope_as_granted_but_not_in_force(client):
    token, raw = make_token(scopes=[Scope.GEO_READ])
    token.user.groups.remove(Group.objects.get(name=Role.ANALYST))
    body = client.get("/api/v1/me", **bearer(raw)).json()
    assert body["token"]["scopes"] == []
    assert body["token"]["granted_scopes"] == ["geo:read"]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token brk_abc", "Bearer brk_unknown"],
)
def test_me_without_a_valid_token_is_a_401(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/v1/me", **extra)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_session_does_not_stand_in_for_a_token(client):
    token, _raw = make_token()
    client.force_login(token.user)
    assert client.get("/api/v1/me").status_code == 401
