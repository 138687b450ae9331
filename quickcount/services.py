"""The quick count's rules: the sampling frame, the sample-size calculator, drawing (and
resetting) the sample, observers at sample stations, the estimates from the sample stations'
protocols, snapshots and the comparison with the official result.

The statistics are electionstats.sampling and electionstats.quickcount; this module only turns
database rows into their arrays (one query for the frame, one for the protocols) and back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import BallotOption, Contest, Election, ElectionStation
from electionstats import quickcount as qc
from electionstats import sampling
from geo.models import District, Region
from observers.models import MobileTeam, Observer
from observers.services import observer_deploy
from quickcount.models import EstimateSnapshot, SampleDesign, SampleStation
from results.models import OfficialResultImport, Protocol

LANGUAGES = ("az", "en", "ru")
TURNOUT = qc.TURNOUT
INVALID = qc.INVALID
OPTION_PREFIX = "option:"
#: Stratum of every station when the design has no strata.
ALL_STATIONS = "all"
LARGE, SMALL = "large", "small"

#: electionstats.quickcount's warning and fallback codes, in plain words and in the user's
#: language (the module's own English MESSAGES are for logs and the command line).
WARNING_TEXTS = {
    qc.NO_REPORTS: gettext_lazy("No sample station has reported yet, so there is no estimate."),
    qc.FEWER_THAN_2: gettext_lazy(
        "Fewer than two sample stations have reported. The margin shown is a cautious "
        "worst-case one (as if every station were split 50–50), not one computed from the data."
    ),
    qc.ZERO_VARIANCE: gettext_lazy(
        "The stations that have reported agree exactly, which a sample cannot show for the "
        "whole country. The margin shown is a cautious worst-case one."
    ),
    qc.FEW_REPORTS: gettext_lazy(
        "Too few sample stations have reported for a reliable margin. The margin shown is "
        "widened to stay on the safe side; treat the figures as provisional."
    ),
    qc.STRATA_ONE_REPORT: gettext_lazy(
        "Some strata have only one report; their spread is borrowed from the other reports."
    ),
    qc.STRATA_NO_REPORTS: gettext_lazy(
        "Some strata have no report yet. They are left out, and the estimate assumes they vote "
        "like the strata that have reported."
    ),
}


def warning_text(code: str) -> str:
    text = WARNING_TEXTS.get(code)
    return str(text) if text is not None else qc.MESSAGES.get(code, code)


# --- The frame ------------------------------------------------------------------------------


@dataclass
class SamplingFrame:
    """The stations of the design's contest in station-code order, with their strata."""

    station_ids: np.ndarray  # (N,) PollingStation ids
    codes: list[str]
    strata: list[str]  # stratum key per station
    groups: list[str]  # region code per station
    registered: np.ndarray  # (N,) registered voters
    stratum_names: dict[str, dict[str, str]]  # key -> {language: name}
    group_names: dict[str, dict[str, str]]

    @property
    def N(self) -> int:
        return int(self.station_ids.shape[0])

    def index(self) -> dict[int, int]:
        return {int(pk): i for i, pk in enumerate(self.station_ids.tolist())}

    def qc_frame(self) -> qc.Frame:
        return qc.Frame.from_labels(self.strata, self.groups)


def _names(obj) -> dict[str, str]:
    az = obj.name_az
    return {lang: getattr(obj, f"name_{lang}", "") or az for lang in LANGUAGES}


def _size_names(region_names: dict[str, str], size: str) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            word = _("larger stations") if size == LARGE else _("smaller stations")
        out[lang] = f"{region_names[lang]} · {word}"
    return out


def frame_stations(election: Election, contest: Contest):
    """The ElectionStation rows of the stations voting in the contest, in station-code order."""
    rows = ElectionStation.objects.filter(election=election)
    if contest.constituency_id:
        rows = rows.filter(station__constituency_id=contest.constituency_id)
    return rows.order_by("station__code")


