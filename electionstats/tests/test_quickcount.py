"""Ratio estimators, variances with the finite population correction, fallbacks, convergence."""

import numpy as np
import pytest
from scipy import stats

from electionstats import quickcount as qc
from electionstats import sampling

# The hand-computed example. Frame: stratum A = stations 0-3 (N_A = 4), stratum B = stations
# 4-9 (N_B = 6). Reported: A: stations 0, 1 with (y, x) = (2, 4), (3, 6); B: stations 4, 5, 6
# with (1, 2), (2, 4), (3, 9).
FRAME_STRATA = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
STATIONS = np.array([0, 1, 4, 5, 6])
Y = np.array([2.0, 3.0, 1.0, 2.0, 3.0])
X = np.array([4.0, 6.0, 2.0, 4.0, 9.0])
#   ȳ_A = 2.5, x̄_A = 5;  ȳ_B = 2, x̄_B = 5
#   R̂ = (4·2.5 + 6·2) / (4·5 + 6·5) = 22 / 50 = 0.44
#   e = y - 0.44 x: A: 0.24, 0.36 (mean 0.30) -> s²_A = (0.06² + 0.06²) / 1 = 0.0072
#                   B: 0.12, 0.24, -0.96 (mean -0.2) -> s²_B = (0.32² + 0.44² + 0.76²) / 2 = 0.4368
#   v = [4² (1 - 2/4) 0.0072 / 2 + 6² (1 - 3/6) 0.4368 / 3] / 50²
#     = [0.0288 + 2.6208] / 2500 = 0.00105984;  df = 5 reports - 2 strata = 3
HAND_R = 0.44
HAND_V = 0.00105984


def _reports(stations=STATIONS, y=Y, x=X):
    # Turnout is y / x here: issued = y, registered = x. One option with all votes.
    return qc.Reports(
        station=stations,
        registered=x,
        issued=y,
        invalid=np.zeros_like(y),
        votes=y[:, None],
        options=["P"],
    )


def _frame(groups=None):
    return qc.Frame.from_labels(np.where(FRAME_STRATA == 0, "A", "B"), groups)


def test_combined_ratio_hand_computed():
    r = qc.combined_ratio(Y, X, FRAME_STRATA[STATIONS], [4, 6], min_reports=2)
    assert r["estimate"] == pytest.approx(HAND_R)
    assert r["variance"] == pytest.approx(HAND_V)
    assert r["df"] == 3
    # t(0.975, 3) = 3.182446; t(0.995, 3) = 5.840909
    assert r["margin95"] == pytest.approx(3.182446 * np.sqrt(HAND_V), rel=1e-6)
    assert r["margin99"] == pytest.approx(5.840909 * np.sqrt(HAND_V), rel=1e-6)
    assert r["fallback"] is None


def test_estimate_overall_and_per_stratum_hand_computed():
    result = qc.estimate(_frame(), _reports(), min_reports=2)
    turnout = result.overall["turnout"]
    assert turnout.estimate == pytest.approx(HAND_R)
    assert turnout.se == pytest.approx(np.sqrt(HAND_V))
    assert (turnout.n, turnout.population, turnout.strata_reported, turnout.df) == (5, 10, 2, 3)
    assert turnout.low95 == pytest.approx(HAND_R - turnout.margin95)
    # Stratum B alone (an SRS): R̂_B = 2 / 5 = 0.4; e = 0.2, 0.4, -0.6 (mean 0) ->
    # s² = (0.04 + 0.16 + 0.36) / 2 = 0.28; v = (1 - 3/6) · 0.28 / (3 · 5²) = 0.0018667.
    b = result.by_stratum["B"]["turnout"]
    assert b.estimate == pytest.approx(0.4)
    assert b.se**2 == pytest.approx(0.5 * 0.28 / 75)
    assert b.fallback is None
    # Stratum A: both stations have ratio 0.5 exactly, so the computed variance is 0 although
    # only 2 of 4 stations reported: the conservative 0.25 · (1 - 2/4) / 2 = 0.0625 is used.
    a = result.by_stratum["A"]["turnout"]
    assert a.estimate == pytest.approx(0.5)
    assert a.fallback == qc.ZERO_VARIANCE
    assert a.se**2 == pytest.approx(0.0625)
    assert a.df == 1
    # Shares are over valid + invalid: the only option has everything.
    assert result.overall["P"].estimate == pytest.approx(1.0)
    assert result.overall["invalid"].estimate == pytest.approx(0.0)


