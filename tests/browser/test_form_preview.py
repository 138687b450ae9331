"""The form preview in headless Chromium: skip logic follows the answers as they are given,
"Check" shows the errors and alerts, the language switch works, and the pages keep to the
Content-Security-Policy and pass axe."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import make_staff
from questionnaires import services
from questionnaires.tests.factories import published_questionnaire
from tests.browser.conftest import describe, run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(tab, live_server, user):
    """The browser carries a session of `user` (signed in as the tests' client does)."""
    client = Client()
    client.force_login(user)
    tab.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return tab


@pytest.fixture
def closing(live_server):
    questionnaire = published_questionnaire(code="CL")
    services.start_draft(questionnaire, None)
    return questionnaire


def test_the_preview_applies_skip_logic_and_checks_answers(live_server, page, closing):
    tab = signed_in(page, live_server, make_staff(Role.ANALYST))
    tab.goto(f"{live_server.url}/en/staff/forms/{closing.pk}/")
    skipped = "questionnaire-logic questionnaire-logic--skipped"
    expect(tab.locator("#relevance-A2")).to_have_class(skipped)
    expect(tab.locator("#question-A2")).to_have_css("border-left-style", "dashed")

    # Answering "no" to A1 brings A2 in, without a page load.
    tab.check("#id_q_A1_no")
    expect(tab.locator("#relevance-A2")).to_have_class("questionnaire-logic")
    expect(tab.locator("#question-A2")).to_have_css("border-left-style", "none")
    tab.fill("#id_q_B1", "100")
    tab.fill("#id_q_B2", "200")
    tab.locator("#id_q_B2").blur()
    tab.get_by_role("button", name="Check these answers").click()
    expect(tab.locator(".questionnaire-preview__result")).to_contain_text(
        "These answers would be refused: 2 problems."
    )
    expect(tab.locator("#question-A2 .field__error")).to_have_text("This question needs an answer.")
    expect(tab.locator(".questionnaire-rules__broken")).to_contain_text("R1")
    expect(tab.locator(".questionnaire-preview__result")).to_contain_text("1 alert would be raised")
    screenshot(tab, "form-preview-checked")

    tab.get_by_role("link", name="Russian").click()
    expect(tab.locator("#question-A1 legend")).to_contain_text("(ru)")
    assert "lang=ru" in tab.url
    assert not tab.problems, tab.problems
    violations = run_axe(tab)
    assert not violations, describe(violations)


def test_the_draft_editor_keeps_to_the_policy_and_passes_axe(live_server, page, closing):
    tab = signed_in(page, live_server, make_staff(Role.COORDINATOR))
    tab.goto(f"{live_server.url}/en/staff/forms/{closing.pk}/draft/")
    expect(tab.locator("#question-B4")).to_contain_text("Problems seen")
    tab.locator("#question-B7").get_by_role("button", name="Move B7 up").click()
    tab.wait_for_url("**#question-B7")
    expect(tab.locator(".message--success")).to_contain_text("Question B7 was moved.")
    screenshot(tab, "form-draft-editor")
    assert not tab.problems, tab.problems
    violations = run_axe(tab)
    assert not violations, describe(violations)
