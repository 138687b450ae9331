"""How long does the whole forensics suite take on Russia 2011? Target: under 2 s.

Reads the file once (not timed here: see bench/read_official_results.py), then runs
electionstats.forensics.run_suite (100 simulations, seed 0) several times; prints the median
wall and CPU time, the time of each part in the last run, and the JSON size.

    .venv/bin/python bench/forensics_suite.py [--dataset russia2011] [--repeat 5]

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _timing import measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from electionstats import forensics, layouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="russia2011", choices=sorted(layouts.DATASETS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--simulations", type=int, default=100)
    args = parser.parse_args()
    path = layouts.dataset_path(args.dataset)
    if not path.exists():
        print(json.dumps({"skipped": f"{path} not found (set BIRLIK_SHARED_DATA)"}))
        return
    table = layouts.read_layout(path, layouts.DATASETS[args.dataset][1])
    results = []

    def run() -> None:
        results.append(forensics.run_suite(table, simulations=args.simulations, seed=0))

    timing = measure(run, args.repeat)
    last = results[-1]
    print(
        json.dumps(
            {
                "dataset": args.dataset,
                "stations": len(table),
                "simulations": args.simulations,
                "target_ms": 2000,
                "suite": timing,
                "parts_wall_ms_last_run": last["timing_ms"],
                "parts_cpu_ms_last_run": last["timing_cpu_ms"],
                "json_kb": len(json.dumps(last, ensure_ascii=False)) // 1024,
                "integer_either": last["integer_percentages"]["either"],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
