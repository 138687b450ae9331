"""Election rules and writes: what is refused, that nothing is half-written, and the audit log."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections import services
from elections.models import BallotOption, Contest, Election, ElectionStation
from elections.tests.factories import BallotOptionFactory, ContestFactory, ElectionFactory

pytestmark = pytest.mark.usefixtures("geography")


@pytest.fixture
def actor():
    return make_staff(Role.COORDINATOR)


@pytest.fixture
def parliamentary():
    return ElectionFactory(kind=Election.Kind.PARLIAMENTARY)


def entries(action=None):
    queryset = AuditEntry.objects.filter(content_type__app_label="elections")
    return queryset.filter(action=action) if action else queryset


def test_creating_an_election_writes_it_and_an_audit_entry(actor):
    election = services.election_create(
        actor=actor,
        kind=Election.Kind.PRESIDENTIAL,
        name_az="Prezident seçkisi",
        election_date=datetime.date(2028, 4, 9),
        rounds=2,
    )
    entry = entries(AuditEntry.Action.CREATE).get(object_id=str(election.pk))
    assert entry.changes["kind"] == [None, "presidential"]
    assert election.status == Election.Status.DRAFT


def test_an_election_with_four_rounds_is_refused_and_nothing_is_written(actor):
    with pytest.raises(ValidationError) as error:
        services.election_create(
            actor=actor,
            kind=Election.Kind.PRESIDENTIAL,
            name_az="Prezident seçkisi",
            election_date=datetime.date(2028, 4, 9),
            rounds=4,
        )
    assert "rounds" in error.value.message_dict
    assert not Election.objects.exists() and not entries().exists()


def test_the_current_round_cannot_be_past_the_last_round(actor, parliamentary):
    with pytest.raises(ValidationError):
        services.election_update(actor=actor, election=parliamentary, current_round=2)
    parliamentary.refresh_from_db()
    assert parliamentary.current_round == 1


def test_an_update_records_only_what_changed(actor, parliamentary):
    services.election_update(actor=actor, election=parliamentary, status="active", rounds=1)
    entry = entries(AuditEntry.Action.UPDATE).get()
    assert entry.changes == {"status": ["draft", "active"]}
    services.election_update(actor=actor, election=parliamentary, status="active")
    assert entries(AuditEntry.Action.UPDATE).count() == 1


def test_unknown_fields_cannot_be_changed(actor, parliamentary):
    with pytest.raises(ValidationError):
        services.election_update(actor=actor, election=parliamentary, created_at=None)


def test_a_constituency_contest_requires_a_constituency(actor, parliamentary):
    with pytest.raises(ValidationError) as error:
        services.contest_create(actor=actor, election=parliamentary, kind="constituency")
    assert "constituency" in error.value.message_dict
    assert not Contest.objects.exists() and not entries().exists()


def test_a_national_contest_has_no_constituency(actor, parliamentary, geography):
    with pytest.raises(ValidationError):
        services.contest_create(
            actor=actor,
            election=parliamentary,
            kind="national",
            constituency=geography["constituencies"][12],
        )
    assert not Contest.objects.exists()


def test_a_constituency_has_one_contest_per_election_and_round(actor, parliamentary, geography):
    c12 = geography["constituencies"][12]
    contest = services.contest_create(
        actor=actor, election=parliamentary, kind="constituency", constituency=c12
    )
    assert contest.name_az == c12.name_az and contest.round == 1
    with pytest.raises(ValidationError):
        services.contest_create(
            actor=actor, election=parliamentary, kind="constituency", constituency=c12
        )
    assert Contest.objects.count() == 1
    assert entries(AuditEntry.Action.CREATE).filter(object_id=str(contest.pk)).exists()


def test_a_contest_cannot_be_in_a_round_the_election_does_not_have(actor, parliamentary):
    with pytest.raises(ValidationError) as error:
        services.contest_create(actor=actor, election=parliamentary, kind="national", round=2)
    assert "round" in error.value.message_dict


def test_contests_are_created_in_every_constituency_once(actor, parliamentary, geography):
    services.contest_create(
        actor=actor,
        election=parliamentary,
        kind="constituency",
        constituency=geography["constituencies"][13],
    )
    assert (
        services.election_contests_create_per_constituency(actor=actor, election=parliamentary) == 2
    )
    assert (
        services.election_contests_create_per_constituency(actor=actor, election=parliamentary) == 0
    )
    numbers = sorted(Contest.objects.values_list("constituency__number", flat=True))
    assert numbers == [12, 13, 113]
    assert entries(AuditEntry.Action.UPDATE).get().changes["constituency_contests_created"] == 2


def test_a_presidential_election_gets_no_constituency_contests(actor):
    election = ElectionFactory(kind=Election.Kind.PRESIDENTIAL)
    with pytest.raises(ValidationError):
        services.election_contests_create_per_constituency(actor=actor, election=election)
    assert not Contest.objects.exists()


def test_an_option_without_a_number_goes_last(actor):
    contest = ContestFactory()
    BallotOptionFactory(contest=contest, ballot_number=4)
    option = services.ballot_option_create(
        actor=actor, contest=contest, kind="candidate", name_az="Leyla Həsənova"
    )
    assert option.ballot_number == 5
    assert entries(AuditEntry.Action.CREATE).filter(object_id=str(option.pk)).exists()


def test_a_duplicate_ballot_number_is_refused_and_nothing_is_written(actor):
    contest = ContestFactory()
    BallotOptionFactory(contest=contest, ballot_number=1)
    with pytest.raises(ValidationError) as error:
        services.ballot_option_create(
            actor=actor, contest=contest, kind="candidate", name_az="Orxan", ballot_number=1
        )
    assert "ballot_number" in error.value.message_dict
    assert BallotOption.objects.count() == 1 and not entries().exists()


def test_changing_an_option_to_a_taken_number_is_refused(actor):
    contest = ContestFactory()
    BallotOptionFactory(contest=contest, ballot_number=1)
    second = BallotOptionFactory(contest=contest, ballot_number=2)
    with pytest.raises(ValidationError):
        services.ballot_option_update(actor=actor, option=second, ballot_number=1)
    second.refresh_from_db()
    assert second.ballot_number == 2


def test_the_same_number_may_be_used_in_another_contest(actor):
    BallotOptionFactory(ballot_number=1)
    other = ContestFactory()
    option = services.ballot_option_create(
        actor=actor, contest=other, kind="party", name_az="Demo Partiya", ballot_number=1
    )
    assert option.ballot_number == 1


def test_referendums_list_answers_and_only_referendums_do(actor):
    referendum = ContestFactory(election__kind=Election.Kind.REFERENDUM)
    with pytest.raises(ValidationError):
        services.ballot_option_create(
            actor=actor, contest=referendum, kind="candidate", name_az="Namizəd"
        )
    services.ballot_option_create(actor=actor, contest=referendum, kind="answer", name_az="Bəli")
    with pytest.raises(ValidationError):
        services.ballot_option_create(
            actor=actor, contest=ContestFactory(), kind="answer", name_az="Bəli"
        )
    assert BallotOption.objects.count() == 1


def test_updating_and_removing_an_option_are_audited(actor):
    option = BallotOptionFactory(name_az="Köhnə ad")
    services.ballot_option_update(actor=actor, option=option, name_az="Yeni ad")
    assert entries(AuditEntry.Action.UPDATE).get().changes == {"name_az": ["Köhnə ad", "Yeni ad"]}
    services.ballot_option_remove(actor=actor, option=option)
    assert not BallotOption.objects.exists()
    assert entries(AuditEntry.Action.DELETE).get().changes["name_az"] == "Yeni ad"


def test_all_stations_are_added_once(actor, parliamentary):
    assert services.election_stations_add_all(actor=actor, election=parliamentary) == 5
    assert services.election_stations_add_all(actor=actor, election=parliamentary) == 0
    assert ElectionStation.objects.of_election(parliamentary).count() == 5
    assert entries(AuditEntry.Action.UPDATE).get().changes == {"stations_added": 5}
    assert Election.objects.with_counts().get().station_count == 5


def test_stations_of_one_region_or_constituency_can_be_added(actor, parliamentary, geography):
    added = services.election_stations_add_all(
        actor=actor, election=parliamentary, region=geography["regions"]["seki-zaqatala"]
    )
    assert added == 2
    added = services.election_stations_add_all(
        actor=actor, election=parliamentary, constituency=geography["constituencies"][12]
    )
    assert added == 2
    codes = set(parliamentary.stations.values_list("code", flat=True))
    assert codes == {"113-034", "113-002", "12-034", "12-035"}
