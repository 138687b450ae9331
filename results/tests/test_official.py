"""Importing official results: mapped CSV and XLSX, known layouts, station and option matching,
failures per row, clear errors with nothing written, replacing an import, the real files."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from elections.models import Contest
from electionstats import layouts
from results import official
from results.models import OfficialResult, OfficialResultImport
from results.official_demo import build_demo_official_results

pytestmark = pytest.mark.django_db

HEADER = [
    "Region",
    "Məntəqə",
    "Seçicilərin sayı",
    "Verilmiş bülletenlər",
    "Etibarsız bülletenlər",
    "Etibarlı bülletenlər",
    "namizəd  a",  # the Azerbaijani name, other case and spacing
    "Candidate B",  # the English name
    "3",  # a ballot number
    "Unknown party",
]
MAPPING = {
    "region": "Region",
    "station": "Məntəqə",
    "registered": "Seçicilərin sayı",
    "issued": "Verilmiş bülletenlər",
    "invalid": "Etibarsız bülletenlər",
    "valid": "Etibarlı bülletenlər",
}
OPTIONS = ["namizəd  a", "Candidate B", "3", "Unknown party"]
ROWS = [
    ["Bakı", "12-034", "1245", "800", "10", "780", "500", "200", "80", "0"],  # good
    ["Bakı", "12/35", "980", "600", "5", "590", "300", "200", "80", "0"],  # votes 580 != 590
    ["Şəki", "113 2", "310", "400", "0", "300", "100", "100", "100", "0"],  # issued > registered
    ["Şəki", "99-001", "500", "300", "0", "abc", "100", "100", "100", "0"],  # unknown, not int
]


def _csv(rows=ROWS, header=HEADER, delimiter=";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def _stored_files(storage) -> list[str]:
    import os

    return [name for _root, _dirs, names in os.walk(storage.location) for name in names]


def _import(election, contest, analyst, content: bytes, name="results.csv", **kwargs):
    return official.import_official_results(
        election=election,
        contest=contest,
        layout=kwargs.pop("layout", OfficialResultImport.Layout.MAPPED),
        uploaded_file=SimpleUploadedFile(name, content),
        name=kwargs.pop("title", "CEC results"),
        actor=analyst,
        **kwargs,
    )


def test_a_mapped_csv_is_imported_with_every_failing_row_reported(
    election, contest, analyst, stations
):
    result = _import(election, contest, analyst, _csv(), mapping=MAPPING, options=OPTIONS)
    assert result.row_count == 4
    assert result.status == OfficialResultImport.Status.IMPORTED
    rows = {r.station_code: r for r in OfficialResult.objects.filter(result_import=result)}
    assert rows["12-034"].station == stations["12-034"]
    assert rows["12/35"].station == stations["12-035"]
    assert rows["113 2"].station == stations["113-002"]
    assert rows["99-001"].station is None
    assert result.matched_station_count == 3
    assert rows["12-034"].votes == [500, 200, 80, 0]
    assert rows["12-034"].failed_rules == []
    assert "votes_ne_valid" in rows["12/35"].failed_rules
    assert "issued_gt_registered" in rows["113 2"].failed_rules
    assert "not_an_integer" in rows["99-001"].failed_rules
    assert result.failed_row_count == 3
    failed = {(f[0], f[2]) for f in result.failures}
    assert {(3, "votes_ne_valid"), (4, "issued_gt_registered"), (5, "not_an_integer")} <= failed
    assert all(len(f) == 4 and f[3] for f in result.failures)
    assert result.totals["registered"] == 1245 + 980 + 310 + 500
    assert result.file.name and result.original_name == "results.csv"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_options_are_matched_by_name_in_any_language_or_by_ballot_number(
    election, contest, analyst
):
    result = _import(election, contest, analyst, _csv(), mapping=MAPPING, options=OPTIONS)
    by_number = {o.ballot_number: o.pk for o in contest.options.all()}
    assert result.option_map == {
        "0": by_number[1],
        "1": by_number[2],
        "2": by_number[3],
        "3": None,
    }
    rows = official.option_rows(result)
    assert rows[3]["option"] is None and rows[3]["name"] == "Unknown party"


def test_station_matching_forms(election, stations):
    codes = official.station_index(election)
    assert official.match_station(codes, "12-034") == stations["12-034"].pk
    assert official.match_station(codes, "12/34") == stations["12-034"].pk
    assert official.match_station(codes, "12 34") == stations["12-034"].pk
    assert official.match_station(codes, "34", "Dairə 12") == stations["12-034"].pk
    assert official.match_station(codes, "34") is None
    assert official.match_station(codes, "77-001") is None


def test_stations_of_another_election_are_not_matched(contest, analyst, stations):
    from elections.tests.factories import ContestFactory, ElectionFactory

    other = ElectionFactory()
    other_contest = ContestFactory(election=other, kind=Contest.Kind.NATIONAL)
    result = _import(other, other_contest, analyst, _csv(), mapping=MAPPING, options=OPTIONS)
    assert result.matched_station_count == 0


def test_an_xlsx_file_is_imported_with_its_row_numbers(election, contest, analyst, stations):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Bakı", "12-034", 1245, 800, 10, 780, 500, 200, 80, 0])
    sheet.append([None] * len(HEADER))  # an empty row is skipped
    sheet.append(["Bakı", "12-035", 980, 600, 5, 590, 300, 200, 80.0, 0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    info = official.inspect_upload(SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    assert info.kind == "xlsx" and info.header == HEADER
    result = _import(
        election, contest, analyst, buffer.getvalue(), "r.xlsx", mapping=MAPPING, options=OPTIONS
    )
    assert result.row_count == 2
    assert [f[0] for f in result.failures] == [4]
    assert result.failures[0][2] == "votes_ne_valid"
    assert OfficialResult.objects.get(result_import=result, row=4).station == stations["12-035"]


def test_inspect_upload_detects_the_delimiter_and_guesses_the_mapping():
    info = official.inspect_upload(SimpleUploadedFile("r.csv", _csv(delimiter=";")))
    assert info.kind == "csv" and info.delimiter == ";"
    assert info.guessed_mapping == MAPPING
    assert info.guessed_options == ["namizəd  a", "Candidate B", "3", "Unknown party"]
    tabbed = official.inspect_upload(SimpleUploadedFile("r.txt", _csv(delimiter="\t")))
    assert tabbed.delimiter == "\t"


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"", b"\xff\xfe\x00a\x00b" * 10],
)
def test_other_files_are_refused_clearly(content):
    with pytest.raises(ValidationError) as error:
        official.inspect_upload(SimpleUploadedFile("r.csv", content))
    assert error.value.code in {"file_type", "file_empty", "file_encoding"}


def test_a_csv_not_in_utf8_is_refused(election, contest, analyst):
    content = "Seçici sayı;Üçüncü;Şüşə\n12-034;100;1\n".replace("ə", "e").encode("cp1254")
    with pytest.raises(ValidationError) as error:
        _import(election, contest, analyst, content, mapping=MAPPING)
    assert "UTF-8" in str(error.value)


def test_a_wrong_mapping_is_a_clear_error_and_nothing_is_written(
    election, contest, analyst, private_storage
):
    wrong = {**MAPPING, "registered": "Voters"}
    with pytest.raises(ValidationError) as error:
        _import(election, contest, analyst, _csv(), mapping=wrong, options=OPTIONS)
    assert "Voters" in " ".join(error.value.messages)
    with pytest.raises(ValidationError) as error:
        _import(election, contest, analyst, _csv(), mapping={"region": "Region"}, options=OPTIONS)
    assert any("Polling station" in m for m in error.value.messages)
    with pytest.raises(ValidationError):
        _import(election, contest, analyst, _csv(), mapping=MAPPING, options=["Nope"])
    assert not OfficialResultImport.objects.exists()
    assert not OfficialResult.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()
    assert _stored_files(private_storage) == []


def test_a_file_without_its_layouts_columns_says_which(election, contest, analyst):
    with pytest.raises(ValidationError) as error:
        _import(election, contest, analyst, _csv(delimiter=","), layout="georgia")
    assert "district id" in str(error.value)
    assert not OfficialResultImport.objects.exists()


def test_a_database_error_leaves_nothing_half_written(
    election, contest, analyst, monkeypatch, private_storage
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(official, "audit_log", broken)
    with pytest.raises(RuntimeError):
        _import(election, contest, analyst, _csv(), mapping=MAPPING, options=OPTIONS)
    assert not OfficialResultImport.objects.exists()
    assert not OfficialResult.objects.exists()
    assert _stored_files(private_storage) == []


def test_a_new_import_replaces_the_previous_one(election, contest, analyst):
    first = _import(election, contest, analyst, _csv(), mapping=MAPPING, options=OPTIONS)
    second = _import(election, contest, analyst, _csv(ROWS[:2]), mapping=MAPPING, options=OPTIONS)
    first.refresh_from_db()
    assert first.status == OfficialResultImport.Status.REPLACED
    assert second.status == OfficialResultImport.Status.IMPORTED
    assert official.current_import(contest) == second
    assert OfficialResult.objects.filter(result_import=first).count() == 4


def test_a_contest_of_another_election_is_refused(election, contest, analyst):
    from elections.tests.factories import ElectionFactory

    with pytest.raises(ValidationError):
        _import(ElectionFactory(), contest, analyst, _csv(), mapping=MAPPING)


def test_every_rule_has_a_translated_text():
    assert set(official.RULE_TEXTS) == set(layouts.RULES)
    for code, text in layouts.RULES.items():
        assert str(official.RULE_TEXTS[code]) == text


def test_the_demo_imports_through_the_mapped_path(election, contest, analyst):
    from elections.demo import PRESIDENTIAL

    election.name_en = PRESIDENTIAL["name_en"]
    election.save()
    out = build_demo_official_results(actor=analyst)
    assert out["imports"] == 1 and out["rows"] == 5
    assert out["stations_matched"] == 5
    result = official.current_import(contest)
    assert result.layout == "mapped" and None not in result.option_map.values()
    assert build_demo_official_results(actor=analyst)["imports"] == 0


def _real(name: str):
    path = layouts.dataset_path(name)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared real-data folder is absent")
    return path


@pytest.mark.parametrize(("dataset", "rows"), [("albania2013", 5508), ("georgia2013", 3707)])
def test_the_real_files_import_with_every_failure(election, contest, analyst, dataset, rows):
    path = _real(dataset)
    layout = layouts.DATASETS[dataset][1]
    table = layouts.read_layout(path, layout)
    result = official.import_official_results(
        election=election, contest=contest, layout=layout, path=path, name=dataset, actor=analyst
    )
    assert result.row_count == rows == OfficialResult.objects.filter(result_import=result).count()
    assert len(result.failures) == len(table.failures) > 0
    assert result.totals["votes"] == table.totals()["votes"]
    failing = OfficialResult.objects.filter(result_import=result).exclude(failed_rules=[])
    assert failing.count() == result.failed_row_count
    assert result.matched_station_count == 0
