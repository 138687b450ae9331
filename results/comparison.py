"""Official results against the observers' protocol copies, station by station.

For each station with both an official row (the contest's import in force) and an observer's
copy (the latest accepted protocol of that station and contest, whatever its source): the
difference on every line and for every ballot option (official − observer), whether they
differ, and in whose favour: the option whose official count exceeds the observer's copy by
the most. A contest's summary adds the net votes each option gained across differing stations.
Few queries whatever the number of stations: the rows, the protocols, the options, the places.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from elections.models import BallotOption, Contest
from geo.models import PollingStation
from results.models import OfficialResult, OfficialResultImport, Protocol
from results.official import current_import

#: The lines both an official row and a protocol hold, in protocol order.
COMPARED_LINES = ("registered", "issued", "cast", "invalid", "valid")


def line_labels() -> dict[str, str]:
    return {
        "registered": _("Registered voters"),
        "issued": _("Ballots issued"),
        "cast": _("Ballots cast"),
        "invalid": _("Invalid ballots"),
        "valid": _("Valid ballots"),
    }


@dataclass(frozen=True)
class Difference:
    key: str  # a line name, or the ballot number as text for an option
    official: int | None
    observer: int | None

    @property
    def difference(self) -> int | None:
        if self.official is None or self.observer is None:
            return None
        return self.official - self.observer


@dataclass
class StationComparison:
    station_id: int
    official_id: int
    protocol_id: int
    lines: list[Difference]
    options: list[Difference]  # one per ballot option, in ballot order (key = ballot number)
    station_code: str = ""
    region_id: int | None = None
    region_name: str = ""

    @property
    def differs(self) -> bool:
        return any(d.difference not in (None, 0) for d in [*self.lines, *self.options])

    @property
    def total_difference(self) -> int:
        """How far apart the two are: the sum of absolute differences over lines and options."""
        return sum(abs(d.difference) for d in [*self.lines, *self.options] if d.difference)

    @property
    def favoured(self) -> Difference | None:
        """The option whose official count exceeds the observer's copy by the most, if any."""
        gains = [d for d in self.options if d.difference and d.difference > 0]
        return max(gains, key=lambda d: d.difference) if gains else None


@dataclass
class ContestComparison:
    contest: Contest
    result_import: OfficialResultImport | None
    options: list[BallotOption]
    stations: list[StationComparison] = field(default_factory=list)
    official_stations: int = 0
    observed_stations: int = 0

    @property
    def compared(self) -> int:
        return len(self.stations)

    @property
    def differing(self) -> list[StationComparison]:
        return [s for s in self.stations if s.differs]

    @property
    def identical(self) -> int:
        return self.compared - len(self.differing)

    def net_gain(self) -> list[tuple[BallotOption, int]]:
        """Per option: official − observer votes added up over the differing stations."""
        totals = {str(o.ballot_number): 0 for o in self.options}
        for station in self.differing:
            for d in station.options:
                if d.difference:
                    totals[d.key] += d.difference
        return [(o, totals[str(o.ballot_number)]) for o in self.options]

    def favoured_counts(self) -> list[tuple[BallotOption, int]]:
        """Per option: in how many differing stations it is the one favoured."""
        counts = {str(o.ballot_number): 0 for o in self.options}
        for station in self.differing:
            favoured = station.favoured
            if favoured is not None:
                counts[favoured.key] += 1
        return [(o, counts[str(o.ballot_number)]) for o in self.options]

    def ordered(self) -> list[StationComparison]:
        """Differing stations first (the largest difference first), then the identical ones."""
        return sorted(
            self.stations, key=lambda s: (not s.differs, -s.total_difference, s.station_code)
        )


def official_votes_by_number(
    votes: list[int], option_map: dict[str, Any], number_of: dict[int, int]
) -> dict[str, int]:
    """The official row's votes keyed by ballot number (columns matched to no option are
    left out; two columns matched to one option are added up)."""
    out: dict[str, int] = {}
    for index, count in enumerate(votes or []):
        option_id = (option_map or {}).get(str(index))
        if option_id is None or option_id not in number_of:
            continue
        key = str(number_of[option_id])
        out[key] = out.get(key, 0) + int(count)
    return out


