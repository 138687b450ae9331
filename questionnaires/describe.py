"""Skip logic, rules and alerts in words, for the people who write and check a form.

`describe("B3 <= B1", schema)` → 'B3 “Ballots cast” is at most B1 “Registered voters”'. The
expression was validated by the engine already; anything this module cannot put into words is
shown as written.
"""

import ast
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from questionnaires.engine import label, question_map
from questionnaires.expressions import ExpressionError, compile_expression

_COMPARISONS = {
    ast.Eq: lambda: _("%(left)s is %(right)s"),
    ast.NotEq: lambda: _("%(left)s is not %(right)s"),
    ast.Lt: lambda: _("%(left)s is less than %(right)s"),
    ast.LtE: lambda: _("%(left)s is at most %(right)s"),
    ast.Gt: lambda: _("%(left)s is more than %(right)s"),
    ast.GtE: lambda: _("%(left)s is at least %(right)s"),
    ast.In: lambda: _("%(left)s is one of %(right)s"),
    ast.NotIn: lambda: _("%(left)s is not one of %(right)s"),
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_CONSTANTS = {"yes": True, "no": False, "true": True, "false": False}


def describe(expression: Any, schema: dict, language: str | None = None) -> str:
    """The expression in words, in `language` (the active one by default)."""
    try:
        compile_expression(expression)
        tree = ast.parse(str(expression).strip(), mode="eval").body
    except (ExpressionError, SyntaxError):
        return str(expression or "")
    with translation.override(language or translation.get_language()):
        try:
            return _Words(question_map(schema), language).say(tree)
        except (KeyError, TypeError, ValueError, AttributeError):
            return str(expression)


class _Words:
    def __init__(self, by_code: dict[str, dict], language: str | None):
        self.by_code = by_code
        self.language = language

    def question(self, code: str) -> str:
        question = self.by_code.get(code)
        if question is None:
            return code
        return _("%(code)s “%(text)s”") % {
            "code": code,
            "text": label(question.get("label"), self.language),
        }

    def option_text(self, code: str | None, value: Any) -> str:
        question = self.by_code.get(code or "")
        if question is not None and question.get("type") in ("single", "multiple"):
            for option in question.get("options", []):
                if str(option.get("value")) == str(value):
                    return f"“{label(option.get('label'), self.language)}”"
        return f"“{value}”"

    def constant(self, value: Any) -> str:
        if value is True:
            return _("“Yes”")
        if value is False:
            return _("“No”")
        if isinstance(value, str):
            return f"“{value}”"
        return str(value)

    def value(self, node: ast.AST, about: str | None = None) -> str:
        """A value; `about` is the question it is compared with (to name its options)."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and about:
                return self.option_text(about, node.value)
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            if node.id.lower() in _CONSTANTS:
                return self.constant(_CONSTANTS[node.id.lower()])
            return self.question(node.id)
        if isinstance(node, ast.List | ast.Tuple):
            return ", ".join(self.value(item, about) for item in node.elts)
        if isinstance(node, ast.BinOp):
            symbol = _SYMBOLS[type(node.op)]
            return f"{self.value(node.left)} {symbol} {self.value(node.right)}"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = "−" if isinstance(node.op, ast.USub) else "+"
            return f"{sign}{self.value(node.operand)}"
        if isinstance(node, ast.Call) and node.func.id == "count":
            return _("the number of options chosen in %(question)s") % {
                "question": self.question(node.args[0].id)
            }
        return self.say(node)

    def say(self, node: ast.AST) -> str:
        if isinstance(node, ast.BoolOp):
            parts = [self.part(value, node.op) for value in node.values]
            template = (
                (lambda: _("%(left)s and %(right)s"))
                if isinstance(node.op, ast.And)
                else (lambda: _("%(left)s or %(right)s"))
            )
            text = parts[0]
            for part in parts[1:]:
                text = template() % {"left": text, "right": part}
            return text
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = node.operand
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id == "answered"
            ):
                return _("%(question)s is not answered") % {
                    "question": self.question(inner.args[0].id)
                }
            return _("not (%(condition)s)") % {"condition": self.say(inner)}
        if isinstance(node, ast.Compare):
            return self.comparison(node)
        if isinstance(node, ast.Call):
            name = node.func.id
            if name == "answered":
                return _("%(question)s is answered") % {"question": self.question(node.args[0].id)}
            if name == "selected":
                code = node.args[0].id if isinstance(node.args[0], ast.Name) else None
                option = node.args[1]
                value = option.value if isinstance(option, ast.Constant) else None
                return _("%(option)s is chosen in %(question)s") % {
                    "option": self.option_text(code, value),
                    "question": self.question(code or ""),
                }
        if isinstance(node, ast.Name) and node.id.lower() not in _CONSTANTS:
            return _("%(question)s is “Yes”") % {"question": self.question(node.id)}
        return self.value(node)

    def part(self, node: ast.AST, op: ast.boolop) -> str:
        text = self.say(node)
        # "A or B" inside an "and" (and the reverse) is bracketed so the reading is clear.
        if isinstance(node, ast.BoolOp) and type(node.op) is not type(op):
            return f"({text})"
        return text

    def comparison(self, node: ast.Compare) -> str:
        sentences = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            about = left.id if isinstance(left, ast.Name) else None
            if about is None and isinstance(right, ast.Name):
                about = right.id
            question = self.by_code.get(about or "")
            template = _COMPARISONS[type(op)]()
            is_choice = question is not None and question.get("type") in ("yes_no", "single")
            if is_choice and isinstance(op, ast.Eq | ast.NotEq):
                template = (
                    _("the answer to %(left)s is %(right)s")
                    if isinstance(op, ast.Eq)
                    else _("the answer to %(left)s is not %(right)s")
                )
            sentences.append(
                template % {"left": self.value(left, about), "right": self.value(right, about)}
            )
            left = right
        text = sentences[0]
        for sentence in sentences[1:]:
            text = _("%(left)s and %(right)s") % {"left": text, "right": sentence}
        return text
