"""Importing official per-station results: a file of a known layout (Russia, Albania, Georgia)
or any CSV/XLSX with a column mapping, read by electionstats.layouts, matched to the election's
polling stations and the contest's ballot options, and stored in one transaction.

Rows are never dropped: a row failing arithmetic is stored with the codes of the rules it
fails, and the import lists every failure with its detail (RULE_TEXTS gives each rule's text
in the user's language). A new import of a contest replaces the previous one (kept, marked
"replaced"). Speed matters (95,225 rows for Russia 2011): the file is read with NumPy, stations
are matched by one dict lookup per row and the rows are inserted with bulk_create.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import BallotOption, Contest, Election
from electionstats import layouts
from geo.importing import station_code
from geo.models import PollingStation
from results.models import OfficialResult, OfficialResultImport

#: The largest file accepted (Russia 2011 is 3.4 MB zipped, about 30 MB as CSV).
MAX_UPLOAD_BYTES = 60 * 1024 * 1024
#: Rows per INSERT on PostgreSQL (SQLite's own limit of 999 parameters caps it there).
BATCH_SIZE = 5000

#: electionstats' failure rules (English constants) in the user's language.
RULE_TEXTS: dict[str, Any] = {
    layouts.REGISTERED_ZERO: gettext_lazy(
        "No registered voters on the list (turnout cannot be computed)."
    ),
    layouts.NOT_AN_INTEGER: gettext_lazy(
        "A cell is blank or not a whole number; it was read as 0."
    ),
    layouts.NEGATIVE_COUNT: gettext_lazy("A count is negative."),
    layouts.WRONG_COLUMN_COUNT: gettext_lazy(
        "The row has a different number of cells from the header."
    ),
    layouts.DUPLICATE_STATION: gettext_lazy("Another row has the same station identifier."),
    layouts.VOTES_NE_VALID: gettext_lazy("The options' votes do not add up to the valid ballots."),
    layouts.VOTES_GT_CAST: gettext_lazy("The options' votes add up to more than the ballots cast."),
    layouts.CAST_GT_REGISTERED: gettext_lazy(
        "More ballots were cast (valid + invalid) than voters registered."
    ),
    layouts.ISSUED_GT_REGISTERED: gettext_lazy("More ballots were issued than voters registered."),
    layouts.CAST_GT_ISSUED: gettext_lazy(
        "More ballots were counted (valid + invalid) than were issued."
    ),
    layouts.BOXES_NE_CAST: gettext_lazy(
        "Ballots found in the boxes differ from valid + invalid ballots."
    ),
    layouts.BALLOTS_UNBALANCED: gettext_lazy(
        "Ballots received differ from issued + cancelled + lost - not accounted for on receipt."
    ),
    layouts.ISSUED_GT_RECEIVED: gettext_lazy("More ballots were issued than the station received."),
    layouts.INTRADAY_DECREASING: gettext_lazy(
        "A cumulative intraday turnout count is larger than a later one."
    ),
}

#: The mappable fields (electionstats.layouts.MAPPABLE_FIELDS) as the mapping form names them.
FIELD_LABELS: dict[str, Any] = {
    "station": gettext_lazy("Polling station"),
    "region": gettext_lazy("Region"),
    "district": gettext_lazy("District or constituency"),
    "registered": gettext_lazy("Registered voters"),
    "issued": gettext_lazy("Ballots issued"),
    "cast": gettext_lazy("Ballots cast (found in the boxes)"),
    "invalid": gettext_lazy("Invalid ballots"),
    "valid": gettext_lazy("Valid ballots"),
}
REQUIRED_FIELDS = ("station", "registered")


def rule_text(code: str) -> str:
    """The rule's explanation in the active language (the code itself for an unknown rule)."""
    text = RULE_TEXTS.get(code)
    return str(text) if text is not None else code


# --- what the uploaded file is ----------------------------------------------------------------


@dataclass
class FileInfo:
    """What inspect_upload found: the kind of file and, for CSV/XLSX, its columns and a guess."""

    kind: str  # "csv", "zip" (a CSV inside a zip) or "xlsx"
    extension: str
    header: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    delimiter: str = ","
    guessed_mapping: dict[str, str] = field(default_factory=dict)
    guessed_options: list[str] = field(default_factory=list)


