"""A small, safe expression language for skip logic, cross-answer rules and alerts.

    B2 <= B1                       ballots cast not above registered voters
    A1 == no                       "no" and "yes" are the answers of a yes/no question
    selected(C3, '2') and B4 > 0   a multiple-choice answer includes option 2
    answered(D1) or A1 == yes

Names are question codes; values are those of the cleaned answers (numbers, true/false, option
values as strings, lists for multiple choice, "HH:MM" for times). Operators: `and`, `or`, `not`,
comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`), `+ - * /`, parentheses. Functions:
`selected(Q, 'v')`, `answered(Q)`, `count(Q)` (how many options are selected).

An unanswered question is None. Arithmetic or an ordering comparison with None is "unknown",
and so is a bare unanswered question used as a condition (`A1 and B1`); `==` and `!=` compare
None like any value (so `A1 == no` is false while A1 is unanswered). `and`, `or` and `not`
follow Kleene's three-valued logic: unknown and false is false, unknown or true is true, not
unknown is unknown. Skip logic and alerts treat unknown as false; a rule that is unknown is not
reported as broken (it is checked once the answers it needs are there).

Expressions are parsed with Python's `ast` module and only the node types listed here are
accepted, so nothing can be called or reached but what this module offers: no attributes,
subscripts, lambdas, comprehensions or names starting with "_". Arithmetic works on numbers
only (so `'x' * 10**9` cannot build a huge string), expressions are at most 1000 characters and
100 levels deep. Compiled expressions are cached by their text.
"""

import ast
import functools
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Answers = Mapping[str, Any]
Compiled = Callable[[Answers], Any]


class ExpressionError(ValueError):
    """The expression is not valid in this language; the message says why, in the active
    language, for the form's author."""


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
MAX_LENGTH = 1000
MAX_DEPTH = 100
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,29}$")


def _selected(value: Any, option: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return _CONSTANTS.get(str(option).lower()) is value
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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _truth(value: Any) -> Any:
    """A value used as a condition: True, False or UNKNOWN (an unanswered question)."""
    return UNKNOWN if _missing(value) else bool(value)


def _build(node: ast.AST, names: set[str], depth: int = 0) -> Compiled:
    if depth > MAX_DEPTH:
        raise ExpressionError(_("the expression is nested too deeply"))
    depth += 1

    def build(child: ast.AST) -> Compiled:
        return _build(child, names, depth)

    if isinstance(node, ast.Expression):
        return build(node.body)
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool) or node.value is None:
            raise ExpressionError(_("%(value)r is not allowed as a value") % {"value": node.value})
        constant = node.value
        return lambda answers: constant
    if isinstance(node, ast.Name):
        name = node.id
        if name.lower() in _CONSTANTS:
            constant = _CONSTANTS[name.lower()]
            return lambda answers: constant
        if not _NAME.match(name):
            raise ExpressionError(_("“%(name)s” is not a question code") % {"name": name})
        names.add(name)
        return lambda answers: answers.get(name)
    if isinstance(node, ast.List | ast.Tuple):
        if len(node.elts) > 100:
            raise ExpressionError(_("the list is too long"))
        items = [build(item) for item in node.elts]
        return lambda answers: [item(answers) for item in items]
    if isinstance(node, ast.BoolOp):
        parts = [build(value) for value in node.values]
        # Three-valued (Kleene) logic: unknown and false is false, unknown or true is true.
        if isinstance(node.op, ast.And):

            def conjunction(answers: Answers) -> Any:
                unknown = False
                for part in parts:
                    value = _truth(part(answers))
                    if value is UNKNOWN:
                        unknown = True
                    elif not value:
                        return False
                return UNKNOWN if unknown else True

            return conjunction

        def disjunction(answers: Answers) -> Any:
            unknown = False
            for part in parts:
                value = _truth(part(answers))
                if value is UNKNOWN:
                    unknown = True
                elif value:
                    return True
            return UNKNOWN if unknown else False

        return disjunction
    if isinstance(node, ast.UnaryOp):
        operand = build(node.operand)
        if isinstance(node.op, ast.Not):

            def negation(answers: Answers) -> Any:
                value = _truth(operand(answers))
                return UNKNOWN if value is UNKNOWN else not value

            return negation
        if isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(node.op, ast.USub) else 1

            def negate(answers: Answers) -> Any:
                value = operand(answers)
                return sign * value if _is_number(value) else UNKNOWN

            return negate
        raise ExpressionError(_("this operator is not allowed"))
    if isinstance(node, ast.BinOp):
        function = _ARITHMETIC.get(type(node.op))
        if function is None:
            raise ExpressionError(_("this operator is not allowed; use + - * /"))
        left, right = build(node.left), build(node.right)

        def arithmetic(answers: Answers) -> Any:
            a, b = left(answers), right(answers)
            # Numbers only: `'x' * 10**9` or `[1] * 10**9` would build something huge.
            if not (_is_number(a) and _is_number(b)):
                return UNKNOWN
            try:
                return function(a, b)
            except (ArithmeticError, TypeError):
                return UNKNOWN

        return arithmetic
    if isinstance(node, ast.Compare):
        left = build(node.left)
        steps = []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            function = _COMPARE.get(type(op))
            if function is None:
                raise ExpressionError(_("this comparison is not allowed"))
            steps.append((op, function, build(comparator)))

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
            raise ExpressionError(
                _("unknown function “%(name)s”; use selected(), answered() or count()")
                % {"name": ast.unparse(node.func)[:40]}
            )
        if node.keywords:
            raise ExpressionError(_("functions take no keyword arguments"))
        arity, function = _FUNCTIONS[node.func.id]
        if len(node.args) != arity:
            raise ExpressionError(
                ngettext(
                    "%(function)s() takes %(count)d argument",
                    "%(function)s() takes %(count)d arguments",
                    arity,
                )
                % {"function": node.func.id, "count": arity}
            )
        args = [build(arg) for arg in node.args]
        return lambda answers: function(*(arg(answers) for arg in args))
    raise ExpressionError(
        _("this kind of expression is not allowed (%(kind)s)") % {"kind": type(node).__name__}
    )


def compile_expression(text: str) -> tuple[Compiled, frozenset[str]]:
    """The expression as a function of the answers, and the question codes it reads."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(_("the expression is empty"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("the expression is too long"))
    return _compile(text.strip())


@functools.lru_cache(maxsize=4096)
def _compile(text: str) -> tuple[Compiled, frozenset[str]]:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(
            _("it cannot be read near character %(position)s") % {"position": error.offset}
        ) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(_("the expression is nested too deeply")) from None
    names: set[str] = set()
    compiled = _build(tree, names)
    return compiled, frozenset(names)


def evaluate(text: str, answers: Answers) -> Any:
    """The expression's value; a bare unanswered question comes out as UNKNOWN."""
    compiled, _names = compile_expression(text)
    value = compiled(answers)
    return UNKNOWN if value is None else value


def is_true(text: str, answers: Answers) -> bool:
    """True only when the expression is definitely true (unknown counts as false)."""
    value = evaluate(text, answers)
    return value is not UNKNOWN and bool(value)


def is_unknown(text: str, answers: Answers) -> bool:
    return evaluate(text, answers) is UNKNOWN
