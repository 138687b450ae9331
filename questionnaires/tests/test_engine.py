"""The form engine: answers of every type as the channels send them (phone page, API, SMS),
ranges, required answers, skip logic, rules across answers, alerts, and what is wrong with a
schema."""

import copy

import pytest
from django.utils import translation

from questionnaires.engine import (
    check_answers,
    clean_value,
    label,
    question_map,
    questions,
    validate_schema,
)
from questionnaires.tests.factories import closing_schema, number, yes_no

YES_NO = {"code": "A1", "type": "yes_no", "label": {"en": "Open?"}}
NUMBER = {"code": "B1", "type": "number", "label": {"en": "Voters"}, "min": 0, "max": 3000}
SINGLE = {
    "code": "C1",
    "type": "single",
    "label": {"en": "Transparent?"},
    "options": [{"value": "1", "label": {"en": "Fully"}}, {"value": "2", "label": {"en": "No"}}],
}
MULTIPLE = {
    "code": "C2",
    "type": "multiple",
    "label": {"en": "Problems"},
    "options": [
        {"value": "1", "label": {"en": "Carousel"}},
        {"value": "2", "label": {"en": "Pressure"}},
        {"value": "3", "label": {"en": "Other"}},
    ],
}
TIME = {"code": "A2", "type": "time", "label": {"en": "Opened at"}}
TEXT = {"code": "D1", "type": "text", "label": {"en": "Describe"}}
PHOTO = {"code": "D2", "type": "photo", "label": {"en": "Photo"}}


# --- Coercions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [True, "yes", "Yes", " y ", "Y", "1", 1, "true", "bəli", "BƏLİ", "beli", "да", "hə"]
)
def test_yes_is_understood_in_every_form_a_channel_sends_it(value):
    assert clean_value(YES_NO, value) is True


@pytest.mark.parametrize("value", [False, "no", "N", "0", 0, "false", "xeyr", "yox", "нет", "x"])
def test_no_is_understood_in_every_form_a_channel_sends_it(value):
    assert clean_value(YES_NO, value) is False


@pytest.mark.parametrize("value", ["maybe", "2", 2, "yess", [True]])
def test_anything_else_is_not_a_yes_or_no(value):
    with pytest.raises(ValueError, match="Answer yes or no"):
        clean_value(YES_NO, value)


@pytest.mark.parametrize(("value", "expected"), [("5", 5), (" 12 ", 12), (7, 7), (40.0, 40)])
def test_numbers_come_as_digits_or_numbers(value, expected):
    assert clean_value(NUMBER, value) == expected


@pytest.mark.parametrize("value", ["5.5", 5.5, "five", "1e3", "", True, "12a", "99999999999"])
def test_a_number_must_be_whole(value):
    with pytest.raises(ValueError, match="whole number"):
        clean_value(NUMBER, value)


def test_a_number_must_be_in_range():
    assert clean_value(NUMBER, "0") == 0 and clean_value(NUMBER, 3000) == 3000
    with pytest.raises(ValueError, match="from 0 to 3000"):
        clean_value(NUMBER, "3001")
    with pytest.raises(ValueError, match="from 0 to 3000"):
        clean_value(NUMBER, "-1")
    with pytest.raises(ValueError, match="at least 10"):
        clean_value({**NUMBER, "min": 10, "max": None}, 9)
    with pytest.raises(ValueError, match="at most 5"):
        clean_value({**NUMBER, "min": None, "max": 5}, 6)
    assert clean_value({**NUMBER, "min": None, "max": None}, -40) == -40


def test_a_single_choice_is_one_of_the_options():
    assert clean_value(SINGLE, "2") == "2"
    assert clean_value(SINGLE, 2) == "2"
    assert clean_value(SINGLE, ["1"]) == "1"
    for wrong in ("3", "1,2", ["1", "2"]):
        with pytest.raises(ValueError, match="Choose one of the options"):
            clean_value(SINGLE, wrong)


def test_a_single_choice_ignores_the_case_of_letters():
    question = {**SINGLE, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}
    assert clean_value(question, "B") == "b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,3", ["1", "3"]), ("3 1", ["1", "3"]), ("3;1;1", ["1", "3"]), (["2"], ["2"]), (2, ["2"])],
)
def test_a_multiple_choice_comes_as_a_list_or_from_sms_as_1_3(value, expected):
    assert clean_value(MULTIPLE, value) == expected


