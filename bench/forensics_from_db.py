"""How long does a forensic run on stored official results take? Russia 2011 (95,225 rows):
building the table from the OfficialResult rows (forensics.services.table_from_import, target
about 1–2 s), then the whole run (table + suite + saving the JSON).

Creates a throwaway test database (SQLite in memory, or PostgreSQL with DATABASE_URL: its
test_ database), stores the file's rows with bulk_create (not timed), measures, and drops it.

    .venv/bin/python bench/forensics_from_db.py [--dataset russia2011] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/birlik_forensics .venv/bin/python bench/...

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from _timing import measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from electionstats import layouts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="russia2011", choices=sorted(layouts.DATASETS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = layouts.dataset_path(args.dataset)
    if not path.exists():
        print(json.dumps({"skipped": f"{path} not found (set BIRLIK_SHARED_DATA)"}))
        return
    table = layouts.read_layout(path, layouts.DATASETS[args.dataset][1])
    print("creating the test database…", file=sys.stderr)
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from elections.models import Contest, Election
        from elections.tests.factories import ContestFactory, ElectionFactory
        from forensics import services
        from forensics.models import ForensicsRun
        from forensics.tests.conftest import store_table

        contest = ContestFactory(
            election=ElectionFactory(kind=Election.Kind.PRESIDENTIAL), kind=Contest.Kind.NATIONAL
        )
        started = time.perf_counter()
        result_import = store_table(table, contest, name=args.dataset)
        stored_s = time.perf_counter() - started
        tables = []
        timing = measure(
            lambda: tables.append(services.table_from_import(result_import)), args.repeat
        )
        same = tables[-1].totals() == table.totals()
        runs = []

        def whole_run() -> None:
            run = ForensicsRun.objects.create(result_import=result_import)
            runs.append(services.run_now(run))

        run_timing = measure(whole_run, args.repeat)
        print(
            json.dumps(
                {
                    "dataset": args.dataset,
                    "database": connection.vendor,
                    "rows": len(table),
                    "store_rows_s": round(stored_s, 1),
                    "table_from_import": timing,
                    "table_totals_equal_file": same,
                    "whole_run": run_timing,
                    "run_status": runs[-1].status,
                    "run_seconds_recorded": runs[-1].seconds,
                    "target_table_ms": 2000,
                }
            )
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
