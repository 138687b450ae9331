"""Allocation, reproducible draws and the sample-size calculator."""

import math

import numpy as np
import pytest

from electionstats import sampling


def test_allocate_proportional_with_minimum_two():
    # Proportional shares of 20 over sizes 10, 5, 0, 100, 3 (total 118) would be
    # 1.69, 0.85, 0, 16.95, 0.51: the three small non-empty strata get the minimum 2,
    # the empty one 0, and the big one the remaining 20 - 6 = 14.
    assert sampling.allocate([10, 5, 0, 100, 3], 20).tolist() == [2, 2, 0, 14, 2]


def test_allocate_caps_at_stratum_size_and_reshares():
    # Equal weights: 20 / 4 = 5 each, but the last stratum has only 3 stations -> 3; the other
    # three share 17 (5.67 each), the 5-station stratum is capped at 5 -> the last two get 6.
    got = sampling.allocate([10, 5, 0, 100, 3], 20, weights=[1, 1, 0, 1, 1])
    assert got.tolist() == [6, 5, 0, 6, 3]


def test_allocate_largest_remainder_keeps_the_total():
    # 10 over sizes 50, 30, 20: exact shares 5, 3, 2.
    assert sampling.allocate([50, 30, 20], 10).tolist() == [5, 3, 2]
    # 10 over sizes 40, 35, 25: 4.0, 3.5, 2.5 -> floors 4, 3, 2 (= 9); the one left goes to the
    # first of the largest remainders (0.5, stratum 2).
    assert sampling.allocate([40, 35, 25], 10).tolist() == [4, 4, 2]
    # From the sum of the minimums (2 + 2 + 2 + 1 + 2 = 9) to a census (108): exactly n.
    for n in range(9, 120):
        assert sampling.allocate([40, 35, 25, 1, 7], n).sum() == min(n, 108)


def test_allocate_census_and_too_small():
    assert sampling.allocate([3, 4], 100).tolist() == [3, 4]
    assert sampling.allocate([3, 4, 1], 2).tolist() == [2, 2, 1]  # the minimums win


def test_same_seed_same_sample_other_seed_other_sample():
    strata = np.repeat(["a", "b", "c"], [50, 30, 20])
    s1 = sampling.draw_stratified_sample(strata, 20, seed=12345)
    s2 = sampling.draw_stratified_sample(strata, 20, seed=12345)
    s3 = sampling.draw_stratified_sample(strata, 20, seed=12346)
    assert s1.stations.tolist() == s2.stations.tolist()
    assert s1.stations.tolist() != s3.stations.tolist()
    assert s1.seed == 12345
    assert s1.size.tolist() == [10, 6, 4]
    # Each stratum gets exactly its allocation, from its own stations.
    for h, name in enumerate(s1.stratum_names):
        drawn = strata[s1.stations] == name
        assert drawn.sum() == s1.size[h]
    assert s1.in_sample().sum() == 20


def test_fresh_seed_is_recorded():
    s = sampling.draw_stratified_sample(["a"] * 10, 3)
    again = sampling.draw_stratified_sample(["a"] * 10, 3, seed=s.seed)
    assert again.stations.tolist() == s.stations.tolist()


def test_allocation_by_registered_voters_and_reserve():
    strata = ["a"] * 10 + ["b"] * 10
    voters = [100] * 10 + [900] * 10  # b has 9 times the voters of a
    s = sampling.draw_stratified_sample(strata, 10, seed=1, size_measure=voters, reserve=2)
    # 10 * 1000 / 10000 = 1 -> raised to the minimum 2; b gets the other 8.
    assert s.size.tolist() == [2, 8]
    assert s.allocation == "size_measure"
    assert len(s.reserve["a"]) == 2 and not set(s.reserve["a"]) & set(s.stations.tolist())
    assert s.to_dict()["strata"][1] == {"name": "b", "population": 10, "sample": 8}


def test_each_stratum_sample_is_uniform():
    # Over many seeds, every station of a stratum is drawn about equally often (SRS).
    strata = np.repeat([0, 1], [10, 5])
    hits = np.zeros(15)
    for seed in range(2000):
        hits[sampling.draw_stratified_sample(strata, 6, seed=seed).stations] += 1
    size = sampling.allocate([10, 5], 6)  # 4 and 2
    expected = np.repeat(2000 * size / np.array([10, 5]), [10, 5])  # 800 each in both strata
    assert np.abs(hits - expected).max() < 5 * np.sqrt(800)


def test_sample_size_hand_computed():
    # z(0.975) = 1.959964; n0 = 1.959964² · 0.25 / 0.02² = 3.841459 · 625 = 2400.91 -> 2401.
    r = sampling.sample_size(0.02)
    assert r.n0 == pytest.approx(2400.912, abs=1e-3)
    assert r.n == 2401
    # With N = 1000 stations: 2400.91 / (1 + 2399.91 / 1000) = 2400.91 / 3.39991 = 706.2 -> 707.
    assert sampling.sample_size(0.02, population=1000).n == 707
    # deff = 0.1 and 99%: z = 2.575829; n0 = 6.634897 · 0.25 · 0.1 / 0.0001 = 1658.7 -> 1659.
    assert sampling.sample_size(0.01, 0.99, deff=0.1).n == 1659
    # p = 0.1 instead of 0.5: 3.841459 · 0.09 / 0.0004 = 864.33 -> 865.
    assert sampling.sample_size(0.02, p=0.1).n == 865
    with pytest.raises(ValueError):
        sampling.sample_size(2.0)


def test_design_effect_from_results():
    # y = 1, 2, 3 of x = 2, 4, 6: every station has ratio 0.5 -> no spread -> deff 0.
    assert sampling.design_effect_from_results([1, 2, 3], [2, 4, 6]) == 0
    # y = 0, 2 of x = 2, 2: R = 0.5, e = -1, 1, S² = 2, x̄ = 2 -> 2 / (4 · 0.25) = 2.
    assert sampling.design_effect_from_results([0, 2], [2, 2]) == pytest.approx(2.0)


def test_sample_size_is_enough_in_a_simulation():
    # With deff from the station-level spread, n stations give about the requested margin.
    rng = np.random.default_rng(0)
    x = rng.integers(500, 1500, 20_000)
    y = rng.binomial(x, np.clip(rng.normal(0.4, 0.1, x.shape[0]), 0, 1))
    deff = sampling.design_effect_from_results(y, x)
    n = sampling.sample_size(0.01, deff=deff, population=x.shape[0]).n
    R = y.sum() / x.sum()
    errors = []
    for seed in range(300):
        idx = np.random.default_rng(seed).choice(x.shape[0], n, replace=False)
        errors.append(y[idx].sum() / x[idx].sum() - R)
    assert math.isclose(np.quantile(np.abs(errors), 0.95), 0.01, rel_tol=0.25)
