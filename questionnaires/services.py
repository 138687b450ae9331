"""Writes to forms: creating a form, editing its draft version question by question, publishing
the draft, and archiving the form.

A form's questions live in versions (see questionnaires.models). Staff change a draft; a
published version never changes again, so every answer keeps the version it was given against.
Every function runs in one transaction, locks the record it changes, validates the result with
the engine and leaves an audit entry; a rule broken raises a ValidationError with a translated
message and writes nothing.
"""

import copy
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from questionnaires.engine import question_map, questions, rule_questions, validate_schema
from questionnaires.expressions import ExpressionError, compile_expression
from questionnaires.models import Questionnaire, QuestionnaireVersion

QUESTIONNAIRE_FIELDS = ["election_id", "kind", "code", "name_az", "name_en", "name_ru", "position"]
EDITABLE_FIELDS = {"election", "kind", "code", "name_az", "name_en", "name_ru", "position"}


def empty_schema() -> dict:
    return {"sections": [], "rules": []}


def _refuse_unknown(changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )


def _check_code_free(questionnaire: Questionnaire) -> None:
    # The database constraint treats forms without an election as all different (NULL), so
    # the service checks those itself.
    taken = Questionnaire.objects.filter(election=questionnaire.election, code=questionnaire.code)
    if questionnaire.pk is not None:
        taken = taken.exclude(pk=questionnaire.pk)
    if taken.exists():
        raise ValidationError({"code": _("This election already has a form with this code.")})


def _draft_errors(schema: Any) -> list[str]:
    return validate_schema(schema, complete=False)


def _raise_schema_errors(errors: list[str]) -> None:
    if errors:
        raise ValidationError({"schema": errors})


# --- Forms ------------------------------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    *,
    actor,
    kind: str,
    code: str,
    name_az: str,
    name_en: str = "",
    name_ru: str = "",
    election=None,
    position: int | None = None,
    schema: dict | None = None,
    note: str = "",
) -> Questionnaire:
    """A new form (status draft) with version 1 as its draft, empty or holding `schema`."""
    schema = copy.deepcopy(schema) if schema is not None else empty_schema()
    questionnaire = Questionnaire(
        election=election,
        kind=kind,
        code=(code or "").strip().upper(),
        name_az=name_az,
        name_en=name_en,
        name_ru=name_ru,
        status=Questionnaire.Status.DRAFT,
    )
    if position is None:
        highest = Questionnaire.objects.filter(election=election).aggregate(p=Max("position"))
        position = (highest["p"] or 0) + 1
    questionnaire.position = position
    questionnaire.full_clean(validate_constraints=False)
    _check_code_free(questionnaire)
    _raise_schema_errors(_draft_errors(schema))
    questionnaire.save()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        schema=schema,
        note=note[:300],
        created_by=_user(actor),
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=questionnaire,
        changes={
            **model_changes({}, snapshot(questionnaire, QUESTIONNAIRE_FIELDS)),
            "draft_version": version.number,
            "questions": len(questions(schema)),
        },
    )
    return questionnaire


@transaction.atomic
def update_questionnaire(*, actor, questionnaire: Questionnaire, **changes: Any) -> Questionnaire:
    """Change a form's names, kind, code, election or order; unchanged values leave no entry."""
    _refuse_unknown(changes, EDITABLE_FIELDS)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    before = snapshot(questionnaire, QUESTIONNAIRE_FIELDS)
    for name, value in changes.items():
        if name == "code":
            value = (value or "").strip().upper()
        setattr(questionnaire, name, value)
    questionnaire.full_clean(validate_constraints=False)
    _check_code_free(questionnaire)
    diff = model_changes(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    if diff:
        questionnaire.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=questionnaire, changes=diff)
    return questionnaire


def _set_status(questionnaire: Questionnaire, status: str, actor) -> Questionnaire:
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.status != status:
        old = questionnaire.status
        questionnaire.status = status
        questionnaire.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=questionnaire,
            changes={"status": [old, status]},
        )
    return questionnaire


@transaction.atomic
def archive_questionnaire(questionnaire: Questionnaire, actor) -> Questionnaire:
    """Close the form: observers can no longer send it; its answers and versions stay."""
    return _set_status(questionnaire, Questionnaire.Status.ARCHIVED, actor)


close_questionnaire = archive_questionnaire


