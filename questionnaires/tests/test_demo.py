"""The demo forms of the active demo elections."""

import pytest

from audit.models import AuditEntry
from elections.demo import PARLIAMENTARY, PRESIDENTIAL
from elections.models import Election
from elections.tests.factories import ElectionFactory
from questionnaires import demo, services
from questionnaires.engine import LANGUAGES, check_answers, label, questions, validate_schema
from questionnaires.models import Questionnaire, QuestionnaireVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_elections():
    # The demo elections as elections.demo makes them: the parliamentary one is active.
    return ElectionFactory(**PARLIAMENTARY), ElectionFactory(**PRESIDENTIAL)


def counts():
    return (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        AuditEntry.objects.count(),
    )


def test_every_active_demo_election_gets_four_published_forms(demo_elections):
    parliamentary, presidential = demo_elections
    summary = demo.build_demo_questionnaires()
    assert summary == {
        "elections": 1,
        "forms": 4,
        "forms_created": 4,
        "versions_published": 4,
    }
    forms = Questionnaire.objects.filter(election=parliamentary).order_by("position")
    assert [(q.code, q.kind) for q in forms] == [
        ("OP", "opening"),
        ("VT", "voting"),
        ("CL", "closing_counting"),
        ("IN", "incident"),
    ]
    assert not Questionnaire.objects.filter(election=presidential).exists()
    for questionnaire in forms:
        assert questionnaire.status == Questionnaire.Status.ACTIVE
        version = questionnaire.current_version
        assert version.is_published and version.number == 1
        assert validate_schema(version.schema) == []
        assert questionnaire.name_az and questionnaire.name_en and questionnaire.name_ru
        for question in questions(version.schema):
            assert all(
                label(question["label"], code) == question["label"][code] for code in LANGUAGES
            )
            for option in question.get("options", []):
                assert set(option["label"]) == set(LANGUAGES)


def test_running_it_again_changes_nothing(demo_elections):
    demo.build_demo_questionnaires()
    before = counts()
    assert demo.build_demo_questionnaires()["versions_published"] == 0
    assert counts() == before


def test_a_changed_or_archived_demo_form_is_brought_back(demo_elections):
    demo.build_demo_questionnaires()
    opening = Questionnaire.objects.get(code="OP")
    draft = services.start_draft(opening, None)
    services.delete_question(draft, "C3", None)
    services.publish_version(draft, None)
    services.archive_questionnaire(opening, None)
    summary = demo.build_demo_questionnaires()
    assert summary["versions_published"] == 1
    opening.refresh_from_db()
    assert opening.status == Questionnaire.Status.ACTIVE
    assert opening.current_version.number == 3
    assert opening.current_version.schema == demo.OPENING


def test_a_draft_election_gets_no_forms():
    ElectionFactory(**{**PARLIAMENTARY, "status": Election.Status.DRAFT})
    assert demo.build_demo_questionnaires()["forms"] == 0
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize(
    ("code", "answers", "errors", "alerts"),
    [
        (
            "OP",
            {
                "A1": "y",
                "A2": "7:40",
                "A3": "y",
                "B1": "y",
                "B3": "y",
                "B4": "y",
                "B5": "7",
                "C1": "y",
                "C2": "n",
            },
            set(),
            [],
        ),
        (
            "OP",
            {
                "A1": "n",
                "A2": "7:40",
                "A3": "n",
                "A4": "8:30",
                "B1": "n",
                "B2": "1,3",
                "B3": "n",
                "B4": "y",
                "B5": "7",
                "C1": "y",
                "C2": "y",
            },
            set(),
            ["A1", "A3", "B1", "B3", "C2"],
        ),
        (
            "VT",
            {
                "A1": "12:00",
                "A2": "1200",
                "A3": "1300",
                "B1": "n",
                "B2": "n",
                "B3": "y",
                "B4": "n",
                "B5": "y",
                "B6": "y",
                "C1": "y",
                "C2": "n",
            },
            {"R1", "B7"},
            ["B3"],
        ),
        (
            "CL",
            {
                "A1": "y",
                "A3": "y",
                "B1": "900",
                "B2": "950",
                "B3": "12",
                "B5": "3",
                "B6": "y",
                "B7": "n",
                "B9": "y",
            },
            {"R1"},
            ["B5", "B7"],
        ),
        (
            "IN",
            {"A1": "5", "A2": "10:15", "A3": "The observer was told to leave.", "A4": "да"},
            set(),
            ["A1"],
        ),
    ],
)
def test_the_demo_forms_judge_typical_reports(demo_elections, code, answers, errors, alerts):
    demo.build_demo_questionnaires()
    schema = Questionnaire.objects.get(code=code).current_version.schema
    checked = check_answers(schema, answers)
    assert set(checked.errors) == errors
    assert [alert.question for alert in checked.alerts] == alerts
