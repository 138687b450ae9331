"""Forensic runs on imported official results: the table the statistics read, starting a run
in the background and doing it.

The statistics themselves are electionstats.forensics.run_suite (no Django); this module only
turns an import's OfficialResult rows into an electionstats.layouts.ResultsTable and keeps what
the suite returns on a ForensicsRun.
"""

from __future__ import annotations

import json
import time
import warnings
from typing import Any

import numpy as np
from django.db import connections, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_log
from electionstats.forensics import run_suite
from electionstats.layouts import ResultsTable, RowFailure
from forensics.models import ForensicsRun
from results.models import OfficialResult, OfficialResultImport

_FIELDS = (
    "row",
    "region",
    "district",
    "station_code",
    "registered",
    "issued",
    "cast",
    "invalid",
    "valid",
    "votes",
    "failed_rules",
)


def _codes(values: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """Integer codes in order of first appearance (as the file readers number regions)."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values)
    )
    return codes, list(index)


def _json(value: Any) -> Any:
    """A JSON column as the database cursor gives it (text on SQLite and PostgreSQL, where
    Django asks psycopg for jsonb as text), or already decoded."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _votes_matrix(votes: tuple[Any, ...], k: int) -> np.ndarray:
    """The votes column, ``(n, k)``. Fast path: every row is a JSON list of k integers, read by
    one NumPy call over the joined text."""
    n = len(votes)
    if n == 0:
        return np.zeros((0, k), dtype=np.int64)
    commas = k - 1
    if k and all(isinstance(v, str) and v.count(",") == commas for v in votes):
        joined = ",".join(v.strip()[1:-1] for v in votes)
        try:
            with warnings.catch_warnings():
                # A cell that is not an integer: NumPy raises (or, in older versions, warns
                # and stops short); the careful path below takes over.
                warnings.simplefilter("ignore", DeprecationWarning)
                flat = np.fromstring(joined, dtype=np.int64, sep=",")
        except ValueError:
            flat = np.zeros(0, dtype=np.int64)
        if flat.shape[0] == n * k and "." not in joined:
            return flat.reshape(n, k)
    # Odd rows (a hand-edited import): decode each, pad with zeros, cut what is too long.
    matrix = np.zeros((n, k), dtype=np.int64)
    for i, row in enumerate(votes):
        values = [int(v or 0) for v in (_json(row) or [])][:k]
        matrix[i, : len(values)] = values
    return matrix


def _rule_code(item: Any) -> str:
    if isinstance(item, (list, tuple)):
        return str(item[0]) if item else ""
    if isinstance(item, dict):
        return str(item.get("rule") or item.get("code") or "")
    return str(item)


def table_from_import(result_import: OfficialResultImport) -> ResultsTable:
    """The import's rows as a ResultsTable, in row order, with region and district codes, the
    import's option names and each row's failed checks (as RowFailures without detail).

    One values_list query and NumPy: no model instances (95,000 rows take about a second)."""
    queryset = (
        OfficialResult.objects.filter(result_import=result_import)
        .order_by("row")
        .values_list(*_FIELDS)
    )
    # The ORM's own SQL, run on a cursor: the JSON columns stay text, decoded in one go below
    # rather than row by row (most of the time for 95,000 rows went there).
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    options = [str(name) for name in (result_import.option_names or [])]
    n = len(records)
    columns = list(zip(*records, strict=True)) if n else [() for _ in _FIELDS]
    rows, regions, districts, stations = columns[0], columns[1], columns[2], columns[3]
    numbers = np.array(columns[4:9], dtype=np.int64).reshape(5, n)
    if not options and n:
        options = [str(j + 1) for j in range(max(len(_json(v) or []) for v in columns[9]))]
    votes = _votes_matrix(columns[9], len(options))
    region, region_names = _codes(regions)
    district, district_names = _codes(districts)
    failures = []
    for row, region_name, district_name, station, failed in zip(
        rows, regions, districts, stations, columns[10], strict=True
    ):
        if isinstance(failed, str):
            failed = [] if failed == "[]" else _json(failed)
        if failed:
            label = " / ".join(p for p in (region_name, district_name, station) if p)
            failures.extend(RowFailure(int(row), label, _rule_code(f), "") for f in failed)
    return ResultsTable(
        layout=result_import.layout,
        source=result_import.original_name or result_import.name,
        region=region,
        region_names=region_names,
        district=district,
        district_names=district_names,
        station=[str(s) for s in stations],
        registered=numbers[0],
        issued=numbers[1],
        cast=numbers[2],
        invalid=numbers[3],
        valid=numbers[4],
        votes=votes,
        options=options,
        rows=np.array(rows, dtype=np.int64),
        failures=failures,
    )


def latest_runs(imports) -> dict[int, ForensicsRun]:
    """The newest run of each of these imports, by import id."""
    latest: dict[int, ForensicsRun] = {}
    runs = ForensicsRun.objects.filter(result_import__in=imports).defer("result")
    for run in runs.order_by("result_import_id", "-created_at", "-pk"):
        latest.setdefault(run.result_import_id, run)
    return latest


def start_run(result_import: OfficialResultImport, *, actor) -> ForensicsRun:
    """Queue a run of the whole suite on this import; the work happens in a background task
    (forensics.tasks.run_forensics) once this transaction commits."""
    from forensics.tasks import run_forensics

    with transaction.atomic():
        run = ForensicsRun.objects.create(
            result_import=result_import,
            status=ForensicsRun.Status.QUEUED,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=run,
            changes={"result_import": result_import.pk, "status": run.status},
        )
        transaction.on_commit(lambda: run_forensics.enqueue(run_id=run.pk))
    return run


def _annotate_outliers(result: dict[str, Any], table: ResultsTable) -> None:
    """Give each listed station its row number in the import, so the pages can find the
    official row (run_suite's ``index`` is the position in the table)."""
    for station in result.get("outliers", {}).get("stations", []):
        index = station.get("index")
        if index is not None and 0 <= index < len(table):
            station["row"] = int(table.rows[index])


def execute_run(run_id: int) -> ForensicsRun | None:
    """Do a queued run: build the table, run the suite, keep the result (or the error).

    A run that is not waiting (already done, or picked up by another worker) is left alone."""
    claimed = ForensicsRun.objects.filter(pk=run_id, status=ForensicsRun.Status.QUEUED).update(
        status=ForensicsRun.Status.RUNNING
    )
    if not claimed:
        return ForensicsRun.objects.filter(pk=run_id).first()
    run = ForensicsRun.objects.select_related("result_import").get(pk=run_id)
    started = time.perf_counter()
    try:
        table = table_from_import(run.result_import)
        if len(table) == 0:
            raise ValueError("the import has no rows")
        if not table.options:
            raise ValueError("the import has no ballot options")
        result = run_suite(table)
        if result["summary"]["stations_used"] == 0:
            raise ValueError("no station has usable numbers")
        _annotate_outliers(result, table)
    except Exception as error:  # any failure is recorded on the run
        run.status = ForensicsRun.Status.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.result = {}
    else:
        run.status = ForensicsRun.Status.DONE
        run.result = result
        run.error = ""
    run.seconds = round(time.perf_counter() - started, 3)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "error", "seconds", "finished_at"])
    return run


def run_now(run: ForensicsRun) -> ForensicsRun:
    """Do a queued run here and now (tests, small imports); returns it refreshed."""
    execute_run(run.pk)
    run.refresh_from_db()
    return run