def test_a_multiple_choice_refuses_an_unknown_option():
    with pytest.raises(ValueError, match="only from the options"):
        clean_value(MULTIPLE, "1,4")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7:05", "07:05"), ("07:05", "07:05"), ("23:59", "23:59"), ("7.05", "07:05")],
)
def test_a_time_is_stored_as_hh_mm(value, expected):
    assert clean_value(TIME, value) == expected


@pytest.mark.parametrize("value", ["24:00", "7", "7:60", "0705", "seven"])
def test_a_time_must_be_a_time(value):
    with pytest.raises(ValueError, match="HH:MM"):
        clean_value(TIME, value)


def test_text_is_trimmed_and_limited():
    assert clean_value(TEXT, "  carousel seen  ") == "carousel seen"
    with pytest.raises(ValueError, match="at most 2000"):
        clean_value(TEXT, "x" * 2001)


def test_a_photo_is_the_id_of_an_uploaded_photo():
    photo_id = "0123456789abcdef0123456789ABCDEF"
    assert clean_value(PHOTO, photo_id) == photo_id.lower()
    assert clean_value(PHOTO, "01234567-89ab-cdef-0123-456789abcdef") == photo_id.lower()
    with pytest.raises(ValueError, match="photo was not received"):
        clean_value(PHOTO, "photo.jpg")


# --- Checking a set of answers ----------------------------------------------------------------


def test_good_answers_are_cleaned_and_accepted():
    checked = check_answers(
        closing_schema(),
        {"A1": "y", "B1": "500", "B2": "420", "B3": 3, "B4": "3", "B6": "1", "B7": "a" * 32},
    )
    assert checked.ok, checked.errors
    assert checked.answers == {
        "A1": True,
        "B1": 500,
        "B2": 420,
        "B3": 3,
        "B4": ["3"],
        "B6": "1",
        "B7": "a" * 32,
    }
    assert checked.alerts == []


def test_required_answers_are_reported_by_question():
    checked = check_answers(closing_schema(), {"B3": "2"})
    assert checked.errors == {
        "A1": ["This question needs an answer."],
        "B1": ["This question needs an answer."],
        "B2": ["This question needs an answer."],
    }


def test_an_answer_of_only_separators_is_no_answer():
    schema = {
        "sections": [{"code": "S", "label": "S", "questions": [{**MULTIPLE, "required": True}]}]
    }
    checked = check_answers(schema, {"C2": " , "})
    assert checked.errors == {"C2": ["This question needs an answer."]}
    checked = check_answers(
        {"sections": [{"code": "S", "label": "S", "questions": [MULTIPLE]}]}, {"C2": ","}
    )
    assert checked.ok and checked.answers == {}


def test_every_wrong_answer_is_reported_at_once():
    checked = check_answers(closing_schema(), {"A1": "maybe", "B1": "lots", "B2": "-4"})
    assert set(checked.errors) == {"A1", "B1", "B2"}
    assert checked.errors["B2"] == ["Enter a number from 0 to 3000."]


def test_a_question_the_form_does_not_have_is_an_error_not_ignored():
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 1, "B2": 1, "Z9": "5"})
    assert checked.errors == {"Z9": ["This form has no question Z9."]}


def test_answers_must_be_a_mapping():
    assert check_answers(closing_schema(), ["A1", "y"]).errors == {
        "__all__": ["The answers must be a set of question codes and values."]
    }


def test_skip_logic_asks_a_question_only_when_it_applies():
    # A2 (when did it close) is asked only when A1 (closed on time) is no.
    checked = check_answers(closing_schema(), {"A1": "no", "B1": 1, "B2": 1})
    assert checked.errors == {"A2": ["This question needs an answer."]}
    checked = check_answers(closing_schema(), {"A1": "no", "A2": "19:40", "B1": 1, "B2": 1})
    assert checked.ok and checked.answers["A2"] == "19:40"


def test_answers_to_skipped_questions_are_dropped():
    checked = check_answers(closing_schema(), {"A1": "yes", "A2": "19:40", "B1": 1, "B2": 1})
    assert checked.ok
    assert "A2" not in checked.answers
    # Even a wrong answer to a skipped question is no error: it was not asked.
    checked = check_answers(closing_schema(), {"A1": "yes", "A2": "late", "B1": 1, "B2": 1})
    assert checked.ok and "A2" not in checked.answers


def test_skip_logic_follows_a_chain_of_skipped_questions():
    schema = {
        "sections": [
            {
                "code": "S",
                "label": "S",
                "questions": [
                    yes_no("A1", "Problems?"),
                    yes_no("A2", "Serious?", relevant="A1 == yes"),
                    {**TEXT, "relevant": "A2 == yes", "required": True},
                ],
            }
        ]
    }
    # A1 = no skips A2, and so D1 (which depends on A2) is skipped too.
    checked = check_answers(schema, {"A1": "no", "A2": "yes", "D1": "x"})
    assert checked.ok and checked.answers == {"A1": False}


