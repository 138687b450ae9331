"""Importing a form written as an XLSForm (the spreadsheet format of ODK and KoBoToolbox).

pyxform reads the workbook and checks it is a valid XLSForm; this module then turns it into our
schema (questionnaires.engine) or says, row by row, what cannot be turned:

    begin group / end group      a section (questions outside any group go to a "General"
                                 section; groups inside groups join their outer section)
    integer                      number; a constraint like `. >= 0 and . <= 3000` becomes its
                                 range, and parts naming other questions (`. <= ${B1}`) rules
    select_one / select_multiple single / multiple choice with the list's choices; a list of
                                 exactly "yes" and "no" becomes a yes/no question
    text, time, image            text, time, photo
    relevant                     skip logic: = != < <= > >= + - * div, and, or, not(),
                                 selected(), count-selected(), true(), false(), ${name} = ''
    required                     yes / true
    label, hint                  `label::Azerbaijani (az)`, `label::English (en)`,
                                 `label::Russian (ru)`; a plain `label` is the default language
    start, end, today, deviceid… left out with a warning (reports carry their own time)
    note                         left out with a warning (a note with a calculation is refused)

Everything else (repeat, calculate, decimal, date, geopoint, select_one_from_file, external
choices, or_other, choice filters, calculations, conditional "required", XPath functions other
than those above...) is refused with the row and what is not supported. Names become question
codes in capitals, so `a1` is A1; a name that cannot be a code (`opened_on_time`) is refused.
Nothing is written unless the whole form can be imported.
"""

import io
import re
import zipfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from questionnaires.engine import (
    LANGUAGES,
    OPTION_VALUE,
    QUESTION_CODE,
    question_map,
    questions,
    validate_schema,
)
from questionnaires.expressions import ExpressionError, compile_expression

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_UNPACKED_SIZE = 50 * 1024 * 1024
MAX_ROWS = 2000
MAX_EXPRESSION = 1000
SURVEY = "survey"
CHOICES = "choices"
FILE_ROW = 0  # a problem with the whole file rather than one row

SUPPORTED = {
    "integer": "number",
    "int": "number",
    "add integer prompt": "number",
    "q int": "number",
    "text": "text",
    "string": "text",
    "add text prompt": "text",
    "q string": "text",
    "time": "time",
    "photo": "photo",
    "image": "photo",
    "add image prompt": "photo",
    "q image": "photo",
    "q picture": "photo",
    "select one": "single",
    "select all that apply": "multiple",
}
NOTES = {"note", "add note prompt", "q note"}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "device id",
    "get device id",
    "start time",
    "end time",
    "get start time",
    "get end time",
    "get today",
    "subscriberid",
    "subscriber id",
    "get subscriber id",
    "simserial",
    "sim id",
    "get sim id",
    "phonenumber",
    "phone number",
    "get phone number",
    "username",
    "email",
    "imei",
    "audit",
    "uri:deviceid",
    "uri:email",
    "uri:phonenumber",
    "uri:simserial",
    "uri:subscriberid",
    "uri:username",
}
_YES_NO_REQUIRED = {"yes": True, "true": True, "true()": True, "no": False, "false": False}
_YES_NO_REQUIRED["false()"] = False
_LANGUAGE_NAMES = {
    "az": "az",
    "aze": "az",
    "azerbaijani": "az",
    "azeri": "az",
    "azərbaycan": "az",
    "azərbaycanca": "az",
    "en": "en",
    "eng": "en",
    "english": "en",
    "ru": "ru",
    "rus": "ru",
    "russian": "ru",
    "русский": "ru",
}
_OTHER_SUFFIX = re.compile(r"\s(or_other|or specify other|or other)\s*$", re.IGNORECASE)
_FROM_FILE = re.compile(r"^select[ _](one|multiple)[ _]from[ _]file\b", re.IGNORECASE)


