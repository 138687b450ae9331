import random

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from electionstats import quickcount as qc
from electionstats import sampling
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from quickcount import services
from quickcount.models import EstimateSnapshot, SampleDesign, SampleStation
from quickcount.tests.conftest import numbers_for, report
from results.models import OfficialResultImport
from results.services import save_protocol

pytestmark = pytest.mark.django_db


def _stations(design):
    return sorted(design.stations.values_list("station__code", "stratum", "reserve_rank"))


def test_same_seed_and_frame_draw_the_same_stations(design, analyst):
    services.draw_sample(design, actor=analyst, seed=12345)
    first = _stations(design)
    services.reset_sample(design, actor=analyst, reason="audit check")
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAFT and design.seed is None
    services.draw_sample(design, actor=analyst, seed=12345)
    assert _stations(design) == first
    services.reset_sample(design, actor=analyst, reason="another seed")
    services.draw_sample(design, actor=analyst, seed=999)
    assert _stations(design) != first


def test_draw_records_seed_sample_and_reserves(design, analyst):
    services.draw_sample(design, actor=analyst)
    design.refresh_from_db()
    assert design.status == SampleDesign.Status.DRAWN
    assert design.seed is not None and design.drawn_by == analyst
    assert design.stations.filter(reserve_rank=0).count() == 30
    # two regions, two reserve stations each, ranked 1 and 2
    reserves = design.stations.filter(reserve_rank__gt=0)
    assert reserves.count() == 4
    assert sorted(set(reserves.values_list("reserve_rank", flat=True))) == [1, 2]
    assert set(design.stations.values_list("stratum", flat=True)) == {"baki", "seki-zaqatala"}
    assert AuditEntry.objects.filter(
        content_type__model="sampledesign", object_id=str(design.pk), changes__seed=design.seed
    ).exists()


def test_draw_matches_electionstats_on_the_frame(design, analyst):
    services.draw_sample(design, actor=analyst, seed=7)
    frame = services.build_frame(design)
    expected = sampling.draw_stratified_sample(frame.strata, 30, 7, reserve=2)
    ids = set(frame.station_ids[expected.stations].tolist())
    assert ids == set(design.stations.filter(reserve_rank=0).values_list("station_id", flat=True))


def test_a_drawn_sample_is_not_redrawn_silently(design, analyst):
    services.draw_sample(design, actor=analyst, seed=1)
    with pytest.raises(ValidationError):
        services.draw_sample(design, actor=analyst, seed=2)
    with pytest.raises(ValidationError):
        services.reset_sample(design, actor=analyst, reason="   ")
    assert design.stations.count() == 34


def test_region_size_strata_split_each_region_at_its_median(design):
    frame = services.build_frame(
        election=design.election, contest=design.contest, stratify_by="region_size"
    )
    assert {s.split(":")[1] for s in frame.strata} == {"large", "small"}
    assert "larger stations" in frame.stratum_names["baki:large"]["en"]


def test_recommended_sample_size_uses_electionstats():
    expected = sampling.sample_size(0.015, 0.95, population=6500)
    got = services.recommended_sample_size(
        margin_points=1.5, confidence_percent=95, population=6500
    )
    assert got.n == expected.n
    with pytest.raises(ValidationError):
        services.recommended_sample_size(margin_points=0, confidence_percent=95)


def test_design_create_rejects_a_sample_larger_than_the_frame(
    analyst, election, contest, frame_stations
):
    with pytest.raises(ValidationError) as error:
        services.design_create(
            actor=analyst, election=election, contest=contest, name="Too big", sample_size=1000
        )
    assert "sample_size" in error.value.message_dict
    assert not SampleDesign.objects.exists()


