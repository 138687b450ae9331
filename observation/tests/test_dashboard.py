"""The coordinators' queries: coverage per form and region, stations by state, a station's
picture, per-question results, the map's points and the alerts feed, each for the regions a
person watches."""

import pytest

from observation import dashboard
from observation.dashboard import StationState, Tally, tally_answers
from observation.services import derive_station_reports
from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)
from observation.tests.dashboard_fixtures import send

pytestmark = pytest.mark.django_db


def ids(*regions) -> set[int]:
    return {region.pk for region in regions}


def by_region(form_coverage) -> dict[str, tuple]:
    return {
        row.region.code: (row.stations, row.reported, row.conflict, row.missing, row.alerts)
        for row in form_coverage.rows
    }


def test_coverage_counts_each_form_per_region_for_the_whole_country(reported):
    opening, closing = dashboard.coverage(reported["election"], region_ids=None)

    assert opening.questionnaire == reported["opening"]
    # (taking part, reported, conflict, missing, with alerts)
    assert by_region(opening) == {"baki": (3, 1, 1, 1, 1), "seki-zaqatala": (2, 1, 0, 1, 0)}
    total = opening.total
    assert (total.stations, total.reported, total.conflict, total.missing) == (5, 2, 1, 2)
    assert (total.received, total.received_percent, total.missing_percent) == (3, 60.0, 40.0)
    assert by_region(closing) == {"baki": (3, 1, 0, 2, 0), "seki-zaqatala": (2, 0, 0, 2, 0)}


def test_a_coordinator_counts_only_their_regions(reported):
    regions = reported["regions"]
    (opening, _closing) = dashboard.coverage(reported["election"], region_ids=ids(regions["baki"]))
    assert by_region(opening) == {"baki": (3, 1, 1, 1, 1)}
    assert opening.total.stations == 3

    assert [c.rows for c in dashboard.coverage(reported["election"], region_ids=set())] == [[], []]


def test_coverage_takes_a_few_queries_whatever_the_number_of_stations(
    reported, django_assert_max_num_queries
):
    forms = dashboard.election_forms(reported["election"])
    with django_assert_max_num_queries(4):
        dashboard.coverage(reported["election"], region_ids=None, forms=forms)
    # Nothing changed since: the counts come from the cache.
    with django_assert_max_num_queries(2):
        dashboard.coverage(reported["election"], region_ids=None, forms=forms)


def test_cached_counts_follow_every_change_to_the_reports(reported):
    election, regions = reported["election"], reported["regions"]
    before = by_region(dashboard.coverage(election, region_ids=None)[0])
    assert before["baki"] == (3, 1, 1, 1, 1)
    send(reported["observers"]["13-001"], reported["opening"], {"A1": "yes"})
    derive_station_reports()
    assert by_region(dashboard.coverage(election, region_ids=None)[0])["baki"] == (3, 2, 1, 0, 1)
    # A coordinator settling the disagreement changes the counts too.
    from observation.models import StationReport
    from observation.services import resolve_conflict

    report = StationReport.objects.get(
        station=reported["stations"]["12-034"], questionnaire=reported["opening"]
    )
    report = resolve_conflict(report, "A1", True, actor=reported["administrator"])
    report = resolve_conflict(report, "A2", False, actor=reported["administrator"])
    baku = dashboard.coverage(election, region_ids={regions["baki"].pk})[0]
    assert by_region(baku) == {"baki": (3, 3, 0, 0, 1)}


def test_draft_forms_are_not_watched_and_incident_forms_expect_no_station(reported):
    opening = reported["opening"]
    opening.status = "draft"
    opening.save()
    assert dashboard.election_forms(reported["election"]) == [reported["closing"]]
    reported["closing"].kind = "incident"
    assert not dashboard.expects_every_station(reported["closing"])


@pytest.mark.parametrize(
    ("state", "codes"),
    [
        (None, ["12-034", "12-035", "13-001", "113-002", "113-034"]),
        (StationState.MISSING, ["13-001", "113-002"]),
        (StationState.REPORTED, ["12-035", "113-034"]),
        (StationState.CONFLICT, ["12-034"]),
        (StationState.ALERT, ["12-034"]),
    ],
)
def test_the_station_list_filters_by_state(reported, state, codes):
    stations = dashboard.stations_with_state(
        reported["election"], reported["opening"], region_ids=None, state=state
    )
    assert sorted(s.code for s in stations) == sorted(codes)


