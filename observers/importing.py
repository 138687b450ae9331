"""Reading and checking observer files (CSV or XLSX) before anything is written: the list of
observers to import, and the list of deployments (who goes to which station or mobile team).

Plain data in, plain data out: no database here (only gettext). `observers.services` checks the
references (regions, stations, teams, phones already in the election) and writes. The file is
read by `geo.importing.read_table` (UTF-8 CSV with or without a byte-order mark, separated by
commas, semicolons or tabs; or the first sheet of an XLSX workbook); row numbers are those a
spreadsheet shows, the header being row 1.

Observers:

| column        | required | meaning                                                          |
|---------------|----------|------------------------------------------------------------------|
| full_name     | yes      | name as on the badge                                             |
| phone         | yes      | +994 and nine digits; "050 123 45 67" and "994501234567" are fine |
| email         | no       |                                                                  |
| date_of_birth | yes      | YYYY-MM-DD or DD.MM.YYYY (or an Excel date); 18 on election day  |
| region        | yes      | region code or name, in any of the three languages               |
| language      | no       | az, en or ru (az when empty)                                     |
| status        | no       | applied (default), vetted, trained or accredited                 |
| station       | no       | code of a station taking part, e.g. 12-034; accredited only      |

Deployments: `observer` (observer number or phone), then `station` (code) or `team` (name).
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from geo.importing import ImportFileError, RowError, Table, read_table
from observers.phones import MINIMUM_AGE, age_on, normalise_phone

__all__ = ["ImportFileError", "RowError", "read_text_table"]

MAX_ROWS = 5_000
HEADER_ROW = 1
FILE_ROW = 0  # errors about the file as a whole

IMPORT_STATUSES = ("applied", "vetted", "trained", "accredited")
LANGUAGES = ("az", "en", "ru")
_LANGUAGE_NAMES = {
    "azerbaijani": "az",
    "azərbaycanca": "az",
    "azərbaycan": "az",
    "azerbaycan": "az",
    "азербайджанский": "az",
    "english": "en",
    "ingilis": "en",
    "ingiliscə": "en",
    "английский": "en",
    "russian": "ru",
    "rus": "ru",
    "rusca": "ru",
    "русский": "ru",
}
_STATION_CODE = re.compile(r"^\d{1,4}-\d{1,5}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")
_NUMBER = re.compile(r"^\d{1,7}$")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Any  # a lazy translation


OBSERVER_COLUMNS = [
    Column("full_name", True, _("Full name, as it will be printed on the badge")),
    Column("phone", True, _("Phone number: +994 and nine digits, e.g. +994 50 123 45 67")),
    Column("email", False, _("Email address")),
    Column(
        "date_of_birth",
        True,
        _("Date of birth as YYYY-MM-DD or DD.MM.YYYY; at least 18 years old on election day"),
    ),
    Column("region", True, _("Region where the observer can observe: its code or its name")),
    Column("language", False, _("Preferred language: az, en or ru (az when empty)")),
    Column(
        "status",
        False,
        _("applied (when empty), vetted, trained or accredited; accredited observers get a number"),
    ),
    Column(
        "station",
        False,
        _("Code of a polling station taking part in the election, e.g. 12-034; accredited only"),
    ),
]
OBSERVER_ALIASES = {
    "name": "full_name",
    "fullname": "full_name",
    "ad_soyad": "full_name",
    "phone_number": "phone",
    "mobile": "phone",
    "telefon": "phone",
    "e-mail": "email",
    "e_mail": "email",
    "birth_date": "date_of_birth",
    "dob": "date_of_birth",
    "doğum_tarixi": "date_of_birth",
    "region_code": "region",
    "region_name": "region",
    "dil": "language",
    "station_code": "station",
    "məntəqə": "station",
}

DEPLOYMENT_COLUMNS = [
    Column("observer", True, _("Observer number, or the observer's phone number")),
    Column("station", False, _("Code of a polling station taking part, e.g. 12-034")),
    Column("team", False, _("Name of a mobile team of the election (instead of a station)")),
]
DEPLOYMENT_ALIASES = {
    "number": "observer",
    "observer_number": "observer",
    "phone": "observer",
    "station_code": "station",
    "mobile_team": "team",
    "team_name": "team",
}


# --- Reading files ------------------------------------------------------------------------------


Record = tuple[int, dict[str, str]]


@dataclass
class TextTable:
    """A file's header and rows as text: plain, JSON-safe data, so a checked file can be kept
    in a signed form field between the preview and the confirmation."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)

    def as_json(self) -> dict[str, Any]:
        return {"header": self.header, "rows": [[number, cells] for number, cells in self.rows]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TextTable":
        header = [str(name) for name in data["header"]]
        rows = [(int(number), [str(cell) for cell in cells]) for number, cells in data["rows"]]
        return cls(header=header, rows=rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_text_table(data: bytes, file_name: str) -> TextTable:
    """The file's header and rows as text; raises ImportFileError if it cannot be read."""
    table = read_table(data, file_name)
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)d rows. Split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    return as_text(table)


def as_text(table: Table) -> TextTable:
    return TextTable(
        header=[cell_text(cell) for cell in table.header],
        rows=[(number, [cell_text(cell) for cell in cells]) for number, cells in table.rows],
    )


def cell_text(value: Any) -> str:
    """A cell as text; spreadsheet dates become YYYY-MM-DD and whole numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalize_header(name: str, aliases: Mapping[str, str]) -> str:
    key = re.sub(r"\s+", "_", (name or "").replace("\ufeff", "").strip().lower())
    return aliases.get(key, key)


def check_header(
    header: list[str], columns: list[Column], aliases: Mapping[str, str]
) -> tuple[list[str], list[RowError]]:
    """The header's column names normalised, and what is wrong with it."""
    names = [normalize_header(name, aliases) for name in header]
    while names and not names[-1]:
        names.pop()
    known = [column.name for column in columns]
    errors, seen = [], set()
    for name in names:
        if not name:
            errors.append(RowError(HEADER_ROW, "", _("A column has no name.")))
        elif name in seen:
            errors.append(RowError(HEADER_ROW, name, _("This column appears twice.")))
        elif name not in known:
            errors.append(
                RowError(
                    HEADER_ROW,
                    name,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(known)},
                )
            )
        seen.add(name)
    for column in columns:
        if column.required and column.name not in seen:
            errors.append(RowError(HEADER_ROW, column.name, _("This required column is missing.")))
    return names, errors


