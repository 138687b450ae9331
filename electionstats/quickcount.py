"""Quick-count estimates: shares, turnout and invalid ballots from a stratified station sample.

Every quantity is a ratio of two station totals, ``R = Y / X``:

- an option's share: ``y`` = the option's votes, ``x`` = valid + invalid ballots;
- turnout: ``y`` = ballots issued, ``x`` = registered voters;
- the invalid share: ``y`` = invalid ballots, ``x`` = valid + invalid ballots.

Estimator (combined ratio estimate, Cochran, *Sampling Techniques*, 3rd ed., 1977, §6.11;
Lohr, *Sampling: Design and Analysis*, 2nd ed., 2010, ch. 4, ratio estimation with stratified
samples). With strata ``h``, ``N_h`` stations in the frame, ``n_h`` reported sample stations,
``W_h = N_h / N`` and the sample means ``ȳ_h``, ``x̄_h``::

    R̂ = Σ_h W_h ȳ_h / Σ_h W_h x̄_h = Σ_h N_h ȳ_h / Σ_h N_h x̄_h

Linearised (Taylor) variance, with the finite population correction counted in stations::

    v(R̂) = 1 / X̂² · Σ_h N_h² (1 - n_h / N_h) s²_eh / n_h,    X̂ = Σ_h N_h x̄_h,
    s²_eh = 1 / (n_h - 1) · Σ_i (e_hi - ē_h)²,                e_hi = y_hi - R̂ x_hi

(Cochran 1977, §6.11: the variance of the combined estimate ``Σ N_h² (1 - f_h) / n_h ·
(S²_yh + R² S²_xh - 2 R S_yxh)``, divided by ``X²``; ``s²_eh`` is the same expression.)
Margins: ``t_{1-α/2, df} · √v`` with ``df = n - H`` (reported stations minus strata with
reports; Lohr 2010, ch. 3, degrees of freedom for a stratified sample) at 95% and 99%; for large
samples this is the normal margin. Intervals are clipped to [0, 1].

Per stratum: the ratio estimate within the stratum (an SRS): ``R̂_h = ȳ_h / x̄_h`` with
``v = (1 - n_h / N_h) s²_eh / (n_h x̄_h²)`` (Cochran 1977, ch. 6, the ratio estimate in simple
random sampling). Per region (or any grouping of the frame, ``Frame.groups``): the combined
estimate over the cells stratum × region, each cell treated as a stratum of known size
``N_hg`` (given ``n_hg``, the reported stations of a cell are a simple random sample of it, so
this is post-stratification within the domain).

Few reports — never a margin of zero from a tiny sample. For every estimate (overall, stratum,
region), the first of these rules that applies:

1. no reports: no estimate (NaN) and the reason ``no_reports``;
2. fewer than 2 reports, or a computed variance of 0 while not every station has reported:
   the conservative variance ``0.25 · (1 - n / N) / n`` (a proportion at p = 0.5 per station,
   as in ``sampling.sample_size`` with ``deff = 1``), ``df = max(n - 1, 1)``; reason
   ``fewer_than_2_reports`` / ``zero_variance``;
3. fewer than ``min_reports`` (default 30) reports: the larger of the computed variance and the
   variance the whole sample's spread would give, ``(1 - n / N) s²_e,all / (n x̄²)`` where
   ``s²_e,all`` is the residual variance over all reported stations ignoring strata (which
   includes the between-strata spread, so is larger); when the whole sample is itself below
   ``min_reports`` the rule-2 variance is used instead. Reason ``few_reports`` when the fallback
   is the larger.

A stratum (cell) with a single report inside a larger estimate gets, in place of its
within-stratum variance, the residual variance pooled over all the estimate's reported stations
(the collapsed-strata idea, Cochran 1977, ch. 5A). Strata without reports are left out of
``Σ N_h ȳ_h`` and ``Σ N_h x̄_h``: the estimate then assumes they resemble the strata that have
reported, which the warnings say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from scipy import special

__all__ = [
    "ConvergenceSeries",
    "Estimate",
    "Flag",
    "Frame",
    "QuickCountResult",
    "Reports",
    "combined_ratio",
    "convergence",
    "estimate",
    "population_ratios",
]

TURNOUT = "turnout"
INVALID = "invalid"

# Reasons and warnings: code -> plain-language text (constants, so the UI can translate them).
NO_REPORTS = "no_reports"
FEWER_THAN_2 = "fewer_than_2_reports"
ZERO_VARIANCE = "zero_variance"
FEW_REPORTS = "few_reports"
STRATA_ONE_REPORT = "strata_with_one_report"
STRATA_NO_REPORTS = "strata_without_reports"

MESSAGES: dict[str, str] = {
    NO_REPORTS: "No sample station has reported yet: no estimate.",
    FEWER_THAN_2: (
        "Fewer than two stations have reported: the margin uses a conservative worst-case "
        "variance (a proportion of 50% at every station), not the data."
    ),
    ZERO_VARIANCE: (
        "The reported stations agree exactly, which a sample cannot show for the whole "
        "population: the margin uses a conservative worst-case variance."
    ),
    FEW_REPORTS: (
        "Fewer reports than the minimum for a reliable margin: the margin uses the larger of the "
        "computed variance and a conservative one (the spread across the whole sample)."
    ),
    STRATA_ONE_REPORT: (
        "Strata with a single report: their variance is pooled from the other reports."
    ),
    STRATA_NO_REPORTS: (
        "Strata without any report are left out; the estimate assumes they vote like the strata "
        "that have reported."
    ),
}


@dataclass(frozen=True)
class Frame:
    """The population of stations: a stratum code per station, and optionally a group (region).

    Station ``i`` of the frame is the ``i``-th station of the results table / sampling frame;
    reports refer to stations by this index.
    """

    strata: np.ndarray
    stratum_names: list[str]
    groups: np.ndarray | None = None
    group_names: list[str] | None = None

    @classmethod
    def from_labels(
        cls, strata: Sequence[Any] | np.ndarray, groups: Sequence[Any] | np.ndarray | None = None
    ) -> Frame:
        codes, names = _codes(strata)
        if groups is None:
            return cls(codes, names)
        g_codes, g_names = _codes(groups)
        if g_codes.shape != codes.shape:
            raise ValueError("strata and groups must have one label per station")
        return cls(codes, names, g_codes, g_names)

    @property
    def N(self) -> int:
        return int(self.strata.shape[0])

    def population(self) -> np.ndarray:
        """``N_h``: stations per stratum."""
        return self._population

    @cached_property
    def _population(self) -> np.ndarray:
        return np.bincount(self.strata, minlength=len(self.stratum_names))

    @cached_property
    def _cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cells stratum × group: cell of each station, stations per cell, group of each cell."""
        assert self.groups is not None and self.group_names is not None
        G = len(self.group_names)
        cell_values, cell_of_station = np.unique(self.strata * G + self.groups, return_inverse=True)
        N_cell = np.bincount(cell_of_station, minlength=cell_values.shape[0])
        return cell_of_station, N_cell, cell_values % G


