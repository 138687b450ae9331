"""`manage.py forensics FILE --layout ...`: JSON on stdout, clear errors for bad input."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forensics.tests.conftest import MAPPING, OPTIONS, real_path


def run(*args) -> dict:
    out = StringIO()
    call_command("forensics", *[str(a) for a in args], stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_whole_suite_as_json_for_georgia():
    result = run(real_path("georgia2013"), "--layout", "georgia")
    assert result["summary"]["stations"] == 3707
    assert result["summary"]["leader"] == "41 - Giorgi Margvelashvili"
    for key in ("fingerprint", "integer_percentages", "last_digit", "second_digit", "regions"):
        assert key in result
    assert len(result["fingerprint"]["counts"]) == 100
    assert result["parameters"]["seed"] == 0


def test_it_reads_albania_with_its_layout():
    result = run(real_path("albania2013"), "--layout", "albania", "--simulations", "10")
    assert result["summary"]["layout"] == "albania"
    assert result["summary"]["stations_used"] > 4000
    assert result["integer_percentages"]["simulations"] == 10


def test_it_reads_a_hand_made_csv_with_a_mapping(synthetic_csv):
    result = run(
        synthetic_csv,
        "--layout",
        "mapped",
        "--mapping",
        json.dumps(MAPPING),
        "--options",
        *OPTIONS,
        "--indent",
        "2",
    )
    assert result["summary"]["stations"] == 305
    assert result["summary"]["leader"] == "Party A"
    assert [row["region"] for row in result["regions"]["rows"]] == [
        "Region 1",
        "Region 2",
        "Region 3",
    ]
    # The five made-up stations at 100% turnout and 95% for the leader stand out.
    assert result["outliers"]["by_reason"]["high_turnout_and_share"] == 5


def test_the_mapping_may_be_a_json_file(synthetic_csv, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    result = run(synthetic_csv, "--layout", "mapped", "--mapping", mapping, "--leader", "Party B")
    assert result["summary"]["leader"] == "Party B"
    assert result["summary"]["stations"] == 305


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/file.csv", "--layout", "georgia"], "File not found"),
        (["{csv}", "--layout", "nowhere"], "invalid choice"),
        (["{csv}", "--layout", "russia"], "does not fit the layout"),
        (["{csv}", "--layout", "mapped"], "needs --mapping"),
        (["{csv}", "--layout", "mapped", "--mapping", "{bad"], "not valid JSON"),
        (["{csv}", "--layout", "mapped", "--mapping", '["Station"]'], "JSON object"),
        (["{csv}", "--layout", "mapped", "--mapping", '{"colour": "Region"}'], "unknown fields"),
        (
            ["{csv}", "--layout", "mapped", "--mapping", '{"station": "Nope", "registered": "R"}'],
            "not in the header",
        ),
        (["{csv}", "--layout", "georgia", "--mapping", '{"station": "S"}'], "only to --layout"),
        (
            ["{csv}", "--layout", "mapped", "--mapping", json.dumps(MAPPING), "--leader", "Z"],
            "No option named Z",
        ),
        (
            ["{csv}", "--layout", "mapped", "--mapping", json.dumps(MAPPING), "--simulations", "0"],
            "at least 1",
        ),
    ],
)
def test_bad_input_is_a_clear_command_error(synthetic_csv, args, message):
    args = [str(synthetic_csv) if a == "{csv}" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("forensics", *args, stdout=StringIO())


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("Station,Registered,Party A\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no polling-station rows"):
        call_command(
            "forensics",
            str(path),
            "--layout",
            "mapped",
            "--mapping",
            '{"station": "Station", "registered": "Registered"}',
            stdout=StringIO(),
        )