def test_few_reports_use_the_conservative_variance_and_say_so():
    result = qc.estimate(_frame(), _reports())  # default min_reports = 30 > 5 reports
    turnout = result.overall["turnout"]
    # The whole sample is below 30 too, so the fallback is 0.25 · (1 - 5/10) / 5 = 0.025,
    # larger than the computed 0.00106.
    assert turnout.fallback == qc.FEW_REPORTS
    assert turnout.se**2 == pytest.approx(0.025)
    assert turnout.margin95 > 0.3
    assert qc.FEW_REPORTS in [w.code for w in result.warnings]


def test_one_report_never_gives_a_zero_margin():
    result = qc.estimate(_frame(), _reports(STATIONS[:1], Y[:1], X[:1]))
    turnout = result.overall["turnout"]
    assert turnout.estimate == pytest.approx(0.5)
    # 0.25 · (1 - 1/10) / 1 = 0.225; df = 1: t(0.975, 1) = 12.706
    assert turnout.se**2 == pytest.approx(0.225)
    assert turnout.fallback == qc.FEWER_THAN_2
    assert turnout.margin95 == pytest.approx(12.706205 * np.sqrt(0.225), rel=1e-6)
    assert (turnout.low95, turnout.high95) == (0.0, 1.0)
    codes = {w.code: w for w in result.warnings}
    assert codes[qc.STRATA_NO_REPORTS].items == ["B"]


def test_no_reports_no_estimate():
    result = qc.estimate(_frame(), _reports(STATIONS[:0], Y[:0], X[:0]))
    assert np.isnan(result.overall["turnout"].estimate)
    assert result.overall["turnout"].fallback == qc.NO_REPORTS
    assert result.to_dict()["overall"]["turnout"]["estimate"] is None  # JSON: null, not NaN


def test_census_is_exact_with_zero_variance():
    rng = np.random.default_rng(3)
    x = rng.integers(50, 150, 10).astype(float)
    y = np.floor(x * rng.uniform(0.2, 0.8, 10))
    result = qc.estimate(_frame(), _reports(np.arange(10), y, x), min_reports=2)
    turnout = result.overall["turnout"]
    assert turnout.estimate == pytest.approx(y.sum() / x.sum())
    assert turnout.se == 0.0
    assert turnout.margin95 == 0.0
    assert turnout.fallback is None


def test_fpc_shrinks_the_variance_as_n_approaches_N():
    # One stratum, the same 5 reports, a frame of N stations: v(N) = (1 - 5/N) · v(∞).
    y, x = Y, X
    base = qc.combined_ratio(y, x, np.zeros(5, int), [10**9], min_reports=2)["variance"]
    for N in (5, 6, 10, 50, 1000):
        v = qc.combined_ratio(y, x, np.zeros(5, int), [N], min_reports=2)["variance"]
        assert v == pytest.approx((1 - 5 / N) * base, rel=1e-6)
    assert qc.combined_ratio(y, x, np.zeros(5, int), [5], min_reports=2)["variance"] == 0


def test_single_report_strata_borrow_the_pooled_variance():
    frame = qc.Frame.from_labels(np.repeat(["a", "b", "c"], [10, 10, 10]))
    # a: 3 reports, b: 3 reports, c: 1 report.
    stations = np.array([0, 1, 2, 10, 11, 12, 20])
    x = np.array([100, 120, 90, 110, 100, 95, 105], float)
    y = np.array([50, 70, 40, 30, 35, 20, 80], float)
    result = qc.estimate(frame, _reports(stations, y, x), min_reports=2)
    codes = {w.code: w for w in result.warnings}
    assert codes[qc.STRATA_ONE_REPORT].items == ["c"]
    assert result.overall["turnout"].se > 0
    assert result.by_stratum["c"]["turnout"].fallback == qc.FEWER_THAN_2


