"""The quarantine: accepting, correcting and rejecting protocols (a note each time, audited),
and the checks of each type of election, whose changes judge undecided protocols again."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from elections.models import Election
from results import quarantine
from results.models import Protocol, ProtocolCheck
from results.services import save_protocol
from results.tests.conftest import good_numbers

pytestmark = pytest.mark.django_db


def _save(election, contest, station, numbers):
    return save_protocol(
        election=election,
        contest=contest,
        station=station,
        source=Protocol.Source.OBSERVER,
        numbers=numbers,
    )


@pytest.fixture
def quarantined(election, contest, stations):
    return _save(
        election, contest, stations["12-034"], good_numbers() | {"votes": {"1": 600, "2": 200}}
    )


def _entries(protocol):
    return AuditEntry.objects.filter(object_id=str(protocol.pk), content_type__model="protocol")


def test_accepting_needs_a_note_and_keeps_the_reasons(quarantined, coordinator):
    with pytest.raises(ValidationError) as caught:
        quarantine.accept_protocol(quarantined, actor=coordinator, note="  ")
    assert "note" in caught.value.message_dict
    quarantined.refresh_from_db()
    assert quarantined.status == Protocol.Status.QUARANTINED and not _entries(quarantined)

    accepted = quarantine.accept_protocol(
        quarantined, actor=coordinator, note="The commission wrote it so."
    )
    assert accepted.status == Protocol.Status.ACCEPTED
    assert accepted.failed_checks == ["votes-equal-valid"]
    assert accepted.reviewed_by == coordinator and accepted.review_note
    entry = _entries(quarantined).get()
    assert entry.changes["status"] == ["quarantined", "accepted"]

    with pytest.raises(ValidationError):
        quarantine.accept_protocol(accepted, actor=coordinator, note="again")


def test_rejecting_sets_the_protocol_aside(quarantined, coordinator):
    rejected = quarantine.reject_protocol(quarantined, actor=coordinator, note="Not this station.")
    assert rejected.status == Protocol.Status.REJECTED
    with pytest.raises(ValidationError):
        quarantine.reject_protocol(rejected, actor=coordinator, note="again")
    with pytest.raises(ValidationError):
        quarantine.correct_protocol(rejected, good_numbers(), actor=coordinator, note="x")


def test_a_correction_is_judged_again_and_the_old_numbers_stay_in_the_log(quarantined, coordinator):
    corrected = quarantine.correct_protocol(
        quarantined, good_numbers(), actor=coordinator, note="Misread 500 as 600."
    )
    assert corrected.status == Protocol.Status.ACCEPTED
    assert corrected.failed_checks == []
    assert corrected.votes == {"1": 500, "2": 200, "3": 80}
    entry = _entries(quarantined).get()
    before, after = entry.changes["numbers"]
    assert before["votes"] == {"1": 600, "2": 200}
    assert after["votes"] == {"1": 500, "2": 200, "3": 80}
    assert entry.changes["status"] == ["quarantined", "accepted"]


def test_a_correction_that_still_fails_stays_in_quarantine(quarantined, coordinator):
    numbers = good_numbers() | {"issued": 2000}
    corrected = quarantine.correct_protocol(quarantined, numbers, actor=coordinator, note="x")
    assert corrected.status == Protocol.Status.QUARANTINED
    assert "issued-not-above-registered" in corrected.failed_checks


def test_wrong_corrections_are_refused_and_nothing_changes(quarantined, coordinator):
    with pytest.raises(ValidationError) as caught:
        quarantine.correct_protocol(
            quarantined, {"registered": -5, "votes": {"9": 1}}, actor=coordinator, note="x"
        )
    assert {"registered", "option:9"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError):
        quarantine.correct_protocol(
            quarantined,
            good_numbers() | {"votes": {"1": 600, "2": 200}},
            actor=coordinator,
            note="same numbers",
        )
    quarantined.refresh_from_db()
    assert quarantined.votes == {"1": 600, "2": 200}
    assert not _entries(quarantined).exists()


# --- Checks ---------------------------------------------------------------------------------


def test_a_new_check_is_validated(analyst):
    with pytest.raises(ValidationError) as caught:
        quarantine.create_check(
            actor=analyst,
            election_kind=Election.Kind.PRESIDENTIAL,
            code="turnout",
            expression="turnout <= registered",
            message_az="",
        )
    assert {"expression", "message_az"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        quarantine.create_check(
            actor=analyst,
            election_kind=Election.Kind.PRESIDENTIAL,
            code="votes-equal-valid",
            expression="votes == valid",
            message_az="Təkrar",
        )
    assert "code" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        quarantine.create_check(
            actor=analyst,
            election_kind=Election.Kind.PRESIDENTIAL,
            code="broken",
            expression="valid <= (",
            message_az="Sınıq",
        )
    assert "expression" in caught.value.message_dict
    assert not ProtocolCheck.objects.filter(code__in=["turnout", "broken"]).exists()


def test_a_new_check_judges_undecided_protocols_again_but_not_reviewed_ones(
    election, contest, stations, analyst, coordinator
):
    passing = _save(election, contest, stations["12-034"], good_numbers())
    reviewed = _save(election, contest, stations["12-035"], good_numbers())
    quarantine.reject_protocol(reviewed, actor=coordinator, note="duplicate")

    check = quarantine.create_check(
        actor=analyst,
        election_kind=Election.Kind.PRESIDENTIAL,
        code="few-spoiled",
        expression="spoiled <= 2",
        message_az="Korlanmış bülletenlər çoxdur.",
        message_en="Too many spoiled ballots.",
    )

    passing.refresh_from_db()
    reviewed.refresh_from_db()
    assert passing.status == Protocol.Status.QUARANTINED
    assert passing.failed_checks == ["few-spoiled"]
    assert reviewed.status == Protocol.Status.REJECTED
    assert AuditEntry.objects.filter(
        content_type__model="protocolcheck", object_id=str(check.pk), action="create"
    ).exists()

    quarantine.toggle_check(check, actor=analyst)
    passing.refresh_from_db()
    assert passing.status == Protocol.Status.ACCEPTED and passing.failed_checks == []


def test_updating_a_check_records_the_change(analyst):
    check = ProtocolCheck.objects.get(
        election_kind=Election.Kind.PRESIDENTIAL, code="votes-equal-valid"
    )
    quarantine.update_check(check, actor=analyst, message_en="Votes do not add up.")
    entry = AuditEntry.objects.get(
        content_type__model="protocolcheck", object_id=str(check.pk), action="update"
    )
    assert entry.changes["message_en"][1] == "Votes do not add up."
    with pytest.raises(ValidationError):
        quarantine.update_check(check, actor=analyst, election_kind="municipal")
    with pytest.raises(ValidationError):
        quarantine.update_check(check, actor=analyst, expression="votes ==")


def test_rejudge_protocols_reports_what_changed(election, contest, stations):
    protocol = _save(election, contest, stations["12-034"], good_numbers())
    ProtocolCheck.objects.filter(election_kind=election.kind, code="votes-equal-valid").update(
        expression="votes < valid"
    )
    summary = quarantine.rejudge_protocols(election)
    assert summary == {"judged": 1, "changed": 1, "quarantined": 1, "released": 0}
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.QUARANTINED
