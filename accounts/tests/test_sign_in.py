"""Signing in: email and password, then a code from the authenticator app or a recovery code."""

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.roles import Role
from accounts.tests.factories import (
    PASSWORD,
    UserFactory,
    enrol_recovery_codes,
    make_staff,
    sign_in,
    totp_code,
    wrong_code,
)
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
TWO_FACTOR = "/en/accounts/2fa/authenticate/"


def _password_step(client, user, password=PASSWORD):
    return client.post(LOGIN, {"login": user.email, "password": password})


def test_login_page_has_labelled_email_and_password_fields(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert 'id="id_login"' in html and 'id="id_password"' in html


def test_staff_member_signs_in_with_password_then_totp_code(client):
    coordinator = make_staff(Role.COORDINATOR)

    response = _password_step(client, coordinator)
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    assert SESSION_KEY not in client.session  # not signed in after the password alone

    page = client.get(TWO_FACTOR)
    html = page.content.decode()
    assert 'id="id_code"' in html and '<label for="id_code">' in html

    response = client.post(TWO_FACTOR, {"code": totp_code(coordinator.totp_secret)})
    assert response.status_code == 302
    assert response["Location"] == "/en/staff/"
    assert client.session[SESSION_KEY] == str(coordinator.pk)
    assert client.get("/en/staff/").status_code == 200
    assert AuditEntry.objects.filter(action="sign_in", actor=coordinator).exists()


def test_wrong_totp_code_is_refused_and_logged(client):
    analyst = make_staff(Role.ANALYST)
    _password_step(client, analyst)

    response = client.post(TWO_FACTOR, {"code": wrong_code(analyst.totp_secret)})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get("/en/staff/").status_code == 302
    failure = AuditEntry.objects.for_object(analyst).get(action="sign_in_failed")
    assert failure.changes["reason"] == "two_factor_code"


def test_wrong_password_never_reaches_the_code_step(client):
    lawyer = make_staff(Role.LAWYER)
    response = _password_step(client, lawyer, password="not-the-password")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.get(TWO_FACTOR).status_code == 302  # no half-finished sign-in to continue
    failure = AuditEntry.objects.get(action="sign_in_failed")
    assert failure.changes == {"identifier": lawyer.email, "reason": "password"}
    assert "not-the-password" not in str(failure.changes)


def test_a_totp_code_cannot_be_used_twice(client):
    coordinator = make_staff(Role.COORDINATOR)
    code = totp_code(coordinator.totp_secret)
    _password_step(client, coordinator)
    client.post(TWO_FACTOR, {"code": code})
    client.post("/en/accounts/logout/")

    _password_step(client, coordinator)
    response = client.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_recovery_code_works_once(client):
    lawyer = make_staff(Role.LAWYER)
    codes = enrol_recovery_codes(lawyer)

    _password_step(client, lawyer)
    response = client.post(TWO_FACTOR, {"code": codes[0]})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(lawyer.pk)
    client.post("/en/accounts/logout/")

    _password_step(client, lawyer)
    response = client.post(TWO_FACTOR, {"code": codes[0]})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    response = client.post(TWO_FACTOR, {"code": codes[1]})
    assert client.session[SESSION_KEY] == str(lawyer.pk)


def test_citizen_without_two_factor_signs_in_with_password_alone(client):
    citizen = UserFactory()
    response = _password_step(client, citizen)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(citizen.pk)
    # Citizens land on the public site, not in the staff area they may not open.
    assert "/staff/" not in response["Location"]


def test_sign_in_helper_goes_through_both_steps(client):
    officer = make_staff(Role.PROGRAMME_OFFICER)
    response = sign_in(client, officer)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_sign_out_is_logged(client):
    citizen = UserFactory()
    sign_in(client, citizen)
    client.post("/en/accounts/logout/")
    assert AuditEntry.objects.filter(action="sign_out", actor=citizen).exists()


def test_people_are_greeted_by_name_not_by_internal_username(client):
    citizen = UserFactory(full_name="Leyla Mammadova")
    response = client.post(LOGIN, {"login": citizen.email, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert "Leyla Mammadova" in html
    assert citizen.username not in html