def test_groups_equal_to_strata_and_a_single_group():
    labels = np.where(FRAME_STRATA == 0, "A", "B")
    by_strata = qc.estimate(qc.Frame.from_labels(labels, labels), _reports(), min_reports=2)
    for name in ("A", "B"):
        assert by_strata.by_group[name]["turnout"] == by_strata.by_stratum[name]["turnout"]
    one = qc.estimate(qc.Frame.from_labels(labels, ["all"] * 10), _reports(), min_reports=2)
    assert one.by_group["all"]["turnout"] == one.overall["turnout"]


def test_domain_estimate_crossing_strata():
    # Group g covers stations 0, 1 of A (N_Ag = 2) and 4, 5, 6 of B (N_Bg = 3); the reports
    # in g: A: (2, 4), (3, 6); B: (1, 2), (2, 4), (3, 9).
    # R̂_g = (2·2.5 + 3·2) / (2·5 + 3·5) = 11 / 25 = 0.44 (the same ratio, other weights).
    groups = ["g", "g", "h", "h", "g", "g", "g", "h", "h", "h"]
    result = qc.estimate(_frame(groups), _reports(), min_reports=2)
    g = result.by_group["g"]["turnout"]
    assert g.estimate == pytest.approx(0.44)
    # A∩g is a census (2 of 2), B∩g too (3 of 3): no sampling variance left.
    assert g.se == 0 and g.fallback is None
    assert result.by_group["h"]["turnout"].fallback == qc.NO_REPORTS


def test_duplicate_reports_are_refused():
    with pytest.raises(ValueError):
        qc.estimate(_frame(), _reports(np.array([0, 0, 4, 5, 6])))


def test_convergence_series():
    frame = qc.Frame.from_labels(np.repeat(["a", "b"], [500, 500]))
    rng = np.random.default_rng(5)
    x = rng.integers(500, 1500, 1000).astype(float)
    y = np.floor(x * np.clip(rng.normal(0.5, 0.1, 1000), 0, 1))
    sample = sampling.draw_stratified_sample(frame.strata, 200, seed=9)
    arrival = rng.permutation(sample.stations)
    reports = _reports(arrival, y[arrival], x[arrival])
    series = qc.convergence(frame, reports, batch_size=50)
    assert series.n_reported.tolist() == [50, 100, 150, 200]
    full = qc.estimate(frame, reports)
    j = series.quantities.index("turnout")
    assert series.estimate[-1, j] == pytest.approx(full.overall["turnout"].estimate)
    assert series.margin95[-1, j] == pytest.approx(full.overall["turnout"].margin95)
    assert series.margin95[-1, j] < series.margin95[0, j]
    assert not series.fallback[:, j].any()
    as_json = series.to_dict()
    assert as_json["series"]["turnout"]["estimate"][-1] == pytest.approx(series.estimate[-1, j])
    # Arrival order given separately: the reverse order ends at the same full estimate.
    back = qc.convergence(frame, reports, batch_size=50, order=np.arange(200)[::-1])
    assert back.estimate[-1, j] == pytest.approx(series.estimate[-1, j])
    assert back.estimate[0, j] != pytest.approx(series.estimate[0, j])


def test_t_margins_for_small_df():
    # With df = 3 the margin uses t, not the normal 1.96.
    r = qc.combined_ratio(Y, X, FRAME_STRATA[STATIONS], [4, 6], min_reports=2)
    assert r["margin95"] / r["se"] == pytest.approx(stats.t.ppf(0.975, 3))


@pytest.mark.slow
def test_russia_2011_sample_covers_the_official_result(russia2011):
    t = russia2011
    regions = [t.region_names[c] for c in t.region]
    frame = qc.Frame.from_labels(regions, regions)
    sample = sampling.draw_stratified_sample(frame.strata, 1500, seed=2011)
    result = qc.estimate(frame, qc.Reports.from_table(t, sample.stations))
    truth = qc.population_ratios(t)
    for name, e in result.overall.items():
        assert abs(e.estimate - truth[name]) <= e.margin99, name
        assert e.fallback is None
    assert result.overall["turnout"].margin95 < 0.015
    assert len(result.by_group) == len(result.by_stratum) == 84
    # Every region has at least the 2 sample stations the allocation guarantees.
    assert all(est["turnout"].n >= 2 for est in result.by_stratum.values())
    assert not [w for w in result.warnings if w.code == qc.STRATA_NO_REPORTS]
