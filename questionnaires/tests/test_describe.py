"""Skip logic, rules and alerts put into words for the staff preview."""

import pytest
from django.utils import translation

from questionnaires.describe import describe
from questionnaires.tests.factories import closing_schema


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("B2 <= B1", "B2 “Ballots cast” is at most B1 “Registered voters”"),
        ("A1 == no", "the answer to A1 “Did the station close at 19:00?” is “No”"),
        ("A1 != yes", "the answer to A1 “Did the station close at 19:00?” is not “Yes”"),
        ("B6 == '3'", "the answer to B6 “Was the count transparent?” is “Not at all”"),
        ("selected(B4, '2')", "“Pressure on voters” is chosen in B4 “Problems seen”"),
        ("answered(B5)", "B5 “Describe the problem” is answered"),
        ("not answered(B5)", "B5 “Describe the problem” is not answered"),
        ("count(B4) >= 2", "the number of options chosen in B4 “Problems seen” is at least 2"),
        (
            "B3 + B2 < B1",
            "B3 “Spoiled ballots” + B2 “Ballots cast” is less than B1 “Registered voters”",
        ),
        (
            "A1 == no and (B1 > 0 or B2 > 0)",
            "the answer to A1 “Did the station close at 19:00?” is “No” and (B1 “Registered "
            "voters” is more than 0 or B2 “Ballots cast” is more than 0)",
        ),
        ("not (B1 > 0)", "not (B1 “Registered voters” is more than 0)"),
        (
            "0 <= B1 <= 10",
            "0 is at most B1 “Registered voters” and B1 “Registered voters” is at most 10",
        ),
        ("A1", "A1 “Did the station close at 19:00?” is “Yes”"),
    ],
)
def test_conditions_read_as_sentences(expression, words):
    assert describe(expression, closing_schema(), "en") == words


def test_the_sentence_is_in_the_language_asked_for():
    with translation.override("en"):
        words = describe("B2 <= B1", closing_schema(), "az")
    assert words.startswith("B2 «Ballots cast (az)»")  # Azerbaijani quotes and wording


def test_what_cannot_be_read_is_shown_as_written():
    assert describe("B2 <=", closing_schema(), "en") == "B2 <="
    assert describe(None, closing_schema(), "en") == ""
