"""Writes to the geography: importing station lists, creating and editing stations.

Every write runs in one transaction and leaves an audit entry. An import either writes every row
or, if any row is wrong, nothing at all, and reports each problem by row and column.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from geo.importing import (
    ImportFileError,
    ParseResult,
    PlaceSpec,
    RowError,
    StationRow,
    parse_records,
    parse_table,
    read_table,
    station_code,
)
from geo.models import Constituency, District, PollingStation, Region, country_bounds

MAX_FILE_SIZE = 10 * 1024 * 1024
FILE_ROW = 0  # errors about the whole file rather than one row


@dataclass
class ImportResult:
    """What an import did, or why it did nothing (`errors`)."""

    source: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Import -------------------------------------------------------------------------------------


def station_import(*, actor, file, file_name: str) -> ImportResult:
    """Import a CSV or XLSX station list (see geo.importing for the columns)."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        return _file_error(file_name, _("The file is larger than 10 MB."))
    data = file if isinstance(file, bytes) else file.read()
    try:
        table = read_table(data, file_name)
    except ImportFileError as error:
        return _file_error(file_name, error.message)
    parsed = parse_table(table, bounds=country_bounds())
    return _import(actor=actor, parsed=parsed, source=file_name, rows=len(table.rows))


def station_import_rows(
    *, actor, rows: list[Mapping[str, Any]], source: str = "API"
) -> ImportResult:
    """Import stations given as dicts with the file's column names; row numbers count from 1."""
    parsed = parse_records(enumerate(rows, start=1), bounds=country_bounds())
    return _import(actor=actor, parsed=parsed, source=source, rows=len(rows))


def _file_error(source: str, message) -> ImportResult:
    return ImportResult(source=source, errors=[RowError(FILE_ROW, "", message)])


def _import(*, actor, parsed: ParseResult, source: str, rows: int) -> ImportResult:
    result = ImportResult(source=source, rows=rows)
    if parsed.errors:
        result.errors = sorted(parsed.errors, key=lambda e: (e.row, e.column))
        return result
    try:
        with transaction.atomic():
            errors = _check_references(parsed)
            if errors:
                result.errors = errors
                return result
            result.counts = _write(parsed)
            audit_log(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                changes={"source": source, "rows": rows, **result.counts},
                object_label=f"polling stations: {source}"[:300],
            )
    except IntegrityError:
        # Another import or edit changed the same records at the same moment.
        result.errors = [
            RowError(FILE_ROW, "", _("The data changed while importing. Please try again."))
        ]
        result.counts = {}
    return result


def _check_references(parsed: ParseResult) -> list[RowError]:
    """New regions, districts and constituencies need a name; codes alone must already exist."""
    errors = []
    levels = (
        (Region, "code", parsed.regions, "region_code", "region_name_az"),
        (District, "code", parsed.districts, "district_code", "district_name_az"),
        (
            Constituency,
            "number",
            parsed.constituencies,
            "constituency_number",
            "constituency_name_az",
        ),
    )
    for model, key, specs, key_column, name_column in levels:
        known = set(model.objects.filter(**{f"{key}__in": list(specs)}).values_list(key, flat=True))
        for spec in specs.values():
            if spec.key not in known and not spec.names["az"]:
                errors.append(
                    RowError(
                        spec.first_row,
                        key_column,
                        _('Unknown %(column)s "%(value)s". Give %(name_column)s to create it.')
                        % {"column": key_column, "value": spec.key, "name_column": name_column},
                    )
                )
    return sorted(errors, key=lambda e: (e.row, e.column))


