"""The public incident pages in headless Chromium: the map draws the country and the published
incidents with no tile server, only published incidents appear, a citizen can send a report with
a photo, and the pages pass axe in the states a visitor sees (with the map, with form errors)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography  # noqa: F401  (the small named geography)
from incidents import spam
from incidents.categories import ensure_default_categories
from incidents.models import Incident
from incidents.tests.factories import JPEG, IncidentFactory, category, published
from tests.browser.conftest import describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def incidents(geography, settings, tmp_path):  # noqa: F811  (pytest fixture injection)
    ensure_default_categories()  # transactional tests empty the migration's rows too
    settings.MAP_TILE_URL = ""  # no tile server: the map must work from local files alone
    stations = geography["stations"]
    election = ElectionFactory(status=Election.Status.ACTIVE, name_en="Demo election")
    shown = [
        published(
            election=election,
            station=stations["113-034"],
            category=category("pressure"),
            severity="critical",
            public_summary_en="Teachers were told how to vote.",
        ),
        published(
            election=election,
            station=stations["13-001"],
            category=category("vote_buying"),
            public_summary_en="Money was offered at the entrance.",
        ),
        published(
            election=election,
            station=None,
            region=geography["regions"]["baki"],
            latitude=Decimal("40.41234"),
            longitude=Decimal("49.86789"),
            category=category("campaign_violation"),
            public_summary_en="Posters on a hospital wall.",
        ),
    ]
    IncidentFactory(election=election, station=stations["12-034"], status="verified")
    return {"election": election, "shown": shown, "geography": geography}


def test_the_map_shows_the_published_incidents_without_a_tile_server(
    live_server, request, incidents
):
    tab = request.getfixturevalue("page")
    tab.goto(f"{live_server.url}/en/incidents/")
    tab.wait_for_selector("#incident-map.leaflet-container")
    # The outline of Azerbaijan and one circle per published incident (the verified one is not
    # published, so it is neither listed nor drawn).
    expect(tab.locator("#incident-map path:not(.leaflet-interactive)")).to_have_count(1)
    expect(tab.locator("#incident-map path.leaflet-interactive")).to_have_count(3)
    expect(tab.locator(".incidents-card")).to_have_count(3)
    assert not tab.locator("#incident-map .leaflet-tile").count()
    content = tab.content()
    for secret in ("Secret description", "Leyla", "765 43 21", "40.41234"):
        assert secret not in content

    tab.locator("#incident-map path.leaflet-interactive").first.click(force=True)
    expect(tab.locator(".leaflet-popup-content")).to_be_visible()
    assert tab.locator(".leaflet-popup-content strong").inner_text() in {
        "Pressure or intimidation",
        "Vote buying",
        "Campaign violation",
    }
    tab.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    violations = run_axe(tab)
    assert not violations, describe(violations)
    assert not tab.problems, tab.problems


def test_filtering_by_region_redraws_the_list_and_the_map(live_server, request, incidents):
    tab = request.getfixturevalue("page")
    sheki = incidents["geography"]["regions"]["seki-zaqatala"]
    tab.goto(f"{live_server.url}/en/incidents/")
    with tab.expect_navigation():
        tab.select_option("#id_region", str(sheki.pk))
        tab.click("form.incidents-filters button[type=submit]")
    tab.wait_for_selector("#incident-map.leaflet-container")
    expect(tab.locator(".incidents-card")).to_have_count(1)
    expect(tab.locator("#incident-map path.leaflet-interactive")).to_have_count(1)
    assert "Teachers were told how to vote." in tab.inner_text(".incidents-list")
    assert not tab.problems, tab.problems


def test_a_citizen_reports_an_incident_with_a_photo(
    live_server, request, incidents, monkeypatch, tmp_path
):
    from django.core.files.storage import FileSystemStorage

    from incidents.models import IncidentMedia

    # The browser is quicker than a person; the time trap is tested on its own elsewhere.
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    monkeypatch.setattr(
        IncidentMedia._meta.get_field("file"),
        "storage",
        FileSystemStorage(location=tmp_path / "private"),
    )
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(JPEG)
    tab = request.getfixturevalue("page")
    tab.goto(f"{live_server.url}/en/incidents/report/")

    # Sent empty first: the errors are shown, accessibly, and nothing is saved.
    with tab.expect_navigation():
        tab.click("main form[enctype] button[type=submit]")
    expect(tab.locator("#id_description_error")).to_be_visible()
    violations = run_axe(tab)
    assert not violations, describe(violations)
    assert not Incident.objects.filter(status="new", media__isnull=False).exists()

    tab.select_option("#id_category", str(category("vote_buying").pk))
    tab.fill("#id_occurred_at", "2026-11-01T10:30")
    tab.fill("#id_description", "Two men were handing out money to voters at the school gate.")
    tab.fill("#id_station_code", "113-034")
    tab.set_input_files("#id_files", str(photo))
    with tab.expect_navigation():
        tab.click("main form[enctype] button[type=submit]")
    expect(tab.locator("h1")).to_have_text("Thank you for your report")
    report = Incident.objects.filter(station__code="113-034", status="new").get()
    assert report.is_anonymous and report.media.count() == 1
    assert not tab.problems, tab.problems


def test_the_report_page_passes_axe_and_fits_a_phone(live_server, request, incidents):
    phone = request.getfixturevalue("phone_page")
    phone.goto(f"{live_server.url}/az/incidents/report/")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    violations = run_axe(phone)
    assert not violations, describe(violations)
    phone.goto(f"{live_server.url}/az/incidents/")
    phone.wait_for_selector("#incident-map.leaflet-container")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    violations = run_axe(phone)
    assert not violations, describe(violations)
    assert not phone.problems, phone.problems
