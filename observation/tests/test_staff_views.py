"""The coordinators' election-day pages: who may open them, what each person sees (their
regions only), and what acknowledging an alert and settling a disagreement do."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry
from observation.models import Alert, StationReport
from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)
from observation.tests.dashboard_fixtures import send

pytestmark = pytest.mark.django_db

BASE = "/en/staff/observation/"


def election_url(day, rest: str = "") -> str:
    return f"{BASE}{day['election'].pk}/{rest}"


def alert_of(day, code="12-034") -> Alert:
    return Alert.objects.get(station=day["stations"][code])


def read_pages(day) -> list[str]:
    """Every GET page and endpoint about the election, all about Bakı's station 12-034."""
    alert = alert_of(day)
    return [
        election_url(day),
        election_url(day, "alerts/"),
        election_url(day, f"alerts/{alert.pk}/"),
        election_url(day, "stations/"),
        election_url(day, "stations/12-034/"),
        election_url(day, "results/"),
        election_url(day, "map/"),
        election_url(day, "map/stations.geojson"),
        election_url(day, "export/reports.csv"),
        election_url(day, "export/reports.xlsx"),
        election_url(day, "export/submissions.csv"),
        election_url(day, "export/submissions.xlsx"),
    ]


def resolve_url(day, code="12-034") -> str:
    return election_url(day, f"stations/{code}/forms/{day['opening'].pk}/resolve/")


def acknowledge_url(day, alert) -> str:
    return election_url(day, f"alerts/{alert.pk}/handle/")


