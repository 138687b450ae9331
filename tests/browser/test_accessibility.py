"""The public pages pass axe-core's WCAG 2.1 A and AA checks with no serious or critical
violation, including the states a visitor reaches by using them (search results, form errors),
and keyboard users can skip straight to the content."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from core.programmes import Programme
from geo.models import PollingStation
from publications.content import PROGRAMMES, PUBLICATIONS
from publications.models import ArticlePage
from tests.browser.conftest import describe, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_have_no_serious_or_critical_accessibility_violations(
    live_server, page, demo_content, demo_geography
):
    article = ArticlePage.objects.live().filter(locale__language_code="az").first()
    station = PollingStation.objects.order_by("code").first()
    pages = {
        "home (az)": "/az/",
        "home (en)": "/en/",
        "home (ru)": "/ru/",
        "programme page": f"/az/{PROGRAMMES[Programme.ELECTIONS]['az']['slug']}/",
        "publications index": f"/az/{PUBLICATIONS['az']['slug']}/",
        "article page": article.url,
        "search results": f"/az/search/?q={quote('seçki')}",
        "search without results": "/az/search/?q=zzyzxq",
        "find my polling station": "/az/stations/",
        "find my polling station, with results": f"/az/stations/?q={quote(station.settlement)}",
        "station page": f"/az/stations/{station.code}/",
        "sign-in page": "/az/accounts/login/",
        "signup page": "/az/accounts/signup/",
    }
    violations = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        if page.locator("#station-map").count():
            # Checked as a visitor sees it: with the map drawn and the country's outline in it.
            expect(page.locator("#station-map.leaflet-container")).to_be_visible()
            page.wait_for_load_state("networkidle")
        if found := run_axe(page):
            violations[name] = found
    # The page after a search really lists stations, and the map is on it (axe checked both).
    page.goto(f"{live_server.url}/az/stations/?q={quote(station.settlement)}")
    expect(page.locator("#station-results .geo-result").first).to_be_visible()
    expect(page.locator("#station-map.leaflet-container")).to_be_visible()

    # Forms with errors: the messages must be as accessible as the forms.
    page.goto(f"{live_server.url}/az/accounts/login/")
    page.fill("#id_login", "nobody@example.org")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    expect(page.locator("main .form-errors, main .field__error").first).to_be_visible()
    if found := run_axe(page):
        violations["sign-in page with an error"] = found

    page.goto(f"{live_server.url}/az/accounts/signup/")
    page.fill("#id_email", "someone@example.org")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "different")
    with page.expect_navigation():
        page.press("#id_password2", "Enter")
    expect(page.locator("main .form-errors, main .field__error").first).to_be_visible()
    if found := run_axe(page):
        violations["signup page with errors"] = found

    assert not violations, describe(violations)
    assert not page.problems, page.problems


def test_keyboard_users_can_skip_to_the_content_and_see_where_the_focus_is(live_server, page):
    page.goto(f"{live_server.url}/az/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # The next Tab lands inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused link shows no focus outline"