def _codes(values: Sequence[Any] | np.ndarray) -> tuple[np.ndarray, list[str]]:
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    index: dict[Any, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in items), dtype=np.int64, count=len(items)
    )
    return codes, [str(k) for k in index]


@dataclass
class Reports:
    """Reported sample stations (in arrival order): frame index and protocol numbers."""

    station: np.ndarray
    registered: np.ndarray
    issued: np.ndarray
    invalid: np.ndarray
    votes: np.ndarray
    options: list[str]
    valid: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.station = np.asarray(self.station, dtype=np.int64)
        self.registered = np.asarray(self.registered, dtype=np.float64)
        self.issued = np.asarray(self.issued, dtype=np.float64)
        self.invalid = np.asarray(self.invalid, dtype=np.float64)
        self.votes = np.asarray(self.votes, dtype=np.float64).reshape(
            self.station.shape[0], len(self.options)
        )
        if self.valid is None:
            self.valid = self.votes.sum(axis=1)
        else:
            self.valid = np.asarray(self.valid, dtype=np.float64)
        if self.votes.shape[1] != len(self.options):
            raise ValueError("one vote column per option is needed")

    def __len__(self) -> int:
        return int(self.station.shape[0])

    @classmethod
    def from_table(cls, table: Any, stations: Sequence[int] | np.ndarray) -> Reports:
        """Reports for the given rows of a ``layouts.ResultsTable`` (in the given order)."""
        idx = np.asarray(stations, dtype=np.int64)
        return cls(
            station=idx,
            registered=table.registered[idx],
            issued=table.issued[idx],
            invalid=table.invalid[idx],
            votes=table.votes[idx],
            options=list(table.options),
            valid=table.valid[idx],
        )

    def take(self, index: Sequence[int] | np.ndarray | slice) -> Reports:
        assert self.valid is not None
        return Reports(
            station=self.station[index],
            registered=self.registered[index],
            issued=self.issued[index],
            invalid=self.invalid[index],
            votes=self.votes[index],
            options=self.options,
            valid=self.valid[index],
        )

    def quantities(self) -> list[str]:
        return [TURNOUT, INVALID, *self.options]

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """``y`` and ``x`` per quantity, each ``(n, 2 + k)``, in :meth:`quantities` order."""
        assert self.valid is not None
        cast = self.valid + self.invalid
        k = self.votes.shape[1]
        y = np.column_stack([self.issued, self.invalid, self.votes])
        x = np.column_stack([self.registered, cast, np.repeat(cast[:, None], k, axis=1)])
        return y, x