# --- Who may open what ----------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(client, reported):
    for url in [BASE, f"{BASE}coordinators/", *read_pages(reported)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/en/accounts/login/"), url
    alert = alert_of(reported)
    assert client.post(acknowledge_url(reported, alert), {"note": "x"}).status_code == 302
    assert (
        client.post(resolve_url(reported), {"question": "A1", "value": "true"}).status_code == 302
    )
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


@pytest.mark.parametrize("who", ["lawyer", "citizen"])
def test_people_without_election_day_rights_are_refused_everywhere(client, reported, who):
    person = reported["lawyer"] if who == "lawyer" else UserFactory()
    client.force_login(person)
    for url in [BASE, f"{BASE}coordinators/", *read_pages(reported)]:
        assert client.get(url).status_code == 403, url
    alert = alert_of(reported)
    assert client.post(acknowledge_url(reported, alert), {"note": "x"}).status_code == 403
    assert (
        client.post(resolve_url(reported), {"question": "A1", "value": "true"}).status_code == 403
    )
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


@pytest.mark.parametrize("who", ["baku_coordinator", "administrator", "analyst"])
def test_the_right_coordinator_administrators_and_analysts_open_every_page(client, reported, who):
    client.force_login(reported[who])
    assert client.get(BASE).status_code == 200
    for url in read_pages(reported):
        assert client.get(url).status_code == 200, url


def test_a_coordinator_of_another_region_gets_404_for_its_station_alert_and_report(
    client, reported
):
    client.force_login(reported["sheki_coordinator"])
    alert = alert_of(reported)
    assert client.get(election_url(reported, "stations/12-034/")).status_code == 404
    assert client.get(election_url(reported, f"alerts/{alert.pk}/")).status_code == 404
    response = client.post(acknowledge_url(reported, alert), {"note": "Called them."})
    assert response.status_code == 404
    response = client.post(resolve_url(reported), {"question": "A1", "value": "true"})
    assert response.status_code == 404
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None
    report = StationReport.objects.get(
        station=reported["stations"]["12-034"], questionnaire=reported["opening"]
    )
    assert report.resolutions == {}
    # Their own region's station opens.
    assert client.get(election_url(reported, "stations/113-034/")).status_code == 200


def test_a_coordinator_of_another_region_sees_none_of_its_data_on_the_list_pages(client, reported):
    client.force_login(reported["sheki_coordinator"])
    for rest in ("", "alerts/?show=all", "stations/", "results/", "map/"):
        html = client.get(election_url(reported, rest)).content.decode()
        assert "Baku" not in html and "12-034" not in html, rest
    data = client.get(election_url(reported, "map/stations.geojson")).json()
    assert [f["properties"]["code"] for f in data["features"]] == ["113-034"]
    assert sum(data["counts"].values()) == 2


def test_a_station_outside_the_election_is_not_found(client, reported):
    from geo.tests.factories import PollingStationFactory

    elsewhere = PollingStationFactory(constituency=reported["constituencies"][12], number=99)
    client.force_login(reported["administrator"])
    assert client.get(election_url(reported, f"stations/{elsewhere.code}/")).status_code == 404
    assert client.get(election_url(reported, "stations/99-999/")).status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404


def test_an_analyst_watches_but_may_not_handle_alerts_or_settle_conflicts(client, reported):
    client.force_login(reported["analyst"])
    alert = alert_of(reported)
    assert client.post(acknowledge_url(reported, alert), {"note": "x"}).status_code == 403
    assert (
        client.post(resolve_url(reported), {"question": "A1", "value": "true"}).status_code == 403
    )
    page = client.get(election_url(reported, "stations/12-034/")).content.decode()
    assert "Set the station's answer" not in page
    assert (
        "Mark as handled"
        not in client.get(election_url(reported, f"alerts/{alert.pk}/")).content.decode()
    )


def test_unknown_exports_are_not_found(client, reported):
    client.force_login(reported["administrator"])
    assert client.get(election_url(reported, "export/reports.pdf")).status_code == 404
    assert client.get(election_url(reported, "export/passwords.csv")).status_code == 404


# --- What each person sees ------------------------------------------------------------------


def test_the_live_picture_shows_coverage_and_alerts_of_the_coordinators_regions(client, reported):
    client.force_login(reported["baku_coordinator"])
    page = client.get(election_url(reported)).content.decode()
    assert "Coverage by form and region" in page
    assert "Baku" in page and "Shaki-Zagatala" not in page
    assert "2 of 3 stations have reported (66.7%)." in page
    assert "1 alert not handled yet" in page
    assert "Were observers allowed in?" in page
    assert 'hx-trigger="every 5s"' in page

    client.force_login(reported["sheki_coordinator"])
    page = client.get(election_url(reported)).content.decode()
    assert "Shaki-Zagatala" in page and "Baku" not in page
    assert "0 alerts not handled yet" in page
    assert "Were observers allowed in?" not in page


def test_the_national_picture_counts_every_region(client, reported):
    client.force_login(reported["analyst"])
    page = client.get(election_url(reported)).content.decode()
    assert "Baku" in page and "Shaki-Zagatala" in page
    assert "3 of 5 stations have reported (60.0%)." in page


def test_polling_gets_just_the_fragment(client, reported):
    client.force_login(reported["baku_coordinator"])
    for url in [
        election_url(reported),
        election_url(reported, "alerts/"),
        election_url(reported, "stations/"),
        election_url(reported, "results/"),
        election_url(reported, "map/"),
    ]:
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<html" not in html and "Updated at" in html, url
    status = client.get(
        election_url(reported, "stations/12-034/?seen=1"), headers={"HX-Request": "true"}
    ).content.decode()
    assert "New submissions have arrived for this station." in status


def test_a_coordinator_without_regions_is_told_why_the_pages_are_empty(client, reported):
    newcomer = make_staff(Role.COORDINATOR)
    client.force_login(newcomer)
    page = client.get(election_url(reported)).content.decode()
    assert "You have not been given any regions to watch yet" in page
    assert "Baku" not in page
    assert client.get(election_url(reported, "stations/12-034/")).status_code == 404


def test_the_station_list_filters_by_state_region_and_code(client, reported):
    client.force_login(reported["administrator"])
    opening = reported["opening"].pk
    page = client.get(election_url(reported, f"stations/?form={opening}&state=missing"))
    html = page.content.decode()
    assert "13-001" in html and "113-002" in html and "12-035" not in html
    html = client.get(election_url(reported, "stations/?q=113-34")).content.decode()
    assert "113-034" in html and "12-034" not in html
    region = reported["regions"]["baki"].pk
    html = client.get(
        election_url(reported, f"stations/?region={region}&state=conflict")
    ).content.decode()
    assert "12-034" in html and "A1, A2" in html


def test_the_station_list_of_a_coordinator_keeps_to_their_regions(client, reported):
    client.force_login(reported["sheki_coordinator"])
    html = client.get(election_url(reported, "stations/")).content.decode()
    assert "113-034" in html and "12-034" not in html
    baku = reported["regions"]["baki"].pk
    response = client.get(election_url(reported, f"stations/?region={baku}"))
    assert response.status_code == 400
    assert "Choose one of the regions you watch." in response.content.decode()


def test_wrong_filters_say_what_is_wrong(client, reported):
    client.force_login(reported["administrator"])
    response = client.get(election_url(reported, "stations/?state=lost"))
    assert response.status_code == 400
    assert "Choose missing, reported, conflict or alert." in response.content.decode()
    response = client.get(election_url(reported, "results/?form=999999"))
    assert response.status_code == 400
    assert "Choose one of this election&#x27;s forms." in response.content.decode()
    response = client.get(election_url(reported, "map/stations.geojson?form=abc"))
    assert response.status_code == 400
    assert response.json()["errors"]["form"] == ["Choose one of this election's forms."]
    response = client.get(election_url(reported, "export/reports.csv?form=999999"))
    assert response.status_code == 400
    assert "Choose one of this election&#x27;s forms." in response.content.decode()
    response = client.get(election_url(reported, "alerts/?show=everything"))
    assert response.status_code == 400
    assert "Choose which alerts to show." in response.content.decode()


def test_the_station_page_shows_observers_side_by_side(client, reported):
    client.force_login(reported["baku_coordinator"])
    html = client.get(election_url(reported, "stations/12-034/")).content.decode()
    first = reported["observers"]["12-034"]
    assert f"#{first.number} {first.full_name}" in html and "#200 Observer Number200" in html
    assert "Did the station open on time?" in html
    assert "Observers disagree on A1" in html
    assert "Set the station's answer" in html


def test_people_who_may_not_see_observers_see_their_numbers_only(client, reported):
    client.force_login(reported["analyst"])
    html = client.get(election_url(reported, "stations/12-034/")).content.decode()
    first = reported["observers"]["12-034"]
    assert first.full_name not in html and f"Observer #{first.number}" in html


def test_the_results_page_draws_bars_per_question(client, reported):
    client.force_login(reported["administrator"])
    html = client.get(
        election_url(reported, f"results/?form={reported['opening'].pk}")
    ).content.decode()
    assert "Were the ballot boxes sealed?" in html
    assert "<svg" in html and 'class="obs-fill--0"' in html
    assert "style=" not in html  # the Content-Security-Policy allows no inline styles
    assert "1 station in conflict is not counted." in html


def test_the_map_page_works_without_a_tile_server_and_gives_geojson(client, reported, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(reported["baku_coordinator"])
    html = client.get(election_url(reported, "map/")).content.decode()
    assert "geo/azerbaijan" in html and "data-tile-url" not in html
    assert "observation-map.js" in html and "map/stations.geojson" in html
    data = client.get(election_url(reported, "map/stations.geojson")).json()
    assert sorted(f["properties"]["code"] for f in data["features"]) == [
        "12-034",
        "12-035",
        "13-001",
    ]
    url = data["features"][0]["properties"]["url"]
    assert url.startswith(election_url(reported, "stations/"))


def test_the_navigation_links_to_election_day_for_those_who_watch_it(client, reported):
    client.force_login(reported["baku_coordinator"])
    assert f'href="{BASE}"' in client.get("/en/staff/").content.decode()
    client.force_login(reported["lawyer"])
    assert f'href="{BASE}"' not in client.get("/en/staff/").content.decode()


# --- Handling alerts ------------------------------------------------------------------------


def test_a_coordinator_marks_an_alert_as_handled_with_a_note(client, reported):
    coordinator = reported["baku_coordinator"]
    client.force_login(coordinator)
    alert = alert_of(reported)
    response = client.post(acknowledge_url(reported, alert), {"note": "Called the commission."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == coordinator and alert.note == "Called the commission."
    entry = AuditEntry.objects.get(
        content_type__model="alert", object_id=str(alert.pk), action=AuditEntry.Action.UPDATE
    )
    assert entry.actor == coordinator
    html = client.get(election_url(reported)).content.decode()
    assert "0 alerts not handled yet" in html and "Handled" in html


def test_an_alert_needs_a_note_and_is_handled_once(client, reported):
    client.force_login(reported["administrator"])
    alert = alert_of(reported)
    response = client.post(acknowledge_url(reported, alert), {"note": "  "})
    assert response.status_code == 422
    assert "Write what was done about this alert." in response.content.decode()
    client.post(acknowledge_url(reported, alert), {"note": "Done."})
    response = client.post(acknowledge_url(reported, alert), {"note": "Again."})
    assert response.status_code == 422
    assert "This alert has already been handled." in response.content.decode()
    alert.refresh_from_db()
    assert alert.note == "Done."


def test_the_alert_list_filters_handled_and_open_alerts(client, reported):
    send(reported["observers"]["113-034"], reported["opening"], {"A1": "yes", "A2": "no"})
    client.force_login(reported["administrator"])
    client.post(acknowledge_url(reported, alert_of(reported)), {"note": "Done."})
    open_alerts = client.get(election_url(reported, "alerts/")).content.decode()
    assert "113-034" in open_alerts and ">12-034<" not in open_alerts
    handled = client.get(election_url(reported, "alerts/?show=handled")).content.decode()
    assert ">12-034<" in handled and "113-034" not in handled


# --- Settling disagreements -----------------------------------------------------------------


def report_12_034(day) -> StationReport:
    return StationReport.objects.get(
        station=day["stations"]["12-034"], questionnaire=day["opening"]
    )


def test_a_coordinator_settles_a_disagreement_and_it_is_audited(client, reported):
    coordinator = reported["baku_coordinator"]
    client.force_login(coordinator)
    response = client.post(resolve_url(reported), {"question": "A1", "value": "false"})
    assert response.status_code == 302
    assert response["Location"].endswith("/stations/12-034/#form-OP")
    report = report_12_034(reported)
    assert report.resolutions == {"A1": False} and report.answers["A1"] is False
    assert sorted(report.conflicts) == ["A2"]
    entry = AuditEntry.objects.get(
        content_type__model="stationreport",
        object_id=str(report.pk),
        action=AuditEntry.Action.UPDATE,
    )
    assert entry.actor == coordinator and entry.changes["chosen"] is False
    html = client.get(response["Location"]).content.decode()
    assert "The station&#x27;s answer to A1 was set" in html
    assert "chosen by a coordinator" in html


def test_settling_takes_only_a_value_an_observer_sent_for_a_disputed_question(client, reported):
    client.force_login(reported["administrator"])
    response = client.post(
        resolve_url(reported), {"question": "A1", "value": '"maybe"'}, follow=True
    )
    assert "Choose one of the answers the observers sent." in response.content.decode()
    response = client.post(resolve_url(reported), {"question": "A3", "value": "7"}, follow=True)
    assert "Observers do not disagree on question A3" in response.content.decode()
    response = client.post(resolve_url(reported), {"question": "A1"}, follow=True)
    assert "Choose the answer that stands for the station." in response.content.decode()
    assert report_12_034(reported).resolutions == {}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_settling_a_station_without_a_report_is_not_found(client, reported):
    client.force_login(reported["administrator"])
    response = client.post(resolve_url(reported, "13-001"), {"question": "A1", "value": "true"})
    assert response.status_code == 404


def test_the_station_page_says_whether_the_station_is_in_a_quick_count_sample(client, reported):
    from elections.models import Contest
    from quickcount.models import SampleDesign, SampleStation

    client.force_login(reported["analyst"])
    url = election_url(reported, "stations/12-034/")
    assert "Not in a quick-count sample" in client.get(url).content.decode()

    election = reported["election"]
    contest = Contest.objects.create(election=election, kind=Contest.Kind.NATIONAL, name_az="P")
    design = SampleDesign.objects.create(
        election=election,
        contest=contest,
        name="National sample",
        sample_size=2,
        status=SampleDesign.Status.DRAWN,
    )
    SampleStation.objects.create(design=design, station=reported["stations"]["12-034"], stratum="x")
    page = client.get(url).content.decode()
    assert "In the sample" in page
    assert "National sample" in page
