"""The observer services: who may apply, and each step of an observer's way."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.models import Region
from observers import services
from observers.models import Observer, ObserverStatusChange, normalise_phone
from observers.tests.factories import ObserverFactory

pytestmark = pytest.mark.usefixtures("geography")

S = Observer.Status


def no_new_audit(since: int) -> bool:
    return AuditEntry.objects.count() == since


@pytest.fixture
def audited():
    """How many audit entries there were before the test (the geography leaves some)."""
    return AuditEntry.objects.count()


@pytest.fixture
def election():
    return ElectionFactory(status=Election.Status.ACTIVE, election_date=datetime.date(2026, 11, 1))


def application(election, **overrides):
    values = {
        "election": election,
        "full_name": "Aynur Həsənova",
        "phone": "050 123 45 67",
        "email": "aynur@example.org",
        "date_of_birth": datetime.date(1995, 3, 2),
        "region": Region.objects.get(code="baki"),
        "language": "az",
    }
    return values | overrides


def test_an_application_is_saved_with_a_normalised_phone_history_and_audit(election):
    observer = services.observer_apply(**application(election))
    assert observer.status == S.APPLIED and observer.phone == "+994501234567"
    change = ObserverStatusChange.objects.get(observer=observer)
    assert (change.from_status, change.to_status, change.actor) == ("", S.APPLIED, None)
    entry = AuditEntry.objects.get(
        content_type__model="observer", object_id=str(observer.pk), action=AuditEntry.Action.CREATE
    )
    assert entry.actor is None
    assert "phone" not in entry.changes


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("+994 50 123 45 67", "+994501234567"),
        ("00994-55-1234567", "+994551234567"),
        ("994701234567", "+994701234567"),
        ("(012) 555 66 77", "+994125556677"),
    ],
)
def test_phone_numbers_are_normalised(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date_of_birth": datetime.date(2009, 1, 1)}, "date_of_birth", "at least 18"),
        ({"phone": "12345"}, "phone", "+994 followed by nine digits"),
        ({"phone": "+7 912 345 67 89"}, "phone", "+994 followed by nine digits"),
    ],
)
def test_an_application_breaking_a_rule_is_refused_and_writes_nothing(
    audited, election, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        services.observer_apply(**application(election, **overrides))
    assert message in " ".join(error.value.message_dict[field])
    assert not Observer.objects.exists() and not ObserverStatusChange.objects.exists()
    assert no_new_audit(audited)


def test_an_applicant_turning_18_on_election_day_may_apply(election):
    observer = services.observer_apply(
        **application(election, date_of_birth=datetime.date(2008, 11, 1))
    )
    assert observer.pk


def test_the_same_phone_cannot_apply_twice_to_the_same_election(election):
    services.observer_apply(**application(election))
    with pytest.raises(ValidationError) as error:
        services.observer_apply(**application(election, phone="+994501234567", full_name="X"))
    assert "already applied" in " ".join(error.value.message_dict["phone"])
    assert Observer.objects.count() == 1
    other = ElectionFactory(status=Election.Status.ACTIVE)
    assert services.observer_apply(**application(other)).pk


@pytest.mark.parametrize("status", [Election.Status.DRAFT, Election.Status.CLOSED])
def test_only_active_elections_take_applications(audited, status):
    election = ElectionFactory(status=status)
    with pytest.raises(ValidationError, match="does not take applications"):
        services.observer_apply(**application(election))
    assert not Observer.objects.exists() and no_new_audit(audited)


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (S.APPLIED, S.VETTED),
        (S.APPLIED, S.REJECTED),
        (S.VETTED, S.TRAINED),
        (S.VETTED, S.REJECTED),
        (S.TRAINED, S.ACCREDITED),
        (S.TRAINED, S.REJECTED),
        (S.ACCREDITED, S.DEPLOYED),
        (S.ACCREDITED, S.REJECTED),
    ],
)
def test_allowed_steps_are_recorded_with_who_and_when(audited, start, to_status, geography):
    actor = make_staff(Role.COORDINATOR)
    # Deploying needs somewhere to go (see test_deployment).
    station = geography["stations"]["12-034"] if to_status == S.DEPLOYED else None
    observer = ObserverFactory(status=start, station=station)
    services.observer_transition(
        actor=actor, observer=observer, to_status=to_status, note=" Called. "
    )
    observer.refresh_from_db()
    assert observer.status == to_status
    change = ObserverStatusChange.objects.get(observer=observer)
    assert (change.from_status, change.to_status, change.actor, change.note) == (
        start,
        to_status,
        actor,
        "Called.",
    )
    assert change.created_at is not None
    entry = AuditEntry.objects.get(
        content_type__model="observer", object_id=str(observer.pk), action=AuditEntry.Action.UPDATE
    )
    assert entry.actor == actor and entry.changes["status"] == [start, to_status]


@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (S.APPLIED, S.TRAINED),
        (S.APPLIED, S.DEPLOYED),
        (S.VETTED, S.APPLIED),
        (S.DEPLOYED, S.REJECTED),
        (S.REJECTED, S.VETTED),
        (S.TRAINED, S.TRAINED),
        (S.APPLIED, "nonsense"),
    ],
)
def test_other_steps_are_refused_with_a_clear_error(audited, start, to_status):
    observer = ObserverFactory(status=start)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.observer_transition(
            actor=make_staff(Role.COORDINATOR), observer=observer, to_status=to_status
        )
    observer.refresh_from_db()
    assert observer.status == start
    assert not ObserverStatusChange.objects.exists() and no_new_audit(audited)


def test_a_bulk_step_moves_everyone_or_nobody(audited):
    actor = make_staff(Role.ADMINISTRATOR)
    first, second = ObserverFactory.create_batch(2, status=S.APPLIED)
    vetted = ObserverFactory(status=S.VETTED)
    with pytest.raises(ValidationError) as error:
        services.observers_transition_bulk(
            actor=actor, observers=[first, second, vetted], to_status=S.VETTED
        )
    assert "Nobody was moved" in error.value.messages[0]
    assert vetted.full_name in " ".join(error.value.messages)
    assert Observer.objects.filter(status=S.VETTED).count() == 1
    assert not ObserverStatusChange.objects.exists() and no_new_audit(audited)

    moved = services.observers_transition_bulk(
        actor=actor, observers=Observer.objects.filter(status=S.APPLIED), to_status=S.VETTED
    )
    assert moved == 2
    assert Observer.objects.filter(status=S.VETTED).count() == 3
    assert ObserverStatusChange.objects.filter(actor=actor, to_status=S.VETTED).count() == 2
    assert AuditEntry.objects.count() == audited + 2


def test_a_bulk_step_needs_someone_to_move():
    with pytest.raises(ValidationError, match="at least one"):
        services.observers_transition_bulk(
            actor=make_staff(Role.ADMINISTRATOR), observers=[], to_status=S.VETTED
        )
