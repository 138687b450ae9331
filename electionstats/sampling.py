"""Stratified random samples of polling stations, and the sample-size calculator.

A quick count observes a random sample of polling stations. The sample is stratified (e.g. by
region): within each stratum ``h`` of ``N_h`` stations, ``n_h`` stations are drawn by simple
random sampling without replacement, independently across strata (Cochran, *Sampling
Techniques*, 3rd ed., 1977, ch. 5; Lohr, *Sampling: Design and Analysis*, 2nd ed., 2010, ch. 3).

Reproducibility: every draw comes from ``numpy.random.Generator(PCG64(seed))`` with the seed
recorded on the sample, so the same frame and seed give the same stations again (for audit), and
another seed gives another sample. The draw gives each station a uniform random key and takes,
in each stratum, the ``n_h`` stations with the smallest keys (an SRS without replacement of
size ``n_h``); the next keys in order form the stratum's reserve list.

Allocation (:func:`allocate`): proportional to stratum size (stations), or to another size
measure such as registered voters, with at least ``minimum`` (default 2: the least that lets the
within-stratum variance be estimated) per non-empty stratum and at most ``N_h``; the remainder is
shared by the largest-remainder rule so that the total is exactly ``n``.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

__all__ = [
    "SampleSize",
    "StratifiedSample",
    "allocate",
    "design_effect_from_results",
    "draw_stratified_sample",
    "new_seed",
    "sample_size",
]


def new_seed() -> int:
    """A fresh 63-bit seed from the operating system, to be recorded with the sample."""
    return secrets.randbits(63)


def allocate(
    population: Sequence[int] | np.ndarray,
    n: int,
    *,
    weights: Sequence[float] | np.ndarray | None = None,
    minimum: int = 2,
) -> np.ndarray:
    """Sample size per stratum: ``n_h`` proportional to ``weights`` (default: ``population``).

    Constraints: ``min(minimum, N_h) <= n_h <= N_h`` for every stratum with ``N_h > 0``, and
    ``n_h = 0`` where ``N_h = 0``. The continuous allocation ``n_h = clip(λ w_h, lo_h, N_h)``
    with ``Σ n_h = n`` is found by fixing strata at a bound and re-sharing the rest until no
    bound is violated; it is rounded to integers by the largest-remainder (Hamilton) rule.

    When ``n`` is smaller than ``Σ min(minimum, N_h)`` the minimums win and the total exceeds
    ``n``; when ``n >= Σ N_h`` every station is taken (a census).
    """
    N = np.asarray(population, dtype=np.int64)
    if (N < 0).any():
        raise ValueError("stratum sizes must be >= 0")
    w = N.astype(np.float64) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != N.shape:
        raise ValueError("weights and population must have the same length")
    if (w < 0).any():
        raise ValueError("weights must be >= 0")
    lo = np.minimum(minimum, N).astype(np.float64)
    hi = N.astype(np.float64)
    total = float(n)
    if total >= hi.sum():
        return N.copy()
    if total <= lo.sum():
        return lo.astype(np.int64)
    alloc = np.zeros_like(hi)
    free = N > 0
    fixed = ~free
    alloc[fixed] = 0.0
    for _ in range(len(N) + 1):
        remaining = total - alloc[fixed].sum()
        wf = np.where(free, w, 0.0)
        if wf.sum() <= 0:
            # No weight left among free strata: share what remains equally among them.
            wf = free.astype(np.float64)
        alloc[free] = remaining * wf[free] / wf.sum()
        below = free & (alloc < lo)
        above = free & (alloc > hi)
        if not below.any() and not above.any():
            break
        # Fix the strata that break a bound the most (all of the violated side), then repeat.
        if below.any():
            alloc[below] = lo[below]
            free &= ~below
            fixed |= below
        if above.any():
            alloc[above] = hi[above]
            free &= ~above
            fixed |= above
        if not free.any():
            break
    base = np.floor(alloc + 1e-9)
    base = np.clip(base, lo, hi)
    short = round(total - base.sum())
    if short > 0:
        remainder = alloc - base
        room = base < hi
        order = np.lexsort((np.arange(len(N)), -remainder))
        for h in order:
            if short == 0:
                break
            if room[h]:
                base[h] += 1
                short -= 1
    return base.astype(np.int64)


@dataclass(frozen=True)
class StratifiedSample:
    """A drawn sample: which stations (indices into the frame), from which seed, how allocated."""

    seed: int
    allocation: str
    stratum_names: list[str]
    population: np.ndarray  # N_h, stations per stratum in the frame
    size: np.ndarray  # n_h, stations drawn per stratum
    stations: np.ndarray  # sorted indices of the sampled stations in the frame
    strata: np.ndarray  # stratum code of every station in the frame (N,)
    reserve: dict[str, list[int]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.size.sum())

    def in_sample(self) -> np.ndarray:
        """Boolean mask over the frame."""
        mask = np.zeros(self.strata.shape[0], dtype=bool)
        mask[self.stations] = True
        return mask

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "allocation": self.allocation,
            "n": self.n,
            "strata": [
                {"name": name, "population": int(N), "sample": int(n)}
                for name, N, n in zip(self.stratum_names, self.population, self.size, strict=True)
            ],
            "stations": self.stations.tolist(),
            "reserve": self.reserve,
        }


def _stratum_codes(strata: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes 0..H-1 in order of first appearance, and the labels as strings."""
    if isinstance(strata, np.ndarray):
        values, first, inverse = np.unique(strata, return_index=True, return_inverse=True)
        order = np.argsort(first)
        rank = np.empty_like(order)
        rank[order] = np.arange(order.shape[0])
        return rank[inverse].astype(np.int64), [str(v) for v in values[order].tolist()]
    index: dict[Any, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in strata), dtype=np.int64, count=len(strata)
    )
    return codes, [str(k) for k in index]


