"""Each role against each staff page: the page opens (200) or is refused (403)."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, enrol_totp, make_staff

pytestmark = pytest.mark.django_db

A, C, N, L, D, P = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.ANALYST,
    Role.LAWYER,
    Role.DOCUMENTATION_OFFICER,
    Role.PROGRAMME_OFFICER,
)
ALL = {A, C, N, L, D, P}

# page -> the roles that may open it
PAGES = {
    "/en/staff/": ALL,
    "/en/staff/programmes/elections/": {A, C, N},
    "/en/staff/programmes/participation/": {A, N, P},
    "/en/staff/programmes/human-rights/": {L, D},
    "/en/staff/programmes/civil-society/": {A, P},
    "/en/staff/users/": {A},
    "/en/staff/users/new/": {A},
    "/en/staff/audit/": {A},
    "/en/staff/audit/export.csv": {A},
    "/en/staff/api-tokens/": {A},
    "/en/staff/api-tokens/new/": {A},
}


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("path", list(PAGES))
def test_role_opens_exactly_its_staff_pages(client, role, path):
    client.force_login(make_staff(role))
    response = client.get(path)
    expected = 200 if role in PAGES[path] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("role", sorted(ALL))
def test_role_opens_exactly_its_pages_about_one_person_and_one_entry(client, role):
    administrator = make_staff(Role.ADMINISTRATOR)
    client.force_login(make_staff(role))
    expected = 200 if role == Role.ADMINISTRATOR else 403
    assert client.get(f"/en/staff/users/{administrator.pk}/").status_code == expected
    assert client.get(f"/en/staff/users/{administrator.pk}/deactivate/").status_code == expected


@pytest.mark.parametrize("path", list(PAGES))
def test_citizen_is_refused_every_staff_page(client, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", list(PAGES))
def test_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_refusal_uses_the_403_page(client):
    client.force_login(make_staff(Role.LAWYER))
    response = client.get("/en/staff/audit/")
    assert "Your role does not allow you to open this page." in response.content.decode()


def test_unknown_programme_is_not_found(client):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    assert client.get("/en/staff/programmes/astrology/").status_code == 404


def test_superuser_opens_every_staff_page(client):
    root = UserFactory(is_superuser=True)

    enrol_totp(root)
    client.force_login(root)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
