"""Official results against observers' protocol copies: hand-made cases."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from results import comparison
from results.models import OfficialResultImport, Protocol
from results.official import import_official_results

pytestmark = pytest.mark.django_db

HEADER = "station,registered,issued,cast,invalid,valid,1,2,3"


def official_csv(rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("cec.csv", ("\n".join([HEADER, *rows]) + "\n").encode())


def import_rows(election, contest, rows, actor=None):
    return import_official_results(
        election=election,
        contest=contest,
        layout=OfficialResultImport.Layout.MAPPED,
        uploaded_file=official_csv(rows),
        mapping={f: f for f in ("station", "registered", "issued", "cast", "invalid", "valid")},
        options=["1", "2", "3"],
        name="CEC",
        actor=actor,
    )


def protocol(election, contest, station, votes, *, status="accepted", minutes=0, **lines):
    numbers = {"registered": 1245, "issued": 800, "cast": 790, "invalid": 10, "valid": 780}
    numbers.update(lines)
    return Protocol.objects.create(
        election=election,
        contest=contest,
        station=station,
        source=Protocol.Source.OBSERVER,
        status=status,
        votes={str(k): v for k, v in votes.items()},
        received_at=timezone.now() - timedelta(minutes=minutes),
        **numbers,
    )


def test_identical_copies_do_not_differ(election, contest, stations):
    import_rows(election, contest, ["12-034,1245,800,790,10,780,500,200,80"])
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200, 3: 80})
    result = comparison.compare_contest(contest)
    assert result.compared == 1 and result.identical == 1 and result.differing == []
    station = result.stations[0]
    assert not station.differs and station.favoured is None
    assert all(d.difference == 0 for d in station.lines + station.options)


def test_differences_per_line_and_option_and_in_whose_favour(election, contest, stations):
    # Official: 150 more for candidate 1, 50 fewer for candidate 2, 100 more ballots issued.
    import_rows(
        election,
        contest,
        ["12-034,1245,900,890,10,880,650,150,80", "12-035,980,500,490,10,480,300,100,80"],
    )
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200, 3: 80})
    protocol(
        election,
        contest,
        stations["12-035"],
        {1: 300, 2: 100, 3: 80},
        registered=980,
        issued=500,
        cast=490,
        valid=480,
    )
    result = comparison.compare_contest(contest)
    assert result.compared == 2 and result.identical == 1 and len(result.differing) == 1
    station = result.differing[0]
    assert station.station_code == "12-034"
    lines = {d.key: d.difference for d in station.lines}
    assert lines == {"registered": 0, "issued": 100, "cast": 100, "invalid": 0, "valid": 100}
    assert [d.difference for d in station.options] == [150, -50, 0]
    assert station.favoured.key == "1" and station.favoured.difference == 150
    assert station.total_difference == 100 + 100 + 100 + 150 + 50
    net = {option.ballot_number: value for option, value in result.net_gain()}
    assert net == {1: 150, 2: -50, 3: 0}
    assert {o.ballot_number: n for o, n in result.favoured_counts()} == {1: 1, 2: 0, 3: 0}
    assert result.ordered()[0] is station
    assert station.region_name == "Baku"  # the English name: tests run in English


def test_only_the_latest_accepted_copy_counts(election, contest, stations):
    import_rows(election, contest, ["12-034,1245,800,790,10,780,500,200,80"])
    protocol(election, contest, stations["12-034"], {1: 400, 2: 300, 3: 80}, minutes=30)
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200, 3: 80}, minutes=10)
    protocol(election, contest, stations["12-034"], {1: 1, 2: 1, 3: 1}, status="quarantined")
    result = comparison.compare_contest(contest)
    assert result.compared == 1 and result.identical == 1


def test_stations_without_both_sides_are_not_compared(election, contest, stations):
    import_rows(
        election, contest, ["12-034,1245,800,790,10,780,500,200,80", "77-001,1,1,1,0,1,1,0,0"]
    )
    protocol(election, contest, stations["12-035"], {1: 1})
    result = comparison.compare_contest(contest)
    assert result.compared == 0
    assert result.official_stations == 1 and result.observed_stations == 1


def test_missing_counts_are_no_difference(election, contest, stations):
    import_rows(election, contest, ["12-034,1245,800,790,10,780,500,200,80"])
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200}, issued=None)
    station = comparison.compare_contest(contest).stations[0]
    assert not station.differs
    assert {d.key: d.difference for d in station.options}["3"] is None


def test_regions_limit_the_stations(election, contest, stations, regions):
    import_rows(
        election,
        contest,
        ["12-034,1245,800,790,10,780,500,200,80", "113-034,700,400,390,0,390,390,0,0"],
    )
    protocol(election, contest, stations["12-034"], {1: 400, 2: 300, 3: 80})
    protocol(
        election, contest, stations["113-034"], {1: 300, 2: 90, 3: 0}, registered=700, issued=400,
        cast=390, invalid=0, valid=390,
    )  # fmt: skip
    assert comparison.compare_contest(contest).compared == 2
    shaki = comparison.compare_contest(contest, region_ids={regions["seki-zaqatala"].pk})
    assert [s.station_code for s in shaki.stations] == ["113-034"]


def test_no_import_means_nothing_to_compare(contest):
    result = comparison.compare_contest(contest)
    assert result.result_import is None and result.compared == 0


def test_the_csv_lists_differing_stations_first(election, contest, stations):
    import_rows(
        election,
        contest,
        ["12-034,1245,800,790,10,780,500,200,80", "12-035,980,500,490,10,480,380,20,80"],
    )
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200, 3: 80})
    protocol(
        election, contest, stations["12-035"], {1: 300, 2: 100, 3: 80}, registered=980,
        issued=500, cast=490, valid=480,
    )  # fmt: skip
    text = comparison.comparison_csv(comparison.compare_contest(contest))
    lines = text.strip().splitlines()
    assert lines[0].startswith("Station,Region,Differs,In favour of,By")
    assert lines[1].startswith("12-035,") and ",80," in lines[1]
    assert lines[2].startswith("12-034,")


def test_the_comparison_takes_few_queries(election, contest, stations):
    rows = [f"{code},1000,500,490,10,480,300,100,80" for code in stations]
    import_rows(election, contest, rows)
    for station in stations.values():
        protocol(election, contest, station, {1: 300, 2: 100, 3: 80})
    with CaptureQueriesContext(connection) as queries:
        result = comparison.compare_contest(contest)
    assert result.compared == len(stations)
    assert len(queries) <= 7