def draw_stratified_sample(
    strata: Sequence[Any] | np.ndarray,
    n: int,
    seed: int | None = None,
    *,
    size_measure: Sequence[float] | np.ndarray | None = None,
    minimum: int = 2,
    reserve: int = 0,
) -> StratifiedSample:
    """Draw a stratified random sample of about ``n`` stations (exactly ``n`` when feasible).

    ``strata``: one label per station of the frame, in the frame's order (the sample refers to
    stations by their position). ``size_measure``: per-station measure (e.g. registered voters)
    to allocate proportionally to its stratum total; default: to the number of stations.
    ``seed``: recorded on the result; ``None`` draws a fresh one with :func:`new_seed`.
    ``reserve``: how many replacement stations to list per stratum (next in random order).
    """
    if seed is None:
        seed = new_seed()
    codes, names = _stratum_codes(strata)
    H = len(names)
    population = np.bincount(codes, minlength=H)
    if size_measure is None:
        weights = population.astype(np.float64)
        allocation = "stations"
    else:
        measure = np.asarray(size_measure, dtype=np.float64)
        if measure.shape != codes.shape:
            raise ValueError("size_measure must have one value per station")
        weights = np.bincount(codes, weights=measure, minlength=H)
        allocation = "size_measure"
    size = allocate(population, n, weights=weights, minimum=minimum)
    rng = np.random.Generator(np.random.PCG64(seed))
    keys = rng.random(codes.shape[0])
    order = np.lexsort((keys, codes))  # by stratum, then by random key
    starts = np.concatenate(([0], np.cumsum(population)[:-1]))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0]) - starts[codes[order]]
    chosen = np.flatnonzero(rank < size[codes])
    reserves: dict[str, list[int]] = {}
    if reserve > 0:
        for h in range(H):
            lo = starts[h] + size[h]
            hi = min(starts[h] + population[h], lo + reserve)
            reserves[names[h]] = order[lo:hi].tolist()
    return StratifiedSample(
        seed=int(seed),
        allocation=allocation,
        stratum_names=names,
        population=population,
        size=size,
        stations=chosen,
        strata=codes,
        reserve=reserves,
    )


@dataclass(frozen=True)
class SampleSize:
    """Result of :func:`sample_size` (``n`` is what to draw; the rest shows the working)."""

    n: int
    n0: float
    z: float
    margin: float
    confidence: float
    p: float
    deff: float
    population: int | None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def sample_size(
    margin: float,
    confidence: float = 0.95,
    *,
    p: float = 0.5,
    deff: float = 1.0,
    population: int | None = None,
) -> SampleSize:
    """Stations to sample for a margin of error ``margin`` (e.g. 0.02 = ±2 points).

    ``n0 = z² · p(1 - p) · deff / E²`` with ``z`` the two-sided normal quantile of
    ``confidence``; with a finite population of ``N`` stations the finite population correction
    gives ``n = n0 / (1 + (n0 - 1) / N)`` (Cochran 1977, ch. 4 "The estimation of sample size",
    §4.4, the formula for n for proportions; Lohr 2010, ch. 2, uses ``n0 / (1 + n0 / N)``, which
    differs by under one station), rounded up.

    Units are stations: ``p(1 - p)`` (largest at p = 0.5) stands for the between-station
    variance of the station-level share, and ``deff`` scales it. ``deff = 1`` is the usual
    conservative rule of thumb; the actual station-level variance of a share is usually much
    smaller, and :func:`design_effect_from_results` estimates the factor from a past election's
    per-station results (then ``deff`` < 1 is normal). The stratified design usually does
    better still, so this errs on the safe side.
    """
    if not 0 < margin < 1:
        raise ValueError("margin must be between 0 and 1 (a proportion, e.g. 0.02)")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    if deff <= 0:
        raise ValueError("deff must be positive")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    n0 = z * z * p * (1 - p) * deff / (margin * margin)
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    n_int = max(1, math.ceil(n - 1e-9))
    if population is not None:
        n_int = min(n_int, int(population))
    return SampleSize(
        n=n_int,
        n0=n0,
        z=z,
        margin=margin,
        confidence=confidence,
        p=p,
        deff=deff,
        population=population,
    )


def design_effect_from_results(y: np.ndarray, x: np.ndarray) -> float:
    """The ``deff`` of :func:`sample_size` implied by past per-station results.

    For a ratio ``R = Σy / Σx`` (e.g. a party's votes over ballots cast), the variance of the
    ratio estimate from ``n`` stations drawn at random is ``S_e² / (n x̄²)`` with
    ``e_i = y_i - R x_i`` (Cochran 1977, ch. 6, the approximate variance of the ratio
    estimate, finite population correction left out). Setting this equal to
    ``p(1 - p) deff / n`` gives ``deff = S_e² / (x̄² R (1 - R))``.
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    R = y.sum() / x.sum()
    e = y - R * x
    s2 = e.var(ddof=1)
    if R <= 0 or R >= 1:
        raise ValueError("the ratio must be strictly between 0 and 1")
    return float(s2 / (x.mean() ** 2 * R * (1 - R)))
