"""The phone page's expression evaluator (static/observation/expressions.js) gives the same
answer as the server's (questionnaires.expressions) for skip logic, rules and alerts: one table
of expressions and answers, run through both."""

import pytest

from questionnaires.expressions import UNKNOWN, ExpressionError, evaluate

pytestmark = pytest.mark.django_db(transaction=True)

CASES = [
    ("A1 == yes", {"A1": True}),
    ("A1 == no", {"A1": True}),
    ("A1 == no", {}),
    ("A1 == 'yes'", {"A1": True}),
    ("A1", {}),
    ("A1", {"A1": 0}),
    ("not A1", {}),
    ("not A1", {"A1": False}),
    ("not not A1", {"A1": "x"}),
    ("A1 and B1", {"A1": True}),
    ("A1 or B1", {"A1": False}),
    ("TRUE and Yes", {}),
    ("True or False", {}),
    ("B2 <= B1", {"B1": 10, "B2": 5}),
    ("B2 <= B1", {"B1": 10}),
    ("B2 <= B1 or A1 == yes", {"A1": True}),
    ("B2 <= B1 and A1 == yes", {"A1": False}),
    ("B2 <= B1 and A1 == yes", {"A1": True}),
    ("not B2 <= B1", {}),
    ("not (B1 > 2)", {}),
    ("A1 == yes and (B1 > 2 or B2 > 2)", {"A1": True, "B2": 3}),
    ("A1 == yes and (B1 > 2 or B2 > 2)", {"A1": True}),
    ("selected(C3, '2') and B4 > 0", {"C3": ["1", "2"], "B4": 3}),
    ("selected(C3, 2)", {"C3": "2"}),
    ("selected(C3, '2')", {}),
    ("selected(A1, 'yes')", {"A1": True}),
    ("selected(A1, 'no')", {"A1": True}),
    ("answered(D1) or A1 == yes", {"D1": ""}),
    ("answered(D1)", {"D1": []}),
    ("answered(D1)", {"D1": "x"}),
    ("count(C3) >= 2", {"C3": ["1", "2"]}),
    ("count(C3)", {}),
    ("count(C3)", {"C3": "1"}),
    ("B1 + B2 == B3", {"B1": 1, "B2": 2, "B3": 3}),
    ("B1 + B2 == B3", {"B1": 1, "B3": 3}),
    ("B1 - B2 * 2 > -1", {"B1": 5, "B2": 2}),
    ("B1 / B2 > 1", {"B1": 5, "B2": 0}),
    ("B1 / B2 > 1", {"B1": 5, "B2": 2}),
    ("(B1 + B2) * 2 == 10", {"B1": 2, "B2": 3}),
    ("-B1 < 0", {"B1": 4}),
    ("-B1 < 0", {}),
    ("+B1 > 0", {"B1": 1}),
    ("-A1", {"A1": True}),
    ("A1 + 1", {"A1": True}),
    ("E1 + 'x' == 'ax'", {"E1": "a"}),
    ("B1 + E1", {"B1": 1, "E1": "a"}),
    ("2.5 * 2 == 5", {}),
    ("B1 * 1e3 > 5", {"B1": 1}),
    ("E1 in ['1', '2']", {"E1": "2"}),
    ("E1 not in ['1', '2']", {"E1": "3"}),
    ("'2' in C3", {"C3": ["2"]}),
    ("'2' in C3", {}),
    ("'2' not in C3", {}),
    ("1 in E1", {"E1": "abc"}),
    ("T1 < '08:00'", {"T1": "07:45"}),
    ("T1 < '08:00'", {"T1": "09:00"}),
    ("1 < B1 < 10", {"B1": 5}),
    ("1 < B1 < 10", {"B1": 15}),
    ("1 < B1 < 10", {}),
    ("B1 == 1", {"B1": True}),
    ("True < 2", {}),
    ("X1 == Y1", {}),
    ("X1 != Y1", {"X1": 1}),
    ("B1 > 'a'", {"B1": 1}),
    ("C3 == ['1', '2']", {"C3": ["1", "2"]}),
    ("[1, 2] < [1, 3]", {}),
    ("B1 >= 0 and B1 <= 100", {"B1": 0}),
    ('A1 == "x"', {"A1": "x"}),
    ("x_1 == 1", {"x_1": 1}),
]
INVALID = [
    "",
    "None == A1",
    "A1 is None",
    "A1 // 2",
    "A1 % 2",
    "A1 ** 2",
    "~A1",
    "foo(A1)",
    "count(A1, B1)",
    "selected(A1)",
    "A1 ==",
    "'unterminated",
    "A1.x",
    "A1[0]",
    "A1 = 1",
    "{1: 2}",
    "lambda: 1",
    "A1 if B1 else C1",
    "f'x'",
    "_x == 1",
    "A1234567890123456789012345678901 == 1",
    "(" * 120 + "1" + ")" * 120,
    "[" + ",".join(["1"] * 101) + "]",
    "-" * 150 + "1",
]


def python_result(expression: str, answers: dict):
    try:
        value = evaluate(expression, answers)
    except ExpressionError:
        return "ERROR"
    return "UNKNOWN" if value is UNKNOWN else value


def test_the_phone_evaluates_expressions_as_the_server_does(live_server, page):
    page.goto(f"{live_server.url}/en/observer/")
    page.wait_for_function("() => window.BirlikExpressions !== undefined")
    cases = [[expression, answers] for expression, answers in CASES]
    cases += [[expression, {}] for expression in INVALID]
    results = page.evaluate(
        """(cases) => cases.map(([expression, answers]) => {
            try {
                const value = BirlikExpressions.evaluate(expression, answers);
                return value === BirlikExpressions.UNKNOWN ? "UNKNOWN" : value;
            } catch (error) {
                return error instanceof BirlikExpressions.ExpressionError ? "ERROR" : String(error);
            }
        })""",
        cases,
    )
    differences = []
    for (expression, answers), on_phone in zip(cases, results, strict=True):
        on_server = python_result(expression, answers)
        same = on_phone == on_server and isinstance(on_phone, bool) == isinstance(on_server, bool)
        if not same:
            differences.append((expression, answers, on_server, on_phone))
    assert not differences, differences
    assert not page.problems, page.problems
