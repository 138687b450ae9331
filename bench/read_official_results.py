"""How long does reading the official results take? Target for Russia 2011 (95,225 rows): 1–3 s.

Reads every shared data file with its layout reader several times; prints rows, the failures
found per rule and the median wall and CPU time.

    .venv/bin/python bench/read_official_results.py [--repeat 3]

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _timing import measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from electionstats import layouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out = {}
    for name, (_relative, layout) in layouts.DATASETS.items():
        path = layouts.dataset_path(name)
        if not path.exists():
            out[name] = {"skipped": f"{path} not found (set BIRLIK_SHARED_DATA)"}
            continue
        tables: list[layouts.ResultsTable] = []

        def read(p: Path = path, lay: str = layout, into: list = tables) -> None:
            into.append(layouts.read_layout(p, lay))

        timing = measure(read, args.repeat)
        table = tables[-1]
        out[name] = {
            "layout": layout,
            "rows": len(table),
            "options": len(table.options),
            "failures": table.failure_counts(),
            "read": timing,
        }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