def test_estimate_equals_electionstats_on_the_same_numbers(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    protocols = report(design)
    quick = services.estimates(design)
    assert quick.result.n_reported == 30 == quick.expected
    frame = services.build_frame(design)
    index = frame.index()
    reports = qc.Reports(
        station=[index[p.station_id] for p in protocols],
        registered=[p.registered for p in protocols],
        issued=[p.issued for p in protocols],
        invalid=[p.invalid for p in protocols],
        votes=[[p.votes[k] for k in ("1", "2", "3")] for p in protocols],
        options=["option:1", "option:2", "option:3"],
        valid=[p.valid for p in protocols],
    )
    expected = qc.estimate(frame.qc_frame(), reports, min_reports=design.min_reports)
    for quantity in expected.quantities:
        assert quick.result.overall[quantity].estimate == pytest.approx(
            expected.overall[quantity].estimate
        )
        assert quick.result.overall[quantity].margin95 == pytest.approx(
            expected.overall[quantity].margin95
        )
    assert set(quick.result.by_group) == {"baki", "seki-zaqatala"}
    assert quick.labels["option:1"]["en"] == "Candidate A"


def test_only_the_latest_accepted_protocol_of_sample_stations_counts(design, analyst, contest):
    services.draw_sample(design, actor=analyst, seed=3)
    report(design, 12, seed=1)
    report(design, 12, seed=2)  # a later copy of the same stations replaces the first
    reserve = design.stations.filter(reserve_rank=1).select_related("station").first()
    save_protocol(
        election=design.election,
        contest=contest,
        station=reserve.station,
        source="observer",
        numbers=numbers_for(reserve.station, random.Random(1)),
    )
    quick = services.estimates(design)
    assert quick.result.n_reported == 12


def test_few_reports_give_a_warning_and_a_margin_that_is_not_zero(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    report(design, 3)
    quick = services.estimates(design)
    codes = {flag.code for flag in quick.result.warnings}
    assert qc.FEW_REPORTS in codes
    for e in quick.result.overall.values():
        assert e.margin95 > 0
    assert "Too few" in services.warning_text(qc.FEW_REPORTS)


def test_no_reports_no_estimate(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    quick = services.estimates(design)
    assert quick.result.n_reported == 0
    assert any(f.code == qc.NO_REPORTS for f in quick.result.warnings)


def _official(design, shares: dict[str, float], turnout: float) -> OfficialResultImport:
    options = {o.ballot_number: o.pk for o in design.contest.options.all()}
    names = ["A", "B", "C"]
    return OfficialResultImport.objects.create(
        election=design.election,
        contest=design.contest,
        name="CEC file",
        layout="mapped",
        original_name="cec.csv",
        option_names=names,
        option_map={str(i): options[i + 1] for i in range(3)},
        totals={
            "turnout": turnout,
            "invalid_share": 0.006,
            "shares": {name: shares[name] for name in names},
        },
    )


def test_comparison_inside_and_outside_the_margin(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    report(design)
    quick = services.estimates(design)
    a = quick.result.overall["option:1"]
    _official(
        design,
        {"A": a.estimate, "B": a.high99 + 0.2 if a.high99 < 0.8 else 0.99, "C": 0.0},
        turnout=quick.result.overall["turnout"].estimate,
    )
    rows = {row["quantity"]: row for row in services.compare_with_official(design)}
    assert rows["option:1"]["inside95"] is True and rows["option:1"]["inside99"] is True
    assert rows["turnout"]["inside95"] is True
    assert rows["option:2"]["inside95"] is False and rows["option:2"]["inside99"] is False
    assert rows["option:1"]["label"] == "Candidate A"


def test_no_official_import_no_comparison(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    assert services.compare_with_official(design) == []


def test_snapshot_shape_and_publication(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    report(design)
    _official(design, {"A": 0.5, "B": 0.3, "C": 0.2}, turnout=0.55)
    snapshot = services.take_snapshot(design, actor=analyst)
    result = snapshot.result
    for key in ("quantities", "overall", "by_stratum", "by_group", "warnings", "n_reported"):
        assert key in result
    assert result["quantities"][:2] == ["turnout", "invalid"]
    assert set(result["labels"]["option:1"]) == {"az", "en", "ru"}
    assert result["labels"]["turnout"]["en"] == "Turnout"
    official = result["official"]
    assert {row["quantity"] for row in official} == {
        "turnout",
        "invalid",
        "option:1",
        "option:2",
        "option:3",
    }
    assert set(official[0]) == {
        "quantity",
        "label",
        "official",
        "estimate",
        "low95",
        "high95",
        "low99",
        "high99",
        "inside95",
        "inside99",
    }
    assert snapshot.n_reported == 30 and not snapshot.is_published
    services.publish_snapshot(snapshot, actor=analyst)
    snapshot.refresh_from_db()
    assert snapshot.is_published and snapshot.published_by == analyst
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PUBLISH, object_id=str(snapshot.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.publish_snapshot(snapshot, actor=analyst)
    # published estimates lock the sample
    with pytest.raises(ValidationError):
        services.reset_sample(design, actor=analyst, reason="oops")
    assert EstimateSnapshot.objects.count() == 1


def test_convergence_in_arrival_order(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    report(design)
    series = services.convergence(design, batch_size=10)
    assert series.n_reported.tolist() == [10, 20, 30]
    quick = services.estimates(design)
    assert np.allclose(series.estimate[-1, 2], quick.result.overall["option:1"].estimate)


def test_observers_at_sample_stations_and_assignment(design, analyst, regions):
    services.draw_sample(design, actor=analyst, seed=3)
    item = design.stations.filter(reserve_rank=0).select_related("station").first()
    observer = ObserverFactory(election=design.election, region=regions["baki"], accredited=True)
    rows = services.sample_station_rows(design)
    before = services.coverage_counts(rows)
    assert before["sample"] == 30
    services.assign_observer(actor=analyst, design=design, sample_station=item, observer=observer)
    observer.refresh_from_db()
    assert observer.station_id == item.station_id
    after = services.coverage_counts(services.sample_station_rows(design))
    assert after["covered"] == before["covered"] + 1
    stranger = ObserverFactory(region=regions["baki"], accredited=True)
    with pytest.raises(ValidationError):
        services.assign_observer(
            actor=analyst, design=design, sample_station=item, observer=stranger
        )
    applied = ObserverFactory(election=design.election, region=regions["baki"])
    with pytest.raises(ValidationError):
        services.assign_observer(
            actor=analyst, design=design, sample_station=item, observer=applied
        )
    assert Observer.objects.get(pk=applied.pk).station_id is None


def test_sample_csv_lists_the_stations_and_is_audited(design, analyst):
    services.draw_sample(design, actor=analyst, seed=3)
    text = services.sample_csv(design, actor=analyst)
    lines = text.strip().splitlines()
    assert lines[0].startswith("station_code,")
    assert len(lines) == 1 + SampleStation.objects.filter(design=design).count()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(design.pk)
    ).exists()