@transaction.atomic
def reopen_questionnaire(questionnaire: Questionnaire, actor) -> Questionnaire:
    """Open an archived form again: active if it has a published version, else a draft."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    status = (
        Questionnaire.Status.ACTIVE
        if questionnaire.current_version_id
        else Questionnaire.Status.DRAFT
    )
    return _set_status(questionnaire, status, actor)


# --- Versions ---------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def draft_of(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The form's unpublished version, if it has one (there is at most one)."""
    return questionnaire.versions.filter(published_at__isnull=True).order_by("-number").first()


@transaction.atomic
def start_draft(questionnaire: Questionnaire, actor) -> QuestionnaireVersion:
    """The draft to edit: the existing unpublished version, or a new one (number max + 1)
    starting as a copy of the current version."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    draft = draft_of(questionnaire)
    if draft is not None:
        return draft
    if questionnaire.status == Questionnaire.Status.ARCHIVED:
        raise ValidationError(_("This form is archived; open it again before changing it."))
    current = questionnaire.current_version
    highest = questionnaire.versions.aggregate(n=Max("number"))["n"] or 0
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=highest + 1,
        schema=copy.deepcopy(current.schema) if current else empty_schema(),
        created_by=_user(actor),
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=draft,
        changes={"number": draft.number, "copied_from": current.number if current else None},
    )
    return draft


def _lock_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    version = (
        QuestionnaireVersion.objects.select_for_update()
        .select_related("questionnaire")
        .get(pk=version.pk)
    )
    if version.is_published:
        raise ValidationError(
            _("Version %(number)d is published and can no longer change; start a new draft.")
            % {"number": version.number}
        )
    if version.questionnaire.status == Questionnaire.Status.ARCHIVED:
        raise ValidationError(_("This form is archived; open it again before changing it."))
    return version


def _store(version, schema: dict, actor, changes: dict) -> QuestionnaireVersion:
    _raise_schema_errors(_draft_errors(schema))
    version.schema = schema
    version.save(update_fields=["schema"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=version, changes=changes)
    return version


@transaction.atomic
def save_draft_schema(
    version: QuestionnaireVersion, schema: dict, actor, *, note: str | None = None
) -> QuestionnaireVersion:
    """Replace the draft's whole schema (and its note). A draft may have empty sections; the
    rest must be valid."""
    version = _lock_draft(version)
    if note is not None:
        version.note = note[:300]
        version.save(update_fields=["note"])
    return _store(
        version,
        copy.deepcopy(schema),
        actor,
        {
            "schema": "replaced",
            "questions": len(questions(schema)) if isinstance(schema, dict) else 0,
        },
    )


@transaction.atomic
def discard_draft(version: QuestionnaireVersion, actor) -> None:
    """Delete an unpublished draft (a form's first draft only while it was never published)."""
    version = _lock_draft(version)
    questionnaire = version.questionnaire
    if questionnaire.current_version_id is None:
        raise ValidationError(
            _("This is the form's only version; archive the form instead of discarding it.")
        )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=version,
        changes={"number": version.number, "questions": len(questions(version.schema))},
    )
    version.delete()


