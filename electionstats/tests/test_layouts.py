"""Readers: hand-made files with known failures, the generic mapped reader, and the real files."""

import zipfile

import numpy as np
import pytest

from electionstats import layouts
from electionstats.layouts import (
    BALLOTS_UNBALANCED,
    BOXES_NE_CAST,
    CAST_GT_ISSUED,
    CAST_GT_REGISTERED,
    DUPLICATE_STATION,
    INTRADAY_DECREASING,
    ISSUED_GT_REGISTERED,
    NOT_AN_INTEGER,
    REGISTERED_ZERO,
    VOTES_GT_CAST,
    VOTES_NE_VALID,
    WRONG_COLUMN_COUNT,
)

RUSSIA_HEADER = [
    "region",
    "tik",
    "uik",
    "Число избирателей, внесенных в список избирателей",
    "Число избирательных бюллетеней, полученных участковой избирательной комиссией",
    "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",
    "Число избирательных бюллетеней, выданных избирателям в помещении для голосования",
    "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования",
    "Число погашенных избирательных бюллетеней",
    "Число избирательных бюллетеней в переносных ящиках для голосования",
    "Число избирательных бюллетеней в стационарных ящиках для голосования",
    "Число недействительных избирательных бюллетеней",
    "Число действительных избирательных бюллетеней",
    "Число открепительных удостоверений, полученных участковой избирательной комиссией",
    "Число утраченных избирательных бюллетеней",
    "Число избирательных бюллетеней, не учтенных при получении",
    "Партия А",
    'Партия "Б"',
    "url",
]


def _csv_line(cells):
    return ",".join(
        '"' + c.replace('"', '""') + '"' if ("," in c or '"' in c) else c for c in cells
    )


