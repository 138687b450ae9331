"""The coordinators' election-day pages in headless Chromium: the live picture refreshes itself
as reports arrive, the map draws with no tile server, a disagreement is settled from the
station page, and the pages pass axe, keep to the Content-Security-Policy and fit a phone."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)
from observation.tests.dashboard_fixtures import send
from tests.browser.conftest import describe, horizontal_overflow, run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user):
    """The browser carries a session of `user` (signed in as the tests' client does)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_the_live_picture_shows_coverage_and_refreshes_as_alerts_arrive(
    live_server, request, reported
):
    tab = signed_in(request.getfixturevalue("page"), live_server, reported["baku_coordinator"])
    election = reported["election"]
    tab.goto(f"{live_server.url}/en/staff/observation/{election.pk}/")
    expect(tab.locator("#coverage-OP")).to_contain_text("2 of 3 stations have reported")
    expect(tab.locator("#coverage-OP tbody tr")).to_have_count(1)  # Bakı only
    expect(tab.locator("#live-alerts-heading")).to_have_text("1 alert not handled yet")
    screenshot(tab, "coordinator-live-picture")

    # A critical answer arrives; the page shows it on its next refresh, without a reload.
    send(reported["observers"]["13-001"], reported["opening"], {"A1": "yes", "A2": "no"})
    expect(tab.locator("#live-alerts-heading")).to_have_text(
        "2 alerts not handled yet", timeout=20_000
    )
    expect(tab.locator("#coverage-OP")).to_contain_text("3 of 3 stations have reported")
    assert not tab.problems, tab.problems
    violations = run_axe(tab)
    assert not violations, describe(violations)


def test_the_map_draws_the_country_and_the_stations_without_a_tile_server(
    live_server, request, reported
):
    assert not settings.MAP_TILE_URL
    tab = signed_in(request.getfixturevalue("page"), live_server, reported["administrator"])
    election = reported["election"]
    tab.goto(f"{live_server.url}/en/staff/observation/{election.pk}/map/")
    tab.wait_for_selector("#observation-map.leaflet-container")
    # The outline of Azerbaijan from this site; 4 of the 5 stations have coordinates.
    expect(tab.locator("#observation-map .leaflet-outline-pane svg path")).to_have_count(1)
    expect(tab.locator("#observation-map .leaflet-overlay-pane canvas")).to_have_count(1)
    outline_width = tab.evaluate(
        "document.querySelector('#observation-map .leaflet-outline-pane svg')"
        ".getBoundingClientRect().width"
    )
    assert outline_width > 100  # drawn, not squeezed away by the site's `svg` styles
    expect(tab.locator("#observation-map")).to_have_attribute("data-points", "4")
    expect(tab.locator("#map-legend")).to_contain_text("With an alert: 1")
    expect(tab.locator("#map-legend")).to_contain_text("1 station has no coordinates")

    tab.select_option("#id_region", label="Shaki-Zagatala")
    tab.wait_for_url("**region=*")
    expect(tab.locator("#observation-map")).to_have_attribute("data-points", "1")
    expect(tab.locator("#map-legend")).to_contain_text("Reported: 1")
    # The map is built again after htmx saved the page for the back button: outline and all.
    expect(tab.locator("#observation-map .leaflet-outline-pane svg path")).to_have_count(1)
    screenshot(tab, "coordinator-map")
    assert not tab.problems, tab.problems
    violations = run_axe(tab)
    assert not violations, describe(violations)


def test_a_coordinator_settles_a_disagreement_from_the_station_page(live_server, request, reported):
    tab = signed_in(request.getfixturevalue("page"), live_server, reported["baku_coordinator"])
    election = reported["election"]
    tab.goto(f"{live_server.url}/en/staff/observation/{election.pk}/stations/?state=conflict")
    tab.click("text=12-034")
    expect(tab.locator("h1")).to_contain_text("Station 12-034")
    violations = run_axe(tab)
    assert not violations, describe(violations)

    form = tab.locator("form.obs-resolve", has_text="Observers disagree on A1")
    form.get_by_label("No").check()
    with tab.expect_navigation():
        form.get_by_role("button", name="Set the station's answer").click()
    expect(tab.locator(".messages")).to_contain_text("The station's answer to A1 was set")
    expect(tab.locator("#form-OP tbody tr").first).to_contain_text("chosen by a coordinator")
    screenshot(tab, "coordinator-station")
    assert not tab.problems, tab.problems


def test_the_pages_fit_a_phone(live_server, request, reported):
    phone = signed_in(request.getfixturevalue("phone_page"), live_server, reported["administrator"])
    election = reported["election"]
    for path in ("", "stations/", "results/", "stations/12-034/"):
        phone.goto(f"{live_server.url}/az/staff/observation/{election.pk}/{path}")
        assert horizontal_overflow(phone) <= 0, path
    screenshot(phone, "coordinator-station-phone")
    assert not phone.problems, phone.problems


def test_the_results_page_draws_its_charts_within_the_policy(live_server, request, reported):
    tab = signed_in(request.getfixturevalue("page"), live_server, reported["analyst"])
    election = reported["election"]
    tab.goto(f"{live_server.url}/en/staff/observation/{election.pk}/results/")
    expect(tab.locator("#question-A4")).to_contain_text("Were the ballot boxes sealed?")
    expect(tab.locator("#question-A4 svg.obs-bar")).to_have_count(3)  # two regions and the total
    screenshot(tab, "coordinator-results")
    assert not tab.problems, tab.problems
    violations = run_axe(tab)
    assert not violations, describe(violations)