def _write(parsed: ParseResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    regions, _changed_regions = _upsert_places(
        Region, "code", parsed.regions, counts, label="regions"
    )
    districts, changed_districts = _upsert_places(
        District, "code", parsed.districts, counts, label="districts", parent=("region", regions)
    )
    constituencies, changed_constituencies = _upsert_places(
        Constituency,
        "number",
        parsed.constituencies,
        counts,
        label="constituencies",
        parent=("district", districts),
    )
    counts.update(_upsert_stations(parsed.stations, constituencies))
    # Stations outside the file whose place names changed need their search text rebuilt.
    stale = PollingStation.objects.filter(
        Q(constituency__in=changed_constituencies) | Q(constituency__district__in=changed_districts)
    ).exclude(code__in=[row.code for row in parsed.stations])
    station_refresh_search_text(stations=stale)
    return counts


_SELECT_PARENTS = {Region: [], District: ["region"], Constituency: ["district__region"]}


def _upsert_places(
    model: type[models.Model],
    key: str,
    specs: dict[Any, PlaceSpec],
    counts: dict[str, int],
    *,
    label: str,
    parent: tuple[str, dict] | None = None,
) -> tuple[dict, list]:
    """Create or update regions, districts or constituencies; returns ({key: obj}, changed).
    The file is authoritative: names and parents are taken from it, blank names are kept."""
    queryset = model.objects.select_related(*_SELECT_PARENTS[model])
    existing = queryset.in_bulk(list(specs), field_name=key)
    to_create, changed = [], []
    for value, spec in specs.items():
        attributes: dict[str, Any] = {
            f"name_{lang}": name for lang, name in spec.names.items() if name
        }
        if parent is not None:
            attributes[parent[0]] = parent[1][spec.parent]
        obj = existing.get(value)
        if obj is None:
            obj = model(**{key: value}, **attributes)
            obj.full_clean(validate_unique=False)
            to_create.append(obj)
            continue
        differs = [name for name, item in attributes.items() if getattr(obj, name) != item]
        if differs:
            for name in differs:
                setattr(obj, name, attributes[name])
            obj.full_clean(validate_unique=False)
            obj.save(update_fields=differs)
            changed.append(obj)
    model.objects.bulk_create(to_create)
    counts[f"{label}_created"] = len(to_create)
    counts[f"{label}_updated"] = len(changed)
    return queryset.in_bulk(list(specs), field_name=key), changed


_STATION_VALUES = [
    "constituency_id",
    "number",
    "name_az",
    "name_en",
    "name_ru",
    "address",
    "settlement",
    "registered_voters",
    "latitude",
    "longitude",
]


def _upsert_stations(rows: list[StationRow], constituencies: dict) -> dict[str, int]:
    existing = PollingStation.objects.in_bulk([row.code for row in rows], field_name="code")
    to_create, to_update = [], []
    unchanged = 0
    for row in rows:
        station = existing.get(row.code) or PollingStation(code=row.code)
        before = {name: getattr(station, name) for name in [*_STATION_VALUES, "search_text"]}
        station.constituency = constituencies[row.constituency_number]
        station.number = row.number
        station.address = row.address
        station.settlement = row.settlement
        station.registered_voters = row.registered_voters
        station.name_az = row.name_az
        # Blank optional cells keep what is stored.
        station.name_en = row.name_en or station.name_en
        station.name_ru = row.name_ru or station.name_ru
        if row.latitude is not None:
            station.latitude, station.longitude = row.latitude, row.longitude
        station.search_text = station.build_search_text()
        if station.pk is None:
            to_create.append(station)
        elif any(getattr(station, name) != value for name, value in before.items()):
            to_update.append(station)
        else:
            unchanged += 1
    PollingStation.objects.bulk_create(to_create, batch_size=1000)
    fast_bulk_update(PollingStation, to_update, [*_STATION_VALUES, "search_text"])
    return {
        "stations_created": len(to_create),
        "stations_updated": len(to_update),
        "stations_unchanged": unchanged,
    }


def station_refresh_search_text(*, stations: Iterable[PollingStation] | models.QuerySet) -> int:
    """Rebuild the stored search text (after place names change)."""
    if isinstance(stations, models.QuerySet):
        stations = stations.select_related("constituency__district__region")
    changed = []
    for station in stations:
        text = station.build_search_text()
        if text != station.search_text:
            station.search_text = text
            changed.append(station)
    fast_bulk_update(PollingStation, changed, ["search_text"])
    return len(changed)


def fast_bulk_update(model: type[models.Model], objects: list, fields: list[str]) -> None:
    """UPDATE ... WHERE id = %s for many rows in one executemany: Django's bulk_update builds a
    CASE expression per field that takes tens of seconds for a national station list."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# --- Single stations ----------------------------------------------------------------------------

_AUDITED = ["code", *_STATION_VALUES]
EDITABLE_FIELDS = {
    "constituency",
    "number",
    "name_az",
    "name_en",
    "name_ru",
    "address",
    "settlement",
    "registered_voters",
    "latitude",
    "longitude",
}


def _coordinate(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def _validate(station: PollingStation) -> None:
    # The code follows from constituency and number, whose pair is unique; checking both would
    # report the same clash twice.
    station.full_clean(exclude=["code", "search_text"])


@transaction.atomic
def station_create(
    *,
    actor,
    constituency: Constituency,
    number: int,
    name_az: str,
    address: str,
    settlement: str,
    registered_voters: int,
    name_en: str = "",
    name_ru: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
) -> PollingStation:
    station = PollingStation(
        constituency=constituency,
        number=number,
        name_az=name_az,
        name_en=name_en,
        name_ru=name_ru,
        address=address,
        settlement=settlement,
        registered_voters=registered_voters,
        latitude=_coordinate(latitude),
        longitude=_coordinate(longitude),
    )
    if constituency is not None and number is not None:
        station.code = station_code(constituency.number, number)
    _validate(station)
    station.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=station,
        changes=model_changes({}, snapshot(station, _AUDITED)),
    )
    return station


@transaction.atomic
def station_update(*, actor, station: PollingStation, **changes: Any) -> PollingStation:
    """Change some of a station's fields (EDITABLE_FIELDS); unchanged values leave no entry."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    station = (
        PollingStation.objects.select_for_update()
        .select_related("constituency__district__region")
        .get(pk=station.pk)
    )
    before = snapshot(station, _AUDITED)
    for name, value in changes.items():
        if name in {"latitude", "longitude"}:
            value = _coordinate(value)
        setattr(station, name, value)
    if station.constituency_id is not None and station.number is not None:
        station.code = station_code(station.constituency.number, station.number)
    _validate(station)
    diff = model_changes(before, snapshot(station, _AUDITED))
    if diff:
        station.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=station, changes=diff)
    return station