def _write(path, header, rows):
    path.write_text("\n".join(_csv_line(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def _russia_row(
    uik,
    reg,
    rec,
    early,
    inside,
    outside,
    cancelled,
    portable,
    stationary,
    inv,
    val,
    a,
    b,
    lost=0,
    unacc=0,
    region="Область",
    tik="1 ТИК",
):
    numbers = [reg, rec, early, inside, outside, cancelled, portable, stationary, inv, val, 0]
    numbers += [lost, unacc, a, b]
    return [region, tik, str(uik), *[str(v) for v in numbers], "http://example.org"]


def test_russia_layout_conventions_and_failures(tmp_path):
    rows = [
        # A clean station: issued = 10 + 500 + 40 = 550 of 1000; boxes 40 + 505 = 545 = 5 + 540.
        _russia_row(1, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
        # Parties sum to 541 but valid = 540; boxes 40 + 506 = 546 != 545.
        _russia_row(2, 1000, 1000, 10, 500, 40, 450, 40, 506, 5, 540, 301, 240),
        # Registered = 0; received 600 != 550 + 0 cancelled.
        _russia_row(3, 0, 600, 10, 500, 40, 0, 40, 505, 5, 540, 300, 240),
        # Cast 5 + 540 = 545 > issued 0 + 500 + 0 = 500, and > registered 400 (so is issued 500).
        _russia_row(4, 400, 500, 0, 500, 0, 0, 0, 545, 5, 540, 300, 240),
        # The same uik again in the same tik: both rows are reported as duplicates.
        _russia_row(1, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
    ]
    path = _write(tmp_path / "r.csv", RUSSIA_HEADER, rows)
    table = layouts.read_russia(path)

    assert len(table) == 5
    assert table.options == ["Партия А", 'Партия "Б"']
    assert table.issued.tolist() == [550, 550, 550, 500, 550]
    assert table.cast.tolist() == [545, 546, 545, 545, 545]
    # Turnout = issued / registered: 550 / 1000 = 0.55; NaN where registered = 0.
    assert table.turnout()[0] == pytest.approx(0.55)
    assert np.isnan(table.turnout()[2])
    # Shares over valid + invalid: 300 / 545 and 240 / 545.
    assert table.shares()[0].tolist() == pytest.approx([300 / 545, 240 / 545])
    assert table.extra["received"].tolist() == [1000, 1000, 600, 500, 1000]

    found = {(f.row, f.rule) for f in table.failures}
    assert (3, VOTES_NE_VALID) in found  # row 3 in the file = second station
    assert (3, BOXES_NE_CAST) in found
    assert (4, REGISTERED_ZERO) in found
    assert (4, BALLOTS_UNBALANCED) in found
    assert (5, CAST_GT_ISSUED) in found
    assert (5, CAST_GT_REGISTERED) in found
    assert (5, ISSUED_GT_REGISTERED) in found
    assert (2, DUPLICATE_STATION) in found and (6, DUPLICATE_STATION) in found
    # The first station fails nothing but the duplicate rule.
    assert {f.rule for f in table.failures if f.row == 2} == {DUPLICATE_STATION}
    assert table.failures[0].station == "Область / 1 ТИК / 1"
    assert table.failed_mask().tolist() == [True, True, True, True, True]
    assert table.failed_mask([REGISTERED_ZERO]).tolist() == [False, False, True, False, False]


def test_russia_zipped_and_bad_cells(tmp_path):
    rows = [
        _russia_row(1, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
        _russia_row(2, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
    ]
    rows[1][3] = "n/a"  # registered is not a number: read as 0 and reported
    rows.append(["Область", "1 ТИК", "3", "5"])  # a short row: padded and reported
    csv_path = _write(tmp_path / "r.csv", RUSSIA_HEADER, rows)
    zip_path = tmp_path / "r.csv.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.write(csv_path, "r.csv")
    table = layouts.read_russia(zip_path)
    assert len(table) == 3  # nothing dropped
    rules = {(f.row, f.rule) for f in table.failures}
    assert (3, NOT_AN_INTEGER) in rules
    assert (4, WRONG_COLUMN_COUNT) in rules
    assert table.registered.tolist()[:2] == [1000, 0]


def test_negative_and_decimal_cells(tmp_path):
    rows = [
        _russia_row(1, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
        _russia_row(2, 1000, 1000, 10, 500, 40, 450, 40, 505, 5, 540, 300, 240),
    ]
    rows[0][-2] = "-5"  # a negative count is read as it is, and reported
    rows[1][-3] = "300.0"  # a whole number written with a decimal point is accepted
    table = layouts.read_russia(_write(tmp_path / "r.csv", RUSSIA_HEADER, rows))
    assert table.votes.tolist() == [[300, -5], [300, 240]]
    rules = {(f.row, f.rule) for f in table.failures}
    assert (2, layouts.NEGATIVE_COUNT) in rules
    assert (2, VOTES_NE_VALID) in rules  # 300 - 5 != 540
    assert not [f for f in table.failures if f.row == 3]


def test_russia_header_must_match(tmp_path):
    path = _write(tmp_path / "x.csv", ["a", "b", "c", "d"], [["1", "2", "3", "4"]])
    with pytest.raises(layouts.LayoutError):
        layouts.read_russia(path)


def test_albania_layout(tmp_path):
    header = ["", "Prefectures", "Communes", "Precincts", "Ballots", "Registered", "C007", "C008"]
    rows = [
        ["1", "SHKODER", "A", "1", "100", "200", "60", "38"],  # invalid = 100 - 98 = 2
        ["2", "SHKODER", "A", "2", "50", "0", "20", "30"],  # registered = 0
        ["3", "SHKODER", "B", "3", "50", "90", "30", "NA"],  # NA -> 0, reported
        ["4", "TIRANE", "C", "4", "40", "90", "30", "20"],  # 50 votes > 40 ballots
        ["5", "TIRANE", "C", "4", "40", "90", "20", "20"],  # same precinct again
    ]
    table = layouts.read_albania(_write(tmp_path / "a.csv", header, rows))
    assert table.valid.tolist() == [98, 50, 30, 50, 40]
    assert table.invalid.tolist() == [2, 0, 20, 0, 0]  # the 4th: 40 - 50 < 0 -> 0, reported
    assert table.issued.tolist() == table.cast.tolist() == [100, 50, 50, 40, 40]
    rules = {(f.row, f.rule) for f in table.failures}
    assert (3, REGISTERED_ZERO) in rules
    assert (4, NOT_AN_INTEGER) in rules
    assert (5, VOTES_GT_CAST) in rules
    assert (5, DUPLICATE_STATION) in rules and (6, DUPLICATE_STATION) in rules
    assert table.region_names == ["SHKODER", "TIRANE"]
    # Ballots are both issued and cast here, so "cast > issued" is not a separate failure.
    assert CAST_GT_ISSUED not in {f.rule for f in table.failures}


def test_georgia_layout(tmp_path):
    header = [
        "region",
        "district id",
        "district name",
        "precinct",
        "special precinct",
        "possible voters",
        "special voters",
        "votes by 12",
        "votes by 17",
        "ballots signed for",
        "num ballots",
        "invalid votes",
        "valid votes",
        "logic check",
        "logic check2",
        "1 - A B",
        " 41 - C D",
    ]
    rows = [
        [
            "",
            "1",
            "",
            "1",
            "",
            "1000",
            "10",
            "200",
            "500",
            "600",
            "1000",
            "10",
            "",
            "",
            "",
            "100",
            "490",
        ],
        # Abroad / special: blank possible voters = 0; registered = special voters = 300.
        [
            "",
            "87",
            "",
            "1",
            "",
            "",
            "300",
            "50",
            "100",
            "120",
            "300",
            "0",
            "",
            "",
            "",
            "20",
            "101",
        ],
        # Noon count above the 5 pm count; signed 100 > registered 50 + 0.
        [
            "",
            "2",
            "",
            "5",
            "30",
            "50",
            "0",
            "90",
            "80",
            "100",
            "200",
            "0",
            "",
            "",
            "",
            "40",
            "60",
        ],
    ]
    table = layouts.read_georgia(_write(tmp_path / "g.csv", header, rows))
    assert table.options == ["1 - A B", "41 - C D"]
    assert table.registered.tolist() == [1010, 300, 50]
    assert table.issued.tolist() == [600, 120, 100]
    assert table.valid.tolist() == [590, 121, 100]
    assert table.cast.tolist() == [600, 121, 100]
    assert table.station == ["1", "1", "5 (special 30)"]
    assert table.region_names == ["District 1", "District 87", "District 2"]
    assert table.extra["turnout_12"].tolist() == [200, 50, 90]
    rules = {(f.row, f.rule) for f in table.failures}
    assert (3, CAST_GT_ISSUED) in rules  # 121 counted > 120 signed
    assert (4, INTRADAY_DECREASING) in rules
    assert (4, ISSUED_GT_REGISTERED) in rules
    assert not any(f.rule == NOT_AN_INTEGER for f in table.failures)  # blank possible is 0


def test_read_mapped_from_xlsx_like_values():
    header = ["Region", "Station", "Voters", "Ballots", "Spoilt", "Party X", "Party Y", None]
    rows = [
        ("North", 1, 500, 300.0, 10, 200, 90, None),  # clean: valid = 290
        ("North", 2, "1 000", 400, 5, 300, "95.5", None),  # 1 000 -> 1000; 95.5 -> 0, reported
        (None, None, None, None, None, None, None, None),  # empty: skipped
        ("South", 3, 0, 10, 0, 5, 6, None),  # registered 0; options 11 > cast 10 - 0
    ]
    mapping = {
        "region": "Region",
        "station": "Station",
        "registered": "Voters",
        "cast": "Ballots",
        "invalid": "Spoilt",
    }
    table = layouts.read_mapped(header, rows, mapping, options=["Party X", "Party Y"])
    assert len(table) == 3
    assert table.rows.tolist() == [2, 3, 5]  # spreadsheet rows, the empty one skipped
    assert table.registered.tolist() == [500, 1000, 0]
    assert table.valid.tolist() == [290, 300, 11]  # valid not mapped: sum of the options
    assert table.station == ["1", "2", "3"]
    rules = {(f.row, f.rule) for f in table.failures}
    assert (3, NOT_AN_INTEGER) in rules
    assert (5, REGISTERED_ZERO) in rules
    assert (3, BOXES_NE_CAST) in rules  # ballots 400 != 300 + 5 (the unreadable 95.5 is 0)
    with pytest.raises(layouts.LayoutError):
        layouts.read_mapped(header, rows, {"station": "Station"})  # registered is required
    with pytest.raises(layouts.LayoutError):
        layouts.read_mapped(header, rows, {"station": "Nope", "registered": "Voters"})


def test_read_xlsx_mapped(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Results of the count"])  # a title row above the header
    sheet.append(["Station", "Registered", "Invalid", "X", "Y"])
    sheet.append([1, 800, 4, 300, 200])
    sheet.append([2, 0, 0, 10, "ten"])  # registered 0; "ten" is not a number
    path = tmp_path / "count.xlsx"
    workbook.save(path)
    table = layouts.read_xlsx_mapped(
        path,
        {"station": "Station", "registered": "Registered", "invalid": "Invalid"},
        header_row=2,
    )
    assert table.options == ["X", "Y"]
    assert table.valid.tolist() == [500, 10]
    assert table.cast.tolist() == [504, 10]
    assert table.rows.tolist() == [3, 4]  # the worksheet's own row numbers
    rules = {(f.row, f.rule) for f in table.failures}
    assert rules == {(4, REGISTERED_ZERO), (4, NOT_AN_INTEGER)}


def test_read_csv_mapped_default_options(tmp_path):
    path = _write(tmp_path / "m.csv", ["id", "reg", "A", "B"], [["1", "10", "3", "4"]])
    table = layouts.read_csv_mapped(path, {"station": "id", "registered": "reg"})
    assert table.options == ["A", "B"]
    assert table.cast.tolist() == [7]
    assert table.issued.tolist() == [7]
    assert table.failures == []


def test_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("BIRLIK_SHARED_DATA", str(tmp_path))
    assert layouts.data_dir() == tmp_path
    assert layouts.dataset_path("russia2011") == tmp_path / "russia/2011.csv.zip"


# --- the real files ---


@pytest.mark.slow
def test_russia_2011_real(russia2011):
    t = russia2011
    assert len(t) == 95_225
    assert len(t.options) == 7
    totals = t.totals()
    # The official result: turnout 60.21%, United Russia 49.32% of valid + invalid.
    assert totals["turnout"] == pytest.approx(0.6021, abs=5e-5)
    assert totals["shares"][t.options[5]] == pytest.approx(0.4931, abs=1e-4)
    assert t.options[t.leader()].endswith('"ЕДИНАЯ РОССИЯ"')
    assert len(t.region_names) == 84
    # The file passes the CEC's own controls except a handful of rows, all reported.
    counts = t.failure_counts()
    assert counts.get(VOTES_NE_VALID, 0) == 0
    assert counts.get(CAST_GT_ISSUED) == 18
    assert sum(counts.values()) == len(t.failures) < 100


@pytest.mark.slow
def test_russia_2012_real(russia2012):
    t = russia2012
    assert len(t) == 95_415
    assert t.options[t.leader()] == "Путин Владимир Владимирович"
    assert t.totals()["shares"]["Путин Владимир Владимирович"] == pytest.approx(0.636, abs=2e-3)
    assert t.failure_counts().get(REGISTERED_ZERO) == 1


def test_albania_2013_real(albania2013):
    t = albania2013
    assert len(t) == 5_508  # every row kept
    zero = [f for f in t.failures if f.rule == REGISTERED_ZERO]
    assert [(f.row, f.station) for f in zero] == [
        (4187, "BERAT / BERAT_BERAT / 3289"),
        (5495, "VLORE / VLORE_LIVADHJA / 4722"),
    ]
    assert {f.detail for f in t.failures if f.rule == NOT_AN_INTEGER} == {
        "C067: 'NA' read as 0",
        "C011: 'NA' read as 0",
    }
    assert t.failure_counts()[DUPLICATE_STATION] == 120  # 60 precinct numbers used twice
    assert t.failure_counts()[VOTES_GT_CAST] == 14


def test_georgia_2013_real(georgia2013):
    t = georgia2013
    assert len(t) == 3_707
    winner = t.options[t.leader()]
    assert winner == "41 - Giorgi Margvelashvili"
    # Official: 62.12% of the valid votes.
    j = t.options.index(winner)
    assert t.votes[:, j].sum() / t.valid.sum() == pytest.approx(0.6212, abs=1e-4)
    counts = t.failure_counts()
    assert counts[CAST_GT_ISSUED] == 4
    assert counts[INTRADAY_DECREASING] == 4
    assert t.extra["turnout_17"].sum() > t.extra["turnout_12"].sum()