def test_skip_logic_on_a_multiple_choice():
    checked = check_answers(
        closing_schema(), {"A1": "y", "B1": 10, "B2": 5, "B4": "1,2", "B5": "Seen at 11:00"}
    )
    assert checked.answers["B5"] == "Seen at 11:00"
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 10, "B2": 5, "B4": "3", "B5": "x"})
    assert "B5" not in checked.answers


def test_a_rule_across_answers_reports_its_own_message():
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 501})
    assert checked.errors == {"R1": ["Ballots cast cannot exceed registered voters."]}


def test_a_rule_speaks_the_reader_language():
    with translation.override("az"):
        checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 501})
    assert checked.errors == {"R1": ["Bülletenlər seçicilərdən çox ola bilməz."]}


def test_a_rule_waits_until_the_answers_it_needs_are_given():
    # B3 (spoiled) is optional: R2 (B3 <= B2) is unknown without it, so not broken.
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 400})
    assert checked.ok
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 400, "B3": 401})
    assert checked.errors == {"R2": ["Spoiled ballots cannot exceed ballots cast."]}


def test_a_rule_is_not_judged_on_answers_that_are_wrong_already():
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 9999})
    assert checked.errors == {"B2": ["Enter a number from 0 to 3000."]}
    # R2 lists no questions: those its check names count.
    checked = check_answers(closing_schema(), {"A1": "y", "B1": 500, "B2": 400, "B3": "x"})
    assert set(checked.errors) == {"B3"}


def test_a_rule_without_a_message_still_says_what_is_wrong():
    schema = closing_schema()
    schema["rules"][0]["message"] = {}
    checked = check_answers(schema, {"A1": "y", "B1": 1, "B2": 2})
    assert checked.errors == {"R1": ["These answers do not agree with each other."]}


def test_a_critical_answer_raises_an_alert():
    checked = check_answers(closing_schema(), {"A1": "n", "A2": "20:15", "B1": 1, "B2": 1})
    assert checked.ok
    assert [(alert.question, alert.value, alert.text) for alert in checked.alerts] == [
        ("A1", False, "Did the station close at 19:00?")
    ]


def test_alerts_on_a_multiple_and_a_single_choice():
    checked = check_answers(
        closing_schema(), {"A1": "y", "B1": 10, "B2": 5, "B4": ["2"], "B5": "x", "B6": "3"}
    )
    assert [alert.question for alert in checked.alerts] == ["B4", "B6"]


def test_no_alert_without_the_answer_or_when_the_question_was_skipped():
    schema = closing_schema()
    schema["sections"][0]["questions"][1]["alert"] = "A2 > '19:30'"
    checked = check_answers(schema, {"A1": "y", "A2": "21:00", "B1": 1, "B2": 1})
    assert checked.alerts == []  # A2 was skipped
    checked = check_answers(schema, {"B1": 1, "B2": 1})
    assert checked.alerts == []  # A1 not answered


def test_alert_texts_are_in_the_reader_language():
    with translation.override("ru"):
        checked = check_answers(closing_schema(), {"A1": "нет", "A2": "20:15", "B1": 1, "B2": 1})
    assert checked.alerts[0].text == "Did the station close at 19:00? (ru)"


# --- Labels and helpers -----------------------------------------------------------------------


def test_a_label_falls_back_to_another_language():
    assert label({"az": "Bəli", "en": "Yes", "ru": "Да"}, "ru") == "Да"
    assert label({"az": "Bəli", "en": "Yes"}, "ru") == "Bəli"
    assert label({"en": "Yes"}, "az") == "Yes"
    assert label("plain", "en") == "plain"
    assert label(None) == ""
    with translation.override("en"):
        assert label({"az": "Bəli", "en": "Yes"}) == "Yes"


def test_questions_come_in_form_order():
    assert [q["code"] for q in questions(closing_schema())] == [
        "A1",
        "A2",
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
        "B6",
        "B7",
    ]
    assert question_map(closing_schema())["B6"]["type"] == "single"


# --- What is wrong with a schema ------------------------------------------------------------


def test_a_sound_schema_has_no_errors():
    assert validate_schema(closing_schema()) == []


def errors_of(change) -> list[str]:
    schema = closing_schema()
    change(schema)
    return validate_schema(schema)


