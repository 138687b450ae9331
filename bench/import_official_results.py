"""How long does importing Russia 2011 (95,225 stations) into the database take? Target: < 15 s.

The whole import as the staff page runs it (results.official.import_official_results): reading
the file with electionstats, matching stations and options, storing the file, inserting every
row in one transaction, the audit entry. It runs against a throwaway database: a temporary
SQLite file (default), or, when --postgres URL or a PostgreSQL DATABASE_URL is given, a fresh
``birlik_bench_official`` database on that server (dropped and made again, dropped at the end;
nothing else is touched).

    .venv/bin/python bench/import_official_results.py [--dataset russia2011] [--repeat 2]
    .venv/bin/python bench/import_official_results.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 15.0
PG_NAME = "birlik_bench_official"


def _pg_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _pg_admin(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url(server_url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"migrate failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="russia2011")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--postgres", default="", help="server URL: use a fresh PG database")
    args = parser.parse_args()

    from electionstats import layouts

    path = layouts.dataset_path(args.dataset)
    if not path.exists():
        print(json.dumps({"skipped": f"{path} not found (set BIRLIK_SHARED_DATA)"}))
        return
    layout = layouts.DATASETS[args.dataset][1]

    work = tempfile.TemporaryDirectory(prefix="birlik-bench-official-")
    given = os.environ.get("DATABASE_URL", "")
    if not args.postgres and given.startswith(("postgres://", "postgresql://")):
        args.postgres = given  # the server of the given database; the bench makes its own
    if args.postgres:
        _pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        _pg_admin(args.postgres, f'CREATE DATABASE "{PG_NAME}"')
        url = _pg_url(args.postgres, PG_NAME)
        backend = "postgresql"
    else:
        url = f"sqlite:///{work.name}/bench.sqlite3"
        backend = "sqlite"
    print(f"migrating a throwaway {backend} database", flush=True)
    _migrate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["PRIVATE_MEDIA_ROOT"] = f"{work.name}/private"
    os.environ.setdefault("DEBUG", "0")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "birlik.settings"
    import django

    django.setup()

    from elections.models import Contest, Election
    from results.models import OfficialResult
    from results.official import import_official_results

    election = Election.objects.create(
        kind=Election.Kind.PARLIAMENTARY,
        name_az="Bench",
        name_en="Bench",
        election_date="2011-12-04",
    )
    contest = Contest.objects.create(
        election=election, kind=Contest.Kind.NATIONAL, name_az="Bench", name_en="Bench"
    )
    seconds: list[float] = []
    result = None
    for run in range(args.repeat):
        started = time.perf_counter()
        result = import_official_results(
            election=election,
            contest=contest,
            layout=layout,
            path=path,
            name=f"{args.dataset} run {run + 1}",
            actor=None,
        )
        seconds.append(time.perf_counter() - started)
        print(f"run {run + 1}: {seconds[-1]:.2f} s", flush=True)
    stored = OfficialResult.objects.filter(result_import=result).count()
    median = statistics.median(seconds)
    work.cleanup()
    if args.postgres:
        from django.db import connections

        connections.close_all()
        _pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    print(
        json.dumps(
            {
                "dataset": args.dataset,
                "backend": backend,
                "rows": result.row_count,
                "rows_stored": stored,
                "failures": len(result.failures),
                "rows_failing": result.failed_row_count,
                "runs_seconds": [round(s, 2) for s in seconds],
                "seconds": round(median, 2),
                "seconds_recorded_by_import": result.seconds,
                "target_seconds": TARGET_SECONDS,
                "passed": median < TARGET_SECONDS and stored == result.row_count,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