def _read_head(source: Any, size: int = 64 * 1024) -> bytes:
    if hasattr(source, "seek"):
        source.seek(0)
    head = source.read(size)
    if hasattr(source, "seek"):
        source.seek(0)
    return head


def _file_size(source: Any) -> int:
    size = getattr(source, "size", None)
    if size is None:
        source.seek(0, io.SEEK_END)
        size = source.tell()
        source.seek(0)
    return int(size)


def sniff_kind(source: Any) -> str:
    """ "xlsx", "zip" or "csv" from the first bytes; ValidationError for anything else."""
    if _file_size(source) == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if _file_size(source) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.")
            % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="file_size",
        )
    head = _read_head(source)
    if head.startswith(b"PK\x03\x04"):
        source.seek(0)
        try:
            with zipfile.ZipFile(source) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        finally:
            source.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.lower().endswith((".csv", ".txt")) for n in names):
            return "zip"
        raise _wrong_type()
    if b"\x00" in head:
        raise _wrong_type()
    try:
        # The head may cut a multi-byte character in two: ignore an incomplete last one.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            raise ValidationError(
                _("The CSV file is not in UTF-8. Save it as “CSV UTF-8” or as XLSX and try again."),
                code="file_encoding",
            ) from None
    return "csv"


def _wrong_type() -> ValidationError:
    return ValidationError(
        _("Send a CSV file (UTF-8), an XLSX workbook or a zipped CSV."), code="file_type"
    )


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_text(source: Any, kind: str) -> str:
    source.seek(0)
    data = source.read()
    source.seek(0)
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith((".csv", ".txt"))]
            data = archive.read(names[0])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The CSV file is not in UTF-8. Save it as “CSV UTF-8” or as XLSX and try again."),
            code="file_encoding",
        ) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Words that name each field, in Azerbaijani, English and Russian (lower case, fragments).
# "invalid" is tried before "valid" (and "etibarsız" before "etibarlı") so neither takes the other.
_FIELD_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("station", ("station", "precinct", "məntəqə", "menteqe", "участ", "уик", "uik", "polling")),
    ("region", ("region", "regi", "rayon", "регион", "prefecture", "oblast", "область")),
    ("district", ("district", "dairə", "daire", "округ", "тик", "tik", "commune", "constituency")),
    ("registered", ("registered", "seçici", "secici", "избирател", "possible voters", "voters")),
    ("invalid", ("invalid", "etibarsız", "etibarsiz", "недействительн", "spoilt")),
    ("valid", ("valid", "etibarlı", "etibarli", "действительн")),
    ("issued", ("issued", "verilmiş", "verilmis", "выдан", "signed")),
    ("cast", ("cast", "qutu", "ящик", "ballots", "bülleten", "бюллетен")),
]


def guess_mapping(header: list[str], sample: list[list[str]]) -> tuple[dict[str, str], list[str]]:
    """A first guess at the mapping (field → column) and the option columns.

    Each field takes the first column whose name holds one of its words; the options are the
    remaining columns whose sample cells are whole numbers (an index column is left out)."""
    mapping: dict[str, str] = {}
    taken: set[int] = set()
    lowered = [h.casefold() for h in header]
    for field_name, words in _FIELD_WORDS:
        for j, name in enumerate(lowered):
            if j in taken or not name:
                continue
            if field_name == "valid" and any(w in name for w in _FIELD_WORDS[4][1]):
                continue
            if any(word in name for word in words):
                mapping[field_name] = header[j]
                taken.add(j)
                break
    options = []
    for j, name in enumerate(header):
        if j in taken or not name:
            continue
        cells = [row[j] for row in sample if j < len(row) and row[j] != ""]
        if cells and all(re.fullmatch(r"-?\d+(\.0+)?", c.replace(" ", "")) for c in cells):
            options.append(name)
    return mapping, options


