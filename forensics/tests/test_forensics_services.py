"""forensics.services: the table built from the database, starting and doing a run."""

import numpy as np
import pytest
from django.test import override_settings

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from forensics import services
from forensics.models import ForensicsRun
from forensics.tests.conftest import store_table
from results.models import OfficialResultImport

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def assert_same_table(from_db, from_file):
    assert from_db.totals() == from_file.totals()
    assert from_db.options == from_file.options
    assert from_db.region_names == from_file.region_names
    # Georgia's reader numbers districts per region (several named ""): compare the labels.
    assert [from_db.label(i) for i in range(len(from_db))] == [
        from_file.label(i) for i in range(len(from_file))
    ]
    for name in ("region", "registered", "issued", "cast", "invalid", "valid", "rows"):
        assert np.array_equal(getattr(from_db, name), getattr(from_file, name)), name
    assert np.array_equal(from_db.votes, from_file.votes)
    assert from_db.failure_counts() == from_file.failure_counts()


def test_table_from_import_round_trips_the_synthetic_file(synthetic_table, synthetic_import):
    table = services.table_from_import(synthetic_import)
    assert_same_table(table, synthetic_table)
    assert table.layout == "mapped"
    assert table.label(0) == "Region 1 / 001"


def test_table_from_import_round_trips_georgia(georgia_table, contest):
    result_import = store_table(georgia_table, contest)
    table = services.table_from_import(result_import)
    assert_same_table(table, georgia_table)
    assert table.totals()["stations"] == 3707


def test_table_from_import_of_an_empty_import(contest):
    empty = OfficialResultImport.objects.create(
        election=contest.election,
        contest=contest,
        name="Empty",
        layout="mapped",
        original_name="empty.csv",
        option_names=["A", "B"],
    )
    table = services.table_from_import(empty)
    assert len(table) == 0
    assert table.votes.shape == (0, 2)


def test_start_run_queues_a_run_and_audits_it(synthetic_import, django_capture_on_commit_callbacks):
    analyst = make_staff(Role.ANALYST)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.start_run(synthetic_import, actor=analyst)
    assert run.status == ForensicsRun.Status.QUEUED
    assert run.created_by == analyst
    assert len(callbacks) == 1  # the task is enqueued once the transaction commits
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(run.pk))
    assert entry.actor == analyst
    assert entry.changes["result_import"] == synthetic_import.pk


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_the_task_runs_the_suite_and_keeps_the_result(
    synthetic_import, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(synthetic_import, actor=make_staff(Role.ANALYST))
    run.refresh_from_db()
    assert run.status == ForensicsRun.Status.DONE
    assert run.error == ""
    assert run.seconds > 0
    assert run.finished_at is not None
    assert run.result["summary"]["stations"] == 305
    assert run.result["summary"]["leader"] == "Party A"
    # Each listed station knows its row in the import, for the pages.
    rows = {s["row"] for s in run.result["outliers"]["stations"]}
    assert {302, 303, 304, 305, 306} <= rows


def test_run_now_does_a_queued_run(synthetic_import):
    run = ForensicsRun.objects.create(result_import=synthetic_import)
    run = services.run_now(run)
    assert run.status == ForensicsRun.Status.DONE
    assert run.result["integer_percentages"]["simulations"] == 100


def test_a_run_that_fails_keeps_the_error(contest):
    empty = OfficialResultImport.objects.create(
        election=contest.election,
        contest=contest,
        name="Empty",
        layout="mapped",
        original_name="empty.csv",
        option_names=["A"],
    )
    run = services.run_now(ForensicsRun.objects.create(result_import=empty))
    assert run.status == ForensicsRun.Status.FAILED
    assert "no rows" in run.error
    assert run.result == {}


def test_a_run_that_is_not_waiting_is_left_alone(synthetic_import):
    run = ForensicsRun.objects.create(
        result_import=synthetic_import, status=ForensicsRun.Status.RUNNING
    )
    services.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == ForensicsRun.Status.RUNNING
    assert run.result == {}


def test_latest_runs_gives_the_newest_run_of_each_import(synthetic_import):
    ForensicsRun.objects.create(result_import=synthetic_import)
    newest = ForensicsRun.objects.create(result_import=synthetic_import)
    assert services.latest_runs([synthetic_import])[synthetic_import.pk] == newest


def test_odd_vote_lists_are_padded_or_cut_not_shifted():
    from forensics.services import _votes_matrix

    matrix = _votes_matrix(("[1, 2, 3]", "[4, 5]", "[7, 8, 9, 10]", "[]", "[1, null, 2.0]"), 3)
    assert matrix.tolist() == [[1, 2, 3], [4, 5, 0], [7, 8, 9], [0, 0, 0], [1, 0, 2]]
