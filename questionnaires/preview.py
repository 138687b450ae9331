"""A form version as its reader sees it, in one language: what the staff preview and the "try
it" check render. Plain data for the templates; the answers are judged by the engine."""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import translation

from questionnaires.describe import describe
from questionnaires.engine import CheckedAnswers, check_answers, label, questions
from questionnaires.expressions import is_true

# In the preview a photo is "sent" by ticking a box; this stands for the uploaded photo's id.
PREVIEW_PHOTO_ID = "0" * 32


@dataclass
class ShownOption:
    value: str
    text: str
    chosen: bool = False


@dataclass
class ShownQuestion:
    code: str
    type: str
    text: str
    hint: str
    required: bool
    minimum: int | None
    maximum: int | None
    options: list[ShownOption]
    relevant: str  # in words
    alert: str  # in words
    value: Any = None  # as typed, for filling the input again
    errors: list[str] = field(default_factory=list)
    skipped: bool = False
    alerted: bool = False

    @property
    def input_name(self) -> str:
        return f"q_{self.code}"


@dataclass
class ShownSection:
    code: str
    title: str
    questions: list[ShownQuestion]


@dataclass
class ShownRule:
    code: str
    check: str  # in words
    expression: str
    message: str
    broken: bool = False


@dataclass
class Preview:
    language: str
    sections: list[ShownSection]
    rules: list[ShownRule]
    checked: CheckedAnswers | None = None
    general_errors: list[str] = field(default_factory=list)


def build_preview(
    schema: dict, language: str, raw: dict[str, Any] | None = None, *, judge: bool = True
) -> Preview:
    """The form in `language`; with `raw` answers, the questions their skip logic leaves out
    and (when `judge`) what the engine says of them: errors and alerts."""
    checked = check_answers(schema, raw) if raw is not None else None
    answers = checked.answers if checked else {}
    if not judge:
        checked = None  # skip logic only, as while the observer is still answering
    alerted = {alert.question for alert in checked.alerts} if checked else set()
    sections = []
    for section in schema.get("sections", []):
        shown = []
        for question in section.get("questions", []):
            code = question["code"]
            value = (raw or {}).get(code)
            chosen = value if isinstance(value, list) else [value]
            shown.append(
                ShownQuestion(
                    code=code,
                    type=question["type"],
                    text=label(question.get("label"), language),
                    hint=label(question.get("hint"), language),
                    required=bool(question.get("required")),
                    minimum=question.get("min"),
                    maximum=question.get("max"),
                    options=[
                        ShownOption(
                            str(option["value"]),
                            label(option.get("label"), language),
                            str(option["value"]) in {str(item) for item in chosen},
                        )
                        for option in question.get("options", [])
                    ],
                    relevant=describe(question.get("relevant"), schema, language)
                    if question.get("relevant")
                    else "",
                    alert=describe(question.get("alert"), schema, language)
                    if question.get("alert")
                    else "",
                    value=value,
                    errors=checked.errors.get(code, []) if checked else [],
                    # Before any answer, questions behind skip logic are hidden, as on
                    # the phone.
                    skipped=bool(
                        question.get("relevant") and not is_true(question["relevant"], answers)
                    ),
                    alerted=code in alerted,
                )
            )
        sections.append(ShownSection(section["code"], label(section.get("label"), language), shown))
    with translation.override(language):
        rules = [
            ShownRule(
                code=rule.get("code", ""),
                check=describe(rule.get("check"), schema, language),
                expression=rule.get("check", ""),
                message=label(rule.get("message"), language),
                broken=bool(checked and rule.get("code") in checked.errors),
            )
            for rule in schema.get("rules", []) or []
        ]
    general = []
    if checked:
        codes = {q["code"] for q in questions(schema)} | {r.code for r in rules}
        for key, messages in checked.errors.items():
            if key not in codes:
                general.extend(messages)
    return Preview(language, sections, rules, checked, general)


def answers_from_post(schema: dict, data: QueryDict) -> dict[str, Any]:
    """The "try it" form's fields (q_<code>) as the raw answers a phone would send."""
    raw: dict[str, Any] = {}
    for question in questions(schema):
        name = f"q_{question['code']}"
        if question["type"] == "multiple":
            values = data.getlist(name)
            if values:
                raw[question["code"]] = values
        elif question["type"] == "photo":
            if data.get(name):
                raw[question["code"]] = PREVIEW_PHOTO_ID
        elif data.get(name, "") != "":
            raw[question["code"]] = data.get(name)
    return raw