@transaction.atomic
def publish_version(
    version: QuestionnaireVersion, actor, *, note: str | None = None
) -> QuestionnaireVersion:
    """Publish the draft: it becomes the form's current version and the form is active.
    Reports already sent keep the version they were given against."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
    version = _lock_draft(version)
    errors = validate_schema(version.schema)
    if errors:
        raise ValidationError({"schema": errors})
    previous = questionnaire.current_version
    version.published_at = timezone.now()
    if note is not None:
        version.note = note[:300]
    version.save(update_fields=["published_at", "note"])
    old_status = questionnaire.status
    questionnaire.current_version = version
    questionnaire.status = Questionnaire.Status.ACTIVE
    questionnaire.save(update_fields=["current_version", "status", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.PUBLISH,
        obj=questionnaire,
        changes={
            "current_version": [previous.number if previous else None, version.number],
            "status": [old_status, questionnaire.status],
            "note": version.note,
        },
    )
    return version


# --- Editing the draft, one piece at a time ---------------------------------------------------


def _section(schema: dict, code: str) -> dict:
    for section in schema["sections"]:
        if section.get("code") == code:
            return section
    raise ValidationError(_("The form has no section %(code)s.") % {"code": code})


def _locate(schema: dict, code: str) -> tuple[dict, int]:
    for section in schema["sections"]:
        for index, question in enumerate(section.get("questions", [])):
            if question.get("code") == code:
                return section, index
    raise ValidationError(_("The form has no question %(code)s.") % {"code": code})


def _names(expression: Any) -> frozenset[str]:
    try:
        return compile_expression(expression)[1]
    except ExpressionError:
        return frozenset()


def references_to(schema: dict, code: str) -> list[str]:
    """Where a question is used: the questions whose skip logic or alert names it, and rules."""
    places = []
    for question in questions(schema):
        if question.get("code") == code:
            continue
        if code in _names(question.get("relevant")) or code in _names(question.get("alert")):
            places.append(question["code"])
    for rule in schema.get("rules", []) or []:
        if code in rule_questions(rule):
            places.append(rule.get("code", ""))
    return places


def _schema_copy(version: QuestionnaireVersion) -> dict:
    schema = copy.deepcopy(version.schema) or empty_schema()
    schema.setdefault("sections", [])
    schema.setdefault("rules", [])
    return schema


def _clean_question(question: dict) -> dict:
    """Drop empty optional keys so the stored form stays small and readable."""
    cleaned = {}
    for key, value in question.items():
        if value in (None, "", [], {}) and key not in ("code", "type", "label"):
            continue
        if key in ("label", "hint") and isinstance(value, dict):
            value = {lang: text for lang, text in value.items() if text}
            if not value and key == "hint":
                continue
        if key == "required" and value is False:
            continue
        cleaned[key] = value
    if cleaned.get("type") not in ("single", "multiple"):
        cleaned.pop("options", None)
    if cleaned.get("type") != "number":
        cleaned.pop("min", None)
        cleaned.pop("max", None)
    return cleaned


@transaction.atomic
def add_question(
    version: QuestionnaireVersion,
    section_code: str,
    question: dict,
    actor,
    *,
    position: int | None = None,
) -> QuestionnaireVersion:
    """Add a question to a section of the draft, last or at `position` (0 = first)."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section = _section(schema, section_code)
    question = _clean_question(question)
    items = section.setdefault("questions", [])
    items.insert(len(items) if position is None else max(0, position), question)
    return _store(version, schema, actor, {"question_added": question, "section": section_code})


@transaction.atomic
def update_question(
    version: QuestionnaireVersion, code: str, question: dict, actor
) -> QuestionnaireVersion:
    """Replace question `code` with `question` (which may carry a new code: skip logic, alerts
    and rules naming the old code follow it)."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section, index = _locate(schema, code)
    before = section["questions"][index]
    question = _clean_question(question)
    section["questions"][index] = question
    new_code = question.get("code")
    if new_code and new_code != code and new_code not in question_map(version.schema):
        _rename_references(schema, code, new_code)
    if question == before:
        return version
    return _store(version, schema, actor, {"question": [before, question]})


def _rename_references(schema: dict, old: str, new: str) -> None:
    pattern = re.compile(rf"\b{re.escape(old)}\b")

    def rename(expression: Any) -> Any:
        # Only inside expressions that name the old code, and never inside quoted values.
        if not isinstance(expression, str) or old not in _names(expression):
            return expression
        parts = re.split(r"('[^']*'|\"[^\"]*\")", expression)
        return "".join(part if part[:1] in ("'", '"') else pattern.sub(new, part) for part in parts)

    for question in questions(schema):
        for key in ("relevant", "alert"):
            if question.get(key):
                question[key] = rename(question[key])
    for rule in schema.get("rules", []) or []:
        rule["check"] = rename(rule.get("check", ""))
        rule["questions"] = [new if item == old else item for item in rule.get("questions", [])]


@transaction.atomic
def delete_question(version: QuestionnaireVersion, code: str, actor) -> QuestionnaireVersion:
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section, index = _locate(schema, code)
    used_by = references_to(schema, code)
    if used_by:
        raise ValidationError(
            _("Question %(code)s cannot be deleted: %(places)s use it. Change them first.")
            % {"code": code, "places": ", ".join(used_by)}
        )
    removed = section["questions"].pop(index)
    return _store(version, schema, actor, {"question_deleted": removed})


@transaction.atomic
def move_question(
    version: QuestionnaireVersion,
    code: str,
    actor,
    *,
    offset: int = 0,
    section_code: str | None = None,
    position: int | None = None,
) -> QuestionnaireVersion:
    """Move a question one place up (offset=-1) or down (+1), crossing into the neighbouring
    section at either end of its own; or to `position` in `section_code`."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section, index = _locate(schema, code)
    question = section["questions"].pop(index)
    sections = schema["sections"]
    if section_code is not None:
        target = _section(schema, section_code)
        items = target.setdefault("questions", [])
        items.insert(len(items) if position is None else max(0, position), question)
    else:
        where = sections.index(section)
        new_index = index + offset
        if new_index < 0 and where > 0:
            sections[where - 1]["questions"].append(question)
        elif new_index > len(section["questions"]) and where < len(sections) - 1:
            sections[where + 1]["questions"].insert(0, question)
        else:
            new_index = min(max(new_index, 0), len(section["questions"]))
            section["questions"].insert(new_index, question)
    if schema == version.schema:
        return version
    return _store(
        version,
        schema,
        actor,
        {"question_moved": code, "order": [q["code"] for q in questions(schema)]},
    )


