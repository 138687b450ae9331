"""The results form of an election's round: built once, published, kept in step with the
ballot, and without rules (a protocol that does not add up is quarantined, not refused)."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from elections.models import Contest, Election
from elections.tests.factories import BallotOptionFactory, ContestFactory, ElectionFactory
from questionnaires.engine import question_map, validate_schema
from questionnaires.models import Questionnaire
from results.models import ProtocolForm
from results.protocol_forms import ensure_protocol_form, refresh_protocol_form

pytestmark = pytest.mark.django_db


def test_a_national_contest_gets_a_published_form_with_the_candidates(election, contest):
    form = ensure_protocol_form(election)

    assert form.kind == Questionnaire.Kind.RESULTS
    assert form.code == "PR"
    assert form.status == Questionnaire.Status.ACTIVE
    assert (form.name_az, form.name_en, form.name_ru) == (
        "Yekun protokol",
        "Results protocol",
        "Итоговый протокол",
    )
    schema = form.current_version.schema
    assert validate_schema(schema) == []
    assert schema["rules"] == []
    questions = question_map(schema)
    assert list(questions) == ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "V1", "V2", "V3", "P1"]
    assert questions["V2"]["label"]["en"] == "2. Candidate B"
    assert questions["V2"]["label"]["az"] == "2. Namizəd B"
    assert questions["V2"]["required"] is True
    assert questions["A1"]["min"] == 0 and questions["A1"]["label"]["ru"]
    assert questions["P1"]["type"] == "photo"

    linked = ProtocolForm.objects.get(questionnaire=form)
    assert linked.contest == contest and linked.round == 1 and linked.election == election
    assert linked.question_map["A1"] == "registered"
    assert linked.question_map["A7"] == "valid"
    assert linked.question_map["V3"] == "option:3"
    assert linked.question_map["P1"] == "photo"
    assert AuditEntry.objects.filter(
        content_type__model="protocolform", object_id=str(linked.pk), action="create"
    ).exists()


def test_calling_it_again_changes_nothing(election, contest):
    first = ensure_protocol_form(election)
    again = ensure_protocol_form(election)
    assert first.pk == again.pk
    assert Questionnaire.objects.filter(kind=Questionnaire.Kind.RESULTS).count() == 1
    assert again.versions.count() == 1


def test_constituency_contests_get_numbered_optional_questions_for_the_longest_ballot(
    geography,
):
    election = ElectionFactory(kind=Election.Kind.PARLIAMENTARY, status=Election.Status.ACTIVE)
    constituencies = geography["constituencies"]
    for number, size in ((12, 3), (13, 5)):
        contest = ContestFactory(
            election=election, kind=Contest.Kind.CONSTITUENCY, constituency=constituencies[number]
        )
        for ballot_number in range(1, size + 1):
            BallotOptionFactory(contest=contest, ballot_number=ballot_number)

    form = ensure_protocol_form(election)

    questions = question_map(form.current_version.schema)
    votes = [code for code in questions if code.startswith("V")]
    assert votes == ["V1", "V2", "V3", "V4", "V5"]
    assert questions["V5"]["label"]["en"] == "Votes for number 5 on the ballot"
    assert questions["V5"]["required"] is False
    assert ProtocolForm.objects.get(questionnaire=form).contest is None


def test_a_changed_ballot_publishes_a_new_version(election, contest):
    form = ensure_protocol_form(election)
    BallotOptionFactory(contest=contest, ballot_number=4, name_az="Namizəd D", name_en="D")

    assert refresh_protocol_form(ProtocolForm.objects.get(questionnaire=form)) is True

    form.refresh_from_db()
    assert form.current_version.number == 2
    assert "V4" in question_map(form.current_version.schema)
    assert ProtocolForm.objects.get(questionnaire=form).question_map["V4"] == "option:4"
    assert refresh_protocol_form(ProtocolForm.objects.get(questionnaire=form)) is False


def test_an_election_without_a_ballot_gets_no_form_and_nothing_is_written(election):
    with pytest.raises(ValidationError):
        ensure_protocol_form(election)
    ContestFactory(election=election, kind=Contest.Kind.NATIONAL)
    with pytest.raises(ValidationError):
        ensure_protocol_form(election)
    with pytest.raises(ValidationError):
        ensure_protocol_form(election, round=3)
    assert not Questionnaire.objects.exists()
    assert not ProtocolForm.objects.exists()


def test_a_second_round_has_its_own_form(election, contest):
    Election.objects.filter(pk=election.pk).update(rounds=2)
    election.refresh_from_db()
    second = ContestFactory(election=election, kind=Contest.Kind.NATIONAL, round=2)
    BallotOptionFactory(contest=second, ballot_number=1)
    BallotOptionFactory(contest=second, ballot_number=2)

    form = ensure_protocol_form(election, round=2)

    assert form.code == "PRB"
    assert form.name_en == "Results protocol (round 2)"
    assert ProtocolForm.objects.get(questionnaire=form).contest == second
