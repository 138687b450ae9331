"""API tokens in the staff area: issued with the raw token shown once (only a hash is kept),
listed, and revoked so that the API refuses them."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import make_staff
from api.models import ApiToken
from api.services import api_token_authenticate, hash_token
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = make_staff(Role.ADMINISTRATOR, email="admin@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def device_user():
    return make_staff(Role.COORDINATOR, email="gateway@example.org")


def _issue(client, **overrides):
    data = {"name": "SMS gateway", "user_email": "gateway@example.org", "scopes": ["geo:read"]}
    data.update(overrides)
    return client.post("/en/staff/api-tokens/new/", data)


def test_issued_token_is_shown_once_and_only_its_hash_is_stored(client, administrator, device_user):
    response = _issue(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'id="raw-token"[^>]*value="(brk_[^"]+)"', html).group(1)

    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.values().get())
    assert token.user == device_user and token.created_by == administrator
    assert token.scopes == ["geo:read"]
    assert api_token_authenticate(raw) == token

    listing = client.get("/en/staff/api-tokens/").content.decode()
    assert raw not in listing
    assert token.prefix in listing
    assert AuditEntry.objects.for_object(token).filter(action="create").exists()


def test_revoked_token_is_refused_by_the_api(client, administrator, device_user):
    raw = re.search(r'value="(brk_[^"]+)"', _issue(client).content.decode()).group(1)
    token = ApiToken.objects.get()

    confirm = client.get(f"/en/staff/api-tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert api_token_authenticate(raw) is not None  # asking is not revoking

    response = client.post(f"/en/staff/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw) is None
    assert "Revoked on" in client.get("/en/staff/api-tokens/").content.decode()
    entry = AuditEntry.objects.for_object(token).get(action="update")
    assert entry.actor == administrator and entry.changes == {"revoked": True}


def test_unknown_person_is_explained_and_nothing_is_issued(client, administrator):
    response = _issue(client, user_email="nobody@example.org")
    assert response.status_code == 200
    assert "There is no active user with this email address." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_scope_beyond_the_persons_role_is_refused(client, administrator):
    make_staff(Role.LAWYER, email="lawyer@example.org")
    response = _issue(client, user_email="lawyer@example.org")
    assert response.status_code == 200
    assert "may not hold these scopes" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_expiry_must_be_in_the_future(client, administrator, device_user):
    response = _issue(client, expires_on="2000-01-01")
    assert "Choose a date after today." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_with_an_expiry_date_works_through_that_day(client, administrator, device_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _issue(client, expires_on=tomorrow.isoformat())
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == tomorrow + datetime.timedelta(days=1)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALYST, Role.PROGRAMME_OFFICER])
def test_other_roles_cannot_issue_or_revoke(client, role, device_user):
    client.force_login(make_staff(role))
    assert client.post("/en/staff/api-tokens/new/", {}).status_code == 403
    assert client.post("/en/staff/api-tokens/1/revoke/").status_code == 403
