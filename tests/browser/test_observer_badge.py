"""An observer's badge checked on a phone (clear, accessible, private), and a coordinator
building a mobile team by searching for stations (htmx, under the strict CSP)."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import make_staff, totp_code
from elections.models import Election, ElectionStation
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography  # noqa: F401
from observers.models import MobileTeam
from observers.tests.factories import ObserverFactory
from tests.browser.conftest import describe, horizontal_overflow, run_axe, screenshot
from tests.browser.test_sign_in import enter_code, enter_password

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def election(geography):  # noqa: F811
    election = ElectionFactory(
        status=Election.Status.ACTIVE,
        election_date=datetime.date(2027, 4, 11),
        name_en="Municipal election",
    )
    for code in ("12-034", "12-035", "113-034"):
        ElectionStation.objects.create(election=election, station=geography["stations"][code])
    return election


def test_a_badge_check_on_a_phone_is_clear_accessible_and_private(
    live_server, phone_page, election
):
    observer = ObserverFactory(
        election=election, accredited=True, number=1042, full_name="Gülnarə Şükürova"
    )
    phone_page.goto(f"{live_server.url}/en/observe/verify/{observer.badge_code}/")
    main = phone_page.locator("main")
    expect(main).to_contain_text("This badge is valid.")
    expect(main).to_contain_text("Gülnarə Şükürova")
    expect(main).not_to_contain_text(observer.phone)
    assert horizontal_overflow(phone_page) == 0
    violations = run_axe(phone_page)
    assert not violations, describe(violations)
    screenshot(phone_page, "observer-badge-valid")

    phone_page.goto(f"{live_server.url}/en/observe/verify/{'x' * 32}/")
    expect(phone_page.locator("main")).to_contain_text("This badge is not valid.")
    assert not phone_page.problems, phone_page.problems


def test_a_coordinator_builds_a_mobile_team_by_searching_for_stations(live_server, page, election):
    coordinator = make_staff(Role.COORDINATOR, email="coordinator@example.org")
    enter_password(page, live_server.url, coordinator, language="en")
    enter_code(page, totp_code(coordinator.totp_secret))

    page.goto(f"{live_server.url}/en/staff/observers/teams/new/?election={election.pk}")
    page.fill("#id_name", "Mobil qrup 1")
    page.fill("#id_q", "12-03")
    matches = page.locator("#team-stations input[id^='match-']")
    expect(matches).to_have_count(2)
    matches.first.check()
    # Ticking a station moves it to the chosen ones; the other match stays offered.
    expect(page.locator("#team-stations input[id^='station-']")).to_have_count(1)
    expect(page.locator("#team-stations input[id^='match-']")).to_have_count(1)
    page.locator("#team-stations input[id^='match-']").check()
    expect(page.locator("#team-stations input[id^='station-']")).to_have_count(2)
    screenshot(page, "observer-team-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the team").click()
    expect(page.locator("main")).to_contain_text("The mobile team was created.")
    team = MobileTeam.objects.get(name="Mobil qrup 1")
    assert sorted(team.stations.values_list("code", flat=True)) == ["12-034", "12-035"]
    assert not page.problems, page.problems