@transaction.atomic
def add_section(
    version: QuestionnaireVersion, section: dict, actor, *, position: int | None = None
) -> QuestionnaireVersion:
    """Add an (empty) section: {"code", "label": {"az", "en", "ru"}}."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    new = {
        "code": str(section.get("code", "")).strip(),
        "label": section.get("label", {}),
        "questions": [],
    }
    sections = schema["sections"]
    sections.insert(len(sections) if position is None else max(0, position), new)
    return _store(version, schema, actor, {"section_added": new})


@transaction.atomic
def update_section(
    version: QuestionnaireVersion, code: str, changes: dict, actor
) -> QuestionnaireVersion:
    """Change a section's code or title."""
    _refuse_unknown(changes, {"code", "label"})
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section = _section(schema, code)
    before = {"code": section["code"], "label": section.get("label")}
    section.update(changes)
    after = {"code": section["code"], "label": section.get("label")}
    if before == after:
        return version
    return _store(version, schema, actor, {"section": [before, after]})


@transaction.atomic
def move_section(
    version: QuestionnaireVersion, code: str, actor, *, offset: int
) -> QuestionnaireVersion:
    version = _lock_draft(version)
    schema = _schema_copy(version)
    sections = schema["sections"]
    section = _section(schema, code)
    index = sections.index(section)
    new_index = min(max(index + offset, 0), len(sections) - 1)
    if new_index == index:
        return version
    sections.insert(new_index, sections.pop(index))
    return _store(
        version, schema, actor, {"section_moved": code, "order": [s["code"] for s in sections]}
    )


@transaction.atomic
def delete_section(version: QuestionnaireVersion, code: str, actor) -> QuestionnaireVersion:
    """Delete a section and its questions, unless other questions or rules use them."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    section = _section(schema, code)
    inside = {q["code"] for q in section.get("questions", [])}
    schema["sections"].remove(section)
    used_by = sorted(
        {place for question in inside for place in references_to(schema, question)} - inside
    )
    if used_by:
        raise ValidationError(
            _(
                "Section %(code)s cannot be deleted: %(places)s use its questions. "
                "Change them first."
            )
            % {"code": code, "places": ", ".join(used_by)}
        )
    return _store(version, schema, actor, {"section_deleted": section})


def _clean_rule(rule: dict) -> dict:
    cleaned = {
        "code": str(rule.get("code", "")).strip(),
        "check": str(rule.get("check", "")).strip(),
        "message": {lang: text for lang, text in (rule.get("message") or {}).items() if text},
    }
    cleaned["questions"] = sorted(_names(cleaned["check"]))
    return cleaned


@transaction.atomic
def add_rule(version: QuestionnaireVersion, rule: dict, actor) -> QuestionnaireVersion:
    """Add a rule across answers: {"code", "check": "B3 <= B1", "message": {...}}."""
    version = _lock_draft(version)
    schema = _schema_copy(version)
    rule = _clean_rule(rule)
    schema["rules"].append(rule)
    return _store(version, schema, actor, {"rule_added": rule})


def _locate_rule(schema: dict, code: str) -> int:
    for index, rule in enumerate(schema["rules"]):
        if rule.get("code") == code:
            return index
    raise ValidationError(_("The form has no rule %(code)s.") % {"code": code})


@transaction.atomic
def update_rule(
    version: QuestionnaireVersion, code: str, rule: dict, actor
) -> QuestionnaireVersion:
    version = _lock_draft(version)
    schema = _schema_copy(version)
    index = _locate_rule(schema, code)
    before = schema["rules"][index]
    rule = _clean_rule(rule)
    if rule == before:
        return version
    schema["rules"][index] = rule
    return _store(version, schema, actor, {"rule": [before, rule]})


@transaction.atomic
def delete_rule(version: QuestionnaireVersion, code: str, actor) -> QuestionnaireVersion:
    version = _lock_draft(version)
    schema = _schema_copy(version)
    removed = schema["rules"].pop(_locate_rule(schema, code))
    return _store(version, schema, actor, {"rule_deleted": removed})
