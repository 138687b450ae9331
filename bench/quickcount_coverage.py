"""Does the quick count's 95% interval cover the official result 95% of the time?

From a real election's official per-station results (default: Russia 2011, 95,225 stations),
draw many stratified samples (strata = regions, ~1,500 stations, proportional allocation with at
least 2 per region, seeds 0, 1, 2, ...), estimate turnout, the invalid share and the leading
options' shares with their 95% and 99% intervals, and count how often the interval contains the
official figure (the ratio over all stations). Target: 93–97% at 95%.

    .venv/bin/python bench/quickcount_coverage.py [--dataset russia2011] [--reps 1000] [--n 1500]

Prints progress lines, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from electionstats import layouts, quickcount, sampling


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="russia2011", choices=sorted(layouts.DATASETS))
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--leading", type=int, default=4, help="how many leading options")
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()

    path = layouts.dataset_path(args.dataset)
    if not path.exists():
        print(json.dumps({"skipped": f"{path} not found (set BIRLIK_SHARED_DATA)"}))
        return
    t0 = time.perf_counter()
    table = layouts.read_layout(path, layouts.DATASETS[args.dataset][1])
    read_s = time.perf_counter() - t0
    regions = [table.region_names[c] for c in table.region]
    frame = quickcount.Frame.from_labels(regions)
    truth = quickcount.population_ratios(table)
    totals = table.votes.sum(axis=0)
    leading = [table.options[j] for j in np.argsort(-totals)[: args.leading]]
    names = [quickcount.TURNOUT, quickcount.INVALID, *leading]
    quantities = [quickcount.TURNOUT, quickcount.INVALID, *table.options]
    cols = [quantities.index(name) for name in names]
    true = np.array([truth[name] for name in names])

    reps = args.reps
    est = np.empty((reps, len(names)))
    m95 = np.empty_like(est)
    m99 = np.empty_like(est)
    fallback = np.zeros(reps, dtype=bool)
    t_draw = t_est = 0.0
    for r in range(reps):
        seed = args.first_seed + r
        t1 = time.perf_counter()
        sample = sampling.draw_stratified_sample(frame.strata, args.n, seed=seed)
        reports = quickcount.Reports.from_table(table, sample.stations)
        t2 = time.perf_counter()
        result = quickcount.estimate(frame, reports, by_stratum=False, by_group=False)
        t3 = time.perf_counter()
        t_draw += t2 - t1
        t_est += t3 - t2
        for k, j in enumerate(cols):
            e = result.overall[quantities[j]]
            est[r, k], m95[r, k], m99[r, k] = e.estimate, e.margin95, e.margin99
            fallback[r] |= e.fallback is not None
        if (r + 1) % 200 == 0:
            covered = (np.abs(est[: r + 1] - true) <= m95[: r + 1]).mean(axis=0)
            print(f"{r + 1} samples: 95% coverage {np.round(covered, 3).tolist()}", flush=True)

    cover95 = np.abs(est - true) <= m95
    cover99 = np.abs(est - true) <= m99
    # Binomial standard error of a coverage of 95% over `reps` samples.
    mc_se = float(np.sqrt(0.95 * 0.05 / reps))
    out = {
        "dataset": args.dataset,
        "stations": len(table),
        "strata": len(frame.stratum_names),
        "sample_size": args.n,
        "samples": reps,
        "seeds": [args.first_seed, args.first_seed + reps - 1],
        "monte_carlo_se_of_coverage": round(mc_se, 4),
        "samples_with_fallback": int(fallback.sum()),
        "quantities": {
            name: {
                "official": round(float(true[k]), 6),
                "coverage95": round(float(cover95[:, k].mean()), 4),
                "coverage99": round(float(cover99[:, k].mean()), 4),
                "mean_margin95": round(float(m95[:, k].mean()), 6),
                "bias": round(float(est[:, k].mean() - true[k]), 6),
                "empirical_sd": round(float(est[:, k].std(ddof=1)), 6),
                "mean_se": round(float((m95[:, k] / 1.96).mean()), 6),
            }
            for k, name in enumerate(names)
        },
        "seconds": {
            "read": round(read_s, 2),
            "draw_per_sample_ms": round(1000 * t_draw / reps, 2),
            "estimate_per_sample_ms": round(1000 * t_est / reps, 2),
        },
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
