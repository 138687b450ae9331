"""Reading and checking a polling-station list (CSV or XLSX) before anything is written.

Plain data in, plain data out: no models and no database here (only gettext, so every message
reaches the user in their language). `geo.services.station_import` checks the references against
the database and writes.

File layout: one header row, then one row per polling station. Column names are case-insensitive;
the order does not matter. CSV files are UTF-8 (with or without a byte-order mark), separated by
commas, semicolons or tabs. XLSX files are read from their first sheet.

| column                | required | meaning                                                      |
|-----------------------|----------|--------------------------------------------------------------|
| region_code           | yes      | economic region code (letters, digits, "-" and "_")          |
| region_name_az        | if new   | region name; needed the first time the code appears          |
| region_name_en/_ru    | no       | region name in English / Russian                             |
| district_code         | yes      | district (rayon or city) code                                |
| district_name_az      | if new   | district name                                                |
| district_name_en/_ru  | no       |                                                              |
| constituency_number   | yes      | constituency number, 1, 2, 3...                              |
| constituency_name_az  | if new   | constituency name                                            |
| constituency_name_en/_ru | no    |                                                              |
| station_number        | yes      | station number within its constituency                       |
| station_name_az       | yes      | station name                                                 |
| station_name_en/_ru   | no       | also accepted as name_en / name_ru                           |
| address               | yes      |                                                              |
| settlement            | yes      | city, town or village                                        |
| registered_voters     | yes      | whole number, 0 to 10000                                     |
| latitude, longitude   | no       | decimal degrees (both or neither), inside the country        |

A station's code is "<constituency>-<station number, three digits>", e.g. "12-034"; importing a
code that exists updates that station. Blank optional cells never erase stored values.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_ROWS = 50_000
MAX_VOTERS = 10_000
HEADER_ROW = 1


@dataclass(frozen=True)
class Bounds:
    """A latitude/longitude box that every station must fall in."""

    min_latitude: Decimal
    max_latitude: Decimal
    min_longitude: Decimal
    max_longitude: Decimal

    def contains(self, latitude: Decimal, longitude: Decimal) -> bool:
        return (
            self.min_latitude <= latitude <= self.max_latitude
            and self.min_longitude <= longitude <= self.max_longitude
        )


# Azerbaijan with Nakhchivan, with a little margin for border villages.
AZERBAIJAN_BOUNDS = Bounds(Decimal("38.3"), Decimal("41.95"), Decimal("44.7"), Decimal("50.9"))


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Any  # a lazy translation


COLUMNS = [
    Column("region_code", True, _("Economic region code, e.g. seki-zaqatala")),
    Column("region_name_az", False, _("Region name; needed when the region is new")),
    Column("region_name_en", False, _("Region name in English")),
    Column("region_name_ru", False, _("Region name in Russian")),
    Column("district_code", True, _("District or city code, e.g. seki")),
    Column("district_name_az", False, _("District name; needed when the district is new")),
    Column("district_name_en", False, _("District name in English")),
    Column("district_name_ru", False, _("District name in Russian")),
    Column("constituency_number", True, _("Constituency number, e.g. 12")),
    Column(
        "constituency_name_az", False, _("Constituency name; needed when the constituency is new")
    ),
    Column("constituency_name_en", False, _("Constituency name in English")),
    Column("constituency_name_ru", False, _("Constituency name in Russian")),
    Column("station_number", True, _("Station number within the constituency, e.g. 34")),
    Column("station_name_az", True, _("Station name")),
    Column("station_name_en", False, _("Station name in English (or column name_en)")),
    Column("station_name_ru", False, _("Station name in Russian (or column name_ru)")),
    Column("address", True, _("Address of the station")),
    Column("settlement", True, _("City, town or village")),
    Column("registered_voters", True, _("Registered voters, a whole number from 0 to 10000")),
    Column("latitude", False, _("Latitude in decimal degrees, e.g. 40.40930")),
    Column("longitude", False, _("Longitude in decimal degrees, e.g. 49.86710")),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
ALIASES = {"name_en": "station_name_en", "name_ru": "station_name_ru", "name_az": "station_name_az"}

_CODE = re.compile(r"^[a-z0-9_-]+$")
_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")
_MAX_LENGTHS = {
    "region_name_az": 200,
    "region_name_en": 200,
    "region_name_ru": 200,
    "district_name_az": 200,
    "district_name_en": 200,
    "district_name_ru": 200,
    "constituency_name_az": 200,
    "constituency_name_en": 200,
    "constituency_name_ru": 200,
    "station_name_az": 300,
    "station_name_en": 300,
    "station_name_ru": 300,
    "address": 300,
    "settlement": 120,
}


def station_code(constituency_number: int, station_number: int) -> str:
    """The public code of a station: "12-034" for station 34 of constituency 12."""
    return f"{constituency_number}-{station_number:03d}"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, not UTF-8, empty, too large)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: Any  # a translated string, lazy until rendered

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class PlaceSpec:
    """A region, district or constituency as the file describes it."""

    key: str | int
    names: dict[str, str]
    parent: str | None
    first_row: int


@dataclass(frozen=True)
class StationRow:
    row: int
    region_code: str
    district_code: str
    constituency_number: int
    number: int
    name_az: str
    name_en: str
    name_ru: str
    address: str
    settlement: str
    registered_voters: int
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def code(self) -> str:
        return station_code(self.constituency_number, self.number)


@dataclass
class ParseResult:
    stations: list[StationRow] = field(default_factory=list)
    regions: dict[str, PlaceSpec] = field(default_factory=dict)
    districts: dict[str, PlaceSpec] = field(default_factory=dict)
    constituencies: dict[int, PlaceSpec] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)


# --- Reading files ------------------------------------------------------------------------------


def read_table(data: bytes, file_name: str) -> Table:
    """The header and rows of a CSV or XLSX file; raises ImportFileError if it cannot be read."""
    name = (file_name or "").lower()
    if not data:
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV (UTF-8).")
        )
    if data.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name and not name.endswith((".csv", ".txt")):
        raise ImportFileError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _('The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.')
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is damaged: %(error)s") % {"error": error}) from error
    return _table(records)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        records = []
        for values in sheet.iter_rows(values_only=True):
            records.append(list(values))
            if len(records) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return _table(records)


def _table(records: list[list[Any]]) -> Table:
    if not records or not any(_cell_text(cell) for cell in records[0]):
        raise ImportFileError(_("The file has no header row."))
    header = [_cell_text(cell) for cell in records[0]]
    while header and not header[-1]:
        header.pop()
    rows = [
        (number, cells)
        for number, cells in enumerate(records[1:], start=HEADER_ROW + 1)
        if any(_cell_text(cell) for cell in cells)
    ]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)d rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    return Table(header=header, rows=rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- Checking rows -------------------------------------------------------------------------------


def normalize_header(name: str) -> str:
    key = re.sub(r"\s+", "_", name.replace("\ufeff", "").strip().lower())
    return ALIASES.get(key, key)


def parse_table(table: Table, *, bounds: Bounds = AZERBAIJAN_BOUNDS) -> ParseResult:
    """Check the header, then every row."""
    header = [normalize_header(name) for name in table.header]
    errors = []
    seen: set[str] = set()
    for name in header:
        if not name:
            errors.append(RowError(HEADER_ROW, "", _("A column has no name.")))
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, _("This column appears twice.")))
        elif name not in COLUMN_NAMES:
            errors.append(
                RowError(
                    HEADER_ROW,
                    name,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(COLUMN_NAMES)},
                )
            )
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(HEADER_ROW, name, _("This required column is missing.")))
    if errors:
        return ParseResult(errors=errors)
    if not table.rows:
        return ParseResult(errors=[RowError(HEADER_ROW, "", _("The file has no rows to import."))])
    records = ((number, dict(zip(header, cells, strict=False))) for number, cells in table.rows)
    return parse_records(records, bounds=bounds)


def parse_records(
    records: Iterable[tuple[int, Mapping[str, Any]]], *, bounds: Bounds = AZERBAIJAN_BOUNDS
) -> ParseResult:
    """Check rows given as {column: value}; values may be text or numbers."""
    result = ParseResult()
    stations_seen: dict[str, int] = {}
    for number, record in records:
        values = {
            normalize_header(str(key)): _cell_text(value) for key, value in record.items() if key
        }
        row = _RowChecker(number, values, bounds)
        station = row.station()
        if row.errors:
            result.errors.extend(row.errors)
            continue
        assert station is not None
        _merge_places(result, station, values)
        first = stations_seen.get(station.code)
        if first is not None:
            result.errors.append(
                RowError(
                    number,
                    "station_number",
                    _("Station %(code)s appears twice in the file (also in row %(row)d).")
                    % {"code": station.code, "row": first},
                )
            )
            continue
        stations_seen[station.code] = number
        result.stations.append(station)
    if not result.stations and not result.errors:
        result.errors.append(RowError(HEADER_ROW, "", _("The file has no rows to import.")))
    return result


class _RowChecker:
    def __init__(self, number: int, values: dict[str, str], bounds: Bounds):
        self.number = number
        self.values = values
        self.bounds = bounds
        self.errors: list[RowError] = []

    def error(self, column: str, message) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, _("This value is required."))
        limit = _MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            self.error(
                column,
                _("This value is too long (%(length)d characters; at most %(max)d).")
                % {"length": len(value), "max": limit},
            )
        return value

    def code(self, column: str) -> str:
        value = self.values.get(column, "").lower()
        if not value:
            self.error(column, _("This value is required."))
        elif len(value) > 40 or not _CODE.match(value):
            self.error(
                column,
                _('A code may only contain Latin letters, digits, "-" and "_" (at most 40).'),
            )
        return value

    def integer(self, column: str, *, minimum: int, maximum: int) -> int | None:
        value = self.values.get(column, "")
        if not value:
            self.error(column, _("This value is required."))
            return None
        if not _INTEGER.match(value):
            self.error(column, _('"%(value)s" is not a whole number.') % {"value": value[:40]})
            return None
        number = int(Decimal(value))
        if number < minimum:
            if minimum == 0:
                self.error(column, _("This number must not be negative."))
            else:
                self.error(column, _("This number must be at least %(min)d.") % {"min": minimum})
            return None
        if number > maximum:
            self.error(column, _("This number must be at most %(max)d.") % {"max": maximum})
            return None
        return number

    def decimal(self, column: str) -> Decimal | None:
        value = self.values.get(column, "")
        if not value:
            return None
        if "," in value and "." not in value:
            value = value.replace(",", ".")  # decimal comma, as in many European spreadsheets
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(column, _('"%(value)s" is not a number.') % {"value": value[:40]})
            return None
        return number.quantize(Decimal("0.00001"))

    def station(self) -> StationRow | None:
        for column in _MAX_LENGTHS:
            if column not in {"station_name_az", "address", "settlement"}:
                self.text(column)
        region_code = self.code("region_code")
        district_code = self.code("district_code")
        constituency_number = self.integer("constituency_number", minimum=1, maximum=9999)
        number = self.integer("station_number", minimum=1, maximum=99999)
        name_az = self.text("station_name_az", required=True)
        address = self.text("address", required=True)
        settlement = self.text("settlement", required=True)
        voters = self.integer("registered_voters", minimum=0, maximum=MAX_VOTERS)
        latitude = self.decimal("latitude")
        longitude = self.decimal("longitude")
        self._check_position(latitude, longitude)
        if self.errors:
            return None
        assert constituency_number is not None and number is not None and voters is not None
        return StationRow(
            row=self.number,
            region_code=region_code,
            district_code=district_code,
            constituency_number=constituency_number,
            number=number,
            name_az=name_az,
            name_en=self.values.get("station_name_en", ""),
            name_ru=self.values.get("station_name_ru", ""),
            address=address,
            settlement=settlement,
            registered_voters=voters,
            latitude=latitude,
            longitude=longitude,
        )

    def _check_position(self, latitude: Decimal | None, longitude: Decimal | None) -> None:
        raw_latitude = self.values.get("latitude", "")
        raw_longitude = self.values.get("longitude", "")
        if bool(raw_latitude) != bool(raw_longitude):
            missing = "longitude" if raw_latitude else "latitude"
            self.error(missing, _("Give both latitude and longitude, or neither."))
            return
        if latitude is None or longitude is None:
            return
        b = self.bounds
        if not b.min_latitude <= latitude <= b.max_latitude:
            self.error(
                "latitude",
                _("Latitude %(value)s is outside the country (%(min)s to %(max)s).")
                % {"value": latitude, "min": b.min_latitude, "max": b.max_latitude},
            )
        if not b.min_longitude <= longitude <= b.max_longitude:
            self.error(
                "longitude",
                _("Longitude %(value)s is outside the country (%(min)s to %(max)s).")
                % {"value": longitude, "min": b.min_longitude, "max": b.max_longitude},
            )


def _merge_places(result: ParseResult, station: StationRow, values: dict[str, str]) -> None:
    """Collect each region, district and constituency once; a later row may leave names blank
    but must not contradict an earlier one."""
    levels = (
        (result.regions, "region", station.region_code, None, None),
        (result.districts, "district", station.district_code, "region_code", station.region_code),
        (
            result.constituencies,
            "constituency",
            station.constituency_number,
            "district_code",
            station.district_code,
        ),
    )
    for registry, prefix, key, parent_column, parent in levels:
        names = {lang: values.get(f"{prefix}_name_{lang}", "") for lang in ("az", "en", "ru")}
        spec = registry.get(key)
        if spec is None:
            registry[key] = PlaceSpec(key=key, names=names, parent=parent, first_row=station.row)
            continue
        if parent_column and spec.parent != parent:
            result.errors.append(
                RowError(
                    station.row,
                    parent_column,
                    _("%(place)s belongs to %(parent)s in row %(row)d, not to %(other)s.")
                    % {
                        "place": _place_label(prefix, key),
                        "parent": spec.parent,
                        "row": spec.first_row,
                        "other": parent,
                    },
                )
            )
        for lang, name in names.items():
            if not name:
                continue
            if not spec.names[lang]:
                spec.names[lang] = name
            elif spec.names[lang] != name:
                result.errors.append(
                    RowError(
                        station.row,
                        f"{prefix}_name_{lang}",
                        _('%(place)s is named "%(name)s" in an earlier row, not "%(other)s".')
                        % {
                            "place": _place_label(prefix, key),
                            "name": spec.names[lang],
                            "other": name,
                        },
                    )
                )


def _place_label(level: str, key: str | int) -> str:
    if level == "region":
        return str(_("Region %(code)s") % {"code": key})
    if level == "district":
        return str(_("District %(code)s") % {"code": key})
    return str(_("Constituency %(number)s") % {"number": key})


def template_csv() -> str:
    """A CSV with the header and one example row, for people preparing an import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(
        [
            "seki-zaqatala",
            "Şəki-Zaqatala",
            "Shaki-Zagatala",
            "Шеки-Закатала",
            "seki",
            "Şəki",
            "Shaki",
            "Шеки",
            "113",
            "Şəki şəhər seçki dairəsi",
            "Shaki City Constituency",
            "Шекинский городской избирательный округ",
            "34",
            "34 saylı seçki məntəqəsi",
            "Polling station No. 34",
            "Избирательный участок № 34",
            "M.F. Axundzadə küçəsi 12, 5 nömrəli tam orta məktəb",
            "Şəki",
            "1245",
            "41.19870",
            "47.17050",
        ]
    )
    return buffer.getvalue()
