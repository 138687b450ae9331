"""The demo quick count: for the demo presidential election, a sample stratified by region of
the calculator's size for ±1.5 points, drawn from a fixed seed; observers' protocols from about
85% of the sample stations (the demo's true counts, results.demo_truth) arriving over two hours
of election night; estimates saved at a few moments, the last one published.

Idempotent: a second run finds the design by name and changes nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from elections.demo import PRESIDENTIAL
from elections.models import Contest, Election
from electionstats.quickcount import estimate
from observers.models import BADGE_STATUSES, Observer
from quickcount import services
from quickcount.models import SampleDesign
from results.demo_truth import true_counts
from results.models import Protocol
from results.services import save_protocol

DESIGN_NAME = "Demo quick count: national, by region (±1.5 points)"
DRAW_SEED = 20280409
REPORTING_SHARE = 0.85
SNAPSHOT_SHARES = (0.1, 0.35, 0.7, 1.0)


def build_demo_quickcount(*, actor=None, seed: int = 2026) -> dict:
    election = Election.objects.filter(name_en=PRESIDENTIAL["name_en"]).first()
    if election is None:
        return {"note": "no demo presidential election: run the elections demo first"}
    contest = (
        Contest.objects.filter(election=election, constituency__isnull=True)
        .order_by("round", "pk")
        .first()
    )
    if contest is None or not contest.options.exists():
        return {"note": "the demo presidential election has no national contest with candidates"}
    design = SampleDesign.objects.filter(election=election, name=DESIGN_NAME).first()
    if design is not None and design.status == SampleDesign.Status.DRAWN:
        return {
            "note": "demo quick count already built",
            "design": design.pk,
            "sample": design.stations.filter(reserve_rank=0).count(),
            "snapshots": design.snapshots.count(),
        }
    frame_size = services.frame_stations(election, contest).count()
    if frame_size < 10:
        return {"note": "too few stations in the demo presidential election"}
    with transaction.atomic():
        if design is None:
            size = services.recommended_sample_size(
                margin_points=1.5, confidence_percent=95, population=frame_size
            ).n
            design = services.design_create(
                actor=actor,
                election=election,
                contest=contest,
                name=DESIGN_NAME,
                stratify_by=SampleDesign.Stratification.REGION,
                target_margin=1.5,
                confidence=95,
                sample_size=min(size, frame_size),
                reserve_per_stratum=3,
                min_reports=30,
            )
        design = services.draw_sample(design, actor=actor, seed=DRAW_SEED)
        assigned = _assign_observers(design, actor)
        reported = _report(design, contest, election, seed)
        snapshots = _snapshots(design, actor)
    return {
        "design": design.pk,
        "sample": design.stations.filter(reserve_rank=0).count(),
        "protocols": reported,
        "observers_assigned": assigned,
        "snapshots": snapshots,
    }


def _assign_observers(design: SampleDesign, actor) -> int:
    """Send the election's accredited observers without a station to uncovered sample stations."""
    free = list(
        Observer.objects.filter(
            election=design.election,
            status__in=BADGE_STATUSES,
            station__isnull=True,
            mobile_team__isnull=True,
        ).order_by("pk")
    )
    if not free:
        return 0
    rows = [
        row
        for row in services.sample_station_rows(design)
        if row.sample_station.reserve_rank == 0 and not row.covered
    ]
    count = 0
    for observer, row in zip(free, rows, strict=False):
        services.assign_observer(
            actor=actor, design=design, sample_station=row.sample_station, observer=observer
        )
        count += 1
    return count


def _election_night(election: Election) -> datetime.datetime:
    day = election.election_date
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 20, 30))


def _report(design: SampleDesign, contest: Contest, election: Election, seed: int) -> int:
    sample = set(design.stations.filter(reserve_rank=0).values_list("station_id", flat=True))
    already = set(
        Protocol.objects.filter(
            contest=contest, station_id__in=sample, source=Protocol.Source.OBSERVER
        ).values_list("station_id", flat=True)
    )
    truth = {tc.station_id: tc for tc in true_counts(contest, seed=seed)}
    rng = random.Random(seed * 97 + design.pk)
    ids = sorted(sample)
    rng.shuffle(ids)
    reporting = ids[: round(len(ids) * REPORTING_SHARE)]
    start = _election_night(election)
    stations = {s.pk: s for s in design.election.stations.filter(pk__in=reporting)}
    count = 0
    for station_id in reporting:
        if station_id in already or station_id not in truth:
            continue
        # Reports come in fast at first, then trail off over two hours.
        minutes = 120 * rng.random() ** 1.6
        save_protocol(
            election=election,
            contest=contest,
            station=stations[station_id],
            source=Protocol.Source.OBSERVER,
            numbers=truth[station_id].numbers,
            received_at=start + datetime.timedelta(minutes=minutes),
        )
        count += 1
    return count


def _snapshots(design: SampleDesign, actor) -> int:
    """Estimates as they stood at a few moments of the night; the last one is published."""
    times = sorted(
        Protocol.objects.filter(
            contest=design.contest,
            status=Protocol.Status.ACCEPTED,
            station_id__in=design.stations.filter(reserve_rank=0).values("station_id"),
        ).values_list("received_at", flat=True)
    )
    if not times:
        return 0
    snapshot = None
    for share in SNAPSHOT_SHARES:
        moment = times[max(0, int(len(times) * share) - 1)]
        quick = _estimates_until(design, moment)
        snapshot = services.take_snapshot(design, actor=actor, taken_at=moment, quick=quick)
    if snapshot is not None:
        services.publish_snapshot(snapshot, actor=actor)
    return len(SNAPSHOT_SHARES)


def _estimates_until(design: SampleDesign, moment) -> services.QuickCount:
    """The estimates from the reports received up to ``moment`` (arrival order is kept)."""
    quick = services.estimates(design)
    keep = quick.arrival <= moment.timestamp()
    reports = quick.reports.take(keep)
    quick.result = estimate(quick.frame.qc_frame(), reports, min_reports=design.min_reports)
    quick.reports = reports
    quick.arrival = quick.arrival[keep]
    return quick
