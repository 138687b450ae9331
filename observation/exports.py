"""Election-day data as CSV or XLSX: the stations' derived reports, or every submission as
received. One form per file, its answers as columns named by question code (so a file reads
the same whatever the interface language); only the regions the reader may watch.

Column names are fixed identifiers rather than translated words, so scripts and spreadsheets
built on one export keep working on the next. Every export is written to the audit log.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import Election
from geo.models import Region
from observation.dashboard import REGION_FIELD_OF_STATION, RegionIds
from observation.models import StationReport, Submission
from questionnaires.engine import questions
from questionnaires.models import Questionnaire, QuestionnaireVersion

DATASETS = ("reports", "submissions")
FORMATS = ("csv", "xlsx")

REPORT_COLUMNS = [
    "station_code",
    "station_name",
    "region_code",
    "region",
    "district",
    "constituency",
    "status",
    "conflict_questions",
    "resolved_questions",
    "has_alert",
    "observers",
    "submissions",
    "last_received_at",
]
SUBMISSION_COLUMNS = [
    "submission_id",
    "received_at",
    "submitted_at",
    "channel",
    "form_version",
    "station_code",
    "region_code",
    "region",
    "observer_number",
    "has_alert",
]


@dataclass
class Table:
    """A header and its rows (an iterator: a large export is never all in memory)."""

    header: list[str]
    rows: Iterable[list[Any]]
    count: int
    sheet: str


def question_codes(questionnaire: Questionnaire) -> list[str]:
    """Every question code the form has had: the current version's in form order, then codes
    only older versions asked (their answers are still in the data)."""
    schemas = dict(
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire).values_list("pk", "schema")
    )
    codes = [q["code"] for q in questions(schemas.pop(questionnaire.current_version_id, {}))]
    seen = set(codes)
    for _pk, schema in sorted(schemas.items(), reverse=True):
        for question in questions(schema):
            if question["code"] not in seen:
                seen.add(question["code"])
                codes.append(question["code"])
    return codes


def cell(value: Any) -> Any:
    """A value as a spreadsheet should hold it: yes/no, lists joined by ";", times in ISO 8601
    (UTC), and text that a spreadsheet would run as a formula made harmless."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return cell(";".join(str(item) for item in value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    text = str(value)
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _reports(
    election: Election, questionnaire: Questionnaire, region_ids: RegionIds, region: Region | None
) -> QuerySet:
    reports = StationReport.objects.filter(election=election, questionnaire=questionnaire)
    if region_ids is not None:
        reports = reports.filter(region__in=region_ids)
    if region is not None:
        reports = reports.filter(region=region)
    return reports.select_related("station__constituency__district", "region").order_by(
        "station__constituency__number", "station__number"
    )


def report_table(
    election: Election,
    questionnaire: Questionnaire,
    *,
    region_ids: RegionIds,
    region: Region | None = None,
) -> Table:
    codes = question_codes(questionnaire)
    reports = _reports(election, questionnaire, region_ids, region)

    def rows() -> Iterator[list[Any]]:
        for report in reports.iterator(chunk_size=2000):
            station = report.station
            constituency = station.constituency
            yield [
                cell(value)
                for value in (
                    station.code,
                    station.name,
                    report.region.code,
                    report.region.name,
                    constituency.district.name,
                    constituency.number,
                    report.status,
                    sorted(report.conflicts),
                    sorted(report.resolutions),
                    report.has_alert,
                    report.observer_count,
                    report.submission_count,
                    report.last_received_at,
                    *(report.answers.get(code) for code in codes),
                )
            ]

    return Table(
        header=[*REPORT_COLUMNS, *codes],
        rows=rows(),
        count=reports.count(),
        sheet=_("%(code)s reports") % {"code": questionnaire.code},
    )


def submission_table(
    election: Election,
    questionnaire: Questionnaire,
    *,
    region_ids: RegionIds,
    region: Region | None = None,
) -> Table:
    codes = question_codes(questionnaire)
    submissions = Submission.objects.filter(election=election, questionnaire=questionnaire)
    region_field = f"station__{REGION_FIELD_OF_STATION}"
    if region_ids is not None:
        submissions = submissions.filter(**{f"{region_field}__in": region_ids})
    if region is not None:
        submissions = submissions.filter(**{region_field: region})
    submissions = submissions.select_related(
        "station__constituency__district__region", "observer", "version"
    ).order_by("received_at", "pk")

    def rows() -> Iterator[list[Any]]:
        for submission in submissions.iterator(chunk_size=2000):
            station = submission.station
            place = station.constituency.district.region
            yield [
                cell(value)
                for value in (
                    submission.pk,
                    submission.received_at,
                    submission.submitted_at,
                    submission.channel,
                    submission.version.number,
                    station.code,
                    place.code,
                    place.name,
                    submission.observer.number,
                    submission.has_alert,
                    *(submission.answers.get(code) for code in codes),
                )
            ]

    return Table(
        header=[*SUBMISSION_COLUMNS, *codes],
        rows=rows(),
        count=submissions.count(),
        sheet=_("%(code)s submissions") % {"code": questionnaire.code},
    )


def export_table(
    *,
    actor,
    election: Election,
    questionnaire: Questionnaire,
    dataset: str,
    file_format: str,
    region_ids: RegionIds,
    region: Region | None = None,
) -> Table:
    """The table to download, with the export written to the audit log (who, which data,
    which regions, how many rows)."""
    if dataset not in DATASETS or file_format not in FORMATS:
        raise ValueError(f"unknown export {dataset}.{file_format}")
    build = report_table if dataset == "reports" else submission_table
    table = build(election, questionnaire, region_ids=region_ids, region=region)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        model=StationReport if dataset == "reports" else Submission,
        object_label=f"{election} · {questionnaire.code} · {dataset} ({file_format.upper()})",
        changes={
            "election": election.pk,
            "form": questionnaire.code,
            "dataset": dataset,
            "format": file_format,
            "regions": "all" if region_ids is None else sorted(region_ids),
            "region": region.code if region is not None else "",
            "rows": table.count,
        },
    )
    return table


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(table: Table) -> Iterator[str]:
    """The table as CSV text, row by row (for a streaming response)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(table.header)
    for row in table.rows:
        yield writer.writerow(row)


def _printable(value: Any) -> Any:
    # Control characters (from a pasted text answer) are not allowed in an XLSX file.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    # A sheet name has at most 31 characters and none of []:*?/ or a backslash, which a
    # translation could bring.
    title = re.sub(r"[\[\]:*?/\\]", " ", table.sheet)[:31]
    sheet = workbook.create_sheet(title=title)
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([_printable(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
