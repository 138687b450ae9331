"""Reading and checking station lists, without a database."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from geo.importing import (
    COLUMN_NAMES,
    ImportFileError,
    parse_records,
    parse_table,
    read_table,
    template_csv,
)

HEADER = (
    "region_code,region_name_az,district_code,district_name_az,constituency_number,"
    "constituency_name_az,station_number,station_name_az,name_en,name_ru,address,settlement,"
    "registered_voters,latitude,longitude"
)
GOOD_ROW = (
    "baki,Bakı,nesimi,Nəsimi,12,Nəsimi seçki dairəsi,34,34 saylı məntəqə,Station 34,"
    'Участок 34,"Füzuli küçəsi 45, 132 nömrəli məktəb",Bakı,1245,40.40930,49.86710'
)


def parse_csv(*rows: str, header: str = HEADER):
    text = "\n".join([header, *rows]) + "\n"
    return parse_table(read_table(text.encode(), "stations.csv"))


def only_error(result):
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    return error.row, error.column, str(error.message)


def test_a_good_row_becomes_a_station_and_its_places():
    result = parse_csv(GOOD_ROW)
    assert result.ok
    (station,) = result.stations
    assert station.code == "12-034"
    assert station.row == 2
    assert station.name_en == "Station 34"
    assert station.registered_voters == 1245
    assert station.latitude == Decimal("40.40930")
    assert result.regions["baki"].names["az"] == "Bakı"
    assert result.districts["nesimi"].parent == "baki"
    assert result.constituencies[12].parent == "nesimi"


def test_semicolons_a_byte_order_mark_and_decimal_commas_are_understood():
    header = HEADER.replace(",", ";")
    row = (
        "baki;Bakı;nesimi;Nəsimi;12;Nəsimi seçki dairəsi;34;34 saylı məntəqə;;;"
        "Füzuli küçəsi 45, 132 nömrəli məktəb;Bakı;1245;40,40930;49,86710"
    )
    data = "\ufeff".encode() + f"{header}\r\n{row}\r\n".encode()
    result = parse_table(read_table(data, "stations.csv"))
    assert result.ok, result.errors
    assert result.stations[0].longitude == Decimal("49.86710")
    assert result.stations[0].address == "Füzuli küçəsi 45, 132 nömrəli məktəb"


def test_an_xlsx_workbook_is_read_from_its_first_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["baki", "Bakı", "nesimi", "Nəsimi", 12, "Nəsimi", 34, "Məntəqə", None, None,
         "Füzuli küçəsi 45", "Bakı", 1245.0, 40.4093, 49.8671]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_table(read_table(buffer.getvalue(), "stations.xlsx"))
    assert result.ok, result.errors
    assert result.stations[0].registered_voters == 1245
    assert result.stations[0].latitude == Decimal("40.40930")


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_spreadsheet():
    result = parse_csv("", ",,,", GOOD_ROW.replace(",34,", ",x,", 1))
    assert only_error(result)[:2] == (4, "station_number")


def test_the_template_can_be_parsed_as_it_is():
    result = parse_table(read_table(template_csv().encode(), "template.csv"))
    assert result.ok, result.errors
    assert [s.code for s in result.stations] == ["113-034"]
    assert template_csv().splitlines()[0].split(",") == COLUMN_NAMES


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        ("région".encode("latin-1"), "a.csv", "not UTF-8"),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", ".xls"),
        (b"PK\x03\x04not really a zip", "a.xlsx", "not a valid Excel"),
        (b"%PDF-1.4", "a.pdf", "CSV (.csv) or Excel (.xlsx)"),
        (b"\n\n", "a.csv", "no header"),
    ],
)
def test_files_that_cannot_be_read_say_why(data, name, message):
    with pytest.raises(ImportFileError) as raised:
        read_table(data, name)
    assert message in str(raised.value.message)


def test_a_missing_required_column_is_named():
    header = HEADER.replace(",registered_voters", "")
    row = GOOD_ROW.replace(",1245,", ",")
    assert only_error(parse_csv(row, header=header)) == (
        1,
        "registered_voters",
        "This required column is missing.",
    )


def test_an_unknown_column_is_reported_so_typos_do_not_drop_data():
    header = HEADER.replace("latitude", "lattitude")
    errors = parse_csv(GOOD_ROW, header=header).errors
    assert (1, "lattitude") in [(e.row, e.column) for e in errors]


def test_a_header_without_rows_is_an_error():
    assert only_error(parse_csv())[2] == "The file has no rows to import."


@pytest.mark.parametrize(
    ("replace", "column", "message"),
    [
        ((",1245,", ",many,"), "registered_voters", '"many" is not a whole number.'),
        ((",1245,", ",-5,"), "registered_voters", "This number must not be negative."),
        ((",1245,", ",12.5,"), "registered_voters", '"12.5" is not a whole number.'),
        ((",1245,", ",20000,"), "registered_voters", "This number must be at most 10000."),
        ((",1245,", ",,"), "registered_voters", "This value is required."),
        ((",12,", ",0,"), "constituency_number", "This number must be at least 1."),
        (("baki,", "ba ki,"), "region_code", "A code may only contain"),
        ((",Bakı,1245", ",,1245"), "settlement", "This value is required."),
        ((",40.40930,", ",55.1,"), "latitude", "Latitude 55.10000 is outside the country"),
        ((",49.86710", ",30.5"), "longitude", "Longitude 30.50000 is outside the country"),
        ((",49.86710", ",east"), "longitude", '"east" is not a number.'),
        ((",49.86710", ","), "longitude", "Give both latitude and longitude, or neither."),
    ],
)
def test_each_bad_value_is_reported_by_row_and_column(replace, column, message):
    row = GOOD_ROW.replace(*replace)
    number, reported_column, text = only_error(parse_csv(row))
    assert (number, reported_column) == (2, column)
    assert text.startswith(message)


def test_a_too_long_address_is_reported():
    row = GOOD_ROW.replace("Füzuli küçəsi 45", "x" * 400)
    assert only_error(parse_csv(row))[1:] == (
        "address",
        "This value is too long (420 characters; at most 300).",
    )


def test_a_station_listed_twice_is_reported_on_its_second_row():
    result = parse_csv(GOOD_ROW, GOOD_ROW)
    assert only_error(result) == (
        3,
        "station_number",
        "Station 12-034 appears twice in the file (also in row 2).",
    )


def test_a_district_cannot_belong_to_two_regions_in_one_file():
    other = GOOD_ROW.replace("baki,Bakı", "abseron,Abşeron").replace(",34,", ",35,")
    row, column, message = only_error(parse_csv(GOOD_ROW, other))
    assert (row, column) == (3, "region_code")
    assert "District nesimi belongs to baki in row 2" in message


def test_a_place_cannot_have_two_names_in_one_file():
    other = GOOD_ROW.replace("nesimi,Nəsimi", "nesimi,Nasimi").replace(",34,", ",35,")
    row, column, _message = only_error(parse_csv(GOOD_ROW, other))
    assert (row, column) == (3, "district_name_az")


def test_later_rows_may_leave_place_names_blank():
    other = GOOD_ROW.replace(
        "baki,Bakı,nesimi,Nəsimi,12,Nəsimi seçki dairəsi,34", "baki,,nesimi,,12,,35"
    )
    result = parse_csv(GOOD_ROW, other)
    assert result.ok, result.errors
    assert len(result.stations) == 2


def test_every_bad_row_is_reported_not_just_the_first():
    rows = [GOOD_ROW.replace(",34,", f",{n},").replace(",1245,", ",-1,") for n in range(1, 6)]
    assert [e.row for e in parse_csv(*rows).errors] == [2, 3, 4, 5, 6]


def test_records_from_json_may_use_numbers_and_missing_keys():
    result = parse_records(
        [
            (
                1,
                {
                    "region_code": "baki",
                    "district_code": "nesimi",
                    "constituency_number": 12,
                    "station_number": 7,
                    "station_name_az": "Məntəqə 7",
                    "address": "Nizami küçəsi 1",
                    "settlement": "Bakı",
                    "registered_voters": 500,
                    "latitude": 40.4,
                    "longitude": 49.8,
                },
            )
        ]
    )
    assert result.ok, result.errors
    assert result.stations[0].code == "12-007"
    assert result.stations[0].latitude == Decimal("40.40000")
