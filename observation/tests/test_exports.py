"""Downloading station reports and raw submissions as CSV or XLSX: answers as columns by
question code, only the reader's regions, spreadsheet formulas defused, every export audited."""

import csv
import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from observation.exports import cell, question_codes, report_table, submission_table
from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)
from observation.tests.dashboard_fixtures import send
from questionnaires.models import QuestionnaireVersion

pytestmark = pytest.mark.django_db


def url(day, name: str, query: str = "") -> str:
    return f"/en/staff/observation/{day['election'].pk}/export/{name}{query}"


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def read_xlsx(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_station_reports_as_csv_with_answers_by_question_code(client, reported):
    client.force_login(reported["administrator"])
    response = client.get(url(reported, "reports.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="election-' in response["Content-Disposition"]
    assert "-OP-reports-" in response["Content-Disposition"]
    rows = {row["station_code"]: row for row in read_csv(response)}
    assert sorted(rows) == ["113-034", "12-034", "12-035"]
    conflict = rows["12-034"]
    assert conflict["status"] == "conflict" and conflict["conflict_questions"] == "A1;A2"
    assert conflict["A1"] == "" and conflict["A3"] == "7" and conflict["has_alert"] == "yes"
    assert rows["12-035"]["A5"] == "ink;lists" and rows["12-035"]["A4"] == "sealed"
    assert rows["12-035"]["region_code"] == "baki" and rows["12-035"]["observers"] == "1"


def test_submissions_as_xlsx_one_row_per_submission(client, reported):
    client.force_login(reported["analyst"])
    response = client.get(url(reported, "submissions.xlsx"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    rows = read_xlsx(response)
    assert len(rows) == 4
    at_12_034 = [row for row in rows if row["station_code"] == "12-034"]
    assert sorted(row["A1"] for row in at_12_034) == ["no", "yes"]
    assert {row["observer_number"] for row in at_12_034} == {
        reported["observers"]["12-034"].number,
        reported["second"].number,
    }
    assert "full_name" not in rows[0] and "phone" not in rows[0]  # no personal data


def test_the_closing_form_is_chosen_by_its_id(client, reported):
    client.force_login(reported["administrator"])
    closing = reported["closing"].pk
    rows = read_csv(client.get(url(reported, "reports.csv", f"?form={closing}")))
    assert [(row["station_code"], row["C1"]) for row in rows] == [("12-035", "431")]


def test_a_coordinator_exports_only_their_regions(client, reported):
    client.force_login(reported["sheki_coordinator"])
    rows = read_csv(client.get(url(reported, "reports.csv")))
    assert [row["station_code"] for row in rows] == ["113-034"]
    rows = read_xlsx(client.get(url(reported, "submissions.xlsx")))
    assert [row["station_code"] for row in rows] == ["113-034"]
    baku = reported["regions"]["baki"].pk
    response = client.get(url(reported, "reports.csv", f"?region={baku}"))
    assert response.status_code == 400
    assert "Choose one of the regions you watch." in response.content.decode()
    # The two downloads are in the audit log; the refused one is not.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 2


def test_a_region_filter_narrows_the_export(client, reported):
    client.force_login(reported["administrator"])
    baku = reported["regions"]["baki"].pk
    rows = read_csv(client.get(url(reported, "submissions.csv", f"?region={baku}")))
    assert sorted(row["station_code"] for row in rows) == ["12-034", "12-034", "12-035"]


def test_every_export_is_audited(client, reported):
    coordinator = reported["baku_coordinator"]
    client.force_login(coordinator)
    read_csv(client.get(url(reported, "reports.csv")))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == coordinator
    assert entry.changes["dataset"] == "reports" and entry.changes["format"] == "csv"
    assert entry.changes["form"] == "OP" and entry.changes["rows"] == 2
    assert entry.changes["regions"] == [reported["regions"]["baki"].pk]


def test_text_that_a_spreadsheet_would_run_is_defused(client, reported):
    observer = reported["observers"]["13-001"]
    send(observer, reported["opening"], {"A1": "yes", "A6": '=HYPERLINK("http://x")'})
    client.force_login(reported["administrator"])
    rows = read_csv(client.get(url(reported, "submissions.csv")))
    assert [row["A6"] for row in rows if row["station_code"] == "13-001"] == [
        '\'=HYPERLINK("http://x")'
    ]
    rows = read_xlsx(client.get(url(reported, "submissions.xlsx")))
    assert [row["A6"] for row in rows if row["station_code"] == "13-001"] == [
        '\'=HYPERLINK("http://x")'
    ]


def test_cells_and_question_codes(reported):
    assert (cell(True), cell(None), cell(["a", "b"]), cell(-3), cell("-3")) == (
        "yes",
        "",
        "a;b",
        -3,
        "'-3",
    )
    opening = reported["opening"]
    # A question only an older version asked is still a column, after the current ones.
    QuestionnaireVersion.objects.create(
        questionnaire=opening,
        number=0,
        schema={"sections": [{"code": "Z", "questions": [{"code": "Z9", "type": "text"}]}]},
    )
    assert question_codes(opening) == ["A1", "A2", "A3", "A4", "A5", "A6", "Z9"]


def test_tables_count_their_rows(reported):
    table = report_table(reported["election"], reported["opening"], region_ids=None)
    assert table.count == 3 and len(list(table.rows)) == 3
    table = submission_table(reported["election"], reported["opening"], region_ids=set())
    assert table.count == 0 and list(table.rows) == []
