"""The public station search in headless Chromium: the map draws with no tile server, search
as you type swaps the results and the map points, the page passes axe and fits a phone."""

import pytest
from playwright.sync_api import expect

from geo.tests.conftest import geography  # noqa: F401  (the small named geography)
from tests.browser.conftest import describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stations(geography):  # noqa: F811  (pytest fixture injection)
    return geography


def test_the_map_draws_the_country_and_search_as_you_type_updates_it(
    live_server, request, stations
):
    tab = request.getfixturevalue("page")
    tab.goto(f"{live_server.url}/en/stations/")
    tab.wait_for_selector("#station-map.leaflet-container")
    # The outline of Azerbaijan (two polygons in one path) and one circle per constituency.
    expect(tab.locator("#station-map path:not(.leaflet-interactive)")).to_have_count(1)
    expect(tab.locator("#station-map path.leaflet-interactive")).to_have_count(3)

    tab.fill("#id_q", "Sheki")
    tab.wait_for_selector("#station-results .geo-result")
    tab.wait_for_url("**/en/stations/?*q=Sheki*")
    assert sorted(tab.locator(".geo-result .tag").all_inner_texts()) == ["113-002", "113-034"]
    # Only 113-034 has coordinates.
    expect(tab.locator("#station-map path.leaflet-interactive")).to_have_count(1)
    tab.locator("#station-map path.leaflet-interactive").click()
    popup_link = tab.locator(".leaflet-popup-content a")
    assert popup_link.inner_text().startswith("113-034")
    assert not tab.problems, tab.problems
    # The popup fades in; checking contrast halfway through the fade would measure a ghost.
    tab.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    violations = run_axe(tab)
    assert not violations, describe(violations)


def test_going_back_after_searching_rebuilds_a_working_map(live_server, request, stations):
    tab = request.getfixturevalue("page")
    tab.goto(f"{live_server.url}/en/stations/")
    tab.wait_for_selector("#station-map.leaflet-container")
    tab.fill("#id_q", "Kiş")
    tab.wait_for_url("**q=Ki*")
    tab.wait_for_selector(".geo-result")
    tab.fill("#id_q", "Füzuli")
    tab.wait_for_url("**q=F*")
    expect(tab.locator(".geo-result .tag").first).to_have_text("12-034")
    tab.go_back()
    expect(tab.locator(".geo-result .tag").first).to_have_text("113-002")
    tab.wait_for_selector("#station-map.leaflet-container")
    assert tab.locator("#station-map .leaflet-map-pane").count() == 1
    tab.fill("#id_q", "Bayıl")
    expect(tab.locator(".geo-result .tag").first).to_have_text("13-001")
    expect(tab.locator("#station-map path.leaflet-interactive")).to_have_count(1)
    assert not tab.problems, tab.problems


def test_the_station_page_passes_axe_and_fits_a_phone(live_server, request, stations):
    phone = request.getfixturevalue("phone_page")
    phone.goto(f"{live_server.url}/az/stations/113-034/")
    phone.wait_for_selector("#station-map.leaflet-container")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    violations = run_axe(phone)
    assert not violations, describe(violations)


def test_the_search_page_fits_a_phone(live_server, request, stations):
    phone = request.getfixturevalue("phone_page")
    phone.goto(f"{live_server.url}/az/stations/?q=Bak%C4%B1")
    phone.wait_for_selector(".geo-result")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
