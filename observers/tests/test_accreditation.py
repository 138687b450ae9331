"""Accreditation gives the next observer number of the election and a badge code, once, even
when two coordinators accredit at the same moment."""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.tests.factories import ElectionFactory
from observers import services
from observers.models import Observer
from observers.tests.factories import ObserverFactory

S = Observer.Status


def accredit(observer, actor=None):
    return services.observer_transition(
        actor=actor or make_staff(Role.COORDINATOR), observer=observer, to_status=S.ACCREDITED
    )


def test_accreditation_gives_the_next_number_and_an_unguessable_badge_code(election):
    ObserverFactory(election=election, accredited=True, number=5)
    ObserverFactory(election=ElectionFactory(), accredited=True, number=77)  # another election
    first, second = ObserverFactory.create_batch(2, election=election, status=S.TRAINED)
    accredit(first)
    accredit(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (6, 7)
    assert first.badge_code != second.badge_code
    assert 30 <= len(first.badge_code) <= 32
    entry = AuditEntry.objects.for_object(first).latest("pk")
    assert entry.changes["number"] == [None, 6] and entry.changes["status"][1] == S.ACCREDITED
    assert first.badge_code not in str(entry.changes)


def test_a_bulk_accreditation_numbers_everyone_in_order(election):
    observers = ObserverFactory.create_batch(3, election=election, status=S.TRAINED)
    services.observers_transition_bulk(
        actor=make_staff(Role.COORDINATOR), observers=observers, to_status=S.ACCREDITED
    )
    numbers = list(Observer.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == [1, 2, 3]


def test_the_database_refuses_two_observers_with_one_number(election):
    ObserverFactory(election=election, accredited=True, number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ObserverFactory(election=election, accredited=True, number=3)


def test_a_number_taken_meanwhile_is_retried(election, monkeypatch):
    """Where rows cannot be locked, another writer may take the number between reading the
    highest one and saving: the unique constraint refuses it and the next try succeeds."""
    ObserverFactory(election=election, accredited=True, number=1)
    observer = ObserverFactory(election=election, status=S.TRAINED)
    real = services._next_number
    answers = iter([1])  # stale on the first try

    def stale_then_real(election_id):
        return next(answers, None) or real(election_id)

    monkeypatch.setattr(services, "_next_number", stale_then_real)
    accredit(observer)
    observer.refresh_from_db()
    assert observer.number == 2


def test_numbering_gives_up_with_a_clear_error_after_repeated_collisions(election, monkeypatch):
    ObserverFactory(election=election, accredited=True, number=1)
    observer = ObserverFactory(election=election, status=S.TRAINED)
    monkeypatch.setattr(services, "_next_number", lambda election_id: 1)
    with pytest.raises(Exception, match="No observer number could be given"):
        accredit(observer)
    observer.refresh_from_db()
    assert observer.status == S.TRAINED and observer.number is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to race against"
)
def test_concurrent_accreditations_never_share_a_number():
    election = ElectionFactory()
    actor = make_staff(Role.COORDINATOR)
    observers = ObserverFactory.create_batch(8, election=election, status=S.TRAINED)
    barrier = threading.Barrier(len(observers))
    failures = []

    def work(observer):
        try:
            barrier.wait()
            accredit(observer, actor)
        except Exception as error:
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=work, args=(observer,)) for observer in observers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(Observer.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
