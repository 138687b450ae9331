"""Find my polling station: search by number, settlement or address; the results update in place
(htmx) with a map drawn without any tile server; each station has its own page; all of it works
on a 360 px phone."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from geo.models import PollingStation
from tests.browser.conftest import horizontal_overflow, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _azerbaijani():
    # The pages visited are the Azerbaijani ones; names read from the models must match them.
    translation.activate("az")


MARKERS = "#station-map .leaflet-overlay-pane path.leaflet-interactive"
RESULTS = "#station-results .geo-result"


def a_findable_station() -> tuple[PollingStation, str]:
    """A station (not the first of its constituency) whose settlement and street each find it on
    the first page of results; returns it with the "street and house number" part of its
    address."""
    for station in PollingStation.objects.with_places().filter(number__gte=2).order_by("code"):
        street = next((part.strip() for part in station.address.split(",") if "küç" in part), "")
        if not street or not station.has_position:
            continue
        by_settlement = PollingStation.objects.search(station.settlement)
        by_street = PollingStation.objects.search(street)
        if by_settlement.count() <= 20 and by_street.count() <= 20:
            return station, street
    raise AssertionError("the demo geography has no suitable station")


def search(page, query: str) -> None:
    """Type into the search box as a person would; htmx fetches the results as they type and
    swaps them in. Returns once the new results have settled in the page."""
    page.evaluate(
        """() => { window.resultsSettled = new Promise((resolve) => document.addEventListener(
            "htmx:afterSettle", (event) => resolve(event.target.id), {once: true})); }"""
    )
    page.fill("#id_q", query)
    assert page.evaluate("window.resultsSettled") == "station-results"


def result_codes(page) -> list[str]:
    return page.locator(f"{RESULTS} h3 .tag").all_inner_texts()


def test_find_a_station_by_number_settlement_and_address_then_open_its_page(
    live_server, page, demo_geography
):
    station, street = a_findable_station()
    page.goto(f"{live_server.url}/az/stations/")
    expect(page.locator("html")).to_have_attribute("lang", "az")

    # Before any search the map shows one point per constituency, drawn on the country's
    # outline: no tile server is configured, and none is asked for.
    expect(page.locator("#station-map.leaflet-container")).to_be_visible()
    expect(page.locator("#station-map .leaflet-overlay-pane svg path").first).to_be_attached()
    constituencies = PollingStation.objects.values("constituency").distinct().count()
    expect(page.locator(MARKERS)).to_have_count(constituencies)
    assert page.locator("#station-map img.leaflet-tile").count() == 0
    page.evaluate("window.stillTheSamePage = true")

    # By the station's code: the exact station comes first.
    search(page, station.code)
    expect(page.locator(f"{RESULTS} h3 .tag").first).to_have_text(station.code)
    expect(page.locator(MARKERS)).to_have_count(page.locator(RESULTS).count())
    assert parse_qs(urlsplit(page.url).query)["q"] == [station.code]  # bookmarkable

    # By the station's number alone: that number's stations, in every constituency, first.
    search(page, str(station.number))
    codes = result_codes(page)
    assert codes and all(code.endswith(f"-{station.number:03d}") for code in codes[:5]), codes

    # By settlement, then by street and house number.
    search(page, station.settlement)
    expect(page.locator("#station-results")).to_contain_text(station.settlement)
    expect(page.locator(f"{RESULTS} h3 .tag", has_text=station.code)).to_have_count(1)
    assert len(result_codes(page)) == PollingStation.objects.search(station.settlement).count()

    search(page, street)
    expect(page.locator(f"{RESULTS} h3 .tag", has_text=station.code)).to_have_count(1)
    expect(page.locator("#station-results")).to_contain_text(street)
    expect(page.locator(MARKERS)).to_have_count(page.locator(RESULTS).count())

    # Nothing matches: said so, and no markers left over from the last search.
    search(page, "Zzyzxq")
    expect(page.locator("#station-results .empty-state")).to_be_visible()
    expect(page.locator(MARKERS)).to_have_count(0)

    # The results were swapped in place: still the same page, never a full reload.
    assert page.evaluate("window.stillTheSamePage") is True
    search(page, station.code)
    expect(page.locator(f"{RESULTS} h3 .tag").first).to_have_text(station.code)
    screenshot(page, "find-station-results")

    with page.expect_navigation():
        page.locator(f"{RESULTS} h3 a").first.click()
    assert urlsplit(page.url).path == f"/az/stations/{station.code}/"
    expect(page.locator("main h1")).to_contain_text(station.name)
    expect(page.locator("main dl.details")).to_contain_text(station.address)
    expect(page.locator("main dl.details")).to_contain_text(str(station.constituency))
    expect(page.locator("#station-map.leaflet-container")).to_be_visible()
    expect(page.locator(MARKERS)).to_have_count(1)

    other_hosts = [
        url
        for url in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        if not url.startswith(live_server.url)
    ]
    assert not other_hosts, other_hosts
    assert not page.problems, page.problems


def test_find_station_works_on_a_360_px_phone_without_sideways_scrolling(
    live_server, phone_page, demo_geography
):
    page = phone_page
    station, _street = a_findable_station()
    page.goto(f"{live_server.url}/az/stations/")
    expect(page.locator("#station-map.leaflet-container")).to_be_visible()
    assert horizontal_overflow(page) == 0

    search(page, station.settlement)
    expect(page.locator(f"{RESULTS} h3 .tag", has_text=station.code)).to_have_count(1)
    expect(page.locator(MARKERS).first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "find-station-results-360")

    page.goto(f"{live_server.url}/az/stations/{station.code}/")
    expect(page.locator("main h1")).to_contain_text(station.name)
    expect(page.locator(MARKERS)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "station-detail-360")
    assert not page.problems, page.problems