@dataclass(frozen=True)
class XLSFormProblem:
    sheet: str
    row: int  # as the spreadsheet numbers it (the header is row 1); 0 for the whole file
    message: str

    def __str__(self) -> str:
        if self.row == FILE_ROW:
            return self.message
        return _("Sheet %(sheet)s, row %(row)d: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


@dataclass
class XLSFormResult:
    """The schema read from a workbook, or why it cannot be read (`errors`)."""

    schema: dict | None = None
    errors: list[XLSFormProblem] = field(default_factory=list)
    warnings: list[XLSFormProblem] = field(default_factory=list)
    title: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and self.schema is not None


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Reading the workbook ---------------------------------------------------------------------


def _read_bytes(uploaded: Any) -> bytes:
    if isinstance(uploaded, bytes):
        return uploaded
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return uploaded.read()


def _workbook(data: bytes) -> dict:
    """pyxform's reading of the workbook (sheet → rows); raises _Refused."""
    if not data:
        raise _Refused(_("The file is empty."))
    if len(data) > MAX_FILE_SIZE:
        raise _Refused(_("The file is larger than 5 MB."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _Refused(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) first.")
        )
    not_xlsx = _("This is not an Excel workbook (.xlsx). Save the XLSForm as .xlsx and try again.")
    if not data.startswith(b"PK\x03\x04"):
        raise _Refused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise _Refused(not_xlsx)
    except zipfile.BadZipFile:
        raise _Refused(not_xlsx) from None
    if unpacked > MAX_UNPACKED_SIZE:
        raise _Refused(_("The workbook is too large once unpacked."))

    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import xlsx_to_dict

    try:
        return xlsx_to_dict(io.BytesIO(data))
    except (PyXFormError, ValueError, KeyError, OSError, zipfile.BadZipFile):
        raise _Refused(not_xlsx) from None


def _to_json(workbook: dict) -> dict:
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData

    known = set(DefinitionData.__dataclass_fields__)
    try:
        return workbook_to_json(
            DefinitionData(**{key: value for key, value in workbook.items() if key in known}),
            warnings=[],
        )
    except PyXFormError as error:
        raise _Refused(
            _("The workbook is not a valid XLSForm: %(error)s") % {"error": str(error)}
        ) from None
    except Exception as error:  # pyxform may fail in other ways on odd input
        raise _Refused(
            _("The workbook is not a valid XLSForm: %(error)s") % {"error": type(error).__name__}
        ) from None


# --- Labels in three languages ----------------------------------------------------------------


def _language_code(name: str, default: str) -> str | None:
    if name == "default":
        return default
    folded = name.strip().casefold()
    match = re.search(r"\(([a-z]{2,3})\)\s*$", folded)
    if match and match.group(1) in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[match.group(1)]
    first = re.split(r"[\s(]", folded, maxsplit=1)[0]
    return _LANGUAGE_NAMES.get(first)


class _Reader:
    """One conversion: the workbook's rows and what was found wrong so far."""

    def __init__(self, workbook: dict, form: dict):
        self.workbook = workbook
        self.form = form
        self.errors: list[XLSFormProblem] = []
        self.warnings: list[XLSFormProblem] = []
        self.unknown_languages: set[str] = set()
        settings = (workbook.get("settings") or [{}])[0]
        self.default_language = (
            _language_code(str(settings.get("default_language", "")), "az") or "az"
        )
        self.title = str(settings.get("form_title") or settings.get("title") or "")
        # The rows of each name, in sheet order (the header is row 1).
        self.rows: dict[str, deque[int]] = defaultdict(deque)
        self.raw: dict[int, dict] = {}
        for index, row in enumerate(workbook.get(SURVEY) or [], start=2):
            self.raw[index] = row
            if row.get("name"):
                self.rows[str(row["name"]).strip()].append(index)
        self.choice_rows: dict[tuple[str, str], int] = {}
        for index, row in enumerate(workbook.get(CHOICES) or [], start=2):
            list_name = row.get("list_name") or row.get("list name") or ""
            self.choice_rows.setdefault((str(list_name), str(row.get("name", ""))), index)
        self.entries: list[dict] = []
        self.by_name: dict[str, dict] = {}
        self.other_names: dict[str, str] = {}  # groups, notes, metadata: not questions here

    def error(self, row: int, message: str, sheet: str = SURVEY) -> None:
        self.errors.append(XLSFormProblem(sheet, row, message))

    def warn(self, row: int, message: str) -> None:
        self.warnings.append(XLSFormProblem(SURVEY, row, message))

    def labels(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            value = {"default": value}
        result: dict[str, str] = {}
        explicit: set[str] = set()
        for name, text in value.items():
            code = _language_code(str(name), self.default_language)
            if code is None:
                self.unknown_languages.add(str(name))
                continue
            text = str(text).strip()
            if not text:
                continue
            # A plain `label` fills the default language only where no column names it.
            if name == "default" and code in explicit:
                continue
            if name != "default":
                explicit.add(code)
            result[code] = text
        return {code: result[code] for code in LANGUAGES if code in result}

    # --- Pass 1: the tree of groups and questions -------------------------------------------

    def take_row(self, name: str) -> int | None:
        rows = self.rows.get(name)
        return rows.popleft() if rows else None

    def walk(self, children: list, section: dict | None, relevants: list) -> None:
        for child in children:
            kind = str(child.get("type", ""))
            name = str(child.get("name", ""))
            if name == "meta" and kind == "group" and child.get("control", {}).get("bodyless"):
                continue  # pyxform's own instanceID
            row = self.take_row(name)
            if row is None:
                continue  # made up by pyxform (the "specify other" box of or_other)
            raw_type = str(self.raw.get(row, {}).get("type", kind))
            if kind == "group":
                self.group(child, row, section, relevants)
            elif kind == "repeat":
                self.error(
                    row,
                    _("“%(name)s” is a repeat group (begin repeat), which is not supported.")
                    % {"name": name},
                )
            elif kind in METADATA:
                self.other_names[name] = kind
                self.warn(
                    row,
                    _(
                        "%(name)s (%(type)s) was left out: reports record when and from where "
                        "they were sent."
                    )
                    % {"name": name, "type": raw_type},
                )
            elif kind in NOTES:
                self.other_names[name] = kind
                if child.get("bind", {}).get("calculate"):
                    self.error(
                        row,
                        _("The note %(name)s has a calculation, which is not supported.")
                        % {"name": name},
                    )
                else:
                    self.warn(row, _("The note %(name)s was left out.") % {"name": name})
            elif kind in SUPPORTED:
                self.question(child, row, raw_type, section, relevants)
            else:
                self.error(row, _unsupported_type_message(kind, raw_type, name))

    def group(self, child: dict, row: int, section: dict | None, relevants: list) -> None:
        name = str(child.get("name", ""))
        self.other_names[name] = "group"
        relevant = child.get("bind", {}).get("relevant")
        chain = [*relevants, (row, "relevant", relevant)] if relevant else relevants
        for column in ("calculate", "required"):
            if child.get("bind", {}).get(column):
                self.error(
                    row,
                    _("The group %(name)s has a “%(column)s”, which is not supported.")
                    % {"name": name, "column": column},
                )
        if section is None:  # a top-level group is a section of its own
            section = {
                "code": name.upper(),
                "label": self.labels(child.get("label")) or {self.default_language: name},
                "questions": [],
                "_row": row,
            }
            self.sections.append(section)
        self.walk(child.get("children", []), section, chain)

    def question(
        self, child: dict, row: int, raw_type: str, section: dict | None, relevants: list
    ) -> None:
        name = str(child.get("name", ""))
        kind = SUPPORTED[str(child.get("type"))]
        code = name.upper()
        if not QUESTION_CODE.match(code):
            self.error(
                row,
                _(
                    "The name “%(name)s” cannot be a question code: use one to three letters "
                    "followed by up to three digits, for example A1 or B12."
                )
                % {"name": name},
            )
        elif code in {entry["code"] for entry in self.entries}:
            self.error(row, _("The question code %(code)s is used twice.") % {"code": code})
        bind = child.get("bind", {}) or {}
        if bind.get("calculate"):
            self.error(
                row,
                _("%(name)s has a calculation, which is not supported.") % {"name": name},
            )
        if child.get("choice_filter"):
            self.error(
                row,
                _("%(name)s has a choice filter, which is not supported.") % {"name": name},
            )
        if child.get("trigger"):
            self.error(row, _("%(name)s has a trigger, which is not supported.") % {"name": name})
        if child.get("default") not in (None, ""):
            self.warn(row, _("The default answer of %(name)s was left out.") % {"name": name})
        if bind.get("readonly") and bind.get("readonly") not in ("false", "false()", "no"):
            self.error(row, _("%(name)s is read-only, which is not supported.") % {"name": name})
        required = bind.get("required")
        is_required = False
        if required not in (None, ""):
            flag = _YES_NO_REQUIRED.get(str(required).strip().lower())
            if flag is None:
                self.error(
                    row,
                    _(
                        "%(name)s is required only under a condition, which is not supported: "
                        "write yes or no."
                    )
                    % {"name": name},
                )
            is_required = bool(flag)
        if _OTHER_SUFFIX.search(raw_type):
            self.error(
                row,
                _("%(name)s uses or_other, which is not supported: add an “other” choice.")
                % {"name": name},
            )
        options: list[dict] = []
        if kind in ("single", "multiple"):
            kind, options = self.choices(child, row, raw_type, kind, name)
        entry = {
            "row": row,
            "name": name,
            "code": code,
            "type": kind,
            "options": options,
            "label": self.labels(child.get("label")),
            "hint": self.labels(child.get("hint")),
            "required": is_required,
            "relevants": [
                *relevants,
                *([(row, "relevant", bind["relevant"])] if bind.get("relevant") else []),
            ],
            "constraint": bind.get("constraint"),
            "constraint_message": child.get("bind", {}).get("jr:constraintMsg"),
        }
        if section is None:
            section = self.general_section()
        section["questions"].append(entry)
        self.entries.append(entry)
        self.by_name[name] = entry

    def general_section(self) -> dict:
        """The section for questions outside any group: the last section if it is one of
        these, else a new one after the groups before it (so the form's order is kept)."""
        if self.sections and self.sections[-1].get("_general"):
            return self.sections[-1]
        taken = {section["code"] for section in self.sections}
        number = 1
        code = "GENERAL"
        while code in taken or code in {e["name"].upper() for e in self.entries}:
            number += 1
            code = f"GENERAL{number}"
        label = {}
        for language in LANGUAGES:
            with translation.override(language):
                label[language] = _("General")
        section = {"code": code, "label": label, "questions": [], "_general": True}
        self.sections.append(section)
        return section

    def choices(
        self, child: dict, row: int, raw_type: str, kind: str, name: str
    ) -> tuple[str, list[dict]]:
        itemset = str(child.get("itemset", "") or "")
        if _FROM_FILE.match(raw_type) or re.search(r"\.(csv|xml|geojson)$", itemset):
            self.error(
                row,
                _(
                    "%(name)s takes its choices from a file (%(file)s), which is not "
                    "supported: put them on the choices sheet."
                )
                % {"name": name, "file": itemset},
            )
            return kind, []
        list_name = str(child.get("list_name") or itemset)
        options = []
        for choice in child.get("choices", []) or []:
            value = str(choice.get("name", "")).strip()
            if value == "other" and _OTHER_SUFFIX.search(raw_type):
                continue
            choice_row = self.choice_rows.get((list_name, value), FILE_ROW)
            if not OPTION_VALUE.match(value):
                self.error(
                    choice_row,
                    _(
                        "The choice name “%(value)s” of list %(list)s is not valid: use up "
                        "to 20 letters, digits or _."
                    )
                    % {"value": value, "list": list_name},
                    sheet=CHOICES,
                )
            options.append(
                {"value": value, "label": self.labels(choice.get("label")) or {"az": value}}
            )
        values = {option["value"].casefold() for option in options}
        if kind == "single" and values == {"yes", "no"}:
            # A yes/no list is a yes/no question (SMS answers like "y", "bəli", "да" work).
            return "yes_no", options
        return kind, options

    # --- Pass 2: expressions, and the schema ------------------------------------------------

    def build(self) -> dict:
        rules: list[dict] = []
        for entry in self.entries:
            question: dict[str, Any] = {
                "code": entry["code"],
                "type": entry["type"],
                "label": entry["label"],
            }
            if entry["hint"]:
                question["hint"] = entry["hint"]
            if entry["required"]:
                question["required"] = True
            if entry["type"] in ("single", "multiple"):
                question["options"] = entry["options"]
            relevant = self.relevant(entry)
            if relevant:
                question["relevant"] = relevant
            if entry["constraint"]:
                self.constraint(entry, question, rules)
            entry["question"] = question
        schema_sections = []
        for section in self.sections:
            items = [entry["question"] for entry in section["questions"] if "question" in entry]
            if not items:
                self.warn(
                    section.get("_row", FILE_ROW),
                    _("The group %(code)s has no questions that can be imported; it was left out.")
                    % {"code": section["code"]},
                )
                continue
            schema_sections.append(
                {"code": section["code"], "label": section["label"], "questions": items}
            )
        return {"sections": schema_sections, "rules": rules}

    def relevant(self, entry: dict) -> str:
        parts = []
        for row, column, text in entry["relevants"]:
            try:
                parts.append(_parse(str(text)))
            except _Refused as refused:
                self.error(row, _column_message(column, refused.message))
                return ""
        if not parts:
            return ""
        tree = parts[0] if len(parts) == 1 else ("and", parts)
        return self.emit(tree, entry, entry["relevants"][-1][0], "relevant")

    def constraint(self, entry: dict, question: dict, rules: list[dict]) -> None:
        row = entry["row"]
        try:
            tree = _parse(str(entry["constraint"]))
        except _Refused as refused:
            self.error(row, _column_message("constraint", refused.message))
            return
        rest = []
        for part in _conjuncts(tree):
            bound = _bound(part) if entry["type"] == "number" else None
            if bound is None:
                rest.append(part)
                continue
            key, value = bound
            if key == "min":
                question["min"] = max(value, question.get("min", value))
            else:
                question["max"] = min(value, question.get("max", value))
        if not rest:
            return
        check = self.emit(rest[0] if len(rest) == 1 else ("and", rest), entry, row, "constraint")
        if not check:
            return
        message = self.labels(entry["constraint_message"])
        if not message:
            for language in LANGUAGES:
                with translation.override(language):
                    message[language] = _("The answer to %(code)s does not meet its condition.") % {
                        "code": entry["code"]
                    }
        names = sorted(compile_expression(check)[1])
        rules.append(
            {
                "code": f"R{len(rules) + 1}",
                "check": check,
                "questions": [entry["code"], *[name for name in names if name != entry["code"]]],
                "message": message,
            }
        )

    def emit(self, tree: Any, entry: dict, row: int, column: str) -> str:
        try:
            text, _precedence = _Emitter(self, entry, column).emit(tree)
            compile_expression(text)
        except _Refused as refused:
            self.error(row, _column_message(column, refused.message))
            return ""
        except ExpressionError as error:
            self.error(row, _column_message(column, str(error)))
            return ""
        return text

    def convert(self) -> dict:
        self.sections: list[dict] = []
        self.walk(self.form.get("children", []), None, [])
        for language in sorted(self.unknown_languages):
            self.warn(
                FILE_ROW,
                _(
                    "Texts in the language “%(language)s” were left out: forms here are in "
                    "Azerbaijani, English and Russian."
                )
                % {"language": language},
            )
        return self.build()


def _unsupported_type_message(kind: str, raw_type: str, name: str) -> str:
    hints = {
        "decimal": _("use integer: decimal numbers are not supported"),
        "calculate": _("calculations are not supported"),
        "date": _("dates are not supported"),
        "dateTime": _("dates are not supported"),
        "geopoint": _("locations are not supported"),
        "geotrace": _("locations are not supported"),
        "geoshape": _("locations are not supported"),
        "select one external": _("external choices are not supported"),
    }
    hint = hints.get(kind)
    if hint:
        return _("%(name)s has the type “%(type)s”, which is not supported (%(hint)s).") % {
            "name": name,
            "type": raw_type,
            "hint": hint,
        }
    return _("%(name)s has the type “%(type)s”, which is not supported.") % {
        "name": name,
        "type": raw_type,
    }


def _column_message(column: str, message: str) -> str:
    return _("The %(column)s cannot be imported: %(problem)s") % {
        "column": column,
        "problem": message,
    }


# --- XPath, as far as XLSForms use it, into our expression language --------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}]*?)\s*\})
    | (?P<number>\d+(?:\.\d+)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\||/|\.\.|\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
    )""",
    re.VERBOSE,
)
_FUNCTIONS = {"selected": 2, "count-selected": 1, "not": 1, "true": 0, "false": 0}


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    if len(text) > MAX_EXPRESSION:
        raise _Refused(_("it is longer than %(count)d characters") % {"count": MAX_EXPRESSION})
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _Refused(
                _("it cannot be read near “%(text)s”") % {"text": text[position : position + 15]}
            )
        position = match.end()
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        value = match.group("refname") if kind == "ref" else match.group(kind)
        tokens.append((kind, value))
    return tokens


class _Parser:
    """Recursive descent over XPath 1.0's precedence: or, and, = !=, < <= > >=, + -, * div mod,
    unary minus. The tree is made of tuples."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def next(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _Refused(_("it ends too early"))
        self.position += 1
        return token

    def accept(self, kind: str, value: str | None = None) -> bool:
        token = self.peek()
        if token and token[0] == kind and (value is None or token[1] == value):
            self.position += 1
            return True
        return False

    def parse(self) -> tuple:
        if not self.tokens:
            raise _Refused(_("it is empty"))
        tree = self.or_()
        if self.peek() is not None:
            raise _Refused(_("it cannot be read near “%(text)s”") % {"text": self.peek()[1]})
        return tree

    def binary(self, operators: set[str], operand, kind: str) -> tuple:
        left = operand()
        while True:
            token = self.peek()
            if token and token[0] in ("op", "name") and token[1] in operators:
                self.position += 1
                left = (kind, token[1], left, operand())
            else:
                return left

    def or_(self) -> tuple:
        parts = [self.and_()]
        while self.accept("name", "or"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def and_(self) -> tuple:
        parts = [self.equality()]
        while self.accept("name", "and"):
            parts.append(self.equality())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def equality(self) -> tuple:
        return self.binary({"=", "!="}, self.relational, "cmp")

    def relational(self) -> tuple:
        return self.binary({"<", "<=", ">", ">="}, self.additive, "cmp")

    def additive(self) -> tuple:
        return self.binary({"+", "-"}, self.multiplicative, "arith")

    def multiplicative(self) -> tuple:
        return self.binary({"*", "div", "mod"}, self.unary, "arith")

    def unary(self) -> tuple:
        if self.accept("op", "-"):
            return ("neg", self.unary())
        return self.primary()

    def primary(self) -> tuple:
        self.depth += 1
        if self.depth > 50:
            raise _Refused(_("it is nested too deeply"))
        kind, value = self.next()
        if kind == "number":
            return ("num", value)
        if kind == "string":
            return ("str", value[1:-1])
        if kind == "ref":
            return ("ref", value)
        if kind == "op" and value == ".":
            return ("self",)
        if kind == "op" and value == "(":
            inner = self.or_()
            if not self.accept("op", ")"):
                raise _Refused(_("a bracket is not closed"))
            return inner
        if kind == "name" and self.accept("op", "("):
            args = []
            if not self.accept("op", ")"):
                args.append(self.or_())
                while self.accept("op", ","):
                    args.append(self.or_())
                if not self.accept("op", ")"):
                    raise _Refused(_("a bracket is not closed"))
            if value not in _FUNCTIONS:
                raise _Refused(
                    _(
                        "the function %(function)s() is not supported (use selected(), "
                        "count-selected(), not(), true() or false())"
                    )
                    % {"function": value}
                )
            if len(args) != _FUNCTIONS[value]:
                raise _Refused(
                    _("%(function)s() takes %(count)d argument(s)")
                    % {"function": value, "count": _FUNCTIONS[value]}
                )
            return ("call", value, args)
        if kind == "name" or (kind == "op" and value in ("/", "..", "|")):
            raise _Refused(
                _("“%(text)s” is not supported: name other questions as ${name}") % {"text": value}
            )
        raise _Refused(_("it cannot be read near “%(text)s”") % {"text": value})


def _parse(text: str) -> tuple:
    return _Parser(text).parse()


def _conjuncts(tree: tuple) -> list[tuple]:
    if tree[0] == "and":
        return [part for item in tree[1] for part in _conjuncts(item)]
    return [tree]


def _number(tree: tuple) -> int | None:
    if tree[0] == "neg":
        value = _number(tree[1])
        return None if value is None else -value
    if tree[0] == "num" and re.fullmatch(r"\d+", tree[1]):
        return int(tree[1])
    return None


def _bound(tree: tuple) -> tuple[str, int] | None:
    """`. >= 0` → ("min", 0); `. < 3001` → ("max", 3000); None for anything else."""
    if tree[0] != "cmp" or tree[1] not in ("<", "<=", ">", ">="):
        return None
    op, left, right = tree[1], tree[2], tree[3]
    if right == ("self",) and left != ("self",):
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        left, right = right, left
    value = _number(right)
    if left != ("self",) or value is None:
        return None
    return {
        ">=": ("min", value),
        ">": ("min", value + 1),
        "<=": ("max", value),
        "<": ("max", value - 1),
    }[op]


# Python's precedence, loosest first: or, and, not, comparisons, + -, * /, unary minus, atoms.
_OR, _AND, _NOT, _CMP, _ADD, _MUL, _NEG, _ATOM = range(1, 9)


class _Emitter:
    def __init__(self, reader: _Reader, entry: dict, column: str):
        self.reader = reader
        self.entry = entry
        self.column = column

    def wrap(self, part: tuple[str, int], least: int) -> str:
        text, precedence = part
        return text if precedence >= least else f"({text})"

    def question(self, tree: tuple) -> dict | None:
        if tree == ("self",):
            if self.column != "constraint":
                raise _Refused(_("“.” can only be used in a constraint"))
            return self.entry
        if tree[0] != "ref":
            return None
        name = tree[1]
        entry = self.reader.by_name.get(name)
        if entry is None:
            if name in self.reader.other_names:
                raise _Refused(
                    _("${%(name)s} is not a question that can be imported") % {"name": name}
                )
            raise _Refused(_("the form has no question ${%(name)s}") % {"name": name})
        return entry

    def literal(self, value: str) -> str:
        if "'" not in value:
            return "'" + value.replace("\\", "\\\\") + "'"
        if '"' not in value:
            return '"' + value.replace("\\", "\\\\") + '"'
        raise _Refused(_("a text value contains both kinds of quotes"))

    def emit(self, tree: tuple) -> tuple[str, int]:
        kind = tree[0]
        if kind in ("or", "and"):
            least = _AND if kind == "or" else _NOT
            return f" {kind} ".join(self.wrap(self.emit(part), least) for part in tree[1]), (
                _OR if kind == "or" else _AND
            )
        if kind == "cmp":
            return self.comparison(tree[1], tree[2], tree[3])
        if kind == "arith":
            op = tree[1]
            if op == "mod":
                raise _Refused(_("mod is not supported"))
            symbol = {"div": "/"}.get(op, op)
            precedence = _MUL if symbol in ("*", "/") else _ADD
            left = self.wrap(self.emit(tree[2]), precedence)
            right = self.wrap(self.emit(tree[3]), precedence + 1)
            return f"{left} {symbol} {right}", precedence
        if kind == "neg":
            return "-" + self.wrap(self.emit(tree[1]), _NEG), _NEG
        if kind == "num":
            return tree[1], _ATOM
        if kind == "str":
            return self.literal(tree[1]), _ATOM
        if kind in ("ref", "self"):
            return self.question(tree)["code"], _ATOM
        if kind == "call":
            return self.call(tree[1], tree[2])
        raise _Refused(_("it cannot be read"))

    def call(self, function: str, args: list) -> tuple[str, int]:
        if function in ("true", "false"):
            return function, _ATOM
        if function == "not":
            # Brackets even where Python needs none: `not (A1 == yes)` reads better.
            return "not " + self.wrap(self.emit(args[0]), _ATOM), _NOT
        target = self.question(args[0])
        if target is None:
            raise _Refused(
                _("%(function)s() needs a question, written ${name}") % {"function": function}
            )
        if function == "count-selected":
            return f"count({target['code']})", _ATOM
        # selected(${Q}, 'v')
        value = args[1]
        if value[0] not in ("str", "num"):
            raise _Refused(_("selected() needs a choice name in quotes"))
        option = self.option(target, value[1])
        if target["type"] == "yes_no":
            return f"{target['code']} == {option}", _CMP
        return f"selected({target['code']}, {self.literal(option)})", _ATOM

    def option(self, target: dict, value: str) -> str:
        """The option value as stored (yes/no become the bare constants)."""
        for option in target["options"]:
            if option["value"].casefold() == value.casefold():
                if target["type"] == "yes_no":
                    return "yes" if option["value"].casefold() == "yes" else "no"
                return option["value"]
        raise _Refused(
            _("“%(value)s” is not a choice of %(name)s") % {"value": value, "name": target["name"]}
        )

    def comparison(self, op: str, left: tuple, right: tuple) -> tuple[str, int]:
        symbol = "==" if op == "=" else op
        target, other = self.question(left), right
        if target is None:
            target, other = self.question(right), left
        if target is not None and other[0] == "str":
            code, kind, value = target["code"], target["type"], other[1]
            if op in ("=", "!=") and value == "":
                # ${Q} = '' is how XLSForms ask "not answered".
                return (
                    (f"answered({code})", _ATOM)
                    if op == "!="
                    else (
                        f"not answered({code})",
                        _NOT,
                    )
                )
            if kind == "multiple":
                raise _Refused(
                    _("compare a multiple-choice answer with selected(${%(name)s}, '…')")
                    % {"name": target["name"]}
                )
            if kind in ("yes_no", "single") and op in ("=", "!="):
                option = self.option(target, value)
                literal = option if kind == "yes_no" else self.literal(option)
                return self.ordered(left, right, target, literal, symbol)
            if kind == "number" and re.fullmatch(r"-?\d+", value):
                return self.ordered(left, right, target, value, symbol)
        choice = target is not None and target["type"] in ("single", "yes_no")
        if choice and other[0] == "num" and op in ("=", "!="):
            option = self.option(target, other[1])
            literal = option if target["type"] == "yes_no" else self.literal(option)
            return self.ordered(left, right, target, literal, symbol)
        left_text = self.wrap(self.emit(left), _ADD)
        right_text = self.wrap(self.emit(right), _ADD)
        return f"{left_text} {symbol} {right_text}", _CMP

    def ordered(self, left, right, target, literal, symbol) -> tuple[str, int]:
        """`Q op literal`, keeping the sides where the form had them."""
        question_first = self.question(left) is target if left[0] in ("ref", "self") else False
        if question_first:
            return f"{target['code']} {symbol} {literal}", _CMP
        return f"{literal} {symbol} {target['code']}", _CMP


# --- Entry points -----------------------------------------------------------------------------


def parse_xlsform(data: bytes) -> XLSFormResult:
    """Read an XLSForm workbook into a schema; nothing is written."""
    result = XLSFormResult()
    try:
        workbook = _workbook(data)
        if not any(workbook.get(SURVEY) or []):
            raise _Refused(_("The workbook has no survey sheet with questions."))
        if len(workbook.get(SURVEY) or []) > MAX_ROWS:
            raise _Refused(
                _("The survey sheet has more than %(count)d rows.") % {"count": MAX_ROWS}
            )
        form = _to_json(workbook)
    except _Refused as refused:
        result.errors.append(XLSFormProblem(SURVEY, FILE_ROW, refused.message))
        return result
    reader = _Reader(workbook, form)
    schema = reader.convert()
    result.title = reader.title
    result.warnings = reader.warnings
    result.errors = sorted(reader.errors, key=lambda p: (p.sheet != SURVEY, p.row))
    if not result.errors:
        if not questions(schema):
            result.errors.append(
                XLSFormProblem(SURVEY, FILE_ROW, _("The form has no questions to import."))
            )
        for message in validate_schema(schema):
            result.errors.append(XLSFormProblem(SURVEY, FILE_ROW, message))
    if not result.errors:
        result.schema = schema
    return result


@dataclass
class XLSFormImport:
    """What an import did (`questionnaire`, `version`) or why it did nothing (`errors`)."""

    source: str
    errors: list[XLSFormProblem] = field(default_factory=list)
    warnings: list[XLSFormProblem] = field(default_factory=list)
    questionnaire: Any = None
    version: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


def import_xlsform(
    uploaded_file,
    *,
    actor,
    kind: str,
    code: str = "",
    name_az: str = "",
    name_en: str = "",
    name_ru: str = "",
    election=None,
    questionnaire=None,
) -> XLSFormImport:
    """Import an XLSForm as a new form (a draft, version 1), or as the new draft of
    `questionnaire`. Problems in the file come back in `errors` and nothing is written; a form
    field that is wrong (a code already taken) raises ValidationError, as other services do."""
    from audit.models import AuditEntry
    from audit.services import audit_log
    from questionnaires import services

    source = str(getattr(uploaded_file, "name", "") or "XLSForm")[:200]
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        parsed = XLSFormResult(
            errors=[XLSFormProblem(SURVEY, FILE_ROW, _("The file is larger than 5 MB."))]
        )
    else:
        parsed = parse_xlsform(_read_bytes(uploaded_file))
    outcome = XLSFormImport(source=source, errors=parsed.errors, warnings=parsed.warnings)
    if not parsed.ok:
        return outcome
    note = _("Imported from %(file)s") % {"file": source}
    with transaction.atomic():
        if questionnaire is None:
            questionnaire = services.create_questionnaire(
                actor=actor,
                election=election,
                kind=kind,
                code=code,
                name_az=name_az or parsed.title or source,
                name_en=name_en,
                name_ru=name_ru,
                schema=parsed.schema,
                note=note,
            )
            version = questionnaire.versions.get()
        else:
            version = services.start_draft(questionnaire, actor)
            version = services.save_draft_schema(version, parsed.schema, actor, note=note)
        audit_log(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=questionnaire,
            changes={
                "source": source,
                "version": version.number,
                "questions": len(question_map(parsed.schema)),
                "warnings": len(parsed.warnings),
            },
        )
    outcome.questionnaire = questionnaire
    outcome.version = version
    return outcome