def inspect_upload(source: Any) -> FileInfo:
    """What the uploaded file is, and for CSV/XLSX its header, a few rows and a guessed mapping.

    Raises ValidationError (in the user's language) for another kind of file, an empty or too
    large one, or a CSV that is not UTF-8."""
    kind = sniff_kind(source)
    if kind == "xlsx":
        header, sample = _xlsx_head(source)
        info = FileInfo(kind="xlsx", extension="xlsx", header=header, sample=sample)
    else:
        text = _csv_text(source, kind)
        delimiter = _sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text[:200_000], newline=""), delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        sample = [[c.strip() for c in row] for row in itertools.islice(reader, 20)]
        info = FileInfo(
            kind=kind,
            extension="zip" if kind == "zip" else "csv",
            header=header,
            sample=sample,
            delimiter=delimiter,
        )
    if not any(info.header):
        raise ValidationError(_("The file's first row has no column names."), code="no_header")
    info.guessed_mapping, info.guessed_options = guess_mapping(info.header, info.sample)
    return info


def _xlsx_head(source: Any) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    source.seek(0)
    try:
        workbook = load_workbook(io.BytesIO(source.read()), read_only=True, data_only=True)
    except Exception:  # any damage to the workbook is the user's to fix
        raise ValidationError(_("The XLSX workbook cannot be opened."), code="file_type") from None
    finally:
        source.seek(0)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True, max_row=21)
        header = [_cell(v) for v in next(rows, ())]
        sample = [[_cell(v) for v in row] for row in rows]
    finally:
        workbook.close()
    return header, sample


# --- matching stations and options -------------------------------------------------------------

_NUMBER_PAIR = re.compile(r"^\s*(\d+)\s*[-/. ]\s*(\d+)\s*$")
_LAST_NUMBER = re.compile(r"(\d+)\D*$")
_NUMBERED_NAME = re.compile(r"^\s*(\d+)\s*[-.):]\s*(.+?)\s*$")


def _normal(text: str) -> str:
    return " ".join(str(text).casefold().split())


def station_index(election: Election, contest: Contest | None = None) -> dict[str, int]:
    """Station code → id for the stations of the election (of the contest's constituency)."""
    stations = PollingStation.objects.filter(election_stations__election=election)
    if contest is not None and contest.constituency_id:
        stations = stations.filter(constituency_id=contest.constituency_id)
    return dict(stations.values_list("code", "pk"))


def match_station(codes: dict[str, int], station: str, district: str = "") -> int | None:
    """The station id for a file's station value: the code itself ("12-034"), a
    "<constituency>-<number>" form ("12/34", "12 34"), or a bare number with the constituency's
    number at the end of the district column ("Dairə 12", "12")."""
    found = codes.get(station)
    if found is not None:
        return found
    pair = _NUMBER_PAIR.match(station)
    if pair:
        return codes.get(station_code(int(pair[1]), int(pair[2])))
    if station.isdigit() and district:
        number = _LAST_NUMBER.search(district)
        if number:
            return codes.get(station_code(int(number[1]), int(station)))
    return None


def match_options(contest: Contest, names: list[str]) -> dict[str, int | None]:
    """index (as text) → BallotOption id, by the option's name in any language (case and spaces
    ignored, a leading "N - " allowed) or by its ballot number when the column is a number.
    An option is matched once; unmatched columns map to None."""
    by_name: dict[str, int] = {}
    by_number: dict[int, int] = {}
    for option in BallotOption.objects.filter(contest=contest).order_by("ballot_number"):
        by_number[option.ballot_number] = option.pk
        for name in (option.name_az, option.name_en, option.name_ru):
            if name:
                by_name.setdefault(_normal(name), option.pk)
    out: dict[str, int | None] = {}
    used: set[int] = set()
    for index, name in enumerate(names):
        normal = _normal(name)
        numbered = _NUMBERED_NAME.match(normal)
        candidates = [by_name.get(normal)]
        if numbered:
            candidates += [by_name.get(numbered[2]), by_number.get(int(numbered[1]))]
        if normal.isdigit():
            candidates.append(by_number.get(int(normal)))
        found = next((c for c in candidates if c is not None and c not in used), None)
        if found is not None:
            used.add(found)
        out[str(index)] = found
    return out


# --- reading ----------------------------------------------------------------------------------


def _layout_error(error: layouts.LayoutError, path: Path, layout: str) -> ValidationError:
    detail = str(error).replace(f"{path}: ", "").replace(str(path), "")
    if layout == OfficialResultImport.Layout.MAPPED:
        message = _("The file cannot be read with this column mapping: %(detail)s")
    else:
        message = _("The file does not have the columns of the layout “%(layout)s”: %(detail)s")
    return ValidationError(
        message % {"layout": OfficialResultImport.Layout(layout).label, "detail": detail},
        code="layout",
    )


