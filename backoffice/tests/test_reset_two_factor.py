"""An administrator resets the two-factor sign-in of a staff member who lost their phone."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import services
from accounts.roles import Role
from accounts.tests.factories import make_staff, sign_in
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_reset_removes_the_authenticator_ends_sessions_and_sends_them_to_enrol_again():
    administrator = make_staff(Role.ADMINISTRATOR)
    lawyer = make_staff(Role.LAWYER)
    lawyers_phone = Client()
    sign_in(lawyers_phone, lawyer)
    assert lawyers_phone.get("/en/staff/").status_code == 200

    admin_browser = Client()
    admin_browser.force_login(administrator)
    response = admin_browser.post(f"/en/staff/users/{lawyer.pk}/reset-two-factor/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=lawyer).exists()
    # The lawyer's existing session is over.
    assert lawyers_phone.get("/en/staff/")["Location"].startswith("/en/accounts/login/")
    # Signing in again, they must enrol before anything else.
    lawyer.totp_secret = None
    fresh = Client()
    sign_in(fresh, lawyer)
    assert "/2fa/totp/activate/" in fresh.get("/en/staff/")["Location"]
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, object_id=str(lawyer.pk))
    assert entry.get().changes["sessions_ended"] is True
    assert entry.get().actor == administrator


def test_nobody_resets_their_own_two_factor():
    administrator = make_staff(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="your own two-factor"):
        services.user_reset_two_factor(actor=administrator, user=administrator)
    assert Authenticator.objects.filter(user=administrator).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).exists()


def test_a_person_without_two_factor_has_nothing_to_reset():
    administrator = make_staff(Role.ADMINISTRATOR)
    analyst = make_staff(Role.ANALYST, with_totp=False)
    with pytest.raises(ValidationError, match="has not set up"):
        services.user_reset_two_factor(actor=administrator, user=analyst)
    analyst.refresh_from_db()
    assert analyst.session_generation == 0


@pytest.mark.parametrize(
    "role",
    [
        Role.COORDINATOR,
        Role.ANALYST,
        Role.LAWYER,
        Role.DOCUMENTATION_OFFICER,
        Role.PROGRAMME_OFFICER,
    ],
)
def test_only_administrators_may_reset_two_factor(client, role):
    staff = make_staff(role)
    target = make_staff(Role.COORDINATOR)
    client.force_login(staff)
    response = client.post(f"/en/staff/users/{target.pk}/reset-two-factor/")
    assert response.status_code == 403
    assert Authenticator.objects.filter(user=target).exists()


def test_reset_is_a_post_only_action(client):
    administrator = make_staff(Role.ADMINISTRATOR)
    target = make_staff(Role.COORDINATOR)
    client.force_login(administrator)
    assert client.get(f"/en/staff/users/{target.pk}/reset-two-factor/").status_code == 405
    assert Authenticator.objects.filter(user=target).exists()