def first_question(schema):
    return schema["sections"][0]["questions"][0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.update(sections=[]), "The form has no sections."),
        (lambda s: s["sections"][1].update(code="A"), "Every section needs a code of its own."),
        (lambda s: s["sections"][0].update(label={}), "Section A has no title."),
        (lambda s: s["sections"][0].update(questions=[]), "Section A has no questions."),
        (lambda s: first_question(s).update(code="a1"), "Question code “a1” is not valid"),
        (lambda s: first_question(s).update(code="ABCD1"), "Question code “ABCD1” is not valid"),
        (lambda s: first_question(s).update(code="B1"), "Question code B1 is used twice."),
        (lambda s: first_question(s).update(type="date"), "unknown type “date”"),
        (lambda s: first_question(s).update(label={"en": ""}), "Question A1 has no text."),
        (lambda s: first_question(s).update(required="yes"), "must be true or false"),
        (
            lambda s: s["sections"][1]["questions"][0].update(min=10, max=5),
            "Question B1 has a minimum above its maximum.",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(min=0.5),
            "The range of question B1 must be whole numbers.",
        ),
        (
            lambda s: s["sections"][1]["questions"][3].update(
                options=[{"value": "1", "label": "x"}]
            ),
            "Question B4 needs at least two options.",
        ),
        (
            lambda s: s["sections"][1]["questions"][3]["options"][1].update(value="1"),
            "Question B4 has two options with one value.",
        ),
        (
            lambda s: s["sections"][1]["questions"][3]["options"][1].update(value="a b"),
            "An option value of question B4 is not valid",
        ),
        (
            lambda s: s["sections"][1]["questions"][3]["options"][1].update(label={}),
            "An option of question B4 has no text.",
        ),
        (
            lambda s: s["sections"][1]["questions"][3].update(options=["1", "2"]),
            "The options of question B4 are not described correctly.",
        ),
        (
            lambda s: first_question(s).update(alert="A1 ==="),
            "The condition of A1 cannot be read",
        ),
        (
            lambda s: first_question(s).update(alert="len(A1) > 0"),
            "The condition of A1 cannot be read: unknown function",
        ),
        (
            lambda s: first_question(s).update(alert="Z9 == no"),
            "The condition of A1 names questions that do not exist: Z9.",
        ),
        (
            lambda s: first_question(s).update(relevant="B1 > 0"),
            "The skip logic of A1 can only use answers to earlier questions, not B1.",
        ),
        (
            lambda s: first_question(s).update(relevant="A1 == yes"),
            "The skip logic of A1 can only use answers to earlier questions, not A1.",
        ),
        (lambda s: s["rules"][1].update(code="R1"), "Every rule needs a code of its own."),
        (lambda s: s["rules"][0].update(message={}), "Rule R1 has no message."),
        (
            lambda s: s["rules"][0].update(check="B2 <= B99"),
            "The condition of R1 names questions that do not exist: B99.",
        ),
        (
            lambda s: s["rules"][0].update(questions=["B1", "Q7"]),
            "Rule R1 lists questions that do not exist: Q7.",
        ),
        (lambda s: s.update(rules={"R1": "B2 <= B1"}), "The form's rules are not described"),
    ],
)
def test_validate_schema_says_what_is_wrong(change, expected):
    errors = errors_of(change)
    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize("schema", [None, [], "form", {"sections": "A"}, {}])
def test_a_schema_that_is_not_a_form_at_all(schema):
    assert validate_schema(schema) == ["The form has no list of sections."]


def test_broken_pieces_do_not_crash_the_validator():
    schema = {"sections": ["A", {"code": "B", "label": "B", "questions": ["x", 5]}]}
    errors = validate_schema(schema)
    assert "A section is not described correctly." in errors
    assert errors.count("A question is not described correctly.") == 2


def test_a_draft_may_be_incomplete_but_not_wrong():
    assert validate_schema({"sections": []}, complete=False) == []
    empty_section = {"sections": [{"code": "A", "label": {"az": "A"}, "questions": []}]}
    assert validate_schema(empty_section, complete=False) == []
    assert validate_schema(empty_section) == ["Section A has no questions."]
    wrong = copy.deepcopy(empty_section)
    wrong["sections"][0]["questions"].append(number("B1", "x", min=5, max=1))
    assert validate_schema(wrong, complete=False) == [
        "Question B1 has a minimum above its maximum."
    ]


def test_schema_errors_are_in_the_author_language():
    schema = closing_schema()
    schema["sections"] = []
    with translation.override("az"):
        errors = validate_schema(schema)
    assert errors and isinstance(errors[0], str)
