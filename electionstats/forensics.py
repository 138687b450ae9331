"""Election forensics on per-station results: what the distributions and digits can show.

Each function returns a dataclass with the numbers, what to plot (histogram edges and counts,
2-D arrays), and ``note``: a plain-language statement of what the test can and cannot show (the
texts are the constants in :data:`NOTES`, so the Django side can translate them).
:func:`run_suite` runs everything on a ``layouts.ResultsTable`` and returns a JSON-serialisable
dict; ``python -m electionstats.forensics FILE --layout russia`` prints it.

Conventions: turnout = issued / registered; the leader is the option with the most votes in the
whole table, and its share at a station = its votes / (valid + invalid). Stations with no
registered voters, no ballots cast, more ballots issued than voters registered, or negative
counts are left out of the station-level statistics (their number is reported).

Statistics (formulas and sources in each function's docstring):

- turnout and leader's-share histograms (per station, and weighted by voters);
- the turnout × leader's-share "fingerprint" (Klimek, Yegorov, Hanel & Thurner, "Statistical
  detection of systematic election irregularities", PNAS 109(41), 2012, 16469–16473);
- integer percentages against a binomial null by simulation (Kobak, Shpilkin & Pshenichnikov,
  "Integer percentages as electoral falsification fingerprints", Annals of Applied Statistics
  10(1), 2016, 54–73);
- last-digit uniformity of vote counts (Beber & Scacco, "What the numbers say: a digit-based
  test for election fraud", Political Analysis 20(2), 2012, 211–234);
- second-digit Benford's law (Mebane, "Election forensics: vote counts and Benford's law",
  2006; Mebane, "Comment on 'Benford's law and the detection of election fraud'", Political
  Analysis 19(3), 2011, 269–272);
- shares of counts and of percentages ending in 0 or 5;
- skewness, kurtosis and Hartigan's dip test of the turnout distribution (``electionstats.dip``);
- the same key numbers per region, and stations that stand out.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from electionstats.dip import dip_pvalue, dip_statistic

__all__ = [
    "NOTES",
    "DigitTestResult",
    "DistributionsResult",
    "FingerprintResult",
    "Histogram",
    "IntegerPercentagesResult",
    "OutliersResult",
    "RegionBreakdown",
    "RoundNumbersResult",
    "TurnoutShapeResult",
    "benford_second_digit",
    "distributions",
    "fingerprint",
    "integer_percentages",
    "last_digit_test",
    "outliers",
    "region_breakdown",
    "round_numbers",
    "run_suite",
    "second_digit_test",
    "turnout_shape",
]

NOTES: dict[str, str] = {
    "distributions": (
        "Histograms of turnout and of the leader's share across polling stations. Clean elections "
        "usually give one smooth hump. A long tail, or a second peak near 100%, can come from "
        "ballot stuffing or rewritten protocols, but also from real differences between places "
        "(villages, institutions, minorities). The shape alone proves nothing."
    ),
    "fingerprint": (
        "Each cell counts polling stations with that turnout and that leader's share. Honest "
        "results form a compact cloud; a smear from the cloud towards the top-right corner "
        "(high turnout and high share together) and a cluster at 100% / 100% are what ballot "
        "stuffing and rewritten protocols leave (Klimek et al., 2012). Strong local support "
        "combined with high turnout can look similar; the picture suggests where to look."
    ),
    "integer_percentages": (
        "Counts polling stations whose turnout or leader's share is a whole percentage (e.g. "
        "80.0%), compared with how many would be whole by chance if each station's counts varied "
        "binomially around the reported values. A large excess means someone chose round "
        "percentages and wrote the counts to match (Kobak et al., 2016). It cannot show how many "
        "votes were changed, and it is blind to manipulation that does not aim at round numbers."
    ),
    "last_digit": (
        "Last digits of vote counts (counts of at least the minimum) should be close to equally "
        "frequent. People who invent numbers favour some digits. With hundreds of thousands of "
        "counts even tiny, innocent deviations become 'significant', and honest counts of small "
        "numbers are not uniform; treat the test as a pointer, not a proof."
    ),
    "second_digit": (
        "Second digits of vote counts compared with Benford's law (Mebane). Honest counts often "
        "follow it roughly, but not always: the law depends on how counts arise, and some "
        "frauds leave it intact. A deviation is a reason to look closer, not evidence alone."
    ),
    "round_numbers": (
        "How often counts and whole-number percentages end in 0 or 5. Counts should end in 0 or "
        "5 one time in five (20%); the expected share for percentages comes from the binomial "
        "simulation. An excess suggests numbers were chosen rather than counted."
    ),
    "turnout_shape": (
        "Skewness, kurtosis and Hartigan's dip test of the turnout distribution. A small dip "
        "p-value says the distribution has more than one mode, which stuffing in some places can "
        "cause; so can a country made of different kinds of places. Skewness and kurtosis "
        "describe long tails and are not tests of fraud."
    ),
    "regions": (
        "The same key numbers region by region. Irregularities are often concentrated in some "
        "regions; small regions give noisy numbers, so compare them with care."
    ),
    "outliers": (
        "Polling stations that stand out: very high turnout together with a very high leader's "
        "share, whole-number turnout and share at large stations, or turnout and share both far "
        "above the rest of the region (robust z-scores). Standing out is not proof of fraud: "
        "these are stations to check against observers' reports and protocols."
    ),
}


# --- helpers ---


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def _moments(values: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, sd, skewness g1 = m3 / m2^(3/2), excess kurtosis g2 = m4 / m2² - 3 (moment forms)."""
    if values.shape[0] < 2:
        return (float("nan"),) * 4
    mean = float(values.mean())
    d = values - mean
    m2 = float((d * d).mean())
    if m2 == 0:
        return mean, 0.0, float("nan"), float("nan")
    m3 = float((d**3).mean())
    m4 = float((d**4).mean())
    return mean, math.sqrt(m2), m3 / m2**1.5, m4 / (m2 * m2) - 3.0


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape[0] < 3:
        return float("nan")
    sa, sb = a.std(), b.std()
    if sa == 0 or sb == 0:
        return float("nan")
    return float(((a - a.mean()) * (b - b.mean())).mean() / (sa * sb))