def _records(
    table: TextTable, columns: list[Column], aliases: Mapping[str, str]
) -> tuple[list[Record], list[RowError]]:
    names, errors = check_header(table.header, columns, aliases)
    if errors:
        return [], errors
    records: list[Record] = []
    for number, cells in table.rows:
        values = {
            name: str(cells[index]).strip() if index < len(cells) else ""
            for index, name in enumerate(names)
            if name
        }
        records.append((number, values))
    if not records:
        return [], [RowError(HEADER_ROW, "", _("The file has no rows to import."))]
    return records, []


# --- Observers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObserverRow:
    row: int
    full_name: str
    phone: str
    email: str
    date_of_birth: datetime.date
    region: str
    language: str
    status: str
    station: str


@dataclass
class ObserverParse:
    rows: list[ObserverRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_observers(table: TextTable, *, election_date: datetime.date) -> ObserverParse:
    """Check every row of an observer file."""
    records, errors = _records(table, OBSERVER_COLUMNS, OBSERVER_ALIASES)
    if errors:
        return ObserverParse(errors=errors)
    result = ObserverParse()
    phones: dict[str, int] = {}
    for number, values in records:
        checker = _ObserverRowChecker(number, values, election_date)
        row = checker.check()
        # A phone seen on a row with other problems still counts for the duplicates.
        if checker.normalised_phone:
            first = phones.get(checker.normalised_phone)
            if first is not None:
                checker.error(
                    "phone",
                    _("This phone number is also in row %(row)d of the file.") % {"row": first},
                )
            else:
                phones[checker.normalised_phone] = number
        if checker.errors:
            result.errors.extend(checker.errors)
        elif row is not None:
            result.rows.append(row)
    return result


class _RowChecker:
    def __init__(self, number: int, values: dict[str, str]):
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def error(self, column: str, message) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, _("This value is required."))
        elif len(value) > max_length:
            self.error(
                column,
                _("This value is too long (%(length)d characters; at most %(max)d).")
                % {"length": len(value), "max": max_length},
            )
        return value


