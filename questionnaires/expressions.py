"""A small, safe expression language for skip logic, cross-answer rules and alerts.

    B2 <= B1                       ballots cast not above registered voters
    A1 == no                       "no" and "yes" are the answers of a yes/no question
    selected(C3, '2') and B4 > 0   a multiple-choice answer includes option 2
    answered(D1) or A1 == yes

Names are question codes; values are those of the cleaned answers (numbers, true/false, option
values as strings, lists for multiple choice, "HH:MM" for times). Operators: `and`, `or`, `not`,
comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`), `+ - * /`, parentheses. Functions:
`selected(Q, 'v')`, `answered(Q)`, `count(Q)` (how many options are selected).

An unanswered question is None. Arithmetic or an ordering comparison with None is "unknown"
and makes the whole comparison false; a rule that is unknown is not reported as broken (it is
checked once the answers it needs are there).

Expressions are parsed with Python's `ast` module and only the node types listed here are
accepted, so nothing can be called or reached but what this module offers. Compiled
expressions are cached by their text.
"""

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

Answers = Mapping[str, Any]
Compiled = Callable[[Answers], Any]


class ExpressionError(ValueError):
    """The expression is not valid in this language; the message says why (in English, for
    the form's author; the staff screens translate the surrounding sentence)."""


class _Unknown:
    """An arithmetic or comparison result that involved a missing answer."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda left, right: left in right if right is not None else UNKNOWN,
    ast.NotIn: lambda left, right: left not in right if right is not None else UNKNOWN,
}
_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: lambda left, right: left / right if right else UNKNOWN,
}
_CONSTANTS = {"yes": True, "no": False, "true": True, "false": False}


def _selected(value: Any, option: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, list | tuple | set):
        return str(option) in {str(item) for item in value}
    return str(value) == str(option)


def _answered(value: Any) -> bool:
    return value is not None and value != "" and value != []


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, list | tuple | set):
        return len(value)
    return 1


_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "selected": (2, _selected),
    "answered": (1, _answered),
    "count": (1, _count),
}


def _missing(value: Any) -> bool:
    return value is None or value is UNKNOWN


def _build(node: ast.AST, names: set[str]) -> Compiled:
    if isinstance(node, ast.Expression):
        return _build(node.body, names)
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool) or node.value is None:
            raise ExpressionError(f"unsupported value {node.value!r}")
        constant = node.value
        return lambda answers: constant
    if isinstance(node, ast.Name):
        name = node.id
        if name.lower() in _CONSTANTS:
            constant = _CONSTANTS[name.lower()]
            return lambda answers: constant
        names.add(name)
        return lambda answers: answers.get(name)
    if isinstance(node, ast.List | ast.Tuple):
        items = [_build(item, names) for item in node.elts]
        return lambda answers: [item(answers) for item in items]
    if isinstance(node, ast.BoolOp):
        parts = [_build(value, names) for value in node.values]
        # Three-valued (Kleene) logic: unknown and false is false, unknown or true is true.
        if isinstance(node.op, ast.And):

            def conjunction(answers: Answers) -> Any:
                unknown = False
                for part in parts:
                    value = part(answers)
                    if value is UNKNOWN:
                        unknown = True
                    elif not value:
                        return False
                return UNKNOWN if unknown else True

            return conjunction

        def disjunction(answers: Answers) -> Any:
            unknown = False
            for part in parts:
                value = part(answers)
                if value is UNKNOWN:
                    unknown = True
                elif value:
                    return True
            return UNKNOWN if unknown else False

        return disjunction
    if isinstance(node, ast.UnaryOp):
        operand = _build(node.operand, names)
        if isinstance(node.op, ast.Not):

            def negation(answers: Answers) -> Any:
                value = operand(answers)
                return UNKNOWN if value is UNKNOWN else not value

            return negation
        if isinstance(node.op, ast.USub):

            def negate(answers: Answers) -> Any:
                value = operand(answers)
                return UNKNOWN if _missing(value) else -value

            return negate
        raise ExpressionError("unsupported operator")
    if isinstance(node, ast.BinOp):
        function = _ARITHMETIC.get(type(node.op))
        if function is None:
            raise ExpressionError("unsupported operator; use + - * /")
        left, right = _build(node.left, names), _build(node.right, names)

        def arithmetic(answers: Answers) -> Any:
            a, b = left(answers), right(answers)
            if _missing(a) or _missing(b):
                return UNKNOWN
            try:
                return function(a, b)
            except TypeError:
                return UNKNOWN

        return arithmetic
    if isinstance(node, ast.Compare):
        left = _build(node.left, names)
        steps = []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            function = _COMPARE.get(type(op))
            if function is None:
                raise ExpressionError("unsupported comparison")
            steps.append((op, function, _build(comparator, names)))

        def compare(answers: Answers) -> Any:
            a = left(answers)
            for op, function, right in steps:
                b = right(answers)
                if a is UNKNOWN or b is UNKNOWN:
                    return UNKNOWN
                if not isinstance(op, ast.Eq | ast.NotEq) and (a is None or b is None):
                    return UNKNOWN
                try:
                    outcome = function(a, b)
                except TypeError:
                    return UNKNOWN
                if not outcome:
                    return outcome
                a = b
            return True

        return compare
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise ExpressionError("unknown function; use selected(), answered() or count()")
        if node.keywords:
            raise ExpressionError("functions take no keyword arguments")
        arity, function = _FUNCTIONS[node.func.id]
        if len(node.args) != arity:
            raise ExpressionError(f"{node.func.id}() takes {arity} argument(s)")
        args = [_build(arg, names) for arg in node.args]
        return lambda answers: function(*(arg(answers) for arg in args))
    raise ExpressionError(f"unsupported syntax: {type(node).__name__}")


@functools.lru_cache(maxsize=4096)
def compile_expression(text: str) -> tuple[Compiled, frozenset[str]]:
    """The expression as a function of the answers, and the question codes it reads."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > 1000:
        raise ExpressionError("the expression is too long")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"syntax error at position {error.offset}") from None
    names: set[str] = set()
    compiled = _build(tree, names)
    return compiled, frozenset(names)


def evaluate(text: str, answers: Answers) -> Any:
    compiled, _names = compile_expression(text)
    return compiled(answers)


def is_true(text: str, answers: Answers) -> bool:
    """True only when the expression is definitely true (unknown counts as false)."""
    value = evaluate(text, answers)
    return value is not UNKNOWN and bool(value)


def is_unknown(text: str, answers: Answers) -> bool:
    return evaluate(text, answers) is UNKNOWN
