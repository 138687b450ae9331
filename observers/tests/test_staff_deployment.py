"""Staff pages for deployment: an observer's page (station, team, search, access code), the
list's deployment filter, and the mobile team pages."""

import re

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry
from observers.models import MobileTeam, Observer
from observers.tests.factories import MobileTeamFactory, ObserverFactory

BASE = "/en/staff/observers/"
S = Observer.Status


@pytest.fixture
def stations(geography):
    return geography["stations"]


@pytest.fixture
def team(election, stations):
    return MobileTeamFactory(
        election=election, name="Mobil qrup 1", stations=[stations["12-035"], stations["113-034"]]
    )


@pytest.fixture
def observer(election):
    return ObserverFactory(election=election, accredited=True, number=8, full_name="Orxan Əliyev")


@pytest.fixture
def coordinator(client, db):
    user = make_staff(Role.COORDINATOR)
    client.force_login(user)
    return user


def test_the_observer_page_shows_number_badge_and_deployment_forms(client, observer, coordinator):
    html = client.get(f"{BASE}{observer.pk}/").content.decode()
    assert "Observer No." in html and ">8<" in html
    assert f"{BASE}{observer.pk}/badge.pdf" in html
    assert f"/observe/verify/{observer.badge_code}/" in html
    assert 'id="deploy-form"' in html and 'name="station_code"' in html
    assert "Issue access code" in html
    assert "style=" not in html.split("<main", 1)[1] and "<script>" not in html


def test_an_applicant_has_no_deployment_badge_or_access_code(client, election, coordinator):
    applicant = ObserverFactory(election=election)
    html = client.get(f"{BASE}{applicant.pk}/").content.decode()
    assert 'id="deploy-form"' not in html and "badge.pdf" not in html
    assert "Issue access code" not in html


def test_a_station_is_assigned_by_code(client, observer, coordinator):
    response = client.post(f"{BASE}{observer.pk}/deploy/", {"station_code": "12-034"})
    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.station.code == "12-034"
    html = client.get(f"{BASE}{observer.pk}/").content.decode()
    assert "Polling station 12-034" in html and "Remove the deployment" in html