@dataclass(slots=True)
class Estimate:
    """One estimated ratio with its standard error and margins (proportions, not percent)."""

    quantity: str
    estimate: float
    se: float
    df: int
    margin95: float
    margin99: float
    low95: float
    high95: float
    low99: float
    high99: float
    n: int
    population: int
    strata_reported: int
    fallback: str | None = None


@dataclass(frozen=True)
class Flag:
    """A warning about the estimate: code, plain-language message, the strata concerned."""

    code: str
    message: str
    items: list[str] = field(default_factory=list)


@dataclass
class QuickCountResult:
    quantities: list[str]
    overall: dict[str, Estimate]
    by_stratum: dict[str, dict[str, Estimate]]
    by_group: dict[str, dict[str, Estimate]]
    warnings: list[Flag]
    n_reported: int
    n_population: int
    min_reports: int

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return f if np.isfinite(f) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


# --- the core computation ------------------------------------------------------------------------


@dataclass
class _Aggregated:
    """Vectorised results for A aggregates × q quantities."""

    R: np.ndarray  # (A, q)
    var: np.ndarray  # (A, q)
    df: np.ndarray  # (A, q)
    n: np.ndarray  # (A,)
    N: np.ndarray  # (A,)
    cells_reported: np.ndarray  # (A,)
    fallback: np.ndarray  # (A, q) object: reason or None


