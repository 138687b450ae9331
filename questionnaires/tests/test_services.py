"""Writes to forms: creating, drafting, editing piece by piece, publishing, archiving. Every
write is audited; a broken rule raises a translated ValidationError and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.tests.factories import ElectionFactory
from questionnaires import services
from questionnaires.engine import question_map, questions
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.tests.factories import (
    closing_schema,
    draft_questionnaire,
    number,
    published_questionnaire,
    yes_no,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_staff(Role.COORDINATOR)


def codes(version) -> list[str]:
    version.refresh_from_db()
    return [question["code"] for question in questions(version.schema)]


# --- Creating a form --------------------------------------------------------------------------


def test_a_new_form_is_a_draft_with_version_1(coordinator):
    election = ElectionFactory()
    questionnaire = services.create_questionnaire(
        actor=coordinator,
        election=election,
        kind=Questionnaire.Kind.OPENING,
        code="op",
        name_az="Açılış",
        name_en="Opening",
    )
    assert questionnaire.code == "OP"
    assert questionnaire.status == Questionnaire.Status.DRAFT
    assert questionnaire.current_version is None
    version = questionnaire.versions.get()
    assert version.number == 1 and not version.is_published
    assert version.schema == {"sections": [], "rules": []}
    assert version.created_by == coordinator
    entry = AuditEntry.objects.for_object(questionnaire).get(action=AuditEntry.Action.CREATE)
    assert entry.actor == coordinator and entry.changes["code"] == [None, "OP"]


def test_a_form_code_is_unique_in_its_election(coordinator):
    existing = published_questionnaire(code="OP")
    with pytest.raises(ValidationError) as error:
        services.create_questionnaire(
            actor=coordinator,
            election=existing.election,
            kind=Questionnaire.Kind.OPENING,
            code="OP",
            name_az="Açılış",
        )
    assert error.value.message_dict == {
        "code": ["This election already has a form with this code."]
    }
    # Another election may use the code.
    other = services.create_questionnaire(
        actor=coordinator,
        election=ElectionFactory(),
        kind=Questionnaire.Kind.OPENING,
        code="OP",
        name_az="Açılış",
    )
    assert other.code == "OP"


def test_forms_without_an_election_also_have_unique_codes(coordinator):
    kwargs = {"actor": coordinator, "kind": Questionnaire.Kind.INCIDENT, "name_az": "Hadisə"}
    services.create_questionnaire(code="IN", **kwargs)
    with pytest.raises(ValidationError):
        services.create_questionnaire(code="IN", **kwargs)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "OPEN1"}, "code"),
        ({"code": "O-P"}, "code"),
        ({"code": ""}, "code"),
        ({"kind": "census"}, "kind"),
        ({"name_az": ""}, "name_az"),
    ],
)
def test_a_form_with_a_wrong_field_is_refused_and_nothing_is_written(coordinator, fields, field):
    values = {"kind": Questionnaire.Kind.OPENING, "code": "OP", "name_az": "Açılış", **fields}
    with pytest.raises(ValidationError) as error:
        services.create_questionnaire(actor=coordinator, **values)
    assert field in error.value.message_dict
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="questionnaires").exists()


def test_a_form_created_with_a_wrong_schema_is_refused(coordinator):
    schema = closing_schema()
    schema["rules"][0]["check"] = "B2 <= B99"
    with pytest.raises(ValidationError) as error:
        services.create_questionnaire(
            actor=coordinator, kind="closing_counting", code="CL", name_az="x", schema=schema
        )
    assert "names questions that do not exist: B99" in error.value.messages[0]
    assert not Questionnaire.objects.exists()


def test_changing_a_form_names_and_code_is_audited(coordinator):
    questionnaire = published_questionnaire(code="CL")
    services.update_questionnaire(
        actor=coordinator, questionnaire=questionnaire, name_en="Closing", code="cc"
    )
    questionnaire.refresh_from_db()
    assert questionnaire.code == "CC" and questionnaire.name_en == "Closing"
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).latest("pk")
    assert entry.changes["code"] == ["CL", "CC"]
    with pytest.raises(ValidationError):
        services.update_questionnaire(actor=coordinator, questionnaire=questionnaire, status="x")


# --- Drafts -----------------------------------------------------------------------------------


def test_a_draft_starts_as_a_copy_of_the_current_version(coordinator):
    questionnaire = published_questionnaire()
    draft = services.start_draft(questionnaire, coordinator)
    assert draft.number == 2 and not draft.is_published
    assert draft.schema == questionnaire.current_version.schema
    # Asking again returns the same draft rather than a third version.
    assert services.start_draft(questionnaire, coordinator) == draft
    assert questionnaire.versions.count() == 2


def test_a_draft_never_changes_the_published_version(coordinator):
    questionnaire = published_questionnaire()
    draft = services.start_draft(questionnaire, coordinator)
    services.delete_question(draft, "B7", coordinator)
    current = QuestionnaireVersion.objects.get(pk=questionnaire.current_version_id)
    assert "B7" in question_map(current.schema)
    assert "B7" not in question_map(QuestionnaireVersion.objects.get(pk=draft.pk).schema)


def test_a_published_version_can_never_change(coordinator):
    questionnaire = published_questionnaire()
    current = questionnaire.current_version
    operations = [
        lambda: services.save_draft_schema(current, closing_schema(), coordinator),
        lambda: services.add_question(current, "A", yes_no("A9", "x"), coordinator),
        lambda: services.delete_question(current, "B7", coordinator),
        lambda: services.add_rule(
            current, {"code": "R9", "check": "B3 <= B1", "message": {"az": "x"}}, coordinator
        ),
        lambda: services.publish_version(current, coordinator),
    ]
    for operation in operations:
        with pytest.raises(ValidationError, match="is published and can no longer change"):
            operation()
    current.refresh_from_db()
    assert current.schema == closing_schema()


def test_saving_a_draft_schema_validates_it(coordinator):
    _questionnaire, draft = draft_questionnaire()
    schema = closing_schema()
    schema["sections"][0]["questions"][0]["code"] = "a 1"
    with pytest.raises(ValidationError) as error:
        services.save_draft_schema(draft, schema, coordinator)
    assert any("is not valid" in message for message in error.value.messages)
    draft.refresh_from_db()
    assert draft.schema == closing_schema()
    services.save_draft_schema(draft, {"sections": [], "rules": []}, coordinator, note="Empty")
    draft.refresh_from_db()
    assert draft.schema == {"sections": [], "rules": []} and draft.note == "Empty"


# --- Publishing -------------------------------------------------------------------------------


def test_publishing_makes_the_draft_current_and_the_form_active(coordinator):
    questionnaire, draft = draft_questionnaire()
    services.publish_version(draft, coordinator, note="First version")
    questionnaire.refresh_from_db()
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "First version"
    assert questionnaire.current_version == draft
    assert questionnaire.status == Questionnaire.Status.ACTIVE
    entry = AuditEntry.objects.for_object(questionnaire).latest("pk")
    assert entry.action == AuditEntry.Action.PUBLISH
    assert entry.changes["current_version"] == [None, 1]


def test_a_new_version_replaces_the_current_one_and_the_old_one_stays(coordinator):
    questionnaire = published_questionnaire()
    first = questionnaire.current_version
    draft = services.start_draft(questionnaire, coordinator)
    services.add_question(draft, "B", number("B10", "Unused ballots", min=0), coordinator)
    services.publish_version(draft, coordinator)
    questionnaire.refresh_from_db()
    assert questionnaire.current_version.number == 2
    first.refresh_from_db()
    assert first.is_published and "B10" not in question_map(first.schema)


def test_an_incomplete_or_wrong_draft_cannot_be_published(coordinator):
    questionnaire, draft = draft_questionnaire(schema={"sections": [], "rules": []})
    with pytest.raises(ValidationError) as error:
        services.publish_version(draft, coordinator)
    assert error.value.messages == ["The form has no sections."]
    services.add_section(draft, {"code": "A", "label": {"az": "A"}}, coordinator)
    with pytest.raises(ValidationError) as error:
        services.publish_version(draft, coordinator)
    assert error.value.messages == ["Section A has no questions."]
    questionnaire.refresh_from_db()
    assert questionnaire.current_version is None and questionnaire.status == "draft"


def test_a_draft_can_be_discarded_but_not_the_only_version(coordinator):
    questionnaire, first = draft_questionnaire()
    with pytest.raises(ValidationError, match="only version"):
        services.discard_draft(first, coordinator)
    questionnaire = published_questionnaire()
    draft = services.start_draft(questionnaire, coordinator)
    services.discard_draft(draft, coordinator)
    assert questionnaire.versions.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_archiving_closes_the_form_and_reopening_brings_it_back(coordinator):
    questionnaire = published_questionnaire()
    services.archive_questionnaire(questionnaire, coordinator)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.ARCHIVED
    with pytest.raises(ValidationError, match="archived"):
        services.start_draft(questionnaire, coordinator)
    services.reopen_questionnaire(questionnaire, coordinator)
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.ACTIVE
    never_published, _draft = draft_questionnaire()
    services.archive_questionnaire(never_published, coordinator)
    services.reopen_questionnaire(never_published, coordinator)
    never_published.refresh_from_db()
    assert never_published.status == Questionnaire.Status.DRAFT
    statuses = [
        entry.changes["status"]
        for entry in AuditEntry.objects.for_object(questionnaire).order_by("pk")
        if "status" in entry.changes
    ]
    assert statuses == [["active", "archived"], ["archived", "active"]]


# --- Editing the draft piece by piece ---------------------------------------------------------


def test_adding_updating_and_deleting_a_question(coordinator):
    _questionnaire, draft = draft_questionnaire()
    services.add_question(
        draft, "A", yes_no("A3", "Were seals intact?", alert="A3 == no", hint={}), coordinator
    )
    assert codes(draft)[:3] == ["A1", "A2", "A3"]
    stored = question_map(draft.schema)["A3"]
    assert "hint" not in stored and stored["alert"] == "A3 == no"
    services.add_question(draft, "A", yes_no("A0", "First?"), coordinator, position=0)
    assert codes(draft)[:2] == ["A0", "A1"]
    changed = {**stored, "label": {"az": "Plomblar", "en": "Seals intact?", "ru": ""}}
    services.update_question(draft, "A3", changed, coordinator)
    draft.refresh_from_db()
    assert question_map(draft.schema)["A3"]["label"] == {"az": "Plomblar", "en": "Seals intact?"}
    services.delete_question(draft, "A0", coordinator)
    assert "A0" not in codes(draft)
    # (PostgreSQL keeps JSON keys in an order of its own, so compare them as sets.)
    kinds = [set(entry.changes) for entry in AuditEntry.objects.for_object(draft).order_by("pk")]
    assert kinds == [
        {"question_added", "section"},
        {"question_added", "section"},
        {"question"},
        {"question_deleted"},
    ]


def test_a_wrong_question_is_refused_with_the_reason(coordinator):
    _questionnaire, draft = draft_questionnaire()
    cases = [
        (yes_no("B1", "Duplicate"), "Question code B1 is used twice."),
        (number("B9", "Range", min=10, max=1), "minimum above its maximum"),
        (yes_no("B9", "Forward", relevant="B9 == yes"), "only use answers to earlier questions"),
        ({"code": "B9", "type": "single", "label": {"az": "x"}, "options": []}, "two options"),
        (yes_no("B9", "Unknown", alert="Z1 == no"), "do not exist: Z1"),
    ]
    for question, reason in cases:
        with pytest.raises(ValidationError) as error:
            services.add_question(draft, "B", question, coordinator)
        assert any(reason in message for message in error.value.messages), error.value.messages
    draft.refresh_from_db()
    assert draft.schema == closing_schema()
    with pytest.raises(ValidationError, match="no section Z"):
        services.add_question(draft, "Z", yes_no("Z1", "x"), coordinator)


def test_renaming_a_question_renames_it_in_skip_logic_alerts_and_rules(coordinator):
    _questionnaire, draft = draft_questionnaire()
    question = question_map(draft.schema)["B1"]
    services.update_question(draft, "B1", {**question, "code": "B10"}, coordinator)
    draft.refresh_from_db()
    rule = draft.schema["rules"][0]
    assert rule["check"] == "B2 <= B10" and rule["questions"] == ["B10", "B2"]
    question = question_map(draft.schema)["A1"]
    services.update_question(draft, "A1", {**question, "code": "A7"}, coordinator)
    draft.refresh_from_db()
    by_code = question_map(draft.schema)
    assert by_code["A7"]["alert"] == "A7 == no"
    assert by_code["A2"]["relevant"] == "A7 == no"


def test_a_question_in_use_cannot_be_deleted(coordinator):
    _questionnaire, draft = draft_questionnaire()
    with pytest.raises(ValidationError) as error:
        services.delete_question(draft, "B1", coordinator)
    assert error.value.messages == ["Question B1 cannot be deleted: R1 use it. Change them first."]
    with pytest.raises(ValidationError, match="A2"):
        services.delete_question(draft, "A1", coordinator)
    with pytest.raises(ValidationError, match="no question Q1"):
        services.delete_question(draft, "Q1", coordinator)


def test_moving_questions_up_and_down_and_across_sections(coordinator):
    _questionnaire, draft = draft_questionnaire()
    services.move_question(draft, "B7", coordinator, offset=-1)
    assert codes(draft)[-2:] == ["B7", "B6"]
    # B1 is first of section B: up takes it to the end of section A.
    services.move_question(draft, "B1", coordinator, offset=-1)
    draft.refresh_from_db()
    assert [q["code"] for q in draft.schema["sections"][0]["questions"]] == ["A1", "A2", "B1"]
    services.move_question(draft, "B1", coordinator, offset=1)
    draft.refresh_from_db()
    assert draft.schema["sections"][1]["questions"][0]["code"] == "B1"
    services.move_question(draft, "B3", coordinator, section_code="A", position=0)
    assert codes(draft)[0] == "B3"


def test_a_move_that_breaks_skip_logic_is_refused(coordinator):
    _questionnaire, draft = draft_questionnaire()
    # A2 asks only when A1 is no; A1 cannot move below it.
    with pytest.raises(ValidationError, match="earlier questions"):
        services.move_question(draft, "A1", coordinator, offset=1)
    assert codes(draft)[:2] == ["A1", "A2"]


def test_sections_are_added_changed_moved_and_deleted(coordinator):
    _questionnaire, draft = draft_questionnaire()
    services.add_section(
        draft, {"code": "C", "label": {"az": "Şərhlər", "en": "Comments"}}, coordinator
    )
    services.add_question(
        draft, "C", {"code": "C1", "type": "text", "label": {"az": "Şərh"}}, coordinator
    )
    services.update_section(draft, "C", {"label": {"az": "Qeydlər"}}, coordinator)
    draft.refresh_from_db()
    assert draft.schema["sections"][2]["label"] == {"az": "Qeydlər"}
    services.move_section(draft, "C", coordinator, offset=-1)
    draft.refresh_from_db()
    assert [s["code"] for s in draft.schema["sections"]] == ["A", "C", "B"]
    services.delete_section(draft, "C", coordinator)
    assert "C1" not in codes(draft)
    with pytest.raises(ValidationError, match="Every section needs a code of its own"):
        services.add_section(draft, {"code": "A", "label": {"az": "A"}}, coordinator)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.update_section(draft, "A", {"questions": []}, coordinator)


def test_a_section_whose_questions_are_used_elsewhere_cannot_be_deleted(coordinator):
    _questionnaire, draft = draft_questionnaire()
    with pytest.raises(ValidationError) as error:
        services.delete_section(draft, "B", coordinator)
    assert "R1" in error.value.messages[0] and "R2" in error.value.messages[0]
    # Section A: A2's skip logic names A1, but both go together.
    services.delete_section(draft, "A", coordinator)
    assert codes(draft)[0] == "B1"


def test_rules_are_added_changed_and_deleted(coordinator):
    _questionnaire, draft = draft_questionnaire()
    services.add_rule(
        draft,
        {"code": "R3", "check": "B3 + B2 <= B1", "message": {"az": "Cəm çoxdur", "en": ""}},
        coordinator,
    )
    draft.refresh_from_db()
    assert draft.schema["rules"][2] == {
        "code": "R3",
        "check": "B3 + B2 <= B1",
        "message": {"az": "Cəm çoxdur"},
        "questions": ["B1", "B2", "B3"],
    }
    services.update_rule(
        draft, "R3", {"code": "R3", "check": "B3 < B1", "message": {"az": "x"}}, coordinator
    )
    draft.refresh_from_db()
    assert draft.schema["rules"][2]["questions"] == ["B1", "B3"]
    services.delete_rule(draft, "R3", coordinator)
    draft.refresh_from_db()
    assert len(draft.schema["rules"]) == 2
    for wrong, reason in [
        ({"code": "R1", "check": "B1 > 0", "message": {"az": "x"}}, "code of its own"),
        ({"code": "R4", "check": "B1 >", "message": {"az": "x"}}, "cannot be read"),
        ({"code": "R4", "check": "B1 > 0", "message": {}}, "has no message"),
    ]:
        with pytest.raises(ValidationError, match=reason):
            services.add_rule(draft, wrong, coordinator)
    with pytest.raises(ValidationError, match="no rule R9"):
        services.delete_rule(draft, "R9", coordinator)


def test_an_edit_that_changes_nothing_leaves_no_audit_entry(coordinator):
    _questionnaire, draft = draft_questionnaire()
    before = AuditEntry.objects.count()
    services.update_question(draft, "B1", question_map(draft.schema)["B1"], coordinator)
    services.move_section(draft, "A", coordinator, offset=-1)
    assert AuditEntry.objects.count() == before
