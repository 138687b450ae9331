"""How long does one quick-count estimate take? Target: under 20 ms for 1,500 reports, ~10 options.

Two cases, each timed over many runs (wall and CPU time, see bench/_timing.py):

- synthetic: a frame of 95,000 stations in 85 strata (also the regions), 1,500 reported sample
  stations, 10 options; always available;
- russia2011: the real frame (95,225 stations, 84 regions), a 1,500-station stratified sample
  (seed 2011), 7 parties; skipped when the data folder is absent.

For each: the full estimate (overall + per stratum + per region), the overall estimate alone,
and the convergence series (batches of 50 reports).

    .venv/bin/python bench/quickcount_estimate.py [--repeat 50]

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from _timing import measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from electionstats import layouts, quickcount, sampling


def synthetic(seed: int = 0):
    rng = np.random.default_rng(seed)
    N, H, k = 95_000, 85, 10
    strata = rng.integers(0, H, N)
    registered = rng.integers(200, 3000, N)
    issued = rng.binomial(registered, np.clip(rng.normal(0.6, 0.12, N), 0.05, 0.99))
    invalid = rng.binomial(issued, 0.015)
    weights = rng.dirichlet(np.linspace(1, 10, k), N)
    votes = np.array(
        [rng.multinomial(v, w) for v, w in zip(issued - invalid, weights, strict=True)]
    )
    frame = quickcount.Frame.from_labels(strata, strata)
    sample = sampling.draw_stratified_sample(frame.strata, 1500, seed=seed)
    reports = quickcount.Reports(
        station=sample.stations,
        registered=registered[sample.stations],
        issued=issued[sample.stations],
        invalid=invalid[sample.stations],
        votes=votes[sample.stations],
        options=[f"option {j + 1}" for j in range(k)],
    )
    return frame, reports


def russia():
    path = layouts.dataset_path("russia2011")
    if not path.exists():
        return None
    table = layouts.read_russia(path)
    regions = [table.region_names[c] for c in table.region]
    frame = quickcount.Frame.from_labels(regions, regions)
    sample = sampling.draw_stratified_sample(frame.strata, 1500, seed=2011)
    return frame, quickcount.Reports.from_table(table, sample.stations)


def bench(frame, reports, repeat: int) -> dict:
    quickcount.estimate(frame, reports)  # warm up (caches on the frame, imports)
    return {
        "reports": len(reports),
        "options": len(reports.options),
        "strata": len(frame.stratum_names),
        "full_estimate": measure(lambda: quickcount.estimate(frame, reports), repeat),
        "overall_only": measure(
            lambda: quickcount.estimate(frame, reports, by_stratum=False, by_group=False), repeat
        ),
        "convergence_batches_of_50": measure(
            lambda: quickcount.convergence(frame, reports, batch_size=50), max(repeat // 5, 3)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    out = {"target_ms": 20, "synthetic": bench(*synthetic(), args.repeat)}
    real = russia()
    out["russia2011"] = (
        bench(*real, args.repeat) if real else {"skipped": "russia/2011.csv.zip not found"}
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