def test_the_station_list_filters_by_region_and_code_and_keeps_to_the_watched_regions(reported):
    regions, election, opening = reported["regions"], reported["election"], reported["opening"]
    in_sheki = dashboard.stations_with_state(
        election, opening, region_ids=None, region=regions["seki-zaqatala"]
    )
    assert sorted(s.code for s in in_sheki) == ["113-002", "113-034"]
    found = dashboard.stations_with_state(election, opening, region_ids=None, query="12-35")
    assert [s.code for s in found] == ["12-035"]
    baku_only = dashboard.stations_with_state(
        election, opening, region_ids=ids(regions["baki"]), query="113"
    )
    assert list(baku_only) == []


def test_each_listed_station_carries_its_report(reported):
    stations = {
        s.code: s
        for s in dashboard.stations_with_state(
            reported["election"], reported["opening"], region_ids=None
        )
    }
    assert dashboard.station_state(stations["12-034"]) == StationState.ALERT
    assert sorted(stations["12-034"].report_conflicts) == ["A1", "A2"]
    assert stations["12-034"].report_observers == 2
    assert dashboard.station_state(stations["12-035"]) == StationState.REPORTED
    assert dashboard.station_state(stations["13-001"]) == StationState.MISSING
    assert stations["13-001"].report_submissions is None


def test_the_station_picture_puts_observers_side_by_side_with_the_derived_answer(reported):
    station = reported["stations"]["12-034"]
    opening, closing = dashboard.station_picture(reported["election"], station)

    assert [c.observer for c in opening.columns] == [
        reported["observers"]["12-034"],
        reported["second"],
    ]
    rows = {row.code: row for row in opening.rows}
    assert [row.code for row in opening.rows] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert rows["A1"].values == ["Yes", "No"]
    assert rows["A1"].state == "conflict" and rows["A1"].may_be_resolved
    assert rows["A1"].candidates == [("false", "No"), ("true", "Yes")]
    assert (rows["A3"].state, rows["A3"].derived) == ("agreed", "7")
    assert rows["A4"].derived == "Sealed"
    assert rows["A5"].derived == "Ink"
    assert rows["A6"].values == ["All fine", ""] and rows["A6"].state == "agreed"
    assert [row.code for row in opening.conflicts] == ["A1", "A2"]
    assert closing.report is None and closing.columns == []


def test_the_station_picture_counts_replaced_submissions_and_shows_resolutions(reported):
    station = reported["stations"]["12-034"]
    send(reported["second"], reported["opening"], {"A1": "no", "A2": "yes"})
    derive_station_reports()
    from observation.models import StationReport
    from observation.services import resolve_conflict

    report = StationReport.objects.get(station=station, questionnaire=reported["opening"])
    resolve_conflict(report, "A1", True, actor=reported["administrator"])
    opening = dashboard.station_picture(reported["election"], station)[0]
    assert [c.earlier for c in opening.columns] == [0, 1]
    rows = {row.code: row for row in opening.rows}
    assert (rows["A1"].state, rows["A1"].derived) == ("resolved", "Yes")
    assert rows["A1"].may_be_resolved  # a coordinator may change their mind
    assert rows["A2"].state == "agreed"


def test_tally_answers_counts_options_and_sums_numbers_per_region():
    asked = [
        {"code": "Q1", "type": "yes_no"},
        {"code": "Q2", "type": "number"},
        {"code": "Q3", "type": "multiple"},
    ]
    rows = [
        (1, {"Q1": True, "Q2": 10, "Q3": ["a", "b"]}, {}),
        (1, {"Q1": False, "Q2": 4}, {}),
        (2, {"Q1": True}, {"Q2": {"5": 1, "6": 2}}),
    ]
    tallies = tally_answers(asked, rows)
    assert tallies["Q1"][1].counts == {"yes": 1, "no": 1}
    assert tallies["Q1"][None].counts == {"yes": 2, "no": 1}
    assert (tallies["Q2"][1].total, tallies["Q2"][1].average) == (14, 7.0)
    assert (tallies["Q2"][None].minimum, tallies["Q2"][None].maximum) == (4, 10)
    assert tallies["Q2"][None].conflicts == 1 and tallies["Q2"][2].answered == 0
    assert tallies["Q3"][None].counts == {"a": 1, "b": 1}
    assert Tally().average is None


