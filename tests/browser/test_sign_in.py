"""Staff sign in with a password, then a code from their authenticator app (or a recovery code);
a staff member without two-factor sign-in is made to enrol before anything else."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, enrol_recovery_codes, make_staff, totp_code
from accounts.tests.factories import wrong_code as a_wrong_code
from tests.browser.conftest import screenshot, submit

pytestmark = pytest.mark.django_db(transaction=True)


def enter_password(page, base_url: str, user, language: str = "az") -> None:
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page, "#id_password")


def enter_code(page, code: str) -> None:
    expect(page.locator("#id_code")).to_be_visible()
    page.fill("#id_code", code)
    submit(page, "#id_code")


def test_staff_member_signs_in_with_password_then_totp_code(live_server, page):
    coordinator = make_staff(Role.COORDINATOR, email="coordinator@example.org")
    enter_password(page, live_server.url, coordinator)

    # The password alone does not open the staff area: the code step comes first.
    assert page.url == f"{live_server.url}/az/accounts/2fa/authenticate/"
    enter_code(page, totp_code(coordinator.totp_secret))

    assert page.url == f"{live_server.url}/az/staff/"
    expect(page.locator("main h1").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(coordinator.full_name)
    screenshot(page, "staff-home")
    assert not page.problems, page.problems


def test_wrong_totp_code_keeps_the_door_shut(live_server, page):
    analyst = make_staff(Role.ANALYST, email="analyst@example.org")
    enter_password(page, live_server.url, analyst, language="en")
    enter_code(page, a_wrong_code(analyst.totp_secret))

    # Still on the code step, told why, and not signed in.
    assert page.url == f"{live_server.url}/en/accounts/2fa/authenticate/"
    expect(page.locator("#id_code")).to_be_visible()
    expect(page.locator("main .field__error, main .form-errors").first).to_be_visible()
    # The staff area sends them back to sign in, which resumes at the pending code step.
    page.goto(f"{live_server.url}/en/staff/")
    assert "/staff/" not in page.url
    assert "/accounts/" in page.url
    expect(page.locator("#id_code")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(analyst.full_name)


def test_staff_member_without_two_factor_is_sent_to_enrol_and_then_reaches_the_staff_area(
    live_server, page
):
    lawyer = make_staff(Role.LAWYER, email="lawyer@example.org", with_totp=False)
    enter_password(page, live_server.url, lawyer, language="en")

    assert page.url == f"{live_server.url}/en/accounts/2fa/totp/activate/"
    expect(page.locator(".qr-code img")).to_be_visible()
    # Nothing else opens before enrolment: the staff area sends them straight back.
    page.goto(f"{live_server.url}/en/staff/")
    assert page.url == f"{live_server.url}/en/accounts/2fa/totp/activate/"

    secret = page.input_value("#authenticator_secret")
    assert secret
    enter_code(page, totp_code(secret))

    # Enrolled: recovery codes are shown once, then on to the staff area.
    assert Authenticator.objects.filter(user=lawyer, type=Authenticator.Type.TOTP).exists()
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10
    with page.expect_navigation():
        page.locator('main a[href="/en/staff/"]').click()
    assert page.url == f"{live_server.url}/en/staff/"
    expect(page.locator("main")).to_contain_text(lawyer.full_name)
    assert not page.problems, page.problems


def test_recovery_code_signs_in_once_instead_of_the_app_code(live_server, page):
    coordinator = make_staff(Role.COORDINATOR, email="lost.phone@example.org")
    code = enrol_recovery_codes(coordinator)[0]
    enter_password(page, live_server.url, coordinator)
    enter_code(page, code)

    assert page.url == f"{live_server.url}/az/staff/"
    authenticator = Authenticator.objects.get(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES
    )
    assert code not in RecoveryCodes(authenticator).get_unused_codes()
    assert not page.problems, page.problems
