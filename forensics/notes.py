"""What each forensic test can and cannot show, in the reader's language, and one or two
sentences built from a run's numbers.

NOTES has the same content as electionstats.forensics.NOTES (which stays in English, with no
Django), as translatable msgids; `sentences(result)` states the numbers without a verdict.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: The order of the tests on the pages.
TESTS = (
    "distributions",
    "fingerprint",
    "integer_percentages",
    "last_digit",
    "second_digit",
    "round_numbers",
    "turnout_shape",
    "regions",
    "outliers",
)

TITLES = {
    "distributions": gettext_lazy("Turnout and the leader's share"),
    "fingerprint": gettext_lazy("Election fingerprint: turnout × leader's share"),
    "integer_percentages": gettext_lazy("Whole-number percentages"),
    "last_digit": gettext_lazy("Last digits of vote counts"),
    "second_digit": gettext_lazy("Second digits of vote counts (Benford)"),
    "round_numbers": gettext_lazy("Counts and percentages ending in 0 or 5"),
    "turnout_shape": gettext_lazy("Shape of the turnout distribution"),
    "regions": gettext_lazy("Region by region"),
    "outliers": gettext_lazy("Stations that stand out"),
}

NOTES = {
    "distributions": gettext_lazy(
        "Histograms of turnout and of the leader's share across polling stations. Clean "
        "elections usually give one smooth hump. A long tail, or a second peak near 100%, can "
        "come from ballot stuffing or rewritten protocols, but also from real differences "
        "between places (villages, institutions, minorities). The shape alone proves nothing."
    ),
    "fingerprint": gettext_lazy(
        "Each cell counts polling stations with that turnout and that leader's share. Honest "
        "results form a compact cloud; a smear from the cloud towards the top-right corner "
        "(high turnout and high share together) and a cluster at 100% / 100% are what ballot "
        "stuffing and rewritten protocols leave (Klimek et al., 2012). Strong local support "
        "combined with high turnout can look similar; the picture suggests where to look."
    ),
    "integer_percentages": gettext_lazy(
        "Counts polling stations whose turnout or leader's share is a whole percentage (e.g. "
        "80.0%), compared with how many would be whole by chance if each station's counts "
        "varied binomially around the reported values. A large excess means someone chose "
        "round percentages and wrote the counts to match (Kobak et al., 2016). It cannot show "
        "how many votes were changed, and it is blind to manipulation that does not aim at "
        "round numbers."
    ),
    "last_digit": gettext_lazy(
        "Last digits of vote counts (counts of at least the minimum) should be close to equally "
        "frequent. People who invent numbers favour some digits. With hundreds of thousands of "
        "counts even tiny, innocent deviations become 'significant', and honest counts of small "
        "numbers are not uniform; treat the test as a pointer, not a proof."
    ),
    "second_digit": gettext_lazy(
        "Second digits of vote counts compared with Benford's law (Mebane). Honest counts often "
        "follow it roughly, but not always: the law depends on how counts arise, and some "
        "frauds leave it intact. A deviation is a reason to look closer, not evidence alone."
    ),
    "round_numbers": gettext_lazy(
        "How often counts and whole-number percentages end in 0 or 5. Counts should end in 0 "
        "or 5 one time in five (20%); the expected share for percentages comes from the binomial "
        "simulation. An excess suggests numbers were chosen rather than counted."
    ),
    "turnout_shape": gettext_lazy(
        "Skewness, kurtosis and Hartigan's dip test of the turnout distribution. A small dip "
        "p-value says the distribution has more than one mode, which stuffing in some places "
        "can cause; so can a country made of different kinds of places. Skewness and kurtosis "
        "describe long tails and are not tests of fraud."
    ),
    "regions": gettext_lazy(
        "The same key numbers region by region. Irregularities are often concentrated in some "
        "regions; small regions give noisy numbers, so compare them with care."
    ),
    "outliers": gettext_lazy(
        "Polling stations that stand out: very high turnout together with a very high leader's "
        "share, whole-number turnout and share at large stations, or turnout and share both far "
        "above the rest of the region (robust z-scores). Standing out is not proof of fraud: "
        "these are stations to check against observers' reports and protocols."
    ),
}

#: electionstats.forensics.OUTLIER_REASONS, translatable.
OUTLIER_REASONS = {
    "high_turnout_and_share": gettext_lazy("Turnout and the leader's share are both very high."),
    "integer_turnout_and_share": gettext_lazy(
        "Turnout and the leader's share are both whole percentages at a large station."
    ),
    "far_above_region": gettext_lazy(
        "Turnout and the leader's share are both far above the rest of the region."
    ),
}

#: Why stations were left out of the station-level statistics (run_suite's "excluded").
EXCLUDED = {
    "registered_zero": gettext_lazy("no registered voters"),
    "no_ballots_cast": gettext_lazy("no ballots cast"),
    "issued_over_registered": gettext_lazy("more ballots issued than voters registered"),
    "negative_count": gettext_lazy("a negative count"),
    "leader_over_cast": gettext_lazy("the leader's votes exceed the ballots cast"),
}

#: Columns of the region table: key → heading.
REGION_COLUMNS = {
    "region": gettext_lazy("Region"),
    "stations": gettext_lazy("Stations"),
    "registered": gettext_lazy("Registered voters"),
    "turnout": gettext_lazy("Turnout"),
    "leader_share": gettext_lazy("Leader's share"),
    "mean_station_turnout": gettext_lazy("Mean station turnout"),
    "correlation_turnout_share": gettext_lazy("Correlation of turnout and share"),
    "integer_observed": gettext_lazy("Whole-number percentages"),
    "integer_expected": gettext_lazy("Expected by chance"),
    "integer_p_value": gettext_lazy("p (whole numbers)"),
    "last_digit_p_value": gettext_lazy("p (last digit)"),
    "second_digit_p_value": gettext_lazy("p (second digit)"),
    "counts_ending_0_5_share": gettext_lazy("Counts ending in 0 or 5"),
    "skewness": gettext_lazy("Skewness"),
    "excess_kurtosis": gettext_lazy("Excess kurtosis"),
    "dip": gettext_lazy("Dip"),
    "dip_p_value": gettext_lazy("p (dip)"),
    "stations_flagged": gettext_lazy("Stations that stand out"),
}


# --- formatting in the active language ----------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _fixed(value: float, digits: int) -> str:
    # number_format cuts the extra decimals off (45.76 -> "45.7"); round first.
    return number_format(round(float(value), digits), digits)


def count(value: Any) -> str:
    if _missing(value):
        return "—"
    return number_format(round(value), force_grouping=True)


def percent(value: Any, digits: int = 1) -> str:
    """A proportion (0.4575) as a percentage (45.8%)."""
    if _missing(value):
        return "—"
    return f"{_fixed(100 * value, digits)}%"


def decimal(value: Any, digits: int = 2) -> str:
    if _missing(value):
        return "—"
    return _fixed(value, digits)


def p_value(value: Any) -> str:
    if _missing(value):
        return "—"
    if value < 0.001:
        return f"< {_fixed(0.001, 3)}"
    return _fixed(value, 3)


def format_cell(key: str, value: Any) -> str:
    """One cell of the region table."""
    if key == "region":
        return str(value)
    if key in {"stations", "registered", "integer_observed", "stations_flagged"}:
        return count(value)
    if key == "integer_expected":
        return decimal(value, 1)
    if key in {"turnout", "leader_share", "mean_station_turnout", "counts_ending_0_5_share"}:
        return percent(value)
    if key.endswith("p_value"):
        return p_value(value)
    if key == "dip":
        return decimal(value, 4)
    return decimal(value, 2)


# --- sentences from the numbers -------------------------------------------------------------


def _integer_sentence(item: dict, what: str) -> str:
    considered = item.get("considered") or 0
    share = item["observed"] / considered if considered else None
    return _(
        "%(n)s of %(m)s stations (%(p)s) report a whole-number %(what)s; about %(e)s would by "
        "chance (p = %(pv)s)."
    ) % {
        "n": count(item["observed"]),
        "m": count(considered),
        "p": percent(share),
        "what": what,
        "e": count(item["expected"]),
        "pv": p_value(item["p_value"]),
    }


def sentences(result: dict[str, Any]) -> dict[str, list[str]]:
    """For each test, sentences stating its key numbers (no verdict)."""
    out: dict[str, list[str]] = {}
    summary = result["summary"]
    leader = summary["leader"]

    dist = result["distributions"]
    t, s = dist["turnout"], dist["leader_share"]
    out["distributions"] = [
        _(
            "Turnout is %(total)s overall; across %(n)s stations the median is %(median)s "
            "(mean %(mean)s, standard deviation %(sd)s percentage points)."
        )
        % {
            "total": percent(t["aggregate"]),
            "n": count(t["n"]),
            "median": percent(t["median"]),
            "mean": percent(t["mean"]),
            "sd": decimal(None if _missing(t["sd"]) else 100 * t["sd"], 1),
        },
        _(
            "%(leader)s, the leader, has %(total)s of the ballots cast; the median station gives "
            "%(median)s."
        )
        % {"leader": leader, "total": percent(s["aggregate"]), "median": percent(s["median"])},
    ]

    fp = result["fingerprint"]
    out["fingerprint"] = [
        _(
            "%(n)s stations (%(p)s), with %(v)s of the leader's votes, have both turnout and the "
            "leader's share of at least %(t)s. Correlation of turnout and share: %(r)s "
            "(rank correlation %(rr)s)."
        )
        % {
            "n": count(fp["corner_stations"]),
            "p": percent(fp["corner_share_of_stations"], 2),
            "v": percent(fp["corner_share_of_leader_votes"], 2),
            "t": percent(fp["corner_threshold"], 0),
            "r": decimal(fp["correlation"]),
            "rr": decimal(fp["rank_correlation"]),
        }
    ]

    integer = result["integer_percentages"]
    out["integer_percentages"] = [
        _integer_sentence(integer["turnout"], _("turnout")),
        _integer_sentence(integer["leader"], _("leader's share")),
        _(
            "Either of the two: %(n)s stations against about %(e)s by chance (%(sims)s "
            "simulations, seed %(seed)s; stations of at least %(min)s voters)."
        )
        % {
            "n": count(integer["either"]["observed"]),
            "e": count(integer["either"]["expected"]),
            "sims": count(integer["simulations"]),
            "seed": integer["seed"],
            "min": count(integer["min_denominator"]),
        },
    ]

    for key, expected_text in (
        ("last_digit", _("equal frequencies")),
        ("second_digit", _("Benford's law")),
    ):
        digits = result[key]
        out[key] = [
            _(
                "%(n)s vote counts of at least %(min)s: chi-squared %(chi2)s with %(df)s degrees "
                "of freedom against %(expected)s (p = %(p)s). Mean digit %(mean)s, expected "
                "%(emean)s."
            )
            % {
                "n": count(digits["n"]),
                "min": count(digits["min_count"]),
                "chi2": decimal(digits["chi2"], 1),
                "df": digits["df"],
                "expected": expected_text,
                "p": p_value(digits["p_value"]),
                "mean": decimal(digits["mean_digit"], 2),
                "emean": decimal(digits["expected_mean"], 2),
            }
        ]

    rounds = result["round_numbers"]
    out["round_numbers"] = [
        _(
            "%(share)s of %(n)s vote counts end in 0 or 5; the expected share is %(expected)s "
            "(p = %(p)s)."
        )
        % {
            "share": percent(rounds["counts_share"]),
            "n": count(rounds["counts_n"]),
            "expected": percent(rounds["counts_expected_share"], 0),
            "p": p_value(rounds["counts_p_value"]),
        },
        _(
            "Turnout rounded to a whole percent ends in 0 or 5 at %(t)s of stations (by chance "
            "about %(te)s, p = %(tp)s); the leader's share at %(l)s (about %(le)s, p = %(lp)s)."
        )
        % {
            "t": percent(rounds["turnout_percent_share"]),
            "te": percent(rounds["turnout_percent_expected"]),
            "tp": p_value(rounds["turnout_percent_p_value"]),
            "l": percent(rounds["leader_percent_share"]),
            "le": percent(rounds["leader_percent_expected"]),
            "lp": p_value(rounds["leader_percent_p_value"]),
        },
    ]

    shape = result["turnout_shape"]
    out["turnout_shape"] = [
        _(
            "Skewness %(g1)s, excess kurtosis %(g2)s. Dip %(dip)s (p = %(p)s); the modal "
            "interval of turnout runs from %(low)s to %(high)s."
        )
        % {
            "g1": decimal(shape["skewness"]),
            "g2": decimal(shape["excess_kurtosis"]),
            "dip": decimal(shape["dip"], 4),
            "p": p_value(shape["dip_p_value"]),
            "low": percent((shape.get("modal_interval") or [None, None])[0]),
            "high": percent((shape.get("modal_interval") or [None, None])[1]),
        }
    ]

    rows = result["regions"]["rows"]
    low_p = [
        r for r in rows if not _missing(r.get("integer_p_value")) and r["integer_p_value"] < 0.01
    ]
    out["regions"] = [
        _(
            "%(n)s regions. In %(k)s of them, whole-number percentages are more frequent than "
            "in 99 of 100 simulations."
        )
        % {"n": count(len(rows)), "k": count(len(low_p))}
    ]

    outl = result["outliers"]
    by = outl["by_reason"]
    out["outliers"] = [
        _(
            "%(n)s stations stand out: %(a)s with very high turnout and share, %(b)s with "
            "whole-number turnout and share at a large station, %(c)s far above their region "
            "(a station can have several reasons). %(m)s are listed."
        )
        % {
            "n": count(outl["flagged"]),
            "a": count(by.get("high_turnout_and_share", 0)),
            "b": count(by.get("integer_turnout_and_share", 0)),
            "c": count(by.get("far_above_region", 0)),
            "m": count(outl["listed"]),
        }
    ]
    return out


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The run at a glance: what was analysed and what was left out."""
    summary = result["summary"]
    lines = [
        _(
            "%(used)s of %(n)s stations analysed. Turnout %(turnout)s; the leader, %(leader)s, "
            "has %(share)s."
        )
        % {
            "used": count(summary["stations_used"]),
            "n": count(summary["stations"]),
            "turnout": percent(summary["turnout"]),
            "leader": summary["leader"],
            "share": percent(summary["leader_share"]),
        }
    ]
    excluded = [
        f"{EXCLUDED.get(reason, reason)}: {count(number)}"
        for reason, number in summary.get("excluded", {}).items()
        if number
    ]
    if excluded:
        lines.append(_("Left out: %(reasons)s.") % {"reasons": "; ".join(excluded)})
    return lines
