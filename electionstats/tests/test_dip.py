"""Hartigan's dip: the published values, properties, and p-values."""

import numpy as np
import pytest

from electionstats.dip import dip_pvalue, dip_pvalue_simulated, dip_statistic

# Ages of the statistics faculty, the example of Hartigan & Hartigan (1985); the dip 0.0595 is
# the published value (and the R package diptest's, with modal interval [39, 54]).
HARTIGAN_EXAMPLE = [
    30, 33, 35, 36, 37, 37, 39, 39, 39, 39, 39, 40, 40, 40, 40, 41, 42, 43, 43, 43, 44, 44, 45,
    45, 46, 46, 47, 47, 48, 48, 48, 49, 50, 50, 51, 52, 52, 53, 53, 53, 53, 53, 54, 54, 57, 57,
    59, 60, 60, 60, 61, 61, 61, 61, 62, 62, 62, 62, 63, 66, 70, 72, 72,
]  # fmt: skip


def test_two_point_distribution_has_the_largest_dip():
    # Half the mass at 1, half at 2: the best unimodal fit is off by 1/4 somewhere.
    assert dip_statistic([1, 1, 2, 2]).dip == 0.25


def test_four_points_give_one_over_2n():
    # u = 0, 1, 3, 6 (a convex ECDF): the dip is the smallest possible, 1 / (2n) = 1/8.
    assert dip_statistic([0, 1, 3, 6]).dip == 0.125
    assert dip_statistic([0, -1, -3, -6]).dip == 0.125


def test_small_example_from_the_r_package():
    # x = 0, 2, 3, 5, 6: AS 217 finds 2n·D = 4/3, so D = (4/3) / 10 = 2/15; modal interval [5, 6].
    r = dip_statistic([0, 2, 3, 5, 6])
    assert r.dip == pytest.approx(2 / 15)
    assert (r.low, r.high) == (5.0, 6.0)
    assert dip_statistic([6, 4, 3, 1, 0]).dip == pytest.approx(2 / 15)


def test_ties():
    # One value apart from nine equal ones: D = 1 / (2n) = 0.05 (Yong Lu's example), symmetric.
    assert dip_statistic([1] + [2] * 9).dip == pytest.approx(0.05)
    assert dip_statistic([2] + [1] * 9).dip == pytest.approx(0.05)
    assert dip_statistic([3, 3, 3, 3, 3]).dip == 0.0
    assert dip_statistic([1, 2, 3]).dip == 0.0  # fewer than 4 values


def test_hartigans_example():
    r = dip_statistic(HARTIGAN_EXAMPLE)
    assert r.dip == pytest.approx(7.5 / 126)  # 0.0595238
    assert (r.low, r.high) == (39.0, 54.0)


def test_properties():
    rng = np.random.default_rng(7)
    x = rng.normal(size=500)
    d = dip_statistic(x).dip
    assert 1 / (2 * 500) <= d <= 0.25
    assert dip_statistic(3 * x + 10).dip == pytest.approx(d)  # affine invariance
    assert dip_statistic(-x).dip == pytest.approx(d)  # reflection
    assert dip_statistic(rng.permutation(x)).dip == pytest.approx(d)  # order does not matter


def test_uniform_small_bimodal_large():
    rng = np.random.default_rng(11)
    uniform = dip_statistic(rng.random(2000)).dip
    bimodal = dip_statistic(np.concatenate([rng.normal(0, 1, 1000), rng.normal(6, 1, 1000)])).dip
    assert uniform < 0.02
    assert bimodal > 0.05
    assert dip_pvalue(uniform, 2000) > 0.05
    assert dip_pvalue(bimodal, 2000) < 0.001


def test_pvalue_table_against_simulation():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0, 1, 60), rng.normal(2.5, 1, 40)])
    d = dip_statistic(x).dip
    table = dip_pvalue(d, 100)
    simulated = dip_pvalue_simulated(d, 100, reps=500, seed=1)
    assert abs(table - simulated) < 0.06
    # Larger dips, smaller p-values; the smallest possible dip is not significant.
    ps = [dip_pvalue(v, 100) for v in (0.02, 0.04, 0.06, 0.08)]
    assert ps == sorted(ps, reverse=True)
    assert dip_pvalue(1 / 200, 100) == 1.0


def test_pvalue_for_large_n_uses_the_asymptotic_row():
    # √n·D fixed: the p-value hardly changes between n = 50,000 and n = 5,000,000.
    assert dip_pvalue(0.45 / np.sqrt(5e4), 50_000) == pytest.approx(
        dip_pvalue(0.45 / np.sqrt(5e6), 5_000_000)
    )
