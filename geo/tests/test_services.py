"""Importing station lists and editing stations through the services."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from geo import services
from geo.models import Constituency, District, PollingStation, Region

HEADER = (
    "region_code,region_name_az,region_name_en,district_code,district_name_az,"
    "constituency_number,constituency_name_az,station_number,station_name_az,station_name_en,"
    "address,settlement,registered_voters,latitude,longitude"
)
ROWS = [
    "baki,Bakı,Baku,nesimi,Nəsimi,12,Nəsimi seçki dairəsi,34,34 saylı məntəqə,Station 34,"
    '"Füzuli küçəsi 45, 132 nömrəli məktəb",Bakı,1245,40.40930,49.86710',
    "baki,,,nesimi,,12,,35,35 saylı məntəqə,,Səməd Vurğun küçəsi 3,Bakı,980,,",
    "seki-zaqatala,Şəki-Zaqatala,,seki,Şəki,113,Şəki şəhər seçki dairəsi,2,2 saylı məntəqə,,"
    "Kiş kəndi,Kiş,310,41.23000,47.19000",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def upload(data: bytes, name: str = "stations.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def counts() -> tuple[int, ...]:
    return (
        Region.objects.count(),
        District.objects.count(),
        Constituency.objects.count(),
        PollingStation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


def import_csv(actor, *rows, header=HEADER, name="stations.csv"):
    data = csv_bytes(*rows, header=header)
    return services.station_import(actor=actor, file=upload(data, name), file_name=name)


def test_a_good_csv_creates_places_and_stations_and_one_audit_entry(coordinator):
    before = AuditEntry.objects.count()
    result = import_csv(coordinator, *ROWS)
    assert result.ok, result.errors
    assert result.counts == {
        "regions_created": 2,
        "regions_updated": 0,
        "districts_created": 2,
        "districts_updated": 0,
        "constituencies_created": 2,
        "constituencies_updated": 0,
        "stations_created": 3,
        "stations_updated": 0,
        "stations_unchanged": 0,
    }
    station = PollingStation.objects.with_places().get(code="12-034")
    assert station.constituency.district.region.name_en == "Baku"
    assert station.latitude == Decimal("40.40930")
    assert PollingStation.objects.get(code="12-035").latitude is None
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.first()
    assert entry.action == AuditEntry.Action.IMPORT
    assert entry.actor == coordinator
    assert entry.changes["stations_created"] == 3
    assert entry.changes["source"] == "stations.csv"


def test_imported_stations_can_be_found_by_spelling_variants(coordinator):
    import_csv(coordinator, *ROWS)
    assert list(PollingStation.objects.search("Sheki").values_list("code", flat=True)) == [
        "113-002"
    ]
    assert PollingStation.objects.search("fuzuli kucesi").get().code == "12-034"


def test_importing_the_same_file_again_changes_nothing(coordinator):
    import_csv(coordinator, *ROWS)
    before = counts()
    result = import_csv(coordinator, *ROWS)
    assert result.ok
    assert result.counts["stations_unchanged"] == 3
    assert result.counts["stations_created"] == result.counts["stations_updated"] == 0
    assert counts()[:4] == before[:4]


def test_a_new_import_updates_stations_by_code_and_keeps_values_left_blank(coordinator):
    import_csv(coordinator, *ROWS)
    changed = ROWS[0].replace(",1245,", ",1300,").replace(",Station 34,", ",,")
    changed = changed.replace("40.40930,49.86710", ",")
    result = import_csv(coordinator, changed)
    assert result.ok, result.errors
    assert result.counts["stations_updated"] == 1
    station = PollingStation.objects.get(code="12-034")
    assert station.registered_voters == 1300
    assert station.name_en == "Station 34"  # blank cell kept the stored name
    assert station.latitude == Decimal("40.40930")  # and the stored position


def test_renaming_a_district_refreshes_the_search_of_its_other_stations(coordinator):
    import_csv(coordinator, *ROWS)
    renamed = ROWS[0].replace("nesimi,Nəsimi", "nesimi,Nərimanov")
    assert import_csv(coordinator, renamed).counts["districts_updated"] == 1
    assert PollingStation.objects.search("Nərimanov").filter(code="12-035").exists()


def test_a_semicolon_csv_with_a_byte_order_mark_is_imported(coordinator):
    rows = [
        row.replace(",", ";").replace('"Füzuli küçəsi 45; 132', '"Füzuli küçəsi 45, 132')
        for row in ROWS
    ]
    data = "\ufeff".encode() + csv_bytes(*rows, header=HEADER.replace(",", ";"))
    result = services.station_import(actor=coordinator, file=upload(data), file_name="s.csv")
    assert result.ok, result.errors
    assert PollingStation.objects.get(code="12-034").address == (
        "Füzuli küçəsi 45, 132 nömrəli məktəb"
    )


def test_an_xlsx_workbook_is_imported(coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["baki", "Bakı", "Baku", "nesimi", "Nəsimi", 12, "Nəsimi seçki dairəsi", 34,
         "34 saylı məntəqə", "Station 34", "Füzuli küçəsi 45", "Bakı", 1245, 40.4093, 49.8671]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = services.station_import(
        actor=coordinator, file=upload(buffer.getvalue(), "s.xlsx"), file_name="s.xlsx"
    )
    assert result.ok, result.errors
    assert PollingStation.objects.get(code="12-034").registered_voters == 1245


@pytest.mark.parametrize(
    ("rows", "row", "column"),
    [
        ([ROWS[0], ROWS[1].replace(",980,", ",-3,")], 3, "registered_voters"),
        ([ROWS[0], ROWS[1].replace(",980,", ",lots,")], 3, "registered_voters"),
        ([ROWS[0], ROWS[2].replace("41.23000", "43.5")], 3, "latitude"),
        ([ROWS[0], ROWS[0]], 3, "station_number"),
        ([ROWS[0], ROWS[1].replace("35 saylı məntəqə", "")], 3, "station_name_az"),
    ],
)
def test_one_bad_row_means_nothing_is_written(coordinator, rows, row, column):
    before = counts()
    result = import_csv(coordinator, *rows)
    assert not result.ok
    assert (result.errors[0].row, result.errors[0].column) == (row, column)
    assert counts() == before


def test_a_missing_column_means_nothing_is_written(coordinator):
    before = counts()
    header = HEADER.replace(",settlement", "")
    rows = [row.replace(",Bakı,1245", ",1245").replace(",Bakı,980", ",980") for row in ROWS[:2]]
    result = import_csv(coordinator, *rows, header=header)
    assert [(e.row, e.column) for e in result.errors] == [(1, "settlement")]
    assert counts() == before


def test_a_code_without_a_name_must_refer_to_an_existing_place(coordinator):
    before = counts()
    row = "baki,,,nesimi,,12,,35,Məntəqə,,Nizami küçəsi 1,Bakı,500,,"
    result = import_csv(coordinator, row)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "constituency_number"),
        (2, "district_code"),
        (2, "region_code"),
    ]
    assert 'Unknown district_code "nesimi". Give district_name_az' in str(result.errors[1].message)
    assert counts() == before
    import_csv(coordinator, ROWS[0])
    assert import_csv(coordinator, row).ok  # now they exist


def test_an_unreadable_file_is_one_error_about_the_whole_file(coordinator):
    before = counts()
    result = services.station_import(
        actor=coordinator, file=upload(b"\xff\xfe\x00garbage"), file_name="s.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert "not UTF-8" in str(result.errors[0].message)
    assert counts() == before


def test_importing_rows_from_the_api_uses_the_same_rules(coordinator):
    rows = [
        {
            "region_code": "baki",
            "region_name_az": "Bakı",
            "district_code": "nesimi",
            "district_name_az": "Nəsimi",
            "constituency_number": 12,
            "constituency_name_az": "Nəsimi",
            "station_number": 1,
            "station_name_az": "Məntəqə 1",
            "address": "Nizami küçəsi 1",
            "settlement": "Bakı",
            "registered_voters": 500,
        }
    ]
    assert services.station_import_rows(actor=coordinator, rows=rows).ok
    rows[0]["registered_voters"] = -1
    result = services.station_import_rows(actor=coordinator, rows=rows)
    assert [(e.row, e.column) for e in result.errors] == [(1, "registered_voters")]


def test_updating_a_station_is_audited_with_old_and_new_values(geography, coordinator):
    station = geography["stations"]["12-034"]
    services.station_update(actor=coordinator, station=station, registered_voters=1300)
    entry = AuditEntry.objects.for_object(station).get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"registered_voters": [1245, 1300]}


def test_saving_a_station_unchanged_leaves_no_audit_entry(geography, coordinator):
    station = geography["stations"]["12-034"]
    services.station_update(actor=coordinator, station=station, registered_voters=1245)
    assert not AuditEntry.objects.for_object(station).exists()


def test_changing_the_number_changes_the_code(geography, coordinator):
    station = geography["stations"]["12-034"]
    services.station_update(actor=coordinator, station=station, number=36)
    station.refresh_from_db()
    assert station.code == "12-036"
    assert PollingStation.objects.search("12-036").get() == station


def test_a_station_number_already_used_in_the_constituency_is_refused(geography, coordinator):
    station = geography["stations"]["12-034"]
    with pytest.raises(ValidationError):
        services.station_update(actor=coordinator, station=station, number=35)
    station.refresh_from_db()
    assert station.number == 34
    assert not AuditEntry.objects.for_object(station).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": Decimal("45.0")}, "latitude"),
        ({"longitude": Decimal("20.0")}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"registered_voters": -1}, "registered_voters"),
        ({"registered_voters": 20000}, "registered_voters"),
        ({"name_az": ""}, "name_az"),
    ],
)
def test_bad_values_are_refused_by_field(geography, coordinator, changes, field):
    station = geography["stations"]["12-034"]
    with pytest.raises(ValidationError) as raised:
        services.station_update(actor=coordinator, station=station, **changes)
    assert field in raised.value.message_dict
    station.refresh_from_db()
    assert station.registered_voters == 1245


def test_fields_that_are_not_editable_are_refused(geography, coordinator):
    with pytest.raises(ValidationError):
        services.station_update(
            actor=coordinator, station=geography["stations"]["12-034"], code="1-001"
        )


def test_creating_a_station_is_audited(geography, coordinator):
    station = services.station_create(
        actor=coordinator,
        constituency=geography["constituencies"][13],
        number=2,
        name_az="2 saylı məntəqə",
        address="Bayıl qəsəbəsi, Şıxov yolu 4",
        settlement="Bayıl",
        registered_voters=400,
        latitude=40.33,
        longitude=49.82,
    )
    assert station.code == "13-002"
    assert station.latitude == Decimal("40.33000")
    entry = AuditEntry.objects.for_object(station).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["code"] == [None, "13-002"]
