"""The synthetic demo geography."""

from decimal import Decimal

import pytest

from audit.models import AuditEntry
from geo.demo import DISTRICTS, REGIONS, _outline, build_demo_geography, inside
from geo.importing import AZERBAIJAN_BOUNDS
from geo.models import Constituency, District, PollingStation, Region

pytestmark = pytest.mark.django_db


def test_it_builds_the_14_economic_regions_and_125_constituencies():
    summary = build_demo_geography(stations=300)
    assert summary["regions"] == Region.objects.count() == 14
    assert summary["constituencies"] == Constituency.objects.count() == 125
    assert sorted(Constituency.objects.values_list("number", flat=True)) == list(range(1, 126))
    assert summary["stations"] == PollingStation.objects.count() == 300
    assert District.objects.count() == len(DISTRICTS)
    assert Region.objects.get(code="seki-zaqatala").name_en == "Shaki-Zagatala"
    assert summary["synthetic"] is True


def test_baku_gets_many_constituencies():
    build_demo_geography(stations=200)
    in_baku = Constituency.objects.filter(district__region__code="baki").count()
    assert in_baku >= 20
    assert in_baku == max(
        Constituency.objects.filter(district__region__code=code).count() for code, *_ in REGIONS
    )


def test_every_station_is_inside_the_country_with_plausible_voters():
    build_demo_geography(stations=600)
    rings = _outline()
    voters = []
    for station in PollingStation.objects.all():
        assert AZERBAIJAN_BOUNDS.contains(station.latitude, station.longitude)
        assert inside(rings, float(station.longitude), float(station.latitude)), station.code
        voters.append(station.registered_voters)
    typical = [v for v in voters if 300 <= v <= 1500]
    assert len(typical) >= 0.85 * len(voters)
    assert min(voters) < 300  # a few small ones (hospitals, hamlets)
    assert max(voters) <= 1500


def test_stations_are_clearly_marked_as_synthetic():
    build_demo_geography(stations=50)
    station = PollingStation.objects.first()
    assert "sintetik" in station.name_az
    assert "synthetic" in station.name_en
    assert "синтетический" in station.name_ru
    assert station.search_text  # searchable like imported stations


def test_running_it_again_changes_nothing():
    first = build_demo_geography(stations=250, seed=7)
    snapshot = list(PollingStation.objects.order_by("code").values())
    audits = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count()
    second = build_demo_geography(stations=250, seed=7)
    assert list(PollingStation.objects.order_by("code").values()) == snapshot
    assert second["stations_created"] == second["stations_updated"] == 0
    assert first["stations_created"] == 250
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == audits


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    build_demo_geography(stations=100, seed=1)
    one = list(PollingStation.objects.order_by("code").values_list("address", "latitude"))
    build_demo_geography(stations=100, seed=2)
    two = list(PollingStation.objects.order_by("code").values_list("address", "latitude"))
    assert one != two
    build_demo_geography(stations=100, seed=1)
    assert list(PollingStation.objects.order_by("code").values_list("address", "latitude")) == one


def test_a_smaller_build_removes_the_demo_stations_it_no_longer_has():
    build_demo_geography(stations=300)
    summary = build_demo_geography(stations=200)
    assert summary["stations_removed"] == 100
    assert PollingStation.objects.count() == 200


def test_the_build_is_recorded_once_in_the_audit_log():
    build_demo_geography(stations=20)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.changes["stations"] == 20
    assert entry.changes["synthetic"] is True


def test_demo_stations_can_be_found_by_district_spellings():
    build_demo_geography(stations=400)
    sheki = PollingStation.objects.search("Sheki")
    assert sheki.exists()
    assert all(s.constituency.district.code == "seki" for s in sheki.with_places())


def test_the_full_national_build_writes_in_bulk(django_assert_max_num_queries):
    # Speed is measured by benchmarks, not timed tests; a bounded query count keeps the
    # national build from degrading into one query per station.
    with django_assert_max_num_queries(150):
        summary = build_demo_geography()
    assert summary["stations"] == 6500
    total = summary["registered_voters"]
    assert 4_000_000 < total < 8_000_000
    assert PollingStation.objects.filter(latitude__lt=Decimal("39.5")).exists()
