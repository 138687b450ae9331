"""The form engine: what a form looks like (its schema) and how answers are checked.

A form version's schema is JSON:

    {
      "sections": [
        {"code": "A", "label": {"az": "...", "en": "...", "ru": "..."},
         "questions": [QUESTION, ...]}
      ],
      "rules": [
        {"code": "R1", "check": "B3 <= B1", "questions": ["B1", "B3"],
         "message": {"az": "...", "en": "Cast cannot exceed registered.", "ru": "..."}}
      ]
    }

    QUESTION = {
      "code": "B1",              capital letters then digits, unique in the form (SMS uses it)
      "type": "yes_no" | "number" | "single" | "multiple" | "text" | "time" | "photo",
      "label": {"az", "en", "ru"},  "hint": {"az", "en", "ru"}   (hint optional)
      "required": true,          an answer is needed whenever the question is asked
      "min": 0, "max": 5000,     number only, both optional
      "options": [{"value": "1", "label": {"az", "en", "ru"}}],   single and multiple only
      "relevant": "A1 == yes",   skip logic: asked only when this is true (optional); it may
                                 name earlier questions only
      "alert": "A1 == no"        a critical answer: when this is true, an alert is raised
    }

A rule's "questions" (optional) lists the questions it is about, besides those its check
names; a rule is not judged while one of them has a wrong answer.

Cleaned answer values: yes_no → true/false; number → int; single → the option value (str);
multiple → list of option values in the form's order; text → str; time → "HH:MM"; photo → the
id (str) of a photo uploaded before the submission. What each channel may send: yes/no as
true/false or "yes", "y", "1", "bəli", "да", "no", "n", "0", "xeyr", "yox", "нет"...; numbers as
int or digits ("5"); a multiple choice as a list or "1,3" / "1 3"; a time as "7:05" or "7.05".

`check_answers` is the one place answers are judged, whatever channel brought them (phone page,
API, SMS, staff entry): it coerces the values, drops answers to questions that were skipped,
reports every error per question code (or per rule code), and lists the alerts.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from questionnaires.expressions import ExpressionError, compile_expression, is_true, is_unknown

QUESTION_TYPES = ("yes_no", "number", "single", "multiple", "text", "time", "photo")
QUESTION_CODE = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")
OPTION_VALUE = re.compile(r"^[A-Za-z0-9_]{1,20}$")
TIME_VALUE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
PHOTO_ID = re.compile(r"^[0-9a-f]{32}$")
TEXT_MAX_LENGTH = 2000
NUMBER_LIMIT = 10**9
LANGUAGES = ("az", "en", "ru")

_YES = {"yes", "y", "true", "1", "b", "bəli", "beli", "д", "да", "evet", "he", "hə"}
_NO = {"no", "n", "false", "0", "x", "xeyr", "н", "нет", "yox"}


def label(text: Any, language: str | None = None) -> str:
    """A {"az","en","ru"} label in the active language, falling back to az, en, ru."""
    if isinstance(text, str):
        return text
    if not isinstance(text, dict):
        return ""
    language = (language or get_language() or "az").split("-")[0]
    for code in (language, *LANGUAGES):
        if text.get(code):
            return str(text[code])
    return ""


def questions(schema: dict) -> list[dict]:
    """Every question of the form, in order."""
    return [
        question
        for section in schema.get("sections", [])
        if isinstance(section, dict) and isinstance(section.get("questions"), list)
        for question in section["questions"]
        if isinstance(question, dict)
    ]


def question_map(schema: dict) -> dict[str, dict]:
    return {q["code"]: q for q in questions(schema) if "code" in q}


# --- The schema itself ----------------------------------------------------------------------


def rule_questions(rule: dict) -> list[str]:
    """The question codes a rule reads: those its check names, and any it lists itself."""
    codes = [str(code) for code in rule.get("questions", []) or [] if isinstance(code, str)]
    try:
        _compiled, names = compile_expression(rule.get("check", ""))
    except ExpressionError:
        return codes
    return codes + sorted(names - set(codes))


def validate_schema(schema: Any, *, complete: bool = True) -> list[str]:
    """Everything wrong with a form's schema, as sentences for its author (empty when valid).

    With complete=False (a draft being edited) a form may have no sections yet, and sections
    no questions yet; everything else must already be right."""
    errors: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        return [_("The form has no list of sections.")]
    seen: set[str] = set()
    section_codes: set[str] = set()
    if not schema["sections"] and complete:
        errors.append(_("The form has no sections."))
    for section in schema["sections"]:
        if not isinstance(section, dict):
            errors.append(_("A section is not described correctly."))
            continue
        code = str(section.get("code", ""))
        if not code or code in section_codes:
            errors.append(_("Every section needs a code of its own."))
        section_codes.add(code)
        if not label(section.get("label")):
            errors.append(_("Section %(code)s has no title.") % {"code": code})
        if not isinstance(section.get("questions", []), list):
            errors.append(_("Section %(code)s is not described correctly.") % {"code": code})
            continue
        if not section.get("questions") and complete:
            errors.append(_("Section %(code)s has no questions.") % {"code": code})
        for question in section.get("questions", []):
            errors.extend(_question_errors(question, seen))
            if isinstance(question, dict):
                seen.add(str(question.get("code", "")))
    # Skip logic reads the answers given before the question (answers are judged in form
    # order), so it may only name earlier questions; alerts and rules may name any.
    earlier: set[str] = set()
    for question in questions(schema):
        code = str(question.get("code", ""))
        if question.get("relevant"):
            errors.extend(_expression_errors(question["relevant"], seen, code, earlier=earlier))
        if question.get("alert"):
            errors.extend(_expression_errors(question["alert"], seen, code))
        earlier.add(code)
    rules = schema.get("rules", []) or []
    if not isinstance(rules, list):
        return [*errors, _("The form's rules are not described correctly.")]
    rule_codes: set[str] = set()
    for rule in rules:
        code = str(rule.get("code", "")) if isinstance(rule, dict) else ""
        if not code or code in rule_codes:
            errors.append(_("Every rule needs a code of its own."))
            continue
        rule_codes.add(code)
        if not label(rule.get("message")):
            errors.append(_("Rule %(code)s has no message.") % {"code": code})
        errors.extend(_expression_errors(rule.get("check", ""), seen, code))
        listed = rule.get("questions", []) or []
        if not isinstance(listed, list):
            listed = [listed]
        unknown = sorted(
            str(item) for item in listed if not isinstance(item, str) or item not in seen
        )
        if unknown:
            errors.append(
                _("Rule %(code)s lists questions that do not exist: %(codes)s.")
                % {"code": code, "codes": ", ".join(unknown)}
            )
    return errors


def _question_errors(question: Any, seen: set[str]) -> list[str]:
    if not isinstance(question, dict):
        return [_("A question is not described correctly.")]
    code = str(question.get("code", ""))
    errors = []
    if not QUESTION_CODE.match(code):
        errors.append(
            _(
                "Question code “%(code)s” is not valid: use one to three capital letters "
                "followed by up to three digits, for example B12."
            )
            % {"code": code}
        )
    elif code in seen:
        errors.append(_("Question code %(code)s is used twice.") % {"code": code})
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        errors.append(
            _("Question %(code)s has an unknown type “%(type)s”.") % {"code": code, "type": kind}
        )
    if not label(question.get("label")):
        errors.append(_("Question %(code)s has no text.") % {"code": code})
    if not isinstance(question.get("required", False), bool):
        errors.append(
            _("Whether question %(code)s is required must be true or false.") % {"code": code}
        )
    if kind == "number":
        low, high = question.get("min"), question.get("max")
        for bound in (low, high):
            if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
                errors.append(
                    _("The range of question %(code)s must be whole numbers.") % {"code": code}
                )
            elif bound is not None and abs(bound) > NUMBER_LIMIT:
                errors.append(_("The range of question %(code)s is too large.") % {"code": code})
        if isinstance(low, int) and isinstance(high, int) and low > high:
            errors.append(_("Question %(code)s has a minimum above its maximum.") % {"code": code})
    if kind in ("single", "multiple"):
        options = question.get("options") or []
        if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
            return [
                *errors,
                _("The options of question %(code)s are not described correctly.") % {"code": code},
            ]
        values = [str(option.get("value", "")) for option in options]
        if len(values) < 2:
            errors.append(_("Question %(code)s needs at least two options.") % {"code": code})
        if len(set(values)) != len(values):
            errors.append(_("Question %(code)s has two options with one value.") % {"code": code})
        for option in options:
            if not OPTION_VALUE.match(str(option.get("value", ""))):
                errors.append(
                    _(
                        "An option value of question %(code)s is not valid: use letters, "
                        "digits or _."
                    )
                    % {"code": code}
                )
            if not label(option.get("label")):
                errors.append(_("An option of question %(code)s has no text.") % {"code": code})
    return errors


def _expression_errors(
    expression: Any, known: set[str], owner: str, *, earlier: set[str] | None = None
) -> list[str]:
    try:
        _compiled, names = compile_expression(expression)
    except ExpressionError as error:
        return [
            _("The condition of %(owner)s cannot be read: %(error)s.")
            % {"owner": owner, "error": error}
        ]
    unknown = sorted(names - known)
    if unknown:
        return [
            _("The condition of %(owner)s names questions that do not exist: %(codes)s.")
            % {"owner": owner, "codes": ", ".join(unknown)}
        ]
    if earlier is not None:
        later = sorted(names - earlier)
        if later:
            return [
                _(
                    "The skip logic of %(owner)s can only use answers to earlier questions, "
                    "not %(codes)s."
                )
                % {"owner": owner, "codes": ", ".join(later)}
            ]
    return []


# --- Answers ----------------------------------------------------------------------------------


@dataclass
class RaisedAlert:
    question: str
    value: Any
    text: str  # the question's text, in the active language


@dataclass
class CheckedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    alerts: list[RaisedAlert] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_value(question: dict, value: Any) -> Any:
    """The value in its cleaned form; raises ValueError with a translated message."""
    kind = question["type"]
    if kind == "yes_no":
        if isinstance(value, bool):
            return value
        # "BƏLİ".lower() keeps a combining dot over the i; drop it so it reads as "bəli".
        text = str(value).strip().casefold().replace("i\u0307", "i")
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValueError(_("Answer yes or no."))
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,10}\s*", value):
            value = int(value)
        if not isinstance(value, int) or abs(value) > NUMBER_LIMIT:
            raise ValueError(_("Enter a whole number."))
        low, high = question.get("min"), question.get("max")
        if low is not None and high is not None and not low <= value <= high:
            raise ValueError(
                _("Enter a number from %(min)s to %(max)s.") % {"min": low, "max": high}
            )
        if low is not None and value < low:
            raise ValueError(_("Enter a number of at least %(min)s.") % {"min": low})
        if high is not None and value > high:
            raise ValueError(_("Enter a number of at most %(max)s.") % {"max": high})
        return value
    if kind in ("single", "multiple"):
        allowed = [str(option["value"]) for option in question.get("options", [])]
        if kind == "single":
            if isinstance(value, list | tuple) and len(value) == 1:
                value = value[0]
            text = str(value).strip()
            matched = _match_option(text, allowed)
            if matched is None:
                raise ValueError(_("Choose one of the options given."))
            return matched
        items = value if isinstance(value, list | tuple) else re.split(r"[\s,;]+", str(value))
        chosen = set()
        for item in items:
            if _is_blank(item):
                continue
            matched = _match_option(str(item).strip(), allowed)
            if matched is None:
                raise ValueError(_("Choose only from the options given."))
            chosen.add(matched)
        return [option for option in allowed if option in chosen]
    if kind == "text":
        text = str(value).strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValueError(_("Write at most %(count)s characters.") % {"count": TEXT_MAX_LENGTH})
        return text
    if kind == "time":
        match = TIME_VALUE.match(str(value).strip())
        if not match:
            raise ValueError(_("Enter a time as HH:MM, for example 07:45."))
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    if kind == "photo":
        text = str(value).strip().lower().replace("-", "")
        if not PHOTO_ID.match(text):
            raise ValueError(_("The photo was not received; send it again."))
        return text
    raise ValueError(_("This question cannot be answered."))


def _match_option(text: str, allowed: list[str]) -> str | None:
    if text in allowed:
        return text
    folded = text.casefold()
    for option in allowed:
        if option.casefold() == folded:
            return option
    return None


def check_answers(schema: dict, raw_answers: Any) -> CheckedAnswers:
    """Judge a set of answers against a form version's schema.

    Answers to questions that the skip logic leaves out are dropped; answers to questions the
    form does not have are an error (so a typo in an SMS is never silently ignored)."""
    result = CheckedAnswers()
    if not isinstance(raw_answers, dict):
        result.add_error("__all__", _("The answers must be a set of question codes and values."))
        return result
    by_code = question_map(schema)
    for code in raw_answers:
        if code not in by_code:
            result.add_error(str(code), _("This form has no question %(code)s.") % {"code": code})
    cleaned: dict[str, Any] = {}
    # Questions are taken in form order, so skip logic sees the answers before it.
    for question in questions(schema):
        code = question["code"]
        relevant = question.get("relevant")
        if relevant and not is_true(relevant, cleaned):
            continue  # skipped: any answer given is dropped
        value = raw_answers.get(code)
        if _is_blank(value):
            if question.get("required"):
                result.add_error(code, _("This question needs an answer."))
            continue
        try:
            value = clean_value(question, value)
        except ValueError as error:
            result.add_error(code, str(error))
            continue
        if _is_blank(value):  # e.g. " , " for a multiple choice: nothing was chosen
            if question.get("required"):
                result.add_error(code, _("This question needs an answer."))
            continue
        cleaned[code] = value
    for rule in schema.get("rules", []) or []:
        check = rule.get("check", "")
        if any(code in result.errors for code in rule_questions(rule)):
            continue  # the answers it needs are wrong already
        if is_unknown(check, cleaned) or is_true(check, cleaned):
            continue
        message = label(rule.get("message")) or _("These answers do not agree with each other.")
        result.add_error(rule.get("code", "__all__"), message)
    for question in questions(schema):
        alert = question.get("alert")
        if alert and question["code"] in cleaned and is_true(alert, cleaned):
            result.alerts.append(
                RaisedAlert(question["code"], cleaned[question["code"]], label(question["label"]))
            )
    result.answers = cleaned
    return result
