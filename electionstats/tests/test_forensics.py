"""Forensic statistics: hand-computed small cases, the suite and its command, the real data."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from electionstats import forensics as fx
from electionstats import layouts

ROOT = Path(__file__).resolve().parents[2]


def test_benford_second_digit_frequencies():
    q = fx.benford_second_digit()
    assert q.sum() == pytest.approx(1.0)
    # q_0 = Σ_k log10(1 + 1/(10k)) = 0.11968, q_9 = Σ_k log10(1 + 1/(10k + 9)) = 0.08500
    assert q[0] == pytest.approx(0.11968, abs=1e-5)
    assert q[9] == pytest.approx(0.08500, abs=1e-5)
    assert (np.diff(q) < 0).all()  # decreasing from 0 to 9
    assert (np.arange(10) * q).sum() == pytest.approx(4.187, abs=1e-3)


def test_last_digit_uniform_counts_give_chi2_zero():
    # 10..19 end in each digit once; 5 and 7 are below the minimum of 10 and left out.
    r = fx.last_digit_test(np.array([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 5, 7]))
    assert r.n == 10
    assert r.observed.tolist() == [1] * 10
    assert r.chi2 == 0.0
    assert r.p_value == pytest.approx(1.0)


def test_last_digit_chi2_by_hand():
    # Digits of 10, 20, 30, 40, 11: four 0s and one 1; expected 0.5 each (n = 5).
    # χ² = (4 - 0.5)²/0.5 + (1 - 0.5)²/0.5 + 8 · 0.5²/0.5 = 24.5 + 0.5 + 4 = 29.0, df = 9.
    r = fx.last_digit_test(np.array([[10, 20], [30, 40], [11, 3]]))
    assert r.n == 5
    assert r.chi2 == pytest.approx(29.0)
    assert r.df == 9
    assert r.p_value < 0.001
    assert r.mean_digit == pytest.approx(0.2)


def test_second_digits_by_hand():
    # Second digits: 10 -> 0, 123 -> 2, 45 -> 5, 1000 -> 0, 99 -> 9; 7 has none (below 10).
    r = fx.second_digit_test(np.array([10, 123, 45, 1000, 99, 7]))
    assert r.n == 5
    assert r.observed.tolist() == [2, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    assert r.mean_digit == pytest.approx(16 / 5)
    assert r.expected_mean == pytest.approx(4.187, abs=1e-3)
    assert fx._second_digits(np.array([10, 100, 1000, 10_000, 99_999, 12_345])).tolist() == [
        0,
        0,
        0,
        0,
        9,
        2,
    ]


def test_round_numbers_by_hand():
    # 10, 15, 20 end in 0 or 5: 3 of 10 = 0.3 against 0.2.
    # P(X >= 3 | Bin(10, 0.2)) = 1 - (0.8^10 + 10·0.2·0.8^9 + 45·0.04·0.8^8)
    #                          = 1 - (0.107374 + 0.268435 + 0.301990) = 0.322201
    r = fx.round_numbers(np.array([10, 15, 20, 21, 22, 23, 24, 26, 27, 28, 5]))
    assert (r.counts_n, r.counts_ending_0_5) == (10, 3)
    assert r.counts_share == pytest.approx(0.3)
    assert r.counts_p_value == pytest.approx(0.322201, abs=1e-6)


def test_percent_flags_by_hand():
    k = np.array([80, 801, 1601, 1602, 333, 1, 849, 844, 125, 1000])
    n = np.array([100, 1000, 2000, 2000, 1000, 3, 1000, 1000, 1000, 1000])
    whole, ends = fx._percent_flags(k, n, 0.05)
    # 80.0 yes; 80.1 no; 80.05 yes (at the tolerance); 80.1 no; 33.3 no; 33.33 no;
    # 84.9 no; 84.4 no; 12.5 no; 100.0 yes.
    assert whole.tolist() == [True, False, True, False, False, False, False, False, False, True]
    # Rounded (halves up): 80, 80, 80, 80, 33, 33, 85, 84, 13, 100 -> ends in 0 or 5?
    assert ends.tolist() == [True, True, True, True, False, False, True, False, False, True]


def test_integer_percentages_detects_planted_round_numbers():
    rng = np.random.default_rng(1)
    n = rng.integers(300, 3000, 20_000)
    p = np.clip(rng.normal(0.6, 0.1, n.shape[0]), 0.05, 0.95)
    issued = rng.binomial(n, p)
    cast = issued
    leader = rng.binomial(cast, 0.5)
    honest = fx.integer_percentages(issued, n, leader, cast, simulations=60, seed=2)
    assert abs(honest.either.z) < 4
    assert honest.either.p_value > 0.01
    # Rewrite 3% of the stations to report a turnout of exactly 70%, 75% or 80%.
    forged = issued.copy()
    idx = rng.choice(n.shape[0], 600, replace=False)
    forged[idx] = np.round(n[idx] * rng.choice([0.70, 0.75, 0.80], 600)).astype(int)
    fake = fx.integer_percentages(forged, n, leader, cast, simulations=60, seed=2)
    assert fake.turnout.observed > fake.turnout.expected + 300
    assert fake.turnout.z > 6
    assert fake.turnout.p_value == pytest.approx(1 / 61)
    assert fake.turnout_round_0_5.z > 5  # and they end in 0 or 5
    # The 0.1-point histogram shows the comb: the 70.0 bin holds far more than its neighbours.
    bin_70 = int(np.searchsorted(fake.fine_edges, 70.0, side="right")) - 1
    assert fake.turnout_fine_counts[bin_70] > 3 * fake.turnout_fine_counts[bin_70 + 3]


def test_integer_percentages_small_denominators_ignored():
    r = fx.integer_percentages([50, 40], [100, 80], [25, 20], [50, 40], simulations=5)
    assert r.turnout.considered == 1  # only the station with 100 registered
    assert r.turnout.observed == 1  # 50 / 100 = 50.0%
    assert r.leader.considered == 0


def test_distributions_and_fingerprint_by_hand():
    issued = np.array([50, 55, 100, 90])
    registered = np.array([100, 100, 100, 100])
    leader = np.array([20, 30, 95, 85])
    cast = np.array([50, 55, 100, 90])
    d = fx.distributions(issued, registered, leader, cast, bins=10)
    # Turnouts 0.5, 0.55, 1.0, 0.9: bins [0.5, 0.6) x2, [0.9, 1.0] x2 (1.0 is in the last bin).
    assert d.turnout.counts.tolist() == [0, 0, 0, 0, 0, 2, 0, 0, 0, 2]
    assert d.turnout.weighted.tolist() == [0, 0, 0, 0, 0, 200, 0, 0, 0, 200]
    assert d.turnout.aggregate == pytest.approx(295 / 400)
    # Shares 0.4, 0.545, 0.95, 0.944: aggregate 230 / 295.
    assert d.leader_share.aggregate == pytest.approx(230 / 295)
    f = fx.fingerprint(issued / registered, leader / cast, leader_votes=leader, bins=10)
    assert f.counts.sum() == 4
    assert f.counts[9, 9] == 2  # (1.0, 0.95) and (0.9, 0.944)
    assert f.corner_stations == 2
    assert f.corner_share_of_leader_votes == pytest.approx(180 / 230)
    assert f.correlation > 0.9


def test_turnout_shape_moments_by_hand():
    # x = 1, 2, 3, 4, 10 (as turnouts / 10): deviations -3, -2, -1, 0, 6;
    # m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8
    # g1 = 36 / 10^1.5 = 1.138420; g2 = 278.8 / 100 - 3 = -0.212
    r = fx.turnout_shape(np.array([1, 2, 3, 4, 10]) / 10)
    assert r.skewness == pytest.approx(36 / 10**1.5)
    assert r.excess_kurtosis == pytest.approx(-0.212)
    assert r.mean == pytest.approx(0.4)
    assert r.n == 5


def test_turnout_shape_dip_unimodal_and_bimodal():
    rng = np.random.default_rng(4)
    one = fx.turnout_shape(np.clip(rng.normal(0.55, 0.08, 3000), 0, 1))
    two = fx.turnout_shape(
        np.clip(np.concatenate([rng.normal(0.45, 0.05, 2000), rng.normal(0.9, 0.04, 1000)]), 0, 1)
    )
    assert one.dip_p_value > 0.05
    assert two.dip_p_value < 0.001
    assert two.dip > one.dip
    simulated = fx.turnout_shape(rng.random(200), simulations=50, seed=3)
    assert "simulation" in simulated.p_value_method


def test_robust_z_by_hand():
    # One group: median 3, |x - 3| = 2, 1, 0, 1, 97 -> MAD 1 -> z(100) = 97 / 1.4826 = 65.43
    z = fx._robust_z(np.array([1.0, 2, 3, 4, 100]), np.zeros(5, dtype=int), 1)
    assert z[-1] == pytest.approx(97 / 1.4826)
    assert z[2] == 0


def test_outliers_flags_and_order():
    rng = np.random.default_rng(0)
    turnout = np.clip(rng.normal(0.5, 0.05, 200), 0, 1)
    share = np.clip(rng.normal(0.4, 0.05, 200), 0, 1)
    turnout[7], share[7] = 0.99, 0.98  # very high and far above the region
    registered = np.full(200, 1000)
    r = fx.outliers(
        turnout, share, np.zeros(200, dtype=int), 1, registered=registered, cast=registered
    )
    assert r.stations[0]["index"] == 7
    assert set(r.stations[0]["reasons"]) == {fx.HIGH_BOTH, fx.REGIONAL_Z}
    assert r.by_reason[fx.HIGH_BOTH] == 1
    assert r.mask[7]


def _small_table():
    header = ["Region", "Station", "Voters", "Issued", "Spoilt", "A", "B"]
    rng = np.random.default_rng(8)
    rows = []
    for i in range(60):
        reg = int(rng.integers(300, 1500))
        issued = int(rng.binomial(reg, 0.6))
        spoilt = int(rng.binomial(issued, 0.02))
        a = int(rng.binomial(issued - spoilt, 0.55))
        rows.append(["North" if i < 30 else "South", i + 1, reg, issued, spoilt, a])
        rows[-1].append(issued - spoilt - a)
    rows.append(["South", 99, 0, 0, 0, 0, 0])  # registered 0: reported and excluded
    mapping = {
        "region": "Region",
        "station": "Station",
        "registered": "Voters",
        "issued": "Issued",
        "invalid": "Spoilt",
    }
    return layouts.read_mapped(header, rows, mapping)


def test_run_suite_is_json_and_complete():
    table = _small_table()
    result = fx.run_suite(table, simulations=20, seed=5)
    text = json.dumps(result, allow_nan=False)  # no NaN or numpy types anywhere
    assert json.loads(text)["summary"]["stations_used"] == 60
    assert result["summary"]["excluded"]["registered_zero"] == 1
    assert result["summary"]["row_failures"]["registered_zero"] == 1
    for key in (
        "distributions",
        "fingerprint",
        "integer_percentages",
        "last_digit",
        "second_digit",
        "round_numbers",
        "turnout_shape",
        "outliers",
        "regions",
    ):
        assert key in result
        assert result[key]["note"] == fx.NOTES[key]
    assert [row["region"] for row in result["regions"]["rows"]] == ["North", "South"]
    assert len(result["fingerprint"]["counts"]) == 100
    assert result["parameters"]["seed"] == 5
    # The same seed gives the same numbers.
    again = fx.run_suite(table, simulations=20, seed=5)
    assert again["integer_percentages"] == result["integer_percentages"]


def test_command_line(tmp_path):
    table = _small_table()
    lines = [
        "region,district id,district name,precinct,special precinct,possible voters,"
        "special voters,votes by 12,votes by 17,ballots signed for,num ballots,"
        "invalid votes,valid votes,logic check,1 - A,2 - B"
    ]
    for i in range(len(table)):
        reg, iss, inv = table.registered[i], table.issued[i], table.invalid[i]
        a, b = table.votes[i]
        lines.append(
            f",{1 + i % 3},,{i + 1},,{reg},0,{iss // 3},{iss // 2},{iss},{reg},{inv},,,{a},{b}"
        )
    path = tmp_path / "georgia_like.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "electionstats.forensics",
            str(path),
            "--layout",
            "georgia",
            "--simulations",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["summary"]["layout"] == "georgia"
    assert result["summary"]["leader"] in ("1 - A", "2 - B")
    assert result["parameters"]["simulations"] == 10


# --- the real data ---


@pytest.mark.slow
def test_russia_2011_integer_percentages_and_correlation(russia2011):
    result = fx.run_suite(russia2011, simulations=100, seed=0)
    ip = result["integer_percentages"]
    # Kobak et al. (2016): far more whole-number percentages than chance allows.
    assert ip["either"]["observed"] > ip["either"]["expected"] + 500
    assert ip["either"]["z"] > 5
    assert ip["either"]["p_value"] == pytest.approx(1 / 101)  # none of 100 simulations as high
    assert ip["leader"]["z"] > 5
    # United Russia's share rises with turnout (the fingerprint's smear), station by station.
    fp = result["fingerprint"]
    assert fp["correlation"] > 0.6
    assert fp["corner_share_of_leader_votes"] > 0.15  # a fifth of its votes from the corner
    # Turnout is far from one clean hump.
    assert result["turnout_shape"]["dip_p_value"] < 0.001
    assert result["outliers"]["flagged"] > 1000
    assert len(result["regions"]["rows"]) == 84
    assert result["summary"]["leader"].endswith('"ЕДИНАЯ РОССИЯ"')
    json.dumps(result, allow_nan=False)


def test_georgia_2013_suite_is_quiet(georgia2013):
    result = fx.run_suite(georgia2013, simulations=100, seed=0)
    assert result["summary"]["stations_used"] == 3_705  # 2 rows excluded, and said why
    assert result["summary"]["excluded"]["issued_over_registered"] == 1
    assert result["integer_percentages"]["either"]["p_value"] > 0.01
    assert result["fingerprint"]["correlation"] < 0.4
    assert result["turnout_shape"]["dip_p_value"] > 0.05


def test_albania_2013_suite_reports_failures(albania2013):
    result = fx.run_suite(albania2013, simulations=50, seed=0)
    summary = result["summary"]
    assert summary["row_failures"]["registered_zero"] == 2
    assert summary["excluded"]["registered_zero"] == 2
    assert summary["stations_used"] == 5_506
    assert len(result["regions"]["rows"]) == 12