def build_frame(
    design: SampleDesign | None = None,
    *,
    election: Election | None = None,
    contest: Contest | None = None,
    stratify_by: str | None = None,
) -> SamplingFrame:
    """The sampling frame of a design (or of an election, contest and stratification)."""
    if design is not None:
        election, contest, stratify_by = design.election, design.contest, design.stratify_by
    assert election is not None and contest is not None
    rows = list(
        frame_stations(election, contest).values_list(
            "station_id",
            "station__code",
            "station__registered_voters",
            "station__constituency__district_id",
            "station__constituency__district__region_id",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    codes = [r[1] for r in rows]
    registered = np.array([r[2] or 0 for r in rows], dtype=np.float64)
    district_ids = [r[3] for r in rows]
    region_ids = [r[4] for r in rows]
    regions = {r.pk: r for r in Region.objects.filter(pk__in=set(region_ids))}
    region_key = {pk: r.code for pk, r in regions.items()}
    groups = [region_key[pk] for pk in region_ids]
    group_names = {r.code: _names(r) for r in regions.values()}
    kind = stratify_by or SampleDesign.Stratification.REGION
    S = SampleDesign.Stratification
    if kind == S.NONE:
        strata = [ALL_STATIONS] * len(rows)
        names = {}
        for lang in LANGUAGES:
            with translation.override(lang):
                names[lang] = _("All stations")
        stratum_names = {ALL_STATIONS: names}
    elif kind == S.DISTRICT:
        districts = {d.pk: d for d in District.objects.filter(pk__in=set(district_ids))}
        strata = [districts[pk].code for pk in district_ids]
        stratum_names = {d.code: _names(d) for d in districts.values()}
    elif kind == S.REGION_SETTLEMENT_SIZE:
        region_arr = np.array(region_ids, dtype=np.int64)
        strata = [""] * len(rows)
        stratum_names = {}
        for pk in sorted(set(region_ids)):
            mask = region_arr == pk
            median = float(np.median(registered[mask]))
            for i in np.flatnonzero(mask).tolist():
                size = LARGE if registered[i] > median else SMALL
                key = f"{region_key[pk]}:{size}"
                strata[i] = key
                if key not in stratum_names:
                    stratum_names[key] = _size_names(group_names[region_key[pk]], size)
    else:
        strata = list(groups)
        stratum_names = dict(group_names)
    return SamplingFrame(
        station_ids=ids,
        codes=codes,
        strata=strata,
        groups=groups,
        registered=registered,
        stratum_names=stratum_names,
        group_names=group_names,
    )


def in_language(names: dict[str, str] | None, fallback: str = "") -> str:
    """The name in the active language (az when missing)."""
    if not names:
        return fallback
    language = (translation.get_language() or "az").split("-")[0]
    return names.get(language) or names.get("az") or fallback


# --- The sample-size calculator -------------------------------------------------------------


def recommended_sample_size(
    design: SampleDesign | None = None,
    *,
    margin_points: float | Decimal | None = None,
    confidence_percent: float | Decimal | None = None,
    deff: float = 1.0,
    population: int | None = None,
) -> sampling.SampleSize:
    """Stations to sample for ±``margin_points`` at ``confidence_percent`` (sampling.sample_size).

    With a design, its margin, confidence and frame size are used unless given."""
    if design is not None:
        margin_points = design.target_margin if margin_points is None else margin_points
        confidence_percent = design.confidence if confidence_percent is None else confidence_percent
        if population is None:
            population = frame_stations(design.election, design.contest).count()
    if margin_points is None or confidence_percent is None:
        raise ValidationError(_("Give a margin of error and a confidence level."))
    try:
        return sampling.sample_size(
            float(margin_points) / 100,
            float(confidence_percent) / 100,
            deff=float(deff),
            population=population or None,
        )
    except ValueError as error:
        raise ValidationError(
            _(
                "The margin must be between 0 and 100 points, the confidence between 0 and "
                "100%% and the design effect above 0."
            )
        ) from error


# --- Designs and the draw ------------------------------------------------------------------


def design_create(
    *,
    actor,
    election: Election,
    contest: Contest,
    name: str,
    stratify_by: str = SampleDesign.Stratification.REGION,
    allocation: str = SampleDesign.Allocation.STATIONS,
    target_margin: Decimal | float = Decimal("2"),
    confidence: Decimal | float = Decimal("95"),
    sample_size: int | None = None,
    reserve_per_stratum: int = 0,
    min_reports: int = 30,
) -> SampleDesign:
    """A draft design; without a size, the calculator's size for its margin and confidence."""
    errors: dict[str, list[str]] = {}
    if contest.election_id != election.pk:
        errors["contest"] = [_("This contest belongs to another election.")]
    population = frame_stations(election, contest).count() if not errors else 0
    if not errors and population == 0:
        errors["contest"] = [_("No polling station of this election votes in this contest.")]
    if sample_size is not None and population and sample_size > population:
        errors["sample_size"] = [
            _("The sample cannot be larger than the %(count)s stations of the frame.")
            % {"count": population}
        ]
    if sample_size is not None and sample_size < 2:
        errors["sample_size"] = [_("A sample needs at least two stations.")]
    if errors:
        raise ValidationError(errors)
    if sample_size is None:
        sample_size = recommended_sample_size(
            margin_points=target_margin, confidence_percent=confidence, population=population
        ).n
    design = SampleDesign(
        election=election,
        contest=contest,
        name=" ".join(name.split()),
        stratify_by=stratify_by,
        allocation=allocation,
        target_margin=target_margin,
        confidence=confidence,
        sample_size=sample_size,
        reserve_per_stratum=reserve_per_stratum,
        min_reports=min_reports,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    design.full_clean()
    with transaction.atomic():
        design.save()
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=design,
            changes={
                "contest": contest.pk,
                "stratify_by": stratify_by,
                "allocation": allocation,
                "target_margin": str(target_margin),
                "confidence": str(confidence),
                "sample_size": sample_size,
                "reserve_per_stratum": reserve_per_stratum,
                "min_reports": min_reports,
            },
        )
    return design


def draw_sample(design: SampleDesign, *, actor, seed: int | None = None) -> SampleDesign:
    """Draw the sample (and each stratum's reserve list) from ``seed`` (a new one when None).

    The same seed and the same frame give the same stations. A drawn design is not redrawn:
    reset it first (reset_sample), which is recorded with a reason."""
    with transaction.atomic():
        design = SampleDesign.objects.select_for_update().get(pk=design.pk)
        if design.status == SampleDesign.Status.DRAWN:
            raise ValidationError(
                _("This sample has already been drawn. Reset it (with a reason) to draw again.")
            )
        if seed is not None and not 0 <= int(seed) < 2**63:
            raise ValidationError({"seed": _("The seed must be a whole number from 0 to 2⁶³−1.")})
        frame = build_frame(design)
        if frame.N == 0:
            raise ValidationError(_("No polling station of this election votes in this contest."))
        measure = frame.registered if design.allocation == SampleDesign.Allocation.VOTERS else None
        drawn = sampling.draw_stratified_sample(
            frame.strata,
            min(design.sample_size, frame.N),
            seed,
            size_measure=measure,
            reserve=design.reserve_per_stratum,
        )
        rows = [
            SampleStation(
                design=design,
                station_id=int(frame.station_ids[i]),
                stratum=frame.strata[i],
                reserve_rank=0,
            )
            for i in drawn.stations.tolist()
        ]
        for stratum, indices in drawn.reserve.items():
            rows.extend(
                SampleStation(
                    design=design,
                    station_id=int(frame.station_ids[i]),
                    stratum=stratum,
                    reserve_rank=rank,
                )
                for rank, i in enumerate(indices, start=1)
            )
        SampleStation.objects.bulk_create(rows, batch_size=1000)
        design.seed = drawn.seed
        design.status = SampleDesign.Status.DRAWN
        design.drawn_at = timezone.now()
        design.drawn_by = actor if getattr(actor, "is_authenticated", False) else None
        design.save(update_fields=["seed", "status", "drawn_at", "drawn_by", "updated_at"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=design,
            changes={
                "status": [SampleDesign.Status.DRAFT, SampleDesign.Status.DRAWN],
                "seed": drawn.seed,
                "frame_stations": frame.N,
                "sample_stations": drawn.n,
                "reserve_stations": len(rows) - drawn.n,
                "strata": drawn.to_dict()["strata"],
            },
        )
    return design


def reset_sample(design: SampleDesign, *, actor, reason: str) -> SampleDesign:
    """Undo a draw (the stations and the seed) so that the design can be drawn again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the sample is being reset.")})
    with transaction.atomic():
        design = SampleDesign.objects.select_for_update().get(pk=design.pk)
        if design.status != SampleDesign.Status.DRAWN:
            raise ValidationError(_("This sample has not been drawn yet."))
        if design.snapshots.filter(is_published=True).exists():
            raise ValidationError(
                _(
                    "Estimates from this sample have been published, so it cannot be reset. "
                    "Create a new design instead."
                )
            )
        old_seed = design.seed
        removed, _detail = SampleStation.objects.filter(design=design).delete()
        design.snapshots.all().delete()
        design.seed = None
        design.status = SampleDesign.Status.DRAFT
        design.drawn_at = None
        design.drawn_by = None
        design.save(update_fields=["seed", "status", "drawn_at", "drawn_by", "updated_at"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=design,
            changes={
                "status": [SampleDesign.Status.DRAWN, SampleDesign.Status.DRAFT],
                "seed": [old_seed, None],
                "stations_removed": removed,
                "reason": reason,
            },
        )
    return design


# --- Observers at sample stations ------------------------------------------------------------


@dataclass
class SampleStationRow:
    sample_station: SampleStation
    observers: list[Observer]
    teams: list[MobileTeam]

    @property
    def covered(self) -> bool:
        return bool(self.observers) or any(team.member_count for team in self.teams)


def sample_station_rows(
    design: SampleDesign,
    queryset: Iterable[SampleStation] | None = None,
) -> list[SampleStationRow]:
    """Sample stations with the election's observers there and the mobile teams covering them."""
    items = list(
        queryset
        if queryset is not None
        else design.stations.select_related("station__constituency__district__region").order_by(
            "reserve_rank", "stratum", "station__code"
        )
    )
    station_ids = [item.station_id for item in items]
    observers: dict[int, list[Observer]] = {}
    for observer in Observer.objects.filter(
        election=design.election_id, station_id__in=station_ids
    ).order_by("full_name"):
        observers.setdefault(observer.station_id, []).append(observer)
    teams: dict[int, list[MobileTeam]] = {}
    through = MobileTeam.stations.through
    links = through.objects.filter(
        mobileteam__election=design.election_id, pollingstation_id__in=station_ids
    ).values_list("pollingstation_id", "mobileteam_id")
    team_ids = {team_id for _station, team_id in links}
    team_objs = {t.pk: t for t in MobileTeam.objects.filter(pk__in=team_ids).with_counts()}
    for station_id, team_id in links:
        teams.setdefault(station_id, []).append(team_objs[team_id])
    return [
        SampleStationRow(item, observers.get(item.station_id, []), teams.get(item.station_id, []))
        for item in items
    ]


def coverage_counts(rows: list[SampleStationRow]) -> dict[str, int]:
    in_sample = [row for row in rows if row.sample_station.reserve_rank == 0]
    covered = sum(1 for row in in_sample if row.covered)
    return {"sample": len(in_sample), "covered": covered, "uncovered": len(in_sample) - covered}


def assign_observer(
    *, actor, design: SampleDesign, sample_station: SampleStation, observer: Observer
) -> Observer:
    """Deploy an observer of the design's election to a sample station (observers' own rules)."""
    if sample_station.design_id != design.pk:
        raise ValidationError(_("This station is not in this sample."))
    if observer.election_id != design.election_id:
        raise ValidationError({"observer": _("This observer observes another election.")})
    return observer_deploy(actor=actor, observer=observer, station=sample_station.station)


CSV_HEADER = [
    "station_code",
    "station",
    "region",
    "district",
    "stratum",
    "reserve_rank",
    "registered_voters",
    "observers",
    "mobile_teams",
]


def sample_csv(design: SampleDesign, *, actor, queryset=None) -> str:
    """The sample (and reserve) stations as CSV; the export is recorded in the audit log."""
    rows = sample_station_rows(design, queryset)
    frame_names = build_frame(design).stratum_names
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        item = row.sample_station
        station = item.station
        district = station.constituency.district
        writer.writerow(
            [
                station.code,
                station.name,
                district.region.name,
                district.name,
                in_language(frame_names.get(item.stratum), item.stratum),
                item.reserve_rank,
                station.registered_voters,
                "; ".join(o.full_name for o in row.observers),
                "; ".join(t.name for t in row.teams),
            ]
        )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=design,
        changes={"format": "csv", "rows": len(rows)},
    )
    return out.getvalue()


# --- Estimates ------------------------------------------------------------------------------


@dataclass
class QuickCount:
    """The estimates of a design now, with what the pages need around them."""

    design: SampleDesign
    frame: SamplingFrame
    result: qc.QuickCountResult
    reports: qc.Reports
    arrival: np.ndarray  # (n,) received_at timestamps (seconds), per report
    expected: int  # sample stations (reserve rank 0)
    labels: dict[str, dict[str, str]]

    def label(self, quantity: str) -> str:
        return in_language(self.labels.get(quantity), quantity)


def quantity_labels(contest: Contest) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {TURNOUT: {}, INVALID: {}}
    for lang in LANGUAGES:
        with translation.override(lang):
            labels[TURNOUT][lang] = _("Turnout")
            labels[INVALID][lang] = _("Invalid ballots")
    for option in contest.options.order_by("ballot_number"):
        labels[f"{OPTION_PREFIX}{option.ballot_number}"] = _names(option)
    return labels


def _ballot_numbers(contest: Contest) -> list[int]:
    return sorted(contest.options.values_list("ballot_number", flat=True))


def sample_reports(
    design: SampleDesign, frame: SamplingFrame
) -> tuple[qc.Reports, np.ndarray, int]:
    """The latest accepted protocol of every reported sample station, in arrival order (the
    first acceptance of a station's protocol), with the arrival times and the sample size.

    One query for the protocols; missing lines are filled the way the ratios need them:
    registered voters from the station list, issued = valid + invalid, invalid = 0, valid = the
    sum of the votes."""
    expected = design.stations.filter(reserve_rank=0).count()
    numbers = _ballot_numbers(design.contest)
    options = [f"{OPTION_PREFIX}{n}" for n in numbers]
    rows = list(
        Protocol.objects.filter(
            contest=design.contest_id,
            status=Protocol.Status.ACCEPTED,
            station_id__in=design.stations.filter(reserve_rank=0).values("station_id"),
        )
        .order_by("station_id", "-received_at", "-pk")
        .values_list(
            "station_id", "received_at", "registered", "issued", "invalid", "valid", "votes"
        )
    )
    index = frame.index()
    latest: dict[int, list] = {}
    first_seen: dict[int, float] = {}
    for station_id, received_at, *rest in rows:
        if station_id not in index:
            continue
        latest.setdefault(station_id, rest)
        first_seen[station_id] = received_at.timestamp()  # ascending scan ends on the earliest
    k = len(numbers)
    n = len(latest)
    station = np.empty(n, dtype=np.int64)
    arrival = np.empty(n, dtype=np.float64)
    values = np.full((n, 4), np.nan)
    votes = np.zeros((n, k))
    keys = [str(b) for b in numbers]
    for j, (station_id, (registered, issued, invalid, valid, vote_map)) in enumerate(
        latest.items()
    ):
        station[j] = index[station_id]
        arrival[j] = first_seen[station_id]
        values[j] = [
            np.nan if registered is None else registered,
            np.nan if issued is None else issued,
            np.nan if invalid is None else invalid,
            np.nan if valid is None else valid,
        ]
        vote_map = vote_map or {}
        votes[j] = [vote_map.get(key) or 0 for key in keys]
    registered, issued, invalid, valid = (values[:, c] for c in range(4))
    registered = np.where(np.isnan(registered), frame.registered[station], registered)
    invalid = np.where(np.isnan(invalid), 0.0, invalid)
    valid = np.where(np.isnan(valid), votes.sum(axis=1), valid)
    issued = np.where(np.isnan(issued), valid + invalid, issued)
    order = np.lexsort((station, arrival))
    reports = qc.Reports(
        station=station[order],
        registered=registered[order],
        issued=issued[order],
        invalid=invalid[order],
        votes=votes[order],
        options=options,
        valid=valid[order],
    )
    return reports, arrival[order], expected


def estimates(design: SampleDesign, *, frame: SamplingFrame | None = None) -> QuickCount:
    """electionstats.quickcount.estimate over the sample stations' latest accepted protocols."""
    frame = frame or build_frame(design)
    reports, arrival, expected = sample_reports(design, frame)
    result = qc.estimate(frame.qc_frame(), reports, min_reports=design.min_reports)
    return QuickCount(
        design=design,
        frame=frame,
        result=result,
        reports=reports,
        arrival=arrival,
        expected=expected,
        labels=quantity_labels(design.contest),
    )


def convergence(
    design: SampleDesign, *, quick: QuickCount | None = None, batch_size: int | None = None
) -> qc.ConvergenceSeries:
    """The overall estimates after each batch of reports, in the order they arrived."""
    quick = quick or estimates(design)
    n = len(quick.reports)
    if batch_size is None:
        batch_size = max(1, -(-n // 40))  # about 40 points, whatever the sample size
    return qc.convergence(
        quick.frame.qc_frame(), quick.reports, batch_size=batch_size, min_reports=design.min_reports
    )


# --- The official result --------------------------------------------------------------------


def current_official_import(contest: Contest) -> OfficialResultImport | None:
    return (
        OfficialResultImport.objects.filter(
            contest=contest, status=OfficialResultImport.Status.IMPORTED
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def official_ratios(official: OfficialResultImport) -> dict[str, float]:
    """The official national figures by quantity: turnout = issued / registered; the invalid
    share and the options' shares over valid + invalid (as electionstats computes them)."""
    totals = official.totals or {}
    out: dict[str, float] = {}
    if totals.get("turnout") is not None:
        out[TURNOUT] = float(totals["turnout"])
    if totals.get("invalid_share") is not None:
        out[INVALID] = float(totals["invalid_share"])
    ballot = dict(
        BallotOption.objects.filter(contest=official.contest_id).values_list("pk", "ballot_number")
    )
    shares = totals.get("shares") or {}
    for index, name in enumerate(official.option_names or []):
        option_id = (official.option_map or {}).get(str(index))
        share = shares.get(name)
        if option_id is None or share is None or option_id not in ballot:
            continue
        out[f"{OPTION_PREFIX}{ballot[option_id]}"] = float(share)
    return out


def comparison_rows(
    result: dict[str, Any], official: dict[str, float], labels: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """One row per quantity with both an official figure and an estimate."""
    rows = []
    for quantity in result["quantities"]:
        if quantity not in official:
            continue
        e = result["overall"][quantity]
        value = official[quantity]
        has = e.get("estimate") is not None and e.get("low95") is not None
        rows.append(
            {
                "quantity": quantity,
                "label": in_language(labels.get(quantity), quantity),
                "official": value,
                "estimate": e.get("estimate"),
                "low95": e.get("low95"),
                "high95": e.get("high95"),
                "low99": e.get("low99"),
                "high99": e.get("high99"),
                "inside95": (e["low95"] <= value <= e["high95"]) if has else None,
                "inside99": (e["low99"] <= value <= e["high99"]) if has else None,
            }
        )
    return rows


def compare_with_official(
    design: SampleDesign, *, quick: QuickCount | None = None
) -> list[dict[str, Any]]:
    """The quick count against the contest's current official import (empty when none)."""
    official = current_official_import(design.contest)
    if official is None:
        return []
    quick = quick or estimates(design)
    return comparison_rows(quick.result.to_dict(), official_ratios(official), quick.labels)


# --- Snapshots ------------------------------------------------------------------------------


def snapshot_result(quick: QuickCount) -> dict[str, Any]:
    """QuickCountResult.to_dict() plus labels (and the official comparison when there is one);
    the statements app and the public results page read this shape."""
    result = quick.result.to_dict()
    result["labels"] = quick.labels
    result["expected"] = quick.expected
    result["strata_names"] = quick.frame.stratum_names
    result["group_names"] = quick.frame.group_names
    official = current_official_import(quick.design.contest)
    if official is not None:
        result["official"] = comparison_rows(result, official_ratios(official), quick.labels)
    return result


def take_snapshot(
    design: SampleDesign, *, actor=None, taken_at=None, quick: QuickCount | None = None
) -> EstimateSnapshot:
    if not SampleDesign.objects.filter(pk=design.pk, status=SampleDesign.Status.DRAWN).exists():
        raise ValidationError(_("Draw the sample before taking estimates."))
    quick = quick or estimates(design)
    with transaction.atomic():
        snapshot = EstimateSnapshot.objects.create(
            design=design,
            taken_at=taken_at or timezone.now(),
            n_reported=quick.result.n_reported,
            result=snapshot_result(quick),
        )
        if actor is not None:
            audit_log(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=snapshot,
                changes={"n_reported": snapshot.n_reported},
            )
    return snapshot


def publish_snapshot(snapshot: EstimateSnapshot, *, actor) -> EstimateSnapshot:
    with transaction.atomic():
        snapshot = EstimateSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        if snapshot.is_published:
            raise ValidationError(_("These estimates are already published."))
        snapshot.is_published = True
        snapshot.published_at = timezone.now()
        snapshot.published_by = actor if getattr(actor, "is_authenticated", False) else None
        snapshot.save(update_fields=["is_published", "published_at", "published_by"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.PUBLISH,
            obj=snapshot,
            changes={"n_reported": snapshot.n_reported},
        )
    return snapshot