# --- distributions ---


@dataclass
class Histogram:
    """``counts``: stations per bin; ``weighted``: voters per bin (registered for turnout, ballots
    cast for shares); ``edges``: bin edges (proportions, ``bins + 1`` values)."""

    name: str
    edges: np.ndarray
    counts: np.ndarray
    weighted: np.ndarray
    n: int
    mean: float
    median: float
    sd: float
    aggregate: float  # ratio of sums (the official figure)


@dataclass
class DistributionsResult:
    turnout: Histogram
    leader_share: Histogram
    leader: str
    note: str = NOTES["distributions"]


def _histogram(
    name: str, values: np.ndarray, weights: np.ndarray, aggregate: float, bins: int
) -> Histogram:
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(values, bins=edges)
    weighted, _ = np.histogram(values, bins=edges, weights=weights)
    return Histogram(
        name=name,
        edges=edges,
        counts=counts,
        weighted=weighted,
        n=int(values.shape[0]),
        mean=float(values.mean()) if values.shape[0] else float("nan"),
        median=float(np.median(values)) if values.shape[0] else float("nan"),
        sd=float(values.std(ddof=1)) if values.shape[0] > 1 else float("nan"),
        aggregate=aggregate,
    )


def distributions(
    issued: np.ndarray,
    registered: np.ndarray,
    leader_votes: np.ndarray,
    cast: np.ndarray,
    *,
    leader: str = "leader",
    bins: int = 100,
) -> DistributionsResult:
    """Histograms of turnout ``issued / registered`` and the leader's share ``votes / cast``
    over ``bins`` equal bins of [0, 1] (the last bin includes 1), per station and weighted by
    voters (registered for turnout, cast for the share)."""
    issued, registered = np.asarray(issued, float), np.asarray(registered, float)
    leader_votes, cast = np.asarray(leader_votes, float), np.asarray(cast, float)
    turnout = issued / registered
    share = leader_votes / cast
    return DistributionsResult(
        turnout=_histogram(
            "turnout", turnout, registered, float(issued.sum() / registered.sum()), bins
        ),
        leader_share=_histogram(
            "leader_share", share, cast, float(leader_votes.sum() / cast.sum()), bins
        ),
        leader=leader,
    )


# --- fingerprint ---


@dataclass
class FingerprintResult:
    """``counts[i, j]``: stations with turnout in bin i and leader's share in bin j."""

    turnout_edges: np.ndarray
    share_edges: np.ndarray
    counts: np.ndarray
    correlation: float  # Pearson, station level
    rank_correlation: float  # Spearman, station level
    corner_threshold: float
    corner_stations: int  # turnout >= threshold and share >= threshold
    corner_share_of_stations: float
    corner_share_of_leader_votes: float
    n: int
    note: str = NOTES["fingerprint"]


