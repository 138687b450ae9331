"""What the run pages show for each test: its title, the note of what it can and cannot show,
the sentences built from the numbers, and the plots. Built from a run's stored JSON in the
reader's language (so a run done in the background is read in az, en or ru alike)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forensics import plots
from forensics.notes import (
    NOTES,
    REGION_COLUMNS,
    TITLES,
    count,
    format_cell,
    percent,
    sentences,
)


@dataclass
class Section:
    key: str
    title: str
    note: str
    sentences: list[str]
    plots: list[SafeString] = field(default_factory=list)


def _fine_window(edges: list[float], counts: list[int]) -> tuple[list[float], list[int]]:
    """The comb plot over the percentages that occur (whole tens), not all of 0–100."""
    nonzero = [k for k, c in enumerate(counts) if c]
    if not nonzero:
        return edges, counts
    lo = math.floor(edges[nonzero[0]] / 10) * 10
    hi = math.ceil(edges[nonzero[-1] + 1] / 10) * 10
    start = min(range(len(edges)), key=lambda k: abs(edges[k] - lo))
    stop = min(range(len(edges)), key=lambda k: abs(edges[k] - hi))
    if stop - start < 10:
        return edges, counts
    return edges[start : stop + 1], counts[start:stop]


def sections(result: dict[str, Any], *, with_plots: bool = True) -> list[Section]:
    texts = sentences(result)
    summary = result["summary"]
    leader = summary["leader"]
    out = {
        key: Section(key=key, title=str(TITLES[key]), note=str(NOTES[key]), sentences=texts[key])
        for key in TITLES
    }
    if not with_plots:
        return list(out.values())

    dist = result["distributions"]
    turnout, share = dist["turnout"], dist["leader_share"]
    out["distributions"].plots = [
        plots.histogram(
            turnout["edges"],
            turnout["counts"],
            plot_id="fx-turnout",
            title=_("Turnout at polling stations"),
            desc=_(
                "Histogram of station turnout in 1-point bins; the vertical line is the "
                "overall turnout, %(total)s."
            )
            % {"total": percent(turnout["aggregate"])},
            x_label=_("Turnout"),
            marker=turnout["aggregate"],
            marker_label=_("overall"),
        ),
        plots.histogram(
            share["edges"],
            share["counts"],
            plot_id="fx-share",
            title=_("The leader's share at polling stations"),
            desc=_(
                "Histogram of %(leader)s's share of the ballots cast at each station, in "
                "1-point bins; the vertical line is the overall share, %(total)s."
            )
            % {"leader": leader, "total": percent(share["aggregate"])},
            x_label=_("Leader's share"),
            marker=share["aggregate"],
            marker_label=_("overall"),
        ),
    ]

    fp = result["fingerprint"]
    out["fingerprint"].plots = [
        plots.fingerprint(
            fp["counts"],
            plot_id="fx-fingerprint",
            title=_("Election fingerprint"),
            desc=_(
                "Heat map of polling stations by turnout (across) and the leader's share (up), "
                "in 1-point cells, darker for more stations on a logarithmic scale. %(n)s "
                "stations have both at least %(t)s."
            )
            % {"n": count(fp["corner_stations"]), "t": percent(fp["corner_threshold"], 0)},
            x_label=_("Turnout"),
            y_label=_("Leader's share"),
        )
    ]

    integer = result["integer_percentages"]
    items = [
        (_("turnout"), integer["turnout"]),
        (_("leader's share"), integer["leader"]),
        (_("either"), integer["either"]),
    ]
    edges = integer["fine_edges"]
    t_edges, t_counts = _fine_window(edges, integer["turnout_fine_counts"])
    l_edges, l_counts = _fine_window(edges, integer["leader_fine_counts"])
    out["integer_percentages"].plots = [
        plots.observed_expected(
            [(label, i["observed"], i["expected"], i["sd"]) for label, i in items],
            plot_id="fx-integer",
            title=_("Whole-number percentages: reported and expected by chance"),
            desc="; ".join(
                _("%(what)s: %(n)s reported, about %(e)s expected")
                % {"what": label, "n": count(i["observed"]), "e": count(i["expected"])}
                for label, i in items
            ),
        ),
        plots.comb(
            t_edges,
            t_counts,
            plot_id="fx-comb-turnout",
            title=_("Turnout in 0.1-point steps"),
            desc=_(
                "Stations per 0.1 percentage point of turnout; the bars at whole percentages "
                "are highlighted. Spikes there mean an excess of whole-number turnouts."
            ),
            x_label=_("Turnout"),
        ),
        plots.comb(
            l_edges,
            l_counts,
            plot_id="fx-comb-share",
            title=_("The leader's share in 0.1-point steps"),
            desc=_(
                "Stations per 0.1 percentage point of the leader's share; the bars at whole "
                "percentages are highlighted."
            ),
            x_label=_("Leader's share"),
        ),
    ]

    for key, plot_title, expected_name in (
        ("last_digit", _("Last digits of vote counts"), _("equal frequencies (10%)")),
        ("second_digit", _("Second digits of vote counts"), _("Benford's law")),
    ):
        digits = result[key]
        total = sum(digits["observed"]) or 1
        out[key].plots = [
            plots.digits(
                digits["observed"],
                digits["expected"],
                plot_id=f"fx-{key}",
                title=plot_title,
                desc=_("Share of each digit (bars) against %(expected)s (line): %(values)s.")
                % {
                    "expected": expected_name,
                    "values": ", ".join(
                        f"{d}: {percent(o / total)}" for d, o in enumerate(digits["observed"])
                    ),
                },
                x_label=_("Digit"),
            )
        ]

    regions = result["regions"]["rows"]
    if regions:
        out["regions"].plots = [
            plots.region_bars(
                regions,
                key="turnout",
                overall=summary["turnout"],
                plot_id="fx-regions-turnout",
                title=_("Turnout by region"),
                desc=_("One bar per region; the vertical line is the overall turnout."),
                x_label=_("Turnout"),
            )
        ]
    return list(out.values())


def region_table(result: dict[str, Any], sort: str, descending: bool) -> tuple[list, list, list]:
    """(columns as (key, heading), rows as lists of formatted cells, the rows themselves),
    sorted by ``sort`` (missing values last)."""
    rows = list(result["regions"]["rows"])
    columns = [key for key in REGION_COLUMNS if not rows or key in rows[0]]

    def sort_key(row: dict) -> tuple:
        value = row.get(sort)
        if isinstance(value, str):
            return (0, value.casefold())
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return (1, 0)  # missing values last either way
        return (0, value)

    present = [r for r in rows if sort_key(r)[0] == 0]
    missing = [r for r in rows if sort_key(r)[0] == 1]
    present.sort(key=sort_key, reverse=descending)
    ordered = present + missing
    table = [[format_cell(key, row.get(key)) for key in columns] for row in ordered]
    return [(key, REGION_COLUMNS[key]) for key in columns], table, ordered