def test_a_station_search_offers_buttons_that_deploy(client, observer, coordinator):
    response = client.get(f"{BASE}{observer.pk}/", {"station_q": "12-03"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<h1>" not in html  # just the results, for htmx
    assert 'value="12-034"' in html and 'value="12-035"' in html
    assert 'value="13-001"' not in html  # not taking part
    full = client.get(f"{BASE}{observer.pk}/", {"station_q": "Bayıl"}).content.decode()
    assert "<h1>" in full and "No polling station of this election matches" in full
    client.post(f"{BASE}{observer.pk}/deploy/", {"station_code": "", "pick_station": "12-035"})
    observer.refresh_from_db()
    assert observer.station.code == "12-035"


def test_a_team_is_assigned_and_shown(client, observer, team, coordinator):
    client.post(f"{BASE}{observer.pk}/deploy/", {"mobile_team": team.pk})
    observer.refresh_from_db()
    assert observer.mobile_team == team
    html = client.get(f"{BASE}{observer.pk}/").content.decode()
    assert "Mobile team Mobil qrup 1" in html and "113-034" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"station_code": "99-999"}, "There is no polling station 99-999"),
        ({"station_code": "13-001"}, "does not take part in this election"),
        ({"station_code": "12-034", "mobile_team": "team"}, "not both"),
    ],
)
def test_a_wrong_deployment_is_explained_on_the_form(
    client, observer, team, coordinator, data, message
):
    if data.get("mobile_team") == "team":
        data = data | {"mobile_team": team.pk}
    response = client.post(f"{BASE}{observer.pk}/deploy/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    observer.refresh_from_db()
    assert observer.station is None and observer.mobile_team is None


def test_moving_to_deployed_without_a_place_is_refused_on_the_page(client, observer, coordinator):
    response = client.post(f"{BASE}{observer.pk}/move/", {"to_status": S.DEPLOYED}, follow=True)
    assert "no polling station or mobile team yet" in response.content.decode()


def test_the_list_shows_numbers_and_deployments_and_filters_by_them(
    client, election, observer, team, stations, coordinator
):
    at_station = ObserverFactory(
        election=election, accredited=True, status=S.DEPLOYED, station=stations["12-034"]
    )
    in_team = ObserverFactory(election=election, accredited=True, mobile_team=team)
    html = client.get(BASE).content.decode()
    assert "<code>12-034</code>" in html and "Team: Mobil qrup 1" in html

    def names(deployment):
        html = client.get(BASE, {"deployment": deployment}).content.decode()
        return {o.full_name for o in (observer, at_station, in_team) if o.full_name in html}

    assert names("station") == {at_station.full_name}
    assert names("team") == {in_team.full_name}
    assert names("none") == {observer.full_name}
    assert observer.full_name in client.get(BASE, {"q": "8"}).content.decode()


# --- Access code ----------------------------------------------------------------------------


def test_an_access_code_is_issued_shown_once_and_not_stored(client, observer, coordinator):
    response = client.post(f"{BASE}{observer.pk}/access-code/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    shown = re.search(r'class="secret observers-code">([A-Z0-9]{4})-([A-Z0-9]{4})<', html)
    assert shown, html
    code = shown.group(1) + shown.group(2)
    assert code not in client.get(f"{BASE}{observer.pk}/").content.decode()
    assert AuditEntry.objects.for_object(observer).filter(actor=coordinator).exists()
    from observation.models import SignInCode

    assert not SignInCode.objects.filter(code_hash=code).exists()  # only a hash is kept


def test_an_applicant_gets_no_access_code(client, election, coordinator):
    applicant = ObserverFactory(election=election)
    response = client.post(f"{BASE}{applicant.pk}/access-code/", follow=True)
    assert "Only accredited or deployed observers can get an access code" in (
        response.content.decode()
    )


# --- Mobile teams ---------------------------------------------------------------------------


def test_the_team_list_shows_teams_by_election(client, team, coordinator):
    MobileTeamFactory(name="Another election's team")
    html = client.get(f"{BASE}teams/", {"election": team.election_id}).content.decode()
    assert "Mobil qrup 1" in html and "Another election&#x27;s team" not in html
    assert "Create a mobile team" in html


def test_a_team_is_created_by_searching_and_ticking_stations(client, election, coordinator):
    url = f"{BASE}teams/new/?election={election.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"election": election.pk, "name": "Mobil qrup 2", "q": "12-03", "search": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<h1>" not in html and 'id="match-' in html and "12-034" in html
    assert "13-001" not in html
    ids = re.findall(r'name="stations" value="(\d+)" id="match-', html)
    # Without JavaScript the Search button gives the whole page, keeping what was ticked.
    response = client.post(
        url, {"election": election.pk, "name": "Mobil qrup 2", "stations": ids[:1], "search": "1"}
    )
    assert response.status_code == 200 and "1 station chosen" in response.content.decode()
    response = client.post(url, {"election": election.pk, "name": "Mobil qrup 2", "stations": ids})
    assert response.status_code == 302
    team = MobileTeam.objects.get(name="Mobil qrup 2")
    assert team.stations.count() == len(ids) == 2
    assert AuditEntry.objects.for_object(team).filter(action="create").exists()


def test_a_team_form_explains_its_errors(client, election, team, stations, coordinator):
    url = f"{BASE}teams/new/?election={election.pk}"
    response = client.post(url, {"election": election.pk, "name": "Mobil qrup 1"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "already has a mobile team of this name" in html
    assert "Choose at least one polling station" in html
    outside = stations["13-001"].pk
    response = client.post(url, {"election": election.pk, "name": "X", "stations": [outside]})
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert MobileTeam.objects.count() == 1


def test_a_team_is_edited_and_lists_its_members(client, team, stations, coordinator):
    member = ObserverFactory(election=team.election, accredited=True, mobile_team=team)
    html = client.get(f"{BASE}teams/{team.pk}/").content.decode()
    assert member.full_name in html and "checked" in html
    response = client.post(
        f"{BASE}teams/{team.pk}/",
        {"name": "Mobil qrup 1", "stations": [stations["12-034"].pk]},
    )
    assert response.status_code == 302
    assert list(team.stations.values_list("code", flat=True)) == ["12-034"]


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        (Role.ADMINISTRATOR, True, True),
        (Role.COORDINATOR, True, True),
        (Role.ANALYST, False, False),
        (Role.LAWYER, False, False),
        (Role.PROGRAMME_OFFICER, False, False),
    ],
)
def test_who_may_open_and_change_deployments_and_teams(
    client, election, observer, team, role, reads, writes
):
    client.force_login(make_staff(role))
    assert client.get(f"{BASE}teams/").status_code == (200 if reads else 403)
    for url in (f"{BASE}teams/new/?election={election.pk}", f"{BASE}teams/{team.pk}/"):
        assert client.get(url).status_code == (200 if writes else 403), url
    response = client.post(f"{BASE}{observer.pk}/deploy/", {"station_code": "12-034"})
    assert response.status_code == (302 if writes else 403)
    response = client.post(f"{BASE}{observer.pk}/access-code/")
    assert response.status_code == (200 if writes else 403)
    observer.refresh_from_db()
    assert (observer.station is not None) == writes


def test_a_citizen_and_an_anonymous_visitor_are_kept_out(client, observer, team):
    for url in (f"{BASE}teams/", f"{BASE}teams/{team.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(f"{BASE}teams/").status_code == 403
    assert client.post(f"{BASE}{observer.pk}/access-code/").status_code == 403