class _Grouper:
    """Sums of rows by cell code, via one stable sort and ``np.add.reduceat`` (fast)."""

    def __init__(self, cell: np.ndarray, C: int) -> None:
        self.C = C
        self.order = np.argsort(cell, kind="stable")
        sorted_cell = cell[self.order]
        if sorted_cell.shape[0]:
            change = np.flatnonzero(np.diff(sorted_cell)) + 1
            self.starts = np.concatenate(([0], change))
            self.present = sorted_cell[self.starts]
        else:
            self.starts = np.zeros(0, dtype=np.int64)
            self.present = np.zeros(0, dtype=np.int64)

    def sums(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros((self.C, values.shape[1]))
        if self.starts.shape[0]:
            out[self.present] = np.add.reduceat(values[self.order], self.starts, axis=0)
        return out


def _aggregate(
    y: np.ndarray,
    x: np.ndarray,
    cell: np.ndarray,
    N_cell: np.ndarray,
    agg_of_cell: np.ndarray,
    A: int,
    *,
    min_reports: int,
    global_moments: tuple[np.ndarray, ...] | None,
) -> _Aggregated:
    """Combined ratio estimates for A aggregates of cells (each cell a stratum).

    ``cell``: cell code of each report; ``N_cell``: stations per cell; ``agg_of_cell``: aggregate
    of each cell (-1: none). ``global_moments``: (n, ȳ, x̄, Myy, Mxy, Mxx) of the whole sample,
    for the ``few_reports`` fallback.
    """
    C = N_cell.shape[0]
    q = y.shape[1]
    n_c = np.bincount(cell, minlength=C).astype(np.float64)
    grouper = _Grouper(cell, C)
    Sy = grouper.sums(y)
    Sx = grouper.sums(x)
    has = n_c > 0
    safe_n = np.where(has, n_c, 1.0)[:, None]
    ybar_c = Sy / safe_n
    xbar_c = Sx / safe_n
    dy = y - ybar_c[cell]
    dx = x - xbar_c[cell]
    Myy = grouper.sums(dy * dy)
    Mxy = grouper.sums(dx * dy)
    Mxx = grouper.sums(dx * dx)

    valid_cell = agg_of_cell >= 0
    agg = np.where(valid_cell, agg_of_cell, 0)
    w_cells = (valid_cell & has).astype(np.float64)

    # Sum over the reported cells of each aggregate: a (A, C) 0/1 matrix product.
    member = np.zeros((A, C))
    member[agg, np.arange(C)] = w_cells

    def per_agg(values: np.ndarray) -> np.ndarray:
        return member @ values

    Nc = N_cell.astype(np.float64)
    Y_hat = per_agg(Nc[:, None] * ybar_c)
    X_hat = per_agg(Nc[:, None] * xbar_c)
    with np.errstate(divide="ignore", invalid="ignore"):
        R = Y_hat / X_hat
    n_a = per_agg(n_c)
    N_all = np.bincount(agg[valid_cell], weights=Nc[valid_cell], minlength=A).astype(np.float64)
    cells_reported = per_agg(np.ones(C))

    # Aggregate-level moments around the aggregate means (parallel-axis theorem), for pooling.
    safe_na = np.where(n_a > 0, n_a, 1.0)[:, None]
    ybar_a = per_agg(Sy) / safe_na
    xbar_a = per_agg(Sx) / safe_na
    ddy = ybar_c - ybar_a[agg]
    ddx = xbar_c - xbar_a[agg]
    Ayy = per_agg(Myy + n_c[:, None] * ddy * ddy)
    Axy = per_agg(Mxy + n_c[:, None] * ddx * ddy)
    Axx = per_agg(Mxx + n_c[:, None] * ddx * ddx)
    Rc = R[agg]  # the aggregate's ratio, per cell
    with np.errstate(divide="ignore", invalid="ignore"):
        s2_pool = (Ayy - 2 * R * Axy + R * R * Axx) / (n_a[:, None] - 1)
        s2_cell = (Myy - 2 * Rc * Mxy + Rc * Rc * Mxx) / (n_c[:, None] - 1)
    single = n_c == 1
    s2_cell = np.where(single[:, None], s2_pool[agg], s2_cell)
    s2_cell = np.where(has[:, None], np.maximum(s2_cell, 0.0), 0.0)
    fpc = np.where(has, 1.0 - n_c / np.where(Nc > 0, Nc, 1.0), 0.0)
    contrib = (Nc * Nc * fpc / np.where(has, n_c, 1.0))[:, None] * s2_cell
    with np.errstate(divide="ignore", invalid="ignore"):
        var = per_agg(contrib) / (X_hat * X_hat)
    df = np.repeat(np.maximum(n_a - cells_reported, 1.0)[:, None], q, axis=1)

    # Fallbacks, in the order of the module docstring.
    fallback = np.full((A, q), None, dtype=object)
    f_a = np.where(N_all > 0, n_a / np.where(N_all > 0, N_all, 1.0), 1.0)
    var0 = 0.25 * np.maximum(1.0 - f_a, 0.0) / np.where(n_a > 0, n_a, 1.0)
    census = n_a >= N_all
    # Rule 2 (zero variance) is decided on the computed variance, before rule 3.
    zero = (var <= 0) & ~census[:, None] & (n_a >= 2)[:, None]
    var = np.where(zero, var0[:, None], var)
    fallback[zero] = ZERO_VARIANCE
    few = (n_a < min_reports) & ~census & (n_a >= 2)
    if global_moments is not None and few.any():
        g_n, _g_ybar, _g_xbar, g_yy, g_xy, g_xx = global_moments
        if g_n >= min_reports:
            with np.errstate(divide="ignore", invalid="ignore"):
                s2_all = (g_yy - 2 * R * g_xy + R * R * g_xx) / (g_n - 1)
                xbar_hat = X_hat / np.where(N_all > 0, N_all, 1.0)[:, None]
                var_pool = (
                    np.maximum(1.0 - f_a, 0.0)[:, None]
                    * np.maximum(s2_all, 0.0)
                    / (np.where(n_a > 0, n_a, 1.0)[:, None] * xbar_hat * xbar_hat)
                )
        else:
            var_pool = np.broadcast_to(var0[:, None], (A, q))
        use = few[:, None] & ~zero & (var_pool > var)
        var = np.where(use, var_pool, var)
        fallback[use] = FEW_REPORTS
    one = n_a == 1
    var[one] = var0[one][:, None]
    fallback[one] = FEWER_THAN_2
    df = np.where(one[:, None] | zero, np.maximum(n_a - 1, 1)[:, None], df)
    none = n_a == 0
    R[none] = np.nan
    var[none] = np.nan
    fallback[none] = NO_REPORTS
    return _Aggregated(
        R=R, var=var, df=df, n=n_a, N=N_all, cells_reported=cells_reported, fallback=fallback
    )


def _global_moments(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, ...]:
    n = y.shape[0]
    ybar = y.mean(axis=0) if n else np.zeros(y.shape[1])
    xbar = x.mean(axis=0) if n else np.zeros(x.shape[1])
    dy, dx = y - ybar, x - xbar
    return (
        np.float64(n),
        ybar,
        xbar,
        (dy * dy).sum(axis=0),
        (dx * dy).sum(axis=0),
        (dx * dx).sum(axis=0),
    )


def _estimates(
    agg: _Aggregated, quantities: Sequence[str], t95: np.ndarray, t99: np.ndarray
) -> list[dict[str, Estimate]]:
    """One ``{quantity: Estimate}`` per aggregate (vectorised; Python floats in the result)."""
    R = agg.R
    with np.errstate(invalid="ignore"):
        se = np.sqrt(agg.var)
    m95 = t95 * se
    m99 = t99 * se
    inside = (R >= 0.0) & (R <= 1.0)
    lo = np.where(inside, 0.0, -np.inf)
    hi = np.where(inside, 1.0, np.inf)
    with np.errstate(invalid="ignore"):
        columns = [
            R,
            se,
            m95,
            m99,
            np.clip(R - m95, lo, hi),
            np.clip(R + m95, lo, hi),
            np.clip(R - m99, lo, hi),
            np.clip(R + m99, lo, hi),
        ]
    lists = [c.tolist() for c in columns]
    df = agg.df.astype(np.int64).tolist()
    n = agg.n.astype(np.int64).tolist()
    N = agg.N.astype(np.int64).tolist()
    cells = agg.cells_reported.astype(np.int64).tolist()
    fallback = agg.fallback.tolist()
    est, se_, m95_, m99_, lo95, hi95, lo99, hi99 = lists
    out = []
    for a in range(R.shape[0]):
        na, Na, ca = n[a], N[a], cells[a]
        out.append(
            {
                name: Estimate(name, e, s_, d, m1, m2, l1, h1, l2, h2, na, Na, ca, f)
                for name, e, s_, d, m1, m2, l1, h1, l2, h2, f in zip(
                    quantities,
                    est[a],
                    se_[a],
                    df[a],
                    m95_[a],
                    m99_[a],
                    lo95[a],
                    hi95[a],
                    lo99[a],
                    hi99[a],
                    fallback[a],
                    strict=True,
                )
            }
        )
    return out


def _t(df: np.ndarray, level: float) -> np.ndarray:
    """Two-sided Student t quantile for ``level`` (``scipy.special.stdtrit``, no overhead)."""
    return special.stdtrit(np.maximum(df, 1.0), 0.5 + level / 2)


def combined_ratio(
    y: np.ndarray,
    x: np.ndarray,
    strata: np.ndarray,
    population: np.ndarray,
    *,
    min_reports: int = 30,
) -> dict[str, Any]:
    """The combined ratio estimate for one or more columns (the formula of the module docstring).

    ``y``, ``x``: ``(n,)`` or ``(n, q)`` sample values; ``strata``: stratum code (0..H-1) of each
    sample unit; ``population``: ``N_h`` per stratum. Returns ``estimate``, ``variance``, ``se``,
    ``df``, ``margin95``, ``margin99`` (arrays of length q, or scalars for 1-D input), ``n`` and
    ``fallback`` (reasons, or None).
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    one_d = y.ndim == 1
    y2 = y.reshape(y.shape[0], -1)
    x2 = np.broadcast_to(x.reshape(x.shape[0], -1), y2.shape).astype(np.float64)
    strata = np.asarray(strata, dtype=np.int64)
    N_h = np.asarray(population, dtype=np.int64)
    H = N_h.shape[0]
    agg = _aggregate(
        y2,
        x2,
        strata,
        N_h,
        np.zeros(H, dtype=np.int64),
        1,
        min_reports=min_reports,
        global_moments=_global_moments(y2, x2),
    )
    t95, t99 = _t(agg.df, 0.95), _t(agg.df, 0.99)
    se = np.sqrt(agg.var[0])
    result = {
        "estimate": agg.R[0],
        "variance": agg.var[0],
        "se": se,
        "df": agg.df[0].astype(np.int64),
        "margin95": t95[0] * se,
        "margin99": t99[0] * se,
        "n": int(agg.n[0]),
        "fallback": list(agg.fallback[0]),
    }
    if one_d:
        for key in ("estimate", "variance", "se", "margin95", "margin99"):
            result[key] = float(result[key][0])
        result["df"] = int(result["df"][0])
        result["fallback"] = result["fallback"][0]
    return result


def _check_reports(frame: Frame, reports: Reports) -> None:
    if len(reports) and (reports.station.min() < 0 or reports.station.max() >= frame.N):
        raise ValueError("a report refers to a station outside the frame")
    if np.unique(reports.station).shape[0] != len(reports):
        raise ValueError("a station has reported twice; keep one report per station")


def estimate(
    frame: Frame,
    reports: Reports,
    *,
    min_reports: int = 30,
    by_stratum: bool = True,
    by_group: bool = True,
) -> QuickCountResult:
    """Estimates of turnout, the invalid share and every option's share, with margins.

    Overall (combined ratio over the strata), per stratum and per group (``frame.groups``,
    e.g. region). See the module docstring for the formulas and the few-reports fallbacks.
    """
    _check_reports(frame, reports)
    quantities = reports.quantities()
    y, x = reports.matrices()
    strata_of_report = frame.strata[reports.station]
    N_h = frame.population()
    H = N_h.shape[0]
    moments = _global_moments(y, x)

    overall = _aggregate(
        y,
        x,
        strata_of_report,
        N_h,
        np.zeros(H, dtype=np.int64),
        1,
        min_reports=min_reports,
        global_moments=moments,
    )
    overall_est = _estimates(overall, quantities, _t(overall.df, 0.95), _t(overall.df, 0.99))[0]

    stratum_est: dict[str, dict[str, Estimate]] = {}
    if by_stratum:
        per = _aggregate(
            y,
            x,
            strata_of_report,
            N_h,
            np.arange(H),
            H,
            min_reports=min_reports,
            global_moments=moments,
        )
        per_list = _estimates(per, quantities, _t(per.df, 0.95), _t(per.df, 0.99))
        stratum_est = dict(zip(frame.stratum_names, per_list, strict=True))

    group_est: dict[str, dict[str, Estimate]] = {}
    if by_group and frame.groups is not None and frame.group_names is not None:
        G = len(frame.group_names)
        cell_of_station, N_cell, agg_of_cell = frame._cells
        per_g = _aggregate(
            y,
            x,
            cell_of_station[reports.station],
            N_cell,
            agg_of_cell,
            G,
            min_reports=min_reports,
            global_moments=moments,
        )
        per_g_list = _estimates(per_g, quantities, _t(per_g.df, 0.95), _t(per_g.df, 0.99))
        group_est = dict(zip(frame.group_names, per_g_list, strict=True))

    n_h = np.bincount(strata_of_report, minlength=H)
    warnings: list[Flag] = []
    if len(reports) < min_reports:
        warnings.append(Flag(FEW_REPORTS, MESSAGES[FEW_REPORTS], []))
    ones = [frame.stratum_names[h] for h in np.flatnonzero((n_h == 1) & (N_h > 1))]
    if ones:
        warnings.append(Flag(STRATA_ONE_REPORT, MESSAGES[STRATA_ONE_REPORT], ones))
    missing = [frame.stratum_names[h] for h in np.flatnonzero((n_h == 0) & (N_h > 0))]
    if missing:
        warnings.append(Flag(STRATA_NO_REPORTS, MESSAGES[STRATA_NO_REPORTS], missing))
    reasons = sorted({e.fallback for e in overall_est.values() if e.fallback})
    for reason in reasons:
        if reason != FEW_REPORTS or not any(w.code == FEW_REPORTS for w in warnings):
            warnings.append(Flag(reason, MESSAGES[reason], []))
    return QuickCountResult(
        quantities=quantities,
        overall=overall_est,
        by_stratum=stratum_est,
        by_group=group_est,
        warnings=warnings,
        n_reported=len(reports),
        n_population=frame.N,
        min_reports=min_reports,
    )


@dataclass
class ConvergenceSeries:
    """Overall estimate and 95% margin after each batch of reports, in arrival order."""

    quantities: list[str]
    n_reported: np.ndarray  # (m,)
    estimate: np.ndarray  # (m, q)
    margin95: np.ndarray  # (m, q)
    fallback: np.ndarray  # (m, q) bool: a conservative fallback was used

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(
            {
                "quantities": self.quantities,
                "n_reported": self.n_reported,
                "series": {
                    name: {
                        "estimate": self.estimate[:, j],
                        "margin95": self.margin95[:, j],
                        "fallback": self.fallback[:, j].tolist(),
                    }
                    for j, name in enumerate(self.quantities)
                },
            }
        )


def convergence(
    frame: Frame,
    reports: Reports,
    *,
    batch_size: int = 50,
    order: Sequence[int] | np.ndarray | None = None,
    min_reports: int = 30,
) -> ConvergenceSeries:
    """Estimates after the first ``batch_size``, ``2·batch_size``, … reports (and all of them).

    ``reports`` are taken in their order (arrival order) unless ``order`` (e.g. the argsort of
    arrival times) is given.
    """
    _check_reports(frame, reports)
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    if order is not None:
        reports = reports.take(np.asarray(order, dtype=np.int64))
    quantities = reports.quantities()
    y_all, x_all = reports.matrices()
    strata_all = frame.strata[reports.station]
    N_h = frame.population()
    H = N_h.shape[0]
    n = len(reports)
    cuts = [*range(batch_size, n, batch_size), n] if n else []
    est = np.full((len(cuts), len(quantities)), np.nan)
    mar = np.full_like(est, np.nan)
    fb = np.zeros(est.shape, dtype=bool)
    for i, m in enumerate(cuts):
        y, x = y_all[:m], x_all[:m]
        agg = _aggregate(
            y,
            x,
            strata_all[:m],
            N_h,
            np.zeros(H, dtype=np.int64),
            1,
            min_reports=min_reports,
            global_moments=_global_moments(y, x),
        )
        est[i] = agg.R[0]
        mar[i] = _t(agg.df, 0.95)[0] * np.sqrt(agg.var[0])
        fb[i] = np.array([f is not None for f in agg.fallback[0]])
    return ConvergenceSeries(
        quantities=quantities,
        n_reported=np.array(cuts, dtype=np.int64),
        estimate=est,
        margin95=mar,
        fallback=fb,
    )


def population_ratios(table: Any) -> dict[str, float]:
    """The true (official) ratios of a whole results table, in :meth:`Reports.quantities` order.

    Turnout = Σ issued / Σ registered; the invalid share and each option's share are over
    Σ (valid + invalid).
    """
    cast = float((table.valid + table.invalid).sum())
    out = {
        TURNOUT: float(table.issued.sum() / table.registered.sum()),
        INVALID: float(table.invalid.sum() / cast),
    }
    for name, votes in zip(table.options, table.votes.sum(axis=0), strict=True):
        out[name] = float(votes / cast)
    return out
