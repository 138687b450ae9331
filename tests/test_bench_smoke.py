"""The election-day benchmark (bench/election_day.py) still runs, and its yardstick endpoint
exists only when the benchmark asks for it.

The benchmark itself is a script, not a test: here it runs in its tiny mode (a small election,
a few requests, a couple of seconds of load) only to prove that it works end to end and that its
accounting holds (nothing lost, nothing duplicated). No figure is asserted."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from bench import election_day
from bench.yardstick import submit as yardstick_view
from core.tests.processes import process_env

YARDSTICK_PATH = "/bench/yardstick/submissions"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def test_the_yardstick_is_not_mounted_in_normal_runs():
    assert settings.BENCH_YARDSTICK is False
    with pytest.raises(NoReverseMatch):
        reverse("bench_yardstick")
    try:
        match = resolve(YARDSTICK_PATH)
    except Resolver404:
        return
    assert match.func is not yardstick_view


def test_the_yardstick_is_mounted_only_with_its_variable():
    code = (
        "import django; django.setup(); from django.urls import resolve; "
        f"print(resolve({YARDSTICK_PATH!r}).func.__module__)"
    )
    env = process_env(
        DJANGO_SETTINGS_MODULE="birlik.settings",
        BIRLIK_BENCH_YARDSTICK="1",
        DATABASE_URL="sqlite:////tmp/birlik-bench-unused.sqlite3",
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "bench.yardstick"


def test_the_checklist_is_a_valid_form_and_the_answers_pass_it():
    import random

    from questionnaires.engine import check_answers, validate_schema

    assert validate_schema(election_day.CHECKLIST) == []
    rng = random.Random(1)
    for alert in (False, True):
        for _n in range(50):
            checked = check_answers(
                election_day.CHECKLIST, election_day.make_answers(rng, alert=alert)
            )
            assert checked.ok, checked.errors
            assert bool(checked.alerts) is alert


@pytest.mark.slow
def test_the_election_day_benchmark_runs_in_its_tiny_mode():
    if not election_day.postgres_reachable(f"{POSTGRES}/postgres"):
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES} (set BENCH_POSTGRES)")
    if not election_day.redis_reachable(REDIS):
        pytest.skip(f"Redis is not reachable at {REDIS} (set BENCH_REDIS_URL)")
    database = f"birlik_bench_smoke_{secrets.token_hex(3)}"
    done = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "bench" / "election_day.py"),
            "--tiny",
            "--db",
            database,
            "--postgres",
            POSTGRES,
            "--redis-url",
            REDIS,
        ],
        env=process_env(),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=900,  # the first run on a machine migrates the template database
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for key in (
        "offered_rps",
        "achieved_rps",
        "p50_ms",
        "p99_ms",
        "accepted",
        "stored",
        "duplicates",
        "lost",
        "saturation_rps",
        "yardstick_rps",
        "ratio",
        "workers",
        "threads",
        "duration",
    ):
        assert key in report, key
    assert report["requests"] > report["unique_keys"] > 0  # some keys were sent twice
    assert report["statuses"].get("200", 0) > 0  # re-sends answered as replays
    assert report["lost"] == 0
    assert report["duplicates"] == 0
    assert report["stored"] == report["accepted"] == report["unique_keys"]
    assert report["saturation_rps"] > 0 and report["yardstick_rps"] > 0
    assert report["server_error_lines"] == 0


def test_the_official_results_import_benchmark_runs_on_a_small_file():
    """bench/import_official_results.py on the Georgian file (3,600 stations) into a throwaway
    SQLite database: it runs end to end and stores every row. No figure is asserted."""
    from electionstats.layouts import dataset_path

    if not dataset_path("georgia2013").exists():
        pytest.skip(f"{dataset_path('georgia2013')} not found (set BIRLIK_SHARED_DATA)")
    env = {k: v for k, v in process_env().items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "bench" / "import_official_results.py"),
            "--dataset",
            "georgia2013",
            "--repeat",
            "1",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["backend"] == "sqlite"
    assert report["rows_stored"] == report["rows"] > 3000