def _check_mapping(mapping: dict[str, str], options: list[str] | None, header: list[str]) -> None:
    """The mapping's rules in the user's language, before electionstats sees it."""
    errors: list[str] = []
    unknown = [f for f in mapping if f not in layouts.MAPPABLE_FIELDS]
    if unknown:
        errors.append(
            _("Unknown fields in the mapping: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    for required in REQUIRED_FIELDS:
        if not mapping.get(required):
            errors.append(
                _("Choose the column of “%(field)s”.") % {"field": FIELD_LABELS[required]}
            )
    present = set(header)
    for field_name, column in mapping.items():
        if column and column not in present:
            errors.append(
                _("The column “%(column)s” (chosen for “%(field)s”) is not in the file.")
                % {"column": column, "field": FIELD_LABELS.get(field_name, field_name)}
            )
    columns = [c for c in mapping.values() if c]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        errors.append(
            _("A column can stand for one field only: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    if options is not None:
        absent = [c for c in options if c not in present]
        if absent:
            errors.append(
                _("These option columns are not in the file: %(columns)s.")
                % {"columns": ", ".join(absent)}
            )
        both = [c for c in options if c in set(columns)]
        if both:
            errors.append(
                _("These columns are chosen both as a protocol line and as an option: %(columns)s.")
                % {"columns": ", ".join(both)}
            )
        if not options:
            errors.append(_("Choose at least one column of votes for a ballot option."))
    if errors:
        raise ValidationError(errors, code="mapping")


def read_table(
    path: Path,
    *,
    kind: str,
    layout: str,
    mapping: dict[str, str] | None = None,
    options: list[str] | None = None,
) -> layouts.ResultsTable:
    """The file as an electionstats ResultsTable; ValidationError when it cannot be read."""
    try:
        if layout != OfficialResultImport.Layout.MAPPED:
            return layouts.read_layout(path, layout)
        mapping = {k: v for k, v in (mapping or {}).items() if v}
        if kind == "xlsx":
            with path.open("rb") as handle:
                header = _xlsx_head(File(handle))[0]
            _check_mapping(mapping, options, header)
            return layouts.read_xlsx_mapped(path, mapping, options=options)
        with path.open("rb") as handle:
            text = _csv_text(handle, kind)
        delimiter = _sniff_delimiter(text)
        header = [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=delimiter), [])]
        _check_mapping(mapping, options, header)
        return layouts.read_csv_mapped(
            path, mapping, options=options, delimiter=delimiter, encoding="utf-8-sig"
        )
    except layouts.LayoutError as error:
        raise _layout_error(error, path, layout) from None
    except UnicodeDecodeError:
        raise ValidationError(
            _("The CSV file is not in UTF-8. Save it as “CSV UTF-8” or as XLSX and try again."),
            code="file_encoding",
        ) from None
    except (csv.Error, zipfile.BadZipFile) as error:
        raise ValidationError(
            _("The file cannot be read: %(error)s") % {"error": error}, code="file_type"
        ) from None


# --- the import ---------------------------------------------------------------------------------


def _failures_by_row(failures: list[layouts.RowFailure]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for failure in failures:
        rules = out.setdefault(failure.row, [])
        if failure.rule not in rules:
            rules.append(failure.rule)
    return out


def import_official_results(
    *,
    election: Election,
    contest: Contest,
    layout: str,
    name: str,
    actor,
    uploaded_file: Any = None,
    path: str | Path | None = None,
    mapping: dict[str, str] | None = None,
    options: list[str] | None = None,
) -> OfficialResultImport:
    """Read the file, match stations and options, store every row in one transaction.

    The contest's previous import (if any) is marked replaced. Raises ValidationError with a
    message in the user's language when the file, the layout or the mapping is wrong; then
    nothing is written."""
    started = time.perf_counter()
    if contest.election_id != election.pk:
        raise ValidationError({"contest": _("This contest belongs to another election.")})
    if layout not in OfficialResultImport.Layout.values:
        raise ValidationError({"layout": _("Choose a layout from the list.")})
    if (uploaded_file is None) == (path is None):
        raise ValueError("give uploaded_file or path")
    if layout == OfficialResultImport.Layout.MAPPED and not mapping:
        raise ValidationError({"mapping": _("Choose which column holds which protocol line.")})
    source = uploaded_file if uploaded_file is not None else open(path, "rb")  # noqa: SIM115
    original_name = Path(getattr(source, "name", None) or str(path or "file")).name
    name = (name or "").strip() or original_name
    try:
        kind = sniff_kind(source)
        suffix = {"xlsx": ".xlsx", "zip": ".zip"}.get(kind, ".csv")
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / f"upload{suffix}"
            source.seek(0)
            with local.open("wb") as out:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    out.write(chunk)
            source.seek(0)
            if kind == "xlsx" and layout != OfficialResultImport.Layout.MAPPED:
                raise ValidationError(
                    _("Files of the layout “%(layout)s” are CSV (or a zipped CSV), not XLSX.")
                    % {"layout": OfficialResultImport.Layout(layout).label},
                    code="file_type",
                )
            table = read_table(local, kind=kind, layout=layout, mapping=mapping, options=options)
        if len(table) == 0:
            raise ValidationError(_("The file has no rows of polling stations."), code="no_rows")
        result_import = _store(
            election=election,
            contest=contest,
            layout=layout,
            name=name,
            actor=actor,
            source=source,
            original_name=original_name,
            table=table,
            mapping=mapping if layout == OfficialResultImport.Layout.MAPPED else {},
            started=started,
        )
    finally:
        if uploaded_file is None:
            source.close()
    return result_import


_ROW_FIELDS = (
    "result_import",
    "row",
    "region",
    "district",
    "station_code",
    "station",
    "registered",
    "issued",
    "cast",
    "invalid",
    "valid",
    "votes",
    "extra",
    "failed_rules",
)


def _insert_rows(
    import_id: int,
    table: layouts.ResultsTable,
    *,
    region_names: list[str],
    district_names: list[str],
    stations: list[str],
    station_ids: list[int | None],
    failed: dict[int, list[str]],
) -> None:
    """Insert one OfficialResult per row of the table.

    One ``executemany`` of plain tuples, with the JSON written by hand (lists and dicts of
    integers): building 95,000 model instances for bulk_create costs ten seconds on its own.
    Other database vendors go through bulk_create."""
    extra_keys = list(table.extra)
    extra_columns = [table.extra[k].tolist() for k in extra_keys]
    key_prefixes = [json.dumps(k) + ": " for k in extra_keys]
    columns = zip(
        table.rows.tolist(),
        region_names,
        district_names,
        stations,
        station_ids,
        table.registered.tolist(),
        table.issued.tolist(),
        table.cast.tolist(),
        table.invalid.tolist(),
        table.valid.tolist(),
        table.votes.tolist(),
        zip(*extra_columns, strict=True) if extra_columns else itertools.repeat(()),
        strict=False,
    )
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        OfficialResult.objects.bulk_create(
            [
                OfficialResult(
                    result_import_id=import_id,
                    row=row,
                    region=region[:200],
                    district=district[:200],
                    station_code=code[:100],
                    station_id=sid,
                    registered=reg,
                    issued=iss,
                    cast=cast,
                    invalid=inv,
                    valid=val,
                    votes=votes,
                    extra=dict(zip(extra_keys, extra, strict=True)),
                    failed_rules=failed.get(row, []),
                )
                for row, region, district, code, sid, reg, iss, cast, inv, val, votes, extra in (
                    columns
                )
            ],
            batch_size=BATCH_SIZE,
        )
        return
    meta = OfficialResult._meta
    json_fields = {"votes", "extra", "failed_rules"}
    cast_json = "::jsonb" if vendor == "postgresql" else ""
    names = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in _ROW_FIELDS)
    marks = ", ".join(f"%s{cast_json}" if f in json_fields else "%s" for f in _ROW_FIELDS)
    # Names come from the model, values go as parameters.
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    values = []
    for row, region, district, code, sid, reg, iss, cast, inv, val, votes, extra in columns:
        rules = failed.get(row)
        values.append(
            (
                import_id,
                row,
                region[:200],
                district[:200],
                code[:100],
                sid,
                reg,
                iss,
                cast,
                inv,
                val,
                "[" + ", ".join(map(str, votes)) + "]",
                "{" + ", ".join(p + str(v) for p, v in zip(key_prefixes, extra, strict=True)) + "}",
                json.dumps(rules) if rules else "[]",
            )
        )
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # COPY is several times faster than INSERTs; the server parses the JSON text.
            copy_sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for value in values:
                    copy.write_row(value)
            return
        for start in range(0, len(values), BATCH_SIZE):
            cursor.executemany(sql, values[start : start + BATCH_SIZE])


def _store(
    *,
    election: Election,
    contest: Contest,
    layout: str,
    name: str,
    actor,
    source: Any,
    original_name: str,
    table: layouts.ResultsTable,
    mapping: dict[str, str],
    started: float,
) -> OfficialResultImport:
    codes = station_index(election, contest)
    option_map = match_options(contest, list(table.options))
    failed = _failures_by_row(table.failures)
    region_names = [table.region_names[i] for i in table.region.tolist()]
    district_names = [table.district_names[i] for i in table.district.tolist()]
    stations = [s.strip() for s in table.station]
    station_ids = [
        match_station(codes, s, d) for s, d in zip(stations, district_names, strict=True)
    ]
    result_import = OfficialResultImport(
        election=election,
        contest=contest,
        name=name[:200],
        layout=layout,
        original_name=original_name[:255],
        mapping={k: v for k, v in (mapping or {}).items() if v},
        option_names=list(table.options),
        option_map=option_map,
        row_count=len(table),
        failed_row_count=len(failed),
        matched_station_count=sum(1 for s in station_ids if s is not None),
        failures=[list(f) for f in table.failures],
        totals=table.totals(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    source.seek(0)
    saved_name = None
    try:
        with transaction.atomic():
            previous = list(
                OfficialResultImport.objects.select_for_update()
                .filter(contest=contest, status=OfficialResultImport.Status.IMPORTED)
                .values_list("pk", flat=True)
            )
            result_import.file.save(original_name, File(source), save=False)
            saved_name = result_import.file.name
            result_import.save()
            import_id = result_import.pk
            _insert_rows(
                import_id,
                table,
                region_names=region_names,
                district_names=district_names,
                stations=stations,
                station_ids=station_ids,
                failed=failed,
            )
            if previous:
                OfficialResultImport.objects.filter(pk__in=previous).update(
                    status=OfficialResultImport.Status.REPLACED
                )
            result_import.seconds = round(time.perf_counter() - started, 3)
            OfficialResultImport.objects.filter(pk=import_id).update(seconds=result_import.seconds)
            audit_log(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=result_import,
                changes={
                    "contest": contest.pk,
                    "layout": layout,
                    "file": original_name,
                    "rows": result_import.row_count,
                    "rows_failing": result_import.failed_row_count,
                    "stations_matched": result_import.matched_station_count,
                    "replaced": previous,
                },
            )
    except BaseException:
        if saved_name:
            result_import.file.storage.delete(saved_name)
        raise
    return result_import


def current_import(contest: Contest | int) -> OfficialResultImport | None:
    """The contest's import in force (the latest not replaced), or None."""
    return (
        OfficialResultImport.objects.filter(
            contest=contest, status=OfficialResultImport.Status.IMPORTED
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def option_rows(result_import: OfficialResultImport) -> list[dict[str, Any]]:
    """The file's options with their totals and the ballot option each was matched to."""
    options = {o.pk: o for o in BallotOption.objects.filter(contest_id=result_import.contest_id)}
    votes = (result_import.totals or {}).get("votes", {})
    shares = (result_import.totals or {}).get("shares", {})
    out = []
    for index, name in enumerate(result_import.option_names):
        option_id = (result_import.option_map or {}).get(str(index))
        out.append(
            {
                "index": index,
                "name": name,
                "option": options.get(option_id) if option_id else None,
                "votes": votes.get(name),
                "share": shares.get(name),
                "share_percent": None if shares.get(name) is None else 100 * shares[name],
            }
        )
    return out


def failures_csv_rows(failures: list[list[Any]]):
    """Header then one row per failure, the rule's text in the active language."""
    yield [_("Row"), _("Station"), _("Rule"), _("What is wrong"), _("Detail")]
    for row, station, rule, detail in failures:
        yield [row, station, rule, rule_text(rule), detail]