def compare_station(
    official: OfficialResult | dict[str, Any],
    protocol: Protocol | dict[str, Any],
    *,
    options: Iterable[BallotOption],
    option_map: dict[str, Any],
) -> StationComparison:
    """Official row − observer's protocol, line by line and option by option.

    Both may be model instances or ``values()`` dicts (the contest comparison uses dicts)."""

    def get(obj: Any, name: str) -> Any:
        return obj[name] if isinstance(obj, dict) else getattr(obj, name)

    options = list(options)
    number_of = {o.pk: o.ballot_number for o in options}
    official_votes = official_votes_by_number(get(official, "votes"), option_map, number_of)
    observer_votes = get(protocol, "votes") or {}
    lines = [Difference(line, get(official, line), get(protocol, line)) for line in COMPARED_LINES]
    option_diffs = []
    for option in options:
        key = str(option.ballot_number)
        observed = observer_votes.get(key)
        option_diffs.append(
            Difference(key, official_votes.get(key), None if observed is None else int(observed))
        )
    return StationComparison(
        station_id=get(official, "station_id"),
        official_id=get(official, "id"),
        protocol_id=get(protocol, "id"),
        lines=lines,
        options=option_diffs,
    )


def latest_accepted_protocols(
    contest: Contest | int, station_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Any]]:
    """station id → the latest accepted protocol of the contest (as a values() dict)."""
    protocols = Protocol.objects.accepted().of_contest(contest)
    if station_ids is not None:
        protocols = protocols.filter(station_id__in=list(station_ids))
    out: dict[int, dict[str, Any]] = {}
    for row in protocols.order_by("station_id", "-received_at", "-pk").values(
        "id", "station_id", "votes", *COMPARED_LINES
    ):
        out.setdefault(row["station_id"], row)
    return out


def compare_contest(contest: Contest, *, region_ids: set[int] | None = None) -> ContestComparison:
    """Every station of the contest with both an official row and an observer's copy.

    ``region_ids`` (None = all) limits the stations to those regions (a coordinator's)."""
    result_import = current_import(contest)
    options = list(BallotOption.objects.filter(contest=contest).order_by("ballot_number"))
    comparison = ContestComparison(contest=contest, result_import=result_import, options=options)
    if result_import is None:
        return comparison
    rows = OfficialResult.objects.filter(result_import=result_import, station__isnull=False)
    places = PollingStation.objects.all()
    if region_ids is not None:
        rows = rows.filter(station__constituency__district__region_id__in=region_ids)
        places = places.filter(constituency__district__region_id__in=region_ids)
    official = {
        row["station_id"]: row
        for row in rows.order_by("row").values("id", "station_id", "votes", *COMPARED_LINES)
    }
    protocols = latest_accepted_protocols(contest)
    if region_ids is not None:
        protocols = {k: v for k, v in protocols.items() if k in official}
    comparison.official_stations = len(official)
    comparison.observed_stations = len(protocols)
    both = [sid for sid in official if sid in protocols]
    place = {
        pk: (code, region_id)
        for pk, code, region_id in places.filter(pk__in=both).values_list(
            "pk", "code", "constituency__district__region_id"
        )
    }
    region_names = _region_names({p[1] for p in place.values()})
    for sid in both:
        station = compare_station(
            official[sid], protocols[sid], options=options, option_map=result_import.option_map
        )
        code, region_id = place.get(sid, ("", None))
        station.station_code = code
        station.region_id = region_id
        station.region_name = region_names.get(region_id, "")
        comparison.stations.append(station)
    comparison.stations.sort(key=lambda s: s.station_code)
    return comparison


def _region_names(region_ids: set[int]) -> dict[int, str]:
    from geo.models import Region

    return {r.pk: str(r.name) for r in Region.objects.filter(pk__in=region_ids)}


def comparison_csv(comparison: ContestComparison) -> str:
    """The comparison as CSV: one row per station, differing first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    labels = line_labels()
    header = [_("Station"), _("Region"), _("Differs"), _("In favour of"), _("By")]
    for line in COMPARED_LINES:
        header += [
            f"{labels[line]} ({_('official')})",
            f"{labels[line]} ({_('observer')})",
            f"{labels[line]} ({_('difference')})",
        ]
    for option in comparison.options:
        header += [
            f"{option} ({_('official')})",
            f"{option} ({_('observer')})",
            f"{option} ({_('difference')})",
        ]
    writer.writerow(header)
    names = {str(o.ballot_number): str(o) for o in comparison.options}
    for station in comparison.ordered():
        favoured = station.favoured
        row = [
            station.station_code,
            station.region_name,
            _("yes") if station.differs else _("no"),
            names.get(favoured.key, "") if favoured else "",
            favoured.difference if favoured else "",
        ]
        for d in [*station.lines, *station.options]:
            row += [
                "" if d.official is None else d.official,
                "" if d.observer is None else d.observer,
                "" if d.difference is None else d.difference,
            ]
        writer.writerow(row)
    return buffer.getvalue()
