"""The expression language: what it computes (with Kleene's three-valued logic for missing
answers) and everything it refuses to run."""

import pytest

from questionnaires.expressions import (
    UNKNOWN,
    ExpressionError,
    compile_expression,
    evaluate,
    is_true,
    is_unknown,
)


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("B2 <= B1", {"B1": 500, "B2": 400}, True),
        ("B2 <= B1", {"B1": 500, "B2": 501}, False),
        ("A1 == no", {"A1": False}, True),
        ("A1 == yes", {"A1": False}, False),
        ("A1 == YES", {"A1": True}, True),
        ("A1 == true", {"A1": True}, True),
        ("selected(C3, '2')", {"C3": ["1", "2"]}, True),
        ("selected(C3, '4')", {"C3": ["1", "2"]}, False),
        ("selected(C3, 2)", {"C3": ["2"]}, True),
        ("selected(S1, '2')", {"S1": "2"}, True),
        ("selected(A1, 'yes')", {"A1": True}, True),
        ("selected(A1, 'no')", {"A1": True}, False),
        ("count(C3) >= 2", {"C3": ["1", "3"]}, True),
        ("count(C3) == 0", {}, True),
        ("answered(D1)", {"D1": "text"}, True),
        ("answered(D1)", {"D1": ""}, False),
        ("answered(D1)", {}, False),
        ("B1 + B2 == B3", {"B1": 2, "B2": 3, "B3": 5}, True),
        ("B1 - B2 * 2 > 0", {"B1": 10, "B2": 4}, True),
        ("B1 / B2 > 0.5", {"B1": 3, "B2": 4}, True),
        ("-B1 < 0", {"B1": 3}, True),
        ("0 <= B1 <= 10", {"B1": 3}, True),
        ("0 <= B1 <= 10", {"B1": 11}, False),
        ("A2 < '08:00'", {"A2": "07:45"}, True),
        ("S1 in ['1', '2']", {"S1": "2"}, True),
        ("S1 not in ['1', '2']", {"S1": "3"}, True),
        ("not A1", {"A1": False}, True),
        ("A1 == no and B1 > 0 or B2 == 1", {"A1": True, "B1": 5, "B2": 1}, True),
    ],
)
def test_it_computes_with_the_answers(expression, answers, expected):
    assert is_true(expression, answers) is expected


@pytest.mark.parametrize(
    "expression",
    [
        "B2 <= B1",  # an ordering comparison with a missing answer
        "B1 + B2 == 5",  # arithmetic with a missing answer
        "B1 >= 0 and B2 > 0",  # true and unknown
        "B1 > 0 or B2 > 0",  # (false or unknown) with B1 = 0 below
        "not B2 > 0",
        "B2",  # a bare unanswered question used as a condition
        "A1 and B2 > 0",
    ],
)
def test_a_missing_answer_makes_the_expression_unknown(expression):
    answers = {"B1": 0, "A1": True}
    assert evaluate(expression, answers) is UNKNOWN
    assert is_unknown(expression, answers)
    assert not is_true(expression, answers)


def test_kleene_logic_decides_when_the_known_part_is_enough():
    answers = {"B1": 0}
    # unknown and false is false; unknown or true is true
    assert evaluate("B2 > 0 and B1 > 0", answers) is False
    assert evaluate("B2 > 0 or B1 == 0", answers) is True
    assert evaluate("not (B2 > 0 and B1 > 0)", answers) is True
    # == and != compare a missing answer like any value
    assert evaluate("A1 == no", {}) is False
    assert evaluate("A1 != yes", {}) is True


def test_arithmetic_that_cannot_be_done_is_unknown_rather_than_an_error():
    assert evaluate("B1 / B2", {"B1": 4, "B2": 0}) is UNKNOWN
    assert evaluate("B1 + T1", {"B1": 4, "T1": "text"}) is UNKNOWN
    assert evaluate("A2 > 8", {"A2": "07:45"}) is UNKNOWN
    assert evaluate("1 in T1", {"T1": "abc"}) is UNKNOWN


def test_it_names_the_questions_it_reads():
    _compiled, names = compile_expression("selected(C3, '2') and B4 > B1 or answered(D1)")
    assert names == {"C3", "B4", "B1", "D1"}
    assert compile_expression("A1 == yes")[1] == {"A1"}  # yes is a constant, not a question


@pytest.mark.parametrize(
    "expression",
    [
        "A1.__class__",  # attribute access
        "A1.__class__.__bases__[0].__subclasses__()",
        "A1[0]",  # subscript
        "(lambda: 1)()",
        "[x for x in C1]",
        "{x for x in C1}",
        "{'a': 1}",
        "__import__('os')",
        "__builtins__",
        "_private",
        "open('/etc/passwd')",
        "eval('1')",
        "print(A1)",
        "len(C1)",
        "selected(C1)",  # wrong number of arguments
        "count(C1, key=1)",
        "A1 if B1 else C1",
        "(B1 := 3)",
        "f'{A1}'",
        "B1 ** 999999",  # power is not offered
        "B1 // 2",
        "B1 % 2",
        "B1 << 3",
        "~B1",
        "B1 is None",
        "None",
        "b'bytes'",
        "1j",
        "...",
        "A1 ==",  # not an expression at all
        "",
        "   ",
        "import os",
    ],
)
def test_it_refuses_what_is_not_in_the_language(expression):
    with pytest.raises(ExpressionError):
        compile_expression(expression)


def test_it_refuses_huge_or_deeply_nested_input():
    with pytest.raises(ExpressionError, match="too long"):
        compile_expression("B1 + " * 300 + "1")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        compile_expression("-" * 900 + "1")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        compile_expression("not " * 200 + "A1")
    with pytest.raises(ExpressionError):
        compile_expression("(" * 300 + "1" + ")" * 300)
    with pytest.raises(ExpressionError):
        compile_expression("[" + ", ".join(["1"] * 200) + "]")


def test_it_never_builds_huge_values():
    # Repetition of text or lists would allocate gigabytes; arithmetic is for numbers only.
    assert evaluate("'x' * 999999999", {}) is UNKNOWN
    assert evaluate("[1] * 999999999", {}) is UNKNOWN
    assert evaluate("T1 * 999999999", {"T1": "x"}) is UNKNOWN
    assert evaluate("C1 * 999999999", {"C1": ["1"]}) is UNKNOWN
    assert evaluate("C1 + C1", {"C1": ["1"]}) is UNKNOWN


def test_it_refuses_a_value_that_is_not_text():
    with pytest.raises(ExpressionError):
        compile_expression(None)
    with pytest.raises(ExpressionError):
        compile_expression(["A1"])


def test_a_sum_over_many_candidates_is_fine():
    # A result protocol adds up every candidate's votes.
    codes = [f"C{n}" for n in range(1, 41)]
    expression = " + ".join(codes) + " <= B2"
    answers = dict.fromkeys(codes, 1) | {"B2": 40}
    assert is_true(expression, answers)


def test_the_reason_for_refusing_is_in_the_active_language():
    from django.utils import translation

    with pytest.raises(ExpressionError) as error:
        compile_expression("len(C1)")
    assert "unknown function" in str(error.value)
    with translation.override("az"), pytest.raises(ExpressionError) as error:
        compile_expression("len(C1)")
    assert "len" in str(error.value)