def fingerprint(
    turnout: np.ndarray,
    share: np.ndarray,
    *,
    leader_votes: np.ndarray | None = None,
    bins: int = 100,
    corner: float = 0.8,
) -> FingerprintResult:
    """2-D histogram of (turnout, leader's share) over [0, 1]², ``bins`` × ``bins`` (Klimek et
    al., PNAS 2012, Fig. 1: the "election fingerprint"), with the station-level Pearson and
    Spearman correlations of turnout and share, and how many stations (and what share of the
    leader's votes) lie in the corner where both are ``>= corner``."""
    turnout = np.asarray(turnout, float)
    share = np.asarray(share, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _, _ = np.histogram2d(turnout, share, bins=[edges, edges])
    in_corner = (turnout >= corner) & (share >= corner)
    n = int(turnout.shape[0])
    rank_r = float("nan")
    if n >= 3:
        rank_r = _pearson(stats.rankdata(turnout), stats.rankdata(share))
    votes_share = float("nan")
    if leader_votes is not None and n:
        lv = np.asarray(leader_votes, float)
        total = lv.sum()
        votes_share = float(lv[in_corner].sum() / total) if total > 0 else float("nan")
    return FingerprintResult(
        turnout_edges=edges,
        share_edges=edges,
        counts=counts.astype(np.int64),
        correlation=_pearson(turnout, share),
        rank_correlation=rank_r,
        corner_threshold=corner,
        corner_stations=int(in_corner.sum()),
        corner_share_of_stations=float(in_corner.mean()) if n else float("nan"),
        corner_share_of_leader_votes=votes_share,
        n=n,
    )


# --- integer percentages (Kobak et al. 2016) ---


@dataclass
class IntegerCount:
    """Observed count against the simulated null: mean, sd, p-value, z, excess."""

    observed: int
    expected: float
    sd: float
    p_value: float
    z: float
    excess: float
    considered: int


@dataclass
class IntegerPercentagesResult:
    tolerance: float  # percentage points
    min_denominator: int
    simulations: int
    seed: int
    turnout: IntegerCount
    leader: IntegerCount
    either: IntegerCount
    turnout_round_0_5: IntegerCount  # whole-number percentage ending in 0 or 5
    leader_round_0_5: IntegerCount
    fine_edges: np.ndarray  # 0.1-point bins of percentages, for the "comb" plot
    turnout_fine_counts: np.ndarray
    leader_fine_counts: np.ndarray
    region_either_observed: np.ndarray  # per region code (if regions were given)
    region_either_expected: np.ndarray
    region_either_p: np.ndarray
    note: str = NOTES["integer_percentages"]


_EPS = 1e-4  # percentage points; far below the spacing 100/n of attainable percentages


def _percent_flags(k: np.ndarray, n: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """For ``v = 100 k / n``: is ``|v - round(v)| <= tolerance`` (percentage points), and does
    ``round(v)`` (halves up) end in 0 or 5. ``n`` must be positive.

    Computed in float32 (fast, and the same code for the observed and the simulated counts):
    the rounding error, under 1e-5 points, is far below the spacing ``100 / n`` of the values a
    station can report, and the comparisons allow ``1e-4``.
    """
    scale = (100.0 / np.asarray(n, dtype=np.float64)).astype(np.float32)
    v = np.asarray(k, dtype=np.float32) * scale
    return _flags_in_place(v, tolerance)


def _flags_in_place(v: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_percent_flags` on percentages ``v`` (float32), overwriting ``v``."""
    r = v + np.float32(0.5)
    np.floor(r, out=r)  # the whole percent, halves up
    v -= r
    np.abs(v, out=v)
    whole = v <= np.float32(tolerance + _EPS)
    r *= np.float32(0.2)  # r / 5 is a whole number exactly when r ends in 0 or 5
    np.subtract(r, np.floor(r), out=r)
    ends = r < np.float32(0.1)
    return whole, ends


def _binomial_like(
    rng: np.random.Generator,
    n: np.ndarray,
    p: np.ndarray,
    reps: int,
    small: np.ndarray,
) -> np.ndarray:
    """``reps`` draws of Binomial(n, p) per station, ``(reps, len(n))``, as float32.

    Stations with ``n p (1 - p) >= 25`` use the normal approximation rounded to the nearest
    integer and clipped to [0, n] (the de Moivre–Laplace theorem; with a standard deviation of
    at least 5 counts the rounded normal reproduces the binomial's spread over the 1-count grid
    that integer percentages depend on); the others draw the exact binomial. This keeps the
    whole-country simulation fast.
    """
    mean = (n * p).astype(np.float32)
    sd = np.sqrt(n * p * (1 - p)).astype(np.float32)
    out = rng.standard_normal((reps, n.shape[0]), dtype=np.float32)
    out *= sd
    out += mean
    np.rint(out, out=out)
    np.clip(out, np.float32(0), n.astype(np.float32), out=out)
    if small.any():
        out[:, small] = rng.binomial(
            n[small].astype(np.int64), p[small], size=(reps, int(small.sum()))
        )
    return out


def integer_percentages(
    issued: np.ndarray,
    registered: np.ndarray,
    leader_votes: np.ndarray,
    cast: np.ndarray,
    *,
    region: np.ndarray | None = None,
    n_regions: int | None = None,
    tolerance: float = 0.05,
    min_denominator: int = 100,
    simulations: int = 100,
    seed: int = 0,
    chunk: int = 10,
) -> IntegerPercentagesResult:
    """Excess of whole-number percentages (Kobak, Shpilkin & Pshenichnikov, AoAS 2016).

    A percentage ``v = 100 k / n`` (turnout: k = issued, n = registered; leader: k = its votes,
    n = valid + invalid) counts as whole when ``|v - round(v)| <= tolerance`` percentage points
    (default 0.05: it reads ``NN.0`` at one decimal). Only denominators ``>= min_denominator``
    count (a station of 50 voters has a whole percentage at every other voter).

    Null: each station's count redrawn from ``Binomial(n, k / n)`` independently, ``simulations``
    times from ``numpy.random.Generator(PCG64(seed))`` (a binomial Monte Carlo null in the
    manner of Kobak et al. 2016: it keeps the shape of the distributions but smooths away any
    preference for round numbers). For each count: observed, mean and sd of the simulated counts,
    ``z = (observed - mean) / sd``, and ``p = (1 + #{sim >= observed}) / (1 + sims)``.
    The same simulation gives the expected number of stations whose percentage, rounded to a
    whole number, ends in 0 or 5. See :func:`_binomial_like` for the normal approximation used
    for large stations.
    """
    k_t = np.asarray(issued, dtype=np.float64)
    N = k_t.shape[0]
    if region is None:
        region = np.zeros(N, dtype=np.int64)
        n_regions = 1
    region = np.asarray(region, dtype=np.int64)
    R = int(n_regions if n_regions is not None else (region.max() + 1 if N else 1))
    # Stations in region order, so that per-region counts are differences of cumulative sums.
    order = np.argsort(region, kind="stable")
    region = region[order]
    bounds = np.searchsorted(region, np.arange(R + 1))
    k_t = k_t[order]
    n_t = np.asarray(registered, dtype=np.float64)[order]
    k_l = np.asarray(leader_votes, dtype=np.float64)[order]
    n_l = np.asarray(cast, dtype=np.float64)[order]
    use_t = n_t >= min_denominator
    use_l = n_l >= min_denominator
    # Only the stations with a large enough denominator enter the test (and the simulation).
    it_idx = np.flatnonzero(use_t)
    il_idx = np.flatnonzero(use_l)
    kt0, nt0 = k_t[it_idx], n_t[it_idx]
    kl0, nl0 = k_l[il_idx], n_l[il_idx]

    int_t, r05_t = _percent_flags(kt0, nt0, tolerance)
    int_l, r05_l = _percent_flags(kl0, nl0, tolerance)
    either = np.zeros(N, dtype=bool)
    either[it_idx[int_t]] = True
    either[il_idx[int_l]] = True
    obs_region = np.bincount(region[either], minlength=R)

    rng = np.random.Generator(np.random.PCG64(seed))
    p_t = kt0 / nt0
    p_l = kl0 / nl0
    small_t = nt0 * p_t * (1 - p_t) < 25
    small_l = nl0 * p_l * (1 - p_l) < 25
    sim = np.zeros((simulations, 5))
    sim_region = np.zeros((simulations, R))
    done = 0
    scale_t = (100.0 / nt0).astype(np.float32)
    scale_l = (100.0 / nl0).astype(np.float32)
    cumulative = np.zeros((chunk, N + 1), dtype=np.int32)
    while done < simulations:
        reps = min(chunk, simulations - done)
        v = _binomial_like(rng, nt0, p_t, reps, small_t)
        v *= scale_t
        whole_t, ends_t = _flags_in_place(v, tolerance)
        v = _binomial_like(rng, nl0, p_l, reps, small_l)
        v *= scale_l
        whole_l, ends_l = _flags_in_place(v, tolerance)
        any_whole = np.zeros((reps, N), dtype=bool)
        any_whole[:, it_idx] = whole_t
        any_whole[:, il_idx] |= whole_l
        block = slice(done, done + reps)
        sim[block, 0] = whole_t.sum(axis=1)
        sim[block, 1] = whole_l.sum(axis=1)
        sim[block, 2] = any_whole.sum(axis=1)
        sim[block, 3] = ends_t.sum(axis=1)
        sim[block, 4] = ends_l.sum(axis=1)
        np.cumsum(any_whole, axis=1, dtype=np.int32, out=cumulative[:reps, 1:])
        sim_region[block] = cumulative[:reps, bounds[1:]] - cumulative[:reps, bounds[:-1]]
        done += reps

    def summary(observed: int, simulated: np.ndarray, considered: int) -> IntegerCount:
        mean = float(simulated.mean()) if simulated.shape[0] else float("nan")
        sd = float(simulated.std(ddof=1)) if simulated.shape[0] > 1 else float("nan")
        p = (1 + int((simulated >= observed).sum())) / (1 + simulated.shape[0])
        z = (observed - mean) / sd if sd and sd > 0 else float("nan")
        return IntegerCount(int(observed), mean, sd, p, z, observed - mean, int(considered))

    fine_edges = np.linspace(0.0, 100.0, 1001)
    pct_t = 100.0 * kt0 / nt0
    pct_l = 100.0 * kl0 / nl0
    region_expected = sim_region.mean(axis=0)
    region_p = (1 + (sim_region >= obs_region[None, :]).sum(axis=0)) / (1 + simulations)
    return IntegerPercentagesResult(
        tolerance=tolerance,
        min_denominator=min_denominator,
        simulations=simulations,
        seed=seed,
        turnout=summary(int(int_t.sum()), sim[:, 0], int(use_t.sum())),
        leader=summary(int(int_l.sum()), sim[:, 1], int(use_l.sum())),
        either=summary(int(either.sum()), sim[:, 2], int((use_t | use_l).sum())),
        turnout_round_0_5=summary(int(r05_t.sum()), sim[:, 3], int(use_t.sum())),
        leader_round_0_5=summary(int(r05_l.sum()), sim[:, 4], int(use_l.sum())),
        fine_edges=fine_edges,
        turnout_fine_counts=np.histogram(pct_t, bins=fine_edges)[0],
        leader_fine_counts=np.histogram(pct_l, bins=fine_edges)[0],
        region_either_observed=obs_region,
        region_either_expected=region_expected,
        region_either_p=region_p,
    )


# --- digit tests ---


def benford_second_digit() -> np.ndarray:
    """Benford's law for the second digit d = 0..9: ``q_d = Σ_{k=1}^{9} log10(1 + 1/(10k + d))``
    (Mebane 2006; Hill, "A statistical derivation of the significant-digit law",
    Statistical Science 10(4), 1995). The ten values sum to 1; the mean digit is 4.187."""
    k = np.arange(1, 10)[:, None]
    d = np.arange(10)[None, :]
    return np.log10(1.0 + 1.0 / (10 * k + d)).sum(axis=0)


@dataclass
class DigitTestResult:
    """Observed digit counts against the expected frequencies; Pearson chi-squared, 9 df."""

    name: str
    min_count: int
    n: int
    observed: np.ndarray  # counts of digits 0..9
    expected: np.ndarray  # proportions of digits 0..9
    chi2: float
    df: int
    p_value: float
    mean_digit: float
    expected_mean: float
    note: str


def _chi2(observed: np.ndarray, expected_p: np.ndarray) -> tuple[float, float]:
    n = observed.sum()
    if n == 0:
        return float("nan"), float("nan")
    e = n * expected_p
    chi2 = float(((observed - e) ** 2 / e).sum())
    return chi2, float(stats.chi2.sf(chi2, len(expected_p) - 1))


def _counts_at_least(counts: np.ndarray, min_count: int) -> np.ndarray:
    c = np.asarray(counts, dtype=np.int64).ravel()
    return c[c >= min_count]


def last_digit_test(counts: np.ndarray, *, min_count: int = 10) -> DigitTestResult:
    """Last digits of the counts ``>= min_count`` against the uniform 1/10 each (Beber & Scacco
    2012): Pearson ``χ² = Σ_d (O_d - n/10)² / (n/10)`` with 9 degrees of freedom.

    ``min_count`` (default 10): the last digit of a small count is not uniform even in honest
    data (counts 1–9 have no last digit 0, and small counts are more frequent), so only counts
    with at least two digits are used."""
    c = _counts_at_least(counts, min_count)
    observed = np.bincount(c % 10, minlength=10)
    expected = np.full(10, 0.1)
    chi2, p = _chi2(observed, expected)
    return DigitTestResult(
        name="last_digit",
        min_count=min_count,
        n=int(c.shape[0]),
        observed=observed,
        expected=expected,
        chi2=chi2,
        df=9,
        p_value=p,
        mean_digit=float((c % 10).mean()) if c.shape[0] else float("nan"),
        expected_mean=4.5,
        note=NOTES["last_digit"],
    )


def _second_digits(c: np.ndarray) -> np.ndarray:
    """Second significant digit of each count (all counts >= 10)."""
    digits = np.floor(np.log10(c.astype(np.float64))).astype(np.int64) + 1
    # Guard the float log10 at exact powers of ten (e.g. 1000 -> 4 digits).
    power = 10 ** (digits - 1)
    digits = np.where(power > c, digits - 1, digits)
    digits = np.where(10**digits <= c, digits + 1, digits)
    return (c // 10 ** (digits - 2)) % 10


def second_digit_test(counts: np.ndarray, *, min_count: int = 10) -> DigitTestResult:
    """Second digits of the counts ``>= min_count`` (which have one) against Benford's law
    (:func:`benford_second_digit`; Mebane's 2BL test): Pearson χ² with 9 df, and the mean second
    digit against its expected 4.187."""
    c = _counts_at_least(counts, max(min_count, 10))
    second = _second_digits(c) if c.shape[0] else np.zeros(0, dtype=np.int64)
    observed = np.bincount(second, minlength=10)
    expected = benford_second_digit()
    chi2, p = _chi2(observed, expected)
    return DigitTestResult(
        name="second_digit",
        min_count=max(min_count, 10),
        n=int(c.shape[0]),
        observed=observed,
        expected=expected,
        chi2=chi2,
        df=9,
        p_value=p,
        mean_digit=float(second.mean()) if second.shape[0] else float("nan"),
        expected_mean=float((np.arange(10) * expected).sum()),
        note=NOTES["second_digit"],
    )


# --- round numbers ---


@dataclass
class RoundNumbersResult:
    counts_n: int
    counts_ending_0_5: int
    counts_share: float
    counts_expected_share: float  # 0.2
    counts_p_value: float  # one-sided binomial, excess of 0 and 5
    turnout_percent_share: float  # whole-number turnout percentages ending in 0 or 5
    turnout_percent_expected: float
    turnout_percent_p_value: float
    leader_percent_share: float
    leader_percent_expected: float
    leader_percent_p_value: float
    min_count: int
    note: str = NOTES["round_numbers"]


def round_numbers(
    counts: np.ndarray,
    *,
    min_count: int = 10,
    percentages: IntegerPercentagesResult | None = None,
) -> RoundNumbersResult:
    """Share of counts ``>= min_count`` ending in 0 or 5 against 1/5, with the one-sided
    binomial p-value ``P(X >= observed)``, ``X ~ Binomial(n, 0.2)``; and, from the binomial
    simulation of :func:`integer_percentages`, the share of stations whose turnout or leader's
    share, rounded to a whole percent, ends in 0 or 5, observed against simulated."""
    c = _counts_at_least(counts, min_count)
    hits = int(np.isin(c % 10, (0, 5)).sum())
    n = int(c.shape[0])
    p = float(stats.binom.sf(hits - 1, n, 0.2)) if n else float("nan")
    nan = float("nan")
    t_share = t_exp = t_p = l_share = l_exp = l_p = nan
    if percentages is not None:
        t, lead = percentages.turnout_round_0_5, percentages.leader_round_0_5
        if t.considered:
            t_share, t_exp, t_p = t.observed / t.considered, t.expected / t.considered, t.p_value
        if lead.considered:
            l_share = lead.observed / lead.considered
            l_exp, l_p = lead.expected / lead.considered, lead.p_value
    return RoundNumbersResult(
        counts_n=n,
        counts_ending_0_5=hits,
        counts_share=hits / n if n else nan,
        counts_expected_share=0.2,
        counts_p_value=p,
        turnout_percent_share=t_share,
        turnout_percent_expected=t_exp,
        turnout_percent_p_value=t_p,
        leader_percent_share=l_share,
        leader_percent_expected=l_exp,
        leader_percent_p_value=l_p,
        min_count=min_count,
    )


# --- turnout shape ---


@dataclass
class TurnoutShapeResult:
    n: int
    mean: float
    sd: float
    skewness: float
    excess_kurtosis: float
    dip: float
    dip_p_value: float
    modal_interval: tuple[float, float]
    p_value_method: str
    note: str = NOTES["turnout_shape"]


def turnout_shape(
    turnout: np.ndarray, *, simulations: int = 0, seed: int = 0
) -> TurnoutShapeResult:
    """Moments of the station turnouts (skewness ``g1 = m3 / m2^(3/2)``, excess kurtosis
    ``g2 = m4 / m2² - 3``, with ``m_r`` the r-th central sample moment; Joanes & Gill, "Comparing
    measures of sample skewness and kurtosis", The Statistician 47(1), 1998, the ``g`` forms)
    and Hartigan's dip with its p-value: from the precomputed uniform-null table, or with
    ``simulations > 0`` from that many uniform samples (``electionstats.dip``)."""
    from electionstats.dip import dip_pvalue_simulated

    t = np.asarray(turnout, dtype=np.float64)
    t = t[np.isfinite(t)]
    mean, sd, g1, g2 = _moments(t)
    d = dip_statistic(t)
    if simulations > 0:
        p = dip_pvalue_simulated(d.dip, d.n, reps=simulations, seed=seed)
        method = f"simulation ({simulations} uniform samples, seed {seed})"
    else:
        p = dip_pvalue(d.dip, d.n)
        method = "table of the uniform null (electionstats/_diptable.py)"
    return TurnoutShapeResult(
        n=int(t.shape[0]),
        mean=mean,
        sd=sd,
        skewness=g1,
        excess_kurtosis=g2,
        dip=d.dip,
        dip_p_value=p,
        modal_interval=(d.low, d.high),
        p_value_method=method,
    )


# --- outliers ---

HIGH_BOTH = "high_turnout_and_share"
INTEGER_BOTH = "integer_turnout_and_share"
REGIONAL_Z = "far_above_region"

OUTLIER_REASONS: dict[str, str] = {
    HIGH_BOTH: "Turnout and the leader's share are both very high.",
    INTEGER_BOTH: "Turnout and the leader's share are both whole percentages at a large station.",
    REGIONAL_Z: "Turnout and the leader's share are both far above the rest of the region.",
}


@dataclass
class OutliersResult:
    flagged: int
    by_reason: dict[str, int]
    listed: int
    stations: list[dict[str, Any]]
    thresholds: dict[str, float]
    reasons: dict[str, str] = field(default_factory=lambda: dict(OUTLIER_REASONS))
    note: str = NOTES["outliers"]
    # Per input station: flagged for at least one reason (not part of the JSON output).
    mask: np.ndarray | None = field(default=None, repr=False)


def _robust_z(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """``(x - median_g) / (1.4826 · MAD_g)`` within each group (0 where the MAD is 0)."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    bounds = np.searchsorted(sorted_groups, np.arange(n_groups + 1))
    med = np.zeros(n_groups)
    mad = np.zeros(n_groups)
    for g in range(n_groups):
        part = values[order[bounds[g] : bounds[g + 1]]]
        if part.shape[0]:
            med[g] = np.median(part)
            mad[g] = np.median(np.abs(part - med[g]))
    scale = 1.4826 * mad[groups]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (values - med[groups]) / scale
    return np.where(scale > 0, z, 0.0)


def outliers(
    turnout: np.ndarray,
    share: np.ndarray,
    region: np.ndarray,
    n_regions: int,
    *,
    registered: np.ndarray,
    cast: np.ndarray,
    integer_turnout: np.ndarray | None = None,
    integer_share: np.ndarray | None = None,
    labels: Sequence[str] | None = None,
    region_names: Sequence[str] | None = None,
    index: np.ndarray | None = None,
    high: float = 0.9,
    z_threshold: float = 3.0,
    large: int = 500,
    min_registered: int = 100,
    max_listed: int = 200,
) -> OutliersResult:
    """Stations that stand out, with the reasons:

    - ``high_turnout_and_share``: turnout ``>= high`` and leader's share ``>= high`` at a station
      of ``>= min_registered`` voters;
    - ``integer_turnout_and_share``: both whole percentages (as in :func:`integer_percentages`)
      at a station of ``>= large`` voters and ballots cast;
    - ``far_above_region``: robust z-scores of turnout and of the share within the region
      (median and 1.4826 × median absolute deviation) both ``>= z_threshold``.

    Listed: at most ``max_listed``, most reasons first, then the largest combined z-score.
    """
    turnout = np.asarray(turnout, float)
    share = np.asarray(share, float)
    region = np.asarray(region, dtype=np.int64)
    registered = np.asarray(registered)
    cast = np.asarray(cast)
    z_t = _robust_z(turnout, region, n_regions)
    z_s = _robust_z(share, region, n_regions)
    flags = {
        HIGH_BOTH: (turnout >= high) & (share >= high) & (registered >= min_registered),
        REGIONAL_Z: (z_t >= z_threshold) & (z_s >= z_threshold),
    }
    if integer_turnout is not None and integer_share is not None:
        flags[INTEGER_BOTH] = (
            integer_turnout & integer_share & (registered >= large) & (cast >= large)
        )
    matrix = np.column_stack(list(flags.values()))
    n_reasons = matrix.sum(axis=1)
    any_flag = n_reasons > 0
    candidates = np.flatnonzero(any_flag)
    score = np.where(np.isfinite(z_t + z_s), z_t + z_s, 0.0)
    order = candidates[np.lexsort((-score[candidates], -n_reasons[candidates]))][:max_listed]
    names = list(flags)
    listed = []
    for i in order.tolist():
        listed.append(
            {
                "index": int(index[i]) if index is not None else i,
                "station": labels[i] if labels is not None else str(i),
                "region": region_names[region[i]] if region_names is not None else int(region[i]),
                "registered": int(registered[i]),
                "turnout": float(turnout[i]),
                "leader_share": float(share[i]),
                "z_turnout": float(z_t[i]),
                "z_leader_share": float(z_s[i]),
                "reasons": [names[j] for j in np.flatnonzero(matrix[i])],
            }
        )
    return OutliersResult(
        flagged=int(any_flag.sum()),
        by_reason={name: int(m.sum()) for name, m in flags.items()},
        listed=len(listed),
        stations=listed,
        thresholds={
            "high": high,
            "z": z_threshold,
            "large": large,
            "min_registered": min_registered,
        },
        mask=any_flag,
    )


# --- regions ---


@dataclass
class RegionBreakdown:
    columns: list[str]
    rows: list[dict[str, Any]]
    note: str = NOTES["regions"]


def _digit_chi2_by_group(
    digits: np.ndarray, groups: np.ndarray, n_groups: int, expected: np.ndarray
) -> np.ndarray:
    table = np.bincount(groups * 10 + digits, minlength=n_groups * 10).reshape(n_groups, 10)
    n = table.sum(axis=1, keepdims=True)
    e = n * expected[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = ((table - e) ** 2 / e).sum(axis=1)
    p = stats.chi2.sf(chi2, 9)
    return np.where(n[:, 0] > 0, p, np.nan)


def region_breakdown(
    *,
    region: np.ndarray,
    region_names: Sequence[str],
    issued: np.ndarray,
    registered: np.ndarray,
    leader_votes: np.ndarray,
    cast: np.ndarray,
    votes: np.ndarray,
    integer: IntegerPercentagesResult | None = None,
    flagged: np.ndarray | None = None,
    min_count: int = 10,
    dip_min_stations: int = 10,
) -> RegionBreakdown:
    """Per region: stations, registered voters, turnout and leader's share (ratios of sums),
    mean station turnout, the station-level correlation of turnout and share, the integer
    percentage count against its simulated expectation (from ``integer``), last-digit and
    second-digit p-values, the share of counts ending in 0 or 5, skewness, excess kurtosis,
    the dip and its p-value (regions with at least ``dip_min_stations`` stations), and how many
    stations stand out (``flagged``)."""
    region = np.asarray(region, dtype=np.int64)
    R = len(region_names)
    issued_f, registered_f = issued.astype(float), registered.astype(float)
    leader_f, cast_f = leader_votes.astype(float), cast.astype(float)
    turnout = issued_f / registered_f
    share = leader_f / cast_f
    n_st = np.bincount(region, minlength=R)
    reg = np.bincount(region, weights=registered_f, minlength=R)
    iss = np.bincount(region, weights=issued_f, minlength=R)
    lv = np.bincount(region, weights=leader_f, minlength=R)
    cs = np.bincount(region, weights=cast_f, minlength=R)

    # Digit tests per region, vectorised over all counts.
    k = votes.shape[1]
    counts = votes.ravel()
    count_region = np.repeat(region, k)
    keep = counts >= min_count
    c, cr = counts[keep], count_region[keep]
    last_p = _digit_chi2_by_group(c % 10, cr, R, np.full(10, 0.1))
    second_p = _digit_chi2_by_group(_second_digits(c), cr, R, benford_second_digit())
    n_counts = np.bincount(cr, minlength=R)
    round_counts = np.bincount(cr[np.isin(c % 10, (0, 5))], minlength=R)

    order = np.argsort(region, kind="stable")
    bounds = np.searchsorted(region[order], np.arange(R + 1))
    rows = []
    for g in range(R):
        idx = order[bounds[g] : bounds[g + 1]]
        t, s = turnout[idx], share[idx]
        mean, _sd, g1, g2 = _moments(t)
        if idx.shape[0] >= dip_min_stations:
            d = dip_statistic(t)
            dip, dip_p = d.dip, dip_pvalue(d.dip, d.n)
        else:
            dip = dip_p = float("nan")
        row = {
            "region": region_names[g],
            "stations": int(n_st[g]),
            "registered": int(reg[g]),
            "turnout": float(iss[g] / reg[g]) if reg[g] > 0 else float("nan"),
            "leader_share": float(lv[g] / cs[g]) if cs[g] > 0 else float("nan"),
            "mean_station_turnout": mean,
            "correlation_turnout_share": _pearson(t, s),
            "integer_observed": None,
            "integer_expected": None,
            "integer_p_value": None,
            "last_digit_p_value": float(last_p[g]),
            "second_digit_p_value": float(second_p[g]),
            "counts_ending_0_5_share": (
                float(round_counts[g] / n_counts[g]) if n_counts[g] else float("nan")
            ),
            "skewness": g1,
            "excess_kurtosis": g2,
            "dip": dip,
            "dip_p_value": dip_p,
            "stations_flagged": int(flagged[idx].sum()) if flagged is not None else None,
        }
        if integer is not None and integer.region_either_observed.shape[0] == R:
            row["integer_observed"] = int(integer.region_either_observed[g])
            row["integer_expected"] = float(integer.region_either_expected[g])
            row["integer_p_value"] = float(integer.region_either_p[g])
        rows.append(row)
    columns = list(rows[0]) if rows else []
    return RegionBreakdown(columns=columns, rows=rows)


# --- the suite ---


def usable_stations(table: Any, leader: int) -> tuple[np.ndarray, dict[str, int]]:
    """Stations the station-level statistics can use, and why the others cannot."""
    cast = table.valid + table.invalid
    reasons = {
        "registered_zero": table.registered <= 0,
        "no_ballots_cast": cast <= 0,
        "issued_over_registered": table.issued > table.registered,
        "negative_count": (table.issued < 0) | (table.invalid < 0) | (table.votes < 0).any(axis=1),
        "leader_over_cast": table.votes[:, leader] > cast,
    }
    bad = np.zeros(len(table), dtype=bool)
    for mask in reasons.values():
        bad |= mask
    return ~bad, {name: int(mask.sum()) for name, mask in reasons.items()}


def run_suite(
    table: Any,
    *,
    leader: str | int | None = None,
    seed: int = 0,
    simulations: int = 100,
    tolerance: float = 0.05,
    min_denominator: int = 100,
    min_count: int = 10,
    bins: int = 100,
    max_outliers: int = 200,
) -> dict[str, Any]:
    """Run every test on a ``layouts.ResultsTable``; a JSON-serialisable dict.

    ``leader``: option name or index (default: the most votes in the table). ``seed`` and
    ``simulations`` drive the integer-percentage simulation (recorded in the output).
    """
    timings: dict[str, float] = {}
    cpu_timings: dict[str, float] = {}
    t_start = time.perf_counter()
    cpu_start = cpu_last = time.process_time()

    def tick(name: str, since: float) -> float:
        nonlocal cpu_last
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[name] = round(1000 * (now - since), 1)
        cpu_timings[name] = round(1000 * (cpu_now - cpu_last), 1)
        cpu_last = cpu_now
        return now

    if leader is None:
        j = table.leader()
    elif isinstance(leader, str):
        j = table.options.index(leader)
    else:
        j = int(leader)
    ok, excluded = usable_stations(table, j)
    idx = np.flatnonzero(ok)
    issued = table.issued[idx]
    registered = table.registered[idx]
    cast = (table.valid + table.invalid)[idx]
    leader_votes = table.votes[idx, j]
    votes = table.votes[idx]
    region = table.region[idx].astype(np.int64)
    R = len(table.region_names)
    turnout = issued / registered
    share = leader_votes / cast
    t = tick("prepare", t_start)

    dist = distributions(issued, registered, leader_votes, cast, leader=table.options[j], bins=bins)
    t = tick("distributions", t)
    fp = fingerprint(turnout, share, leader_votes=leader_votes, bins=bins)
    t = tick("fingerprint", t)
    integer = integer_percentages(
        issued,
        registered,
        leader_votes,
        cast,
        region=region,
        n_regions=R,
        tolerance=tolerance,
        min_denominator=min_denominator,
        simulations=simulations,
        seed=seed,
    )
    t = tick("integer_percentages", t)
    last = last_digit_test(votes, min_count=min_count)
    second = second_digit_test(votes, min_count=min_count)
    rounds = round_numbers(votes, min_count=min_count, percentages=integer)
    t = tick("digits", t)
    shape = turnout_shape(turnout)
    t = tick("turnout_shape", t)
    int_t, _ = _percent_flags(issued, registered, tolerance)
    int_s, _ = _percent_flags(leader_votes, cast, tolerance)
    out = outliers(
        turnout,
        share,
        region,
        R,
        registered=registered,
        cast=cast,
        integer_turnout=int_t,
        integer_share=int_s,
        labels=_Labels(table, idx),
        region_names=table.region_names,
        index=idx,
        max_listed=max_outliers,
    )
    flagged = out.mask
    t = tick("outliers", t)
    regions = region_breakdown(
        region=region,
        region_names=table.region_names,
        issued=issued,
        registered=registered,
        leader_votes=leader_votes,
        cast=cast,
        votes=votes,
        integer=integer,
        flagged=flagged,
        min_count=min_count,
    )
    t = tick("regions", t)
    timings["total"] = round(1000 * (time.perf_counter() - t_start), 1)
    cpu_timings["total"] = round(1000 * (time.process_time() - cpu_start), 1)
    result = {
        "summary": {
            "layout": table.layout,
            "source": table.source,
            "stations": len(table),
            "stations_used": int(idx.shape[0]),
            "excluded": excluded,
            "row_failures": table.failure_counts(),
            "leader": table.options[j],
            "turnout": dist.turnout.aggregate,
            "leader_share": dist.leader_share.aggregate,
        },
        "parameters": {
            "seed": seed,
            "simulations": simulations,
            "tolerance_points": tolerance,
            "min_denominator": min_denominator,
            "min_count": min_count,
            "bins": bins,
        },
        "distributions": asdict(dist),
        "fingerprint": asdict(fp),
        "integer_percentages": asdict(integer),
        "last_digit": asdict(last),
        "second_digit": asdict(second),
        "round_numbers": asdict(rounds),
        "turnout_shape": asdict(shape),
        "outliers": {k: v for k, v in asdict(out).items() if k != "mask"},
        "regions": asdict(regions),
        "notes": dict(NOTES),
        "timing_ms": timings,
        "timing_cpu_ms": cpu_timings,
    }
    return _jsonable(result)


class _Labels(Sequence[str]):
    """Station labels built on demand (only the listed outliers need one)."""

    def __init__(self, table: Any, index: np.ndarray) -> None:
        self.table = table
        self.index = index

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def __getitem__(self, i: Any) -> Any:
        return self.table.label(int(self.index[i]))


def main(argv: Sequence[str] | None = None) -> int:
    from electionstats.layouts import LAYOUTS, read_layout

    parser = argparse.ArgumentParser(
        prog="python -m electionstats.forensics",
        description="Run the election forensics suite on a results file; print JSON.",
    )
    parser.add_argument("file")
    parser.add_argument("--layout", required=True, choices=LAYOUTS)
    parser.add_argument("--leader", help="option name (default: the most votes)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--simulations", type=int, default=100)
    parser.add_argument("--indent", type=int, default=None)
    args = parser.parse_args(argv)
    table = read_layout(args.file, args.layout)
    result = run_suite(table, leader=args.leader, seed=args.seed, simulations=args.simulations)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=args.indent, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
