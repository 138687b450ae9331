"""Reading and checking observer and deployment files, without the database."""

import datetime
import io

import pytest
from openpyxl import Workbook

from observers.importing import (
    ImportFileError,
    TextTable,
    parse_deployments,
    parse_observers,
    read_text_table,
    template_rows,
)

ELECTION_DAY = datetime.date(2027, 4, 11)
HEADER = "full_name,phone,email,date_of_birth,region,language,status,station"


def csv_table(text: str, *, bom: bool = False) -> TextTable:
    data = ("\ufeff" if bom else "") + text
    return read_text_table(data.encode("utf-8"), "observers.csv")


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, str(error.message)) for error in result.errors]


def test_a_utf8_csv_with_a_bom_and_azerbaijani_letters_is_read():
    table = csv_table(
        f"{HEADER}\n"
        "Gülnarə Şükürova,050 123 45 67,,1990-05-17,Şəki-Zaqatala,az,,\n"
        "Ələsgər Qədirli, +994 55 765 43 21 ,e@example.org,17.05.1985,baki,RU,Accredited,12-34\n",
        bom=True,
    )
    assert table.header[0] == "full_name"
    result = parse_observers(table, election_date=ELECTION_DAY)
    assert result.errors == []
    first, second = result.rows
    assert (first.row, first.full_name, first.phone, first.region) == (
        2,
        "Gülnarə Şükürova",
        "+994501234567",
        "Şəki-Zaqatala",
    )
    assert (first.language, first.status, first.station) == ("az", "applied", "")
    assert second.date_of_birth == datetime.date(1985, 5, 17)
    assert (second.phone, second.language, second.status) == ("+994557654321", "ru", "accredited")
    assert second.station == "12-034"


def test_semicolons_and_header_aliases_are_understood():
    table = csv_table(
        "Name;Telefon;Birth date;Region code;Dil\nLalə Əliyeva;0501112233;2000-01-02;baki;English\n"
    )
    result = parse_observers(table, election_date=ELECTION_DAY)
    assert result.errors == []
    assert result.rows[0].language == "en"


def test_every_problem_is_reported_with_its_row_and_column():
    table = csv_table(
        f"{HEADER}\n"
        ",12345,not-an-email,31.02.1990,,xx,deployed,12-034\n"
        "Nigar,0501234500,,2012-01-01,baki,,,\n"
        "Orxan,+994 50 123 45 67,,1990-01-01,baki,,trained,12-034\n"
        "Kamran,+994501234567,,1990-01-01,baki,,rejected,\n"
        "Samir,0701234567,,1990-01-01,baki,,promoted,12/034\n"
    )
    result = parse_observers(table, election_date=ELECTION_DAY)
    assert result.rows == []
    errors = errors_of(result)
    columns = {(row, column) for row, column, _message in errors}
    assert {
        (2, "full_name"),
        (2, "phone"),
        (2, "email"),
        (2, "date_of_birth"),
        (2, "region"),
        (2, "language"),
        (2, "status"),
        (3, "date_of_birth"),
        (4, "station"),
        (5, "phone"),
        (5, "status"),
        (6, "status"),
        (6, "station"),
    } <= columns
    messages = {(row, column): message for row, column, message in errors}
    assert "+994 followed by nine digits" in messages[(2, "phone")]
    assert "at least 18 years old on election day" in messages[(3, "date_of_birth")]
    assert "Only accredited observers are given a station" in messages[(4, "station")]
    assert "also in row 4" in messages[(5, "phone")]
    assert "Import them as accredited" in messages[(2, "status")]
    assert "Rejected applicants are not imported" in messages[(5, "status")]
    assert "is not a station code" in messages[(6, "station")]


def test_someone_turning_18_on_election_day_may_be_imported():
    table = csv_table(f"{HEADER}\nNigar,0501234567,,2009-04-11,baki,,,\n")
    assert parse_observers(table, election_date=ELECTION_DAY).errors == []
    table = csv_table(f"{HEADER}\nNigar,0501234567,,2009-04-12,baki,,,\n")
    assert errors_of(parse_observers(table, election_date=ELECTION_DAY))[0][:2] == (
        2,
        "date_of_birth",
    )


def test_a_wrong_header_is_reported_before_any_row():
    table = csv_table("full_name,phone,region,colour\nA,0501234567,baki,red\n")
    result = parse_observers(table, election_date=ELECTION_DAY)
    errors = errors_of(result)
    assert (1, "colour") in [(row, column) for row, column, _m in errors]
    assert (1, "date_of_birth") in [(row, column) for row, column, _m in errors]
    assert all(row == 1 for row, _c, _m in errors)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"\xff\xfe\x00a", "a.csv", "not UTF-8"),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", "Old Excel files"),
        (b"PK\x03\x04broken", "a.xlsx", "not a valid Excel"),
        (b"hello", "a.pdf", "Upload a CSV"),
    ],
)
def test_files_that_cannot_be_read_are_refused_as_a_whole(data, name, message):
    with pytest.raises(ImportFileError) as error:
        read_text_table(data, name)
    assert message in str(error.value.message)


def test_an_xlsx_with_dates_and_numbers_as_cells_is_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["full_name", "phone", "date_of_birth", "region", "status"])
    sheet.append(["Şəhla Məmmədova", 994501234567, datetime.datetime(1991, 2, 3), "Bakı", None])
    sheet.append(["Rüstəm Əliyev", "050 765 43 21", datetime.date(1980, 12, 31), "baki", "vetted"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_text_table(buffer.getvalue(), "observers.xlsx")
    result = parse_observers(table, election_date=ELECTION_DAY)
    assert result.errors == []
    assert [row.phone for row in result.rows] == ["+994501234567", "+994507654321"]
    assert result.rows[0].date_of_birth == datetime.date(1991, 2, 3)
    assert result.rows[1].status == "vetted"


def test_the_checked_rows_survive_a_round_trip_through_json():
    table = csv_table(f"{HEADER}\nA,0501234567,,1990-01-01,baki,,,\n")
    assert TextTable.from_json(table.as_json()) == table


def test_the_templates_are_valid_files():
    for kind in ("observers", "deployments"):
        rows = template_rows(kind)
        text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows)
        table = csv_table(text)
        if kind == "observers":
            assert parse_observers(table, election_date=ELECTION_DAY).errors == []
        else:
            assert parse_deployments(table).errors == []


def test_deployment_rows_name_an_observer_and_a_station_or_a_team():
    table = csv_table(
        "observer,station,team\n"
        "17,12-34,\n"
        "050 123 45 67,,Mobil qrup 1\n"
        "abc,12-034,\n"
        "18,,\n"
        "19,12-034,Mobil qrup 1\n"
        "17,113-034,\n"
        "20,x-1,\n"
    )
    result = parse_deployments(table)
    assert [(row.number, row.phone, row.station, row.team) for row in result.rows] == [
        (17, "", "12-034", ""),
        (None, "+994501234567", "", "Mobil qrup 1"),
    ]
    assert [(row, column) for row, column, _m in errors_of(result)] == [
        (4, "observer"),
        (5, "station"),
        (6, "team"),
        (7, "observer"),
        (8, "station"),
    ]
    assert "also in row 2" in str(result.errors[3].message)
