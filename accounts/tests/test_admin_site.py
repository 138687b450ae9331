"""The Django admin opens for administrators only; people and roles are read-only there."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, enrol_totp, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.ADMINISTRATOR])
def test_django_admin_is_refused_to_every_other_role(client, role):
    client.force_login(make_staff(role))
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403


def test_django_admin_is_refused_to_citizens(client):
    client.force_login(UserFactory())
    assert client.get("/django-admin/", follow=True).status_code == 403


def test_anonymous_visitor_is_sent_to_the_two_factor_sign_in(client):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/az/accounts/login/")


def test_django_admin_opens_for_administrators(client):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    assert client.get("/django-admin/").status_code == 200


def test_users_and_roles_cannot_be_edited_in_the_django_admin(client):
    root = UserFactory(is_superuser=True, is_staff=True)

    enrol_totp(root)
    client.force_login(root)
    other = UserFactory()
    assert client.get(f"/django-admin/accounts/user/{other.pk}/change/").status_code == 200
    response = client.post(
        f"/django-admin/accounts/user/{other.pk}/change/", {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert client.get("/django-admin/accounts/user/add/").status_code == 403
    assert client.get("/django-admin/auth/group/add/").status_code == 403
    other.refresh_from_db()
    assert other.email != "x@example.org"
