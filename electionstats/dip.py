"""Hartigan's dip statistic for unimodality, and its p-value.

The dip of a sample is the largest distance between its empirical distribution function ``F_n``
and the closest unimodal distribution function ``U``:  ``D = min_U sup_x |F_n(x) - U(x)|``
(J. A. Hartigan and P. M. Hartigan, "The dip test of unimodality", *Annals of Statistics* 13(1),
1985, 70–84). A unimodal sample has a small dip (of order 1/√n); a sample from two separated
modes has a large one. Among unimodal distributions the uniform is the least favourable null
(Hartigan & Hartigan 1985), so p-values come from uniform samples of the same size.

:func:`dip_statistic` is a port to Python of P. M. Hartigan's algorithm AS 217 ("Computation of
the dip statistic to test for unimodality", *Applied Statistics* 34(3), 1985, 320–325), as
corrected in the R package ``diptest`` (M. Maechler): the stop when neither end of the modal
interval moves (1994) and the misplaced parenthesis in the GCM distance (Yong Lu, 2003). The
algorithm walks the greatest convex minorant (GCM) and the least concave majorant (LCM) of the
sorted sample between the current ends ``low..high`` of the modal interval, takes the largest
distance between them, computes the dips of the GCM left and the LCM right of that point, and
shrinks ``low..high`` until the distance no longer exceeds the dip found. Like AS 217 it works
with ``n · D`` internally (``2n·D`` at the end, in the convention ``D ∈ [1/(2n), 1/4]``).

P-values:

- :func:`dip_pvalue_simulated`: the share of ``reps`` uniform samples of the same size (drawn
  from ``numpy.random.Generator(PCG64(seed))``) whose dip is at least the observed one, with the
  usual +1 correction: ``(1 + #{D* >= D}) / (1 + reps)``.
- :func:`dip_pvalue`: interpolation in a table of quantiles of ``√n · D`` under the uniform
  null (``_diptable.py``), computed by ``bench/dip_null_table.py`` with this module's
  :func:`dip_statistic` and a recorded seed (1,000–5,000 uniform samples per size, n = 4 to
  50,000; it agrees with the published table of the R package ``diptest`` to about 1% at the
  50%, 95% and 99% points). ``√n · D`` converges in distribution as n grows (Hartigan &
  Hartigan 1985), so for n beyond the table the largest n is used; p-values smaller than the
  table can resolve are reported as ``1 / (1 + samples)``, i.e. "at most this".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["DipResult", "dip_pvalue", "dip_pvalue_simulated", "dip_statistic"]


@dataclass(frozen=True)
class DipResult:
    dip: float
    low: float  # modal interval [low, high]
    high: float
    n: int


def _div(a: float, b: float) -> float:
    """IEEE division as in the C/Fortran original (x/0 is ±inf, 0/0 is NaN), not an exception."""
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def dip_statistic(values: np.ndarray) -> DipResult:
    """Hartigan's dip of a sample (AS 217 with the ``diptest`` corrections; see the module doc).

    Returns the dip in [0, 1/4] and the modal interval. Fewer than 4 values, or all equal:
    dip 0 (as AS 217).
    """
    x_np = np.sort(np.asarray(values, dtype=np.float64).ravel())
    x_np = x_np[np.isfinite(x_np)]
    n = int(x_np.shape[0])
    if n < 4 or x_np[0] == x_np[-1]:
        lo = float(x_np[0]) if n else math.nan
        hi = float(x_np[-1]) if n else math.nan
        return DipResult(0.0, lo, hi, n)
    # 1-based arrays as in the published algorithm: x[1..n].
    x = [0.0, *x_np.tolist()]
    x1 = np.concatenate(([0.0], x_np))

    # mn[j]: the point before j on the GCM of x[1..j];  mj[k]: the point after k on the LCM
    # of x[k..n]. Each is a stack walk, amortised O(n).
    mn = [0] * (n + 1)
    mn[1] = 1
    for j in range(2, n + 1):
        m = j - 1
        xj = x[j]
        while m != 1:
            mm = mn[m]
            if (xj - x[m]) * (m - mm) < (x[m] - x[mm]) * (j - m):
                break
            m = mm
        mn[j] = m
    mj = [0] * (n + 1)
    mj[n] = n
    for k in range(n - 1, 0, -1):
        m = k + 1
        xk = x[k]
        while m != n:
            mm = mj[m]
            if (xk - x[m]) * (m - mm) < (x[m] - x[mm]) * (k - m):
                break
            m = mm
        mj[k] = m

    low, high = 1, n
    dip = 1.0  # 2n·D so far; AS 217 starts at 1, i.e. D = 1/(2n), the smallest possible dip
    while True:
        # Change points of the GCM from high down to low, and of the LCM from low up to high.
        gcm = [0, high]
        while gcm[-1] > low:
            gcm.append(mn[gcm[-1]])
        icx = len(gcm) - 1
        lcm = [0, low]
        while lcm[-1] < high:
            lcm.append(mj[lcm[-1]])
        icv = len(lcm) - 1

        ig, ih = icx, icv
        ix, iv = icx - 1, 2
        d = 0.0
        if icx != 2 or icv != 2:
            while True:
                gcmix = gcm[ix]
                lcmiv = lcm[iv]
                if gcmix > lcmiv:
                    # The next point of either is from the LCM: distance there.
                    gcmi1 = gcm[ix + 1]
                    dx = (lcmiv - gcmi1 + 1) - _div(
                        (x[lcmiv] - x[gcmi1]) * (gcmix - gcmi1), x[gcmix] - x[gcmi1]
                    )
                    iv += 1
                    if dx >= d:
                        d = dx
                        ig = ix + 1
                        ih = iv - 1
                else:
                    # The next point of either is from the GCM: distance there.
                    lcmiv1 = lcm[iv - 1]
                    dx = _div((x[gcmix] - x[lcmiv1]) * (lcmiv - lcmiv1), x[lcmiv] - x[lcmiv1]) - (
                        gcmix - lcmiv1 - 1
                    )
                    ix -= 1
                    if dx >= d:
                        d = dx
                        ig = ix + 1
                        ih = iv
                if ix < 1:
                    ix = 1
                if iv > icv:
                    iv = icv
                if gcm[ix] == lcm[iv]:
                    break
        else:
            d = 1.0
        if d < dip:
            break

        # The dip of the GCM on [gcm[ig] .. ], and of the LCM on [.. lcm[ih]].
        dip_l = 0.0
        for j in range(ig, icx):
            temp = 1.0
            jb, je = gcm[j + 1], gcm[j]
            if je - jb > 1 and x[je] != x[jb]:
                c = (je - jb) / (x[je] - x[jb])
                seg = x1[jb : je + 1]
                t = (np.arange(1, je - jb + 2) - (seg - x[jb]) * c).max()
                if t > temp:
                    temp = float(t)
            if temp > dip_l:
                dip_l = temp
        dip_u = 0.0
        for k in range(ih, icv):
            temp = 1.0
            kb, ke = lcm[k], lcm[k + 1]
            if ke - kb > 1 and x[ke] != x[kb]:
                c = (ke - kb) / (x[ke] - x[kb])
                seg = x1[kb : ke + 1]
                t = ((seg - x[kb]) * c - np.arange(-1, ke - kb)).max()
                if t > temp:
                    temp = float(t)
            if temp > dip_u:
                dip_u = temp
        dipnew = max(dip_l, dip_u)
        if dipnew > dip:
            dip = dipnew
        # Stop when neither end moves (Maechler's fix: AS 217 could loop forever here).
        if low == gcm[ig] and high == lcm[ih]:
            break
        low, high = gcm[ig], lcm[ih]
    return DipResult(dip / (2 * n), float(x[low]), float(x[high]), n)


def dip_pvalue_simulated(dip: float, n: int, *, reps: int = 1000, seed: int = 0) -> float:
    """``(1 + #{D* >= dip}) / (1 + reps)`` over ``reps`` uniform samples of size ``n``."""
    if n < 4:
        return 1.0
    rng = np.random.Generator(np.random.PCG64(seed))
    hits = 0
    for _ in range(reps):
        if dip_statistic(rng.random(n)).dip >= dip:
            hits += 1
    return (1 + hits) / (1 + reps)


def dip_pvalue(dip: float, n: int) -> float:
    """P-value from the precomputed null table (see the module docstring), interpolated."""
    from electionstats._diptable import PROBS, QUANTILES, REPS, SIZES

    if n < 4:
        return 1.0
    statistic = math.sqrt(n) * dip
    sizes = np.asarray(SIZES, dtype=np.float64)
    quantiles = np.asarray(QUANTILES, dtype=np.float64)  # (len(SIZES), len(PROBS))
    probs = np.asarray(PROBS, dtype=np.float64)
    # Interpolate the quantile curve in log n between the two nearest table sizes.
    ln = math.log(min(max(n, SIZES[0]), SIZES[-1]))
    logs = np.log(sizes)
    i = int(np.clip(np.searchsorted(logs, ln) - 1, 0, len(SIZES) - 2))
    w = (ln - logs[i]) / (logs[i + 1] - logs[i])
    curve = (1 - w) * quantiles[i] + w * quantiles[i + 1]
    curve = np.maximum.accumulate(curve)
    # The simulation behind the table cannot show p-values below 1 / (1 + samples).
    floor = 1.0 / (1 + min(REPS[i], REPS[i + 1]))
    if statistic <= curve[0]:
        return 1.0
    cdf = float(np.interp(statistic, curve, probs))
    return max(floor, 1.0 - cdf)