class _ObserverRowChecker(_RowChecker):
    def __init__(self, number: int, values: dict[str, str], election_date: datetime.date):
        super().__init__(number, values)
        self.election_date = election_date
        self.normalised_phone = ""

    def check(self) -> ObserverRow | None:
        full_name = " ".join(self.text("full_name", required=True).split())
        phone = self.phone()
        email = self.email()
        born = self.date_of_birth()
        region = self.text("region", required=True)
        language = self.language()
        status = self.status()
        station = self.station(status)
        if self.errors or phone is None or born is None:
            return None
        return ObserverRow(
            row=self.number,
            full_name=full_name,
            phone=phone,
            email=email,
            date_of_birth=born,
            region=region,
            language=language,
            status=status,
            station=station,
        )

    def phone(self) -> str | None:
        value = self.values.get("phone", "")
        if not value:
            self.error("phone", _("This value is required."))
            return None
        try:
            self.normalised_phone = normalise_phone(value)
            return self.normalised_phone
        except ValidationError:
            self.error(
                "phone",
                _('"%(value)s" is not a phone number: enter +994 followed by nine digits.')
                % {"value": value[:40]},
            )
            return None

    def email(self) -> str:
        value = self.text("email", max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error("email", _('"%(value)s" is not an email address.') % {"value": value})
        return value

    def date_of_birth(self) -> datetime.date | None:
        value = self.values.get("date_of_birth", "")
        if not value:
            self.error("date_of_birth", _("This value is required."))
            return None
        born = parse_date(value)
        if born is None:
            self.error(
                "date_of_birth",
                _('"%(value)s" is not a date. Write it as YYYY-MM-DD or DD.MM.YYYY.')
                % {"value": value[:40]},
            )
            return None
        if born.year < 1900 or born > self.election_date:
            self.error("date_of_birth", _("This date of birth is not possible."))
            return None
        if age_on(born, self.election_date) < MINIMUM_AGE:
            self.error(
                "date_of_birth",
                _("Observers must be at least %(age)d years old on election day.")
                % {"age": MINIMUM_AGE},
            )
            return None
        return born

    def language(self) -> str:
        value = self.values.get("language", "").strip().casefold()
        if not value:
            return "az"
        language = value if value in LANGUAGES else _LANGUAGE_NAMES.get(value)
        if language is None:
            self.error(
                "language",
                _('Unknown language "%(value)s". Write az, en or ru.') % {"value": value[:40]},
            )
            return "az"
        return language

    def status(self) -> str:
        value = self.values.get("status", "").strip().casefold()
        if not value:
            return "applied"
        if value in IMPORT_STATUSES:
            return value
        if value == "deployed":
            self.error(
                "status",
                _(
                    "Observers cannot be imported as deployed. Import them as accredited and "
                    "deploy them afterwards."
                ),
            )
        elif value == "rejected":
            self.error("status", _("Rejected applicants are not imported."))
        else:
            self.error(
                "status",
                _('Unknown status "%(value)s". Write one of: %(statuses)s.')
                % {"value": value[:40], "statuses": ", ".join(IMPORT_STATUSES)},
            )
        return "applied"

    def station(self, status: str) -> str:
        value = self.values.get("station", "").strip()
        if not value:
            return ""
        if not _STATION_CODE.match(value):
            self.error(
                "station",
                _('"%(value)s" is not a station code such as 12-034.') % {"value": value[:40]},
            )
            return ""
        if status != "accredited":
            self.error(
                "station",
                _("Only accredited observers are given a station; set the status to accredited."),
            )
        return canonical_station_code(value)


def canonical_station_code(value: str) -> str:
    """ "12-34" and "012-034" are station 12-034."""
    constituency, number = value.split("-", 1)
    return f"{int(constituency)}-{int(number):03d}"


def parse_date(value: str) -> datetime.date | None:
    text = value.strip()
    if " " in text:
        text = text.split(" ", 1)[0]  # "1990-05-17 00:00:00" from a spreadsheet
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --- Deployments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeploymentRow:
    row: int
    number: int | None  # the observer, by number...
    phone: str  # ...or by phone
    station: str
    team: str

    @property
    def observer_key(self) -> str:
        return f"#{self.number}" if self.number is not None else self.phone


@dataclass
class DeploymentParse:
    rows: list[DeploymentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_deployments(table: TextTable) -> DeploymentParse:
    """Check every row of a deployment file."""
    records, errors = _records(table, DEPLOYMENT_COLUMNS, DEPLOYMENT_ALIASES)
    if errors:
        return DeploymentParse(errors=errors)
    result = DeploymentParse()
    seen: dict[str, int] = {}
    for number, values in records:
        checker = _RowChecker(number, values)
        row = _deployment_row(checker)
        if row is not None:
            first = seen.get(row.observer_key)
            if first is not None:
                checker.error(
                    "observer",
                    _("This observer is also in row %(row)d of the file.") % {"row": first},
                )
            else:
                seen[row.observer_key] = number
        if checker.errors:
            result.errors.extend(checker.errors)
        elif row is not None:
            result.rows.append(row)
    return result


def _deployment_row(checker: _RowChecker) -> DeploymentRow | None:
    who = checker.text("observer", required=True, max_length=40)
    station = checker.values.get("station", "").strip()
    team = checker.text("team", max_length=100)
    number, phone = None, ""
    if who:
        if _NUMBER.match(who):
            number = int(who)
        else:
            try:
                phone = normalise_phone(who)
            except ValidationError:
                checker.error(
                    "observer",
                    _('"%(value)s" is neither an observer number nor a phone number.')
                    % {"value": who[:40]},
                )
    if station and team:
        checker.error("team", _("Give a station or a mobile team, not both."))
    elif not station and not team:
        checker.error("station", _("Give a station code or the name of a mobile team."))
    elif station:
        if _STATION_CODE.match(station):
            station = canonical_station_code(station)
        else:
            checker.error(
                "station",
                _('"%(value)s" is not a station code such as 12-034.') % {"value": station[:40]},
            )
    if checker.errors:
        return None
    return DeploymentRow(row=checker.number, number=number, phone=phone, station=station, team=team)


# --- Templates ----------------------------------------------------------------------------------


def template_rows(kind: str) -> list[list[str]]:
    """The header and example rows of the downloadable template CSVs."""
    if kind == "deployments":
        return [
            [column.name for column in DEPLOYMENT_COLUMNS],
            ["17", "12-034", ""],
            ["+994 50 123 45 67", "", "Mobil qrup 1"],
        ]
    return [
        [column.name for column in OBSERVER_COLUMNS],
        ["Aynur Həsənova", "+994 50 123 45 67", "aynur@example.org", "1995-03-02", "baki",
         "az", "", ""],
        ["Elçin Şükürov", "055 765 43 21", "", "14.07.1988", "Şəki-Zaqatala", "ru",
         "accredited", "113-034"],
    ]  # fmt: skip
