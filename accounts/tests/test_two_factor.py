"""Two-factor sign-in is compulsory for staff: enrolment first, and no way to turn it off."""

import re

import pytest
from allauth.mfa.models import Authenticator

from accounts.roles import Role
from accounts.tests.factories import (
    PASSWORD,
    UserFactory,
    enrol_totp,
    make_staff,
    sign_in,
    totp_code,
)
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ACTIVATE = "/en/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    "path",
    ["/en/staff/", "/en/staff/users/", "/en/staff/audit/", "/en/", "/cms/", "/django-admin/"],
)
def test_staff_member_without_totp_is_sent_to_enrol_from_any_page(client, path):
    administrator = make_staff(Role.ADMINISTRATOR, with_totp=False)
    client.force_login(administrator)
    response = client.get(path)
    assert response.status_code == 302
    # Pages outside the language prefix (the CMS, the Django admin) use the default language.
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")


def test_citizen_without_totp_is_not_sent_to_enrol(client):
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get("/en/accounts/2fa/").status_code == 200
    response = client.get("/en/staff/")
    assert response.status_code == 403  # not staff: refused, not asked to enrol


def test_staff_member_enrols_and_is_then_shown_recovery_codes(client):
    lawyer = make_staff(Role.LAWYER, with_totp=False)
    sign_in(client, lawyer)

    page = client.get(ACTIVATE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
    assert '<label for="id_code">' in html

    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    assert 'id="recovery_codes"' in codes_page
    assert Authenticator.objects.filter(user=lawyer, type="totp").exists()
    assert Authenticator.objects.filter(user=lawyer, type="recovery_codes").exists()
    assert client.get("/en/staff/").status_code == 200


def test_wrong_code_at_enrolment_is_refused(client):
    lawyer = make_staff(Role.LAWYER, with_totp=False)
    sign_in(client, lawyer)
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": "123456"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=lawyer).exists()


def test_staff_member_cannot_deactivate_totp(client):
    coordinator = make_staff(Role.COORDINATOR)
    sign_in(client, coordinator)

    index = client.get("/en/accounts/2fa/").content.decode()
    assert "/2fa/totp/deactivate/" not in index
    response = client.post("/en/accounts/2fa/totp/deactivate/")
    assert "/reauthenticate/" in response["Location"]  # allauth asks for the password first
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/en/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "Staff accounts must keep two-factor sign-in" in response.content.decode()
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_citizen_may_turn_off_their_own_totp(client, django_capture_on_commit_callbacks):
    citizen = UserFactory()
    citizen.totp_secret = enrol_totp(citizen)
    sign_in(client, citizen)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/en/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=citizen, type="totp").exists()
    entry = AuditEntry.objects.get(action="security", actor=citizen)
    assert entry.changes == {"event": "two_factor_removed", "authenticator": "totp"}


def test_enrolment_is_logged(client, django_capture_on_commit_callbacks):
    lawyer = make_staff(Role.LAWYER, with_totp=False)
    sign_in(client, lawyer)
    html = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ACTIVATE, {"code": totp_code(secret)})
    events = set(
        AuditEntry.objects.filter(action="security", actor=lawyer).values_list(
            "changes__event", flat=True
        )
    )
    assert "two_factor_added" in events