def test_question_results_by_region_with_shares_for_the_bars(reported):
    regions = reported["regions"]
    results = {
        r.code: r
        for r in dashboard.question_results(
            reported["election"], reported["opening"], region_ids=None
        )
    }
    assert list(results) == ["A1", "A2", "A3", "A4", "A5"]  # the text question is not counted
    a1 = results["A1"]
    assert a1.total.tally.answered == 2 and a1.total.tally.conflicts == 1
    assert [(s.label, s.count, s.percent, s.offset) for s in a1.total.shares] == [
        ("Yes", 1, 50.0, 0.0),
        ("No", 1, 50.0, 50.0),
    ]
    assert [row.region for row in a1.regions] == [regions["baki"], regions["seki-zaqatala"]]
    a3 = results["A3"]
    assert (a3.total.tally.total, a3.total.tally.average) == (23, 7.7)
    assert a3.total.bar_percent == 100.0 or max(r.bar_percent for r in a3.regions) == 100.0
    a5 = results["A5"]
    assert [(s.value, s.count) for s in a5.total.shares] == [
        ("ink", 2),
        ("lists", 1),
        ("booths", 0),
    ]

    baku_only = dashboard.question_results(
        reported["election"], reported["opening"], region_ids=ids(regions["baki"])
    )
    assert [row.region for row in baku_only[0].regions] == [regions["baki"]]


def test_map_features_are_geojson_points_with_their_state(reported):
    data = dashboard.map_features(
        reported["election"], reported["opening"], region_ids=None, url_of=lambda code: f"/{code}/"
    )
    assert data["type"] == "FeatureCollection"
    points = {f["properties"]["code"]: f for f in data["features"]}
    # The geo test stations: 113-002 has no coordinates.
    assert sorted(points) == ["113-034", "12-034", "12-035", "13-001"]
    assert points["13-001"]["geometry"] == {"type": "Point", "coordinates": [49.836, 40.345]}
    assert points["12-034"]["properties"]["state"] == "alert"
    assert points["13-001"]["properties"]["state"] == "missing"
    assert points["12-035"]["properties"]["url"] == "/12-035/"
    assert data["counts"] == {"missing": 2, "reported": 2, "conflict": 0, "alert": 1}
    assert data["without_position"] == 1

    sheki = dashboard.map_features(
        reported["election"],
        reported["opening"],
        region_ids=ids(reported["regions"]["seki-zaqatala"]),
    )
    assert [f["properties"]["code"] for f in sheki["features"]] == ["113-034"]


def test_the_alert_feed_is_newest_first_and_kept_to_the_watched_regions(reported):
    observer = reported["observers"]["113-034"]
    send(observer, reported["opening"], {"A1": "yes", "A2": "no"})
    regions, election = reported["regions"], reported["election"]

    everything = list(dashboard.alert_feed(election, region_ids=None))
    assert [a.station.code for a in everything] == ["113-034", "12-034"]
    baku = dashboard.alert_feed(election, region_ids=ids(regions["baki"]))
    assert [a.station.code for a in baku] == ["12-034"]
    assert list(dashboard.alert_feed(election, region_ids=None, handled=True)) == []

    described = dashboard.describe_alerts(baku)
    assert described[0].question_text == "Were observers allowed in?"
    assert described[0].value_text == "No"


def test_display_value_reads_answers_in_the_active_language():
    question = {
        "type": "single",
        "options": [{"value": "a", "label": {"az": "Bəli", "en": "Apple"}}],
    }
    assert dashboard.display_value(question, "a") == "Apple"
    assert dashboard.display_value({"type": "yes_no"}, False) == "No"
    assert dashboard.display_value(None, None) == ""
    assert dashboard.display_value({"type": "photo"}, "ab" * 16) == "Photo"
