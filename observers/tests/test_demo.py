"""The synthetic demo observers, on a small demo geography."""

import pytest

from elections.demo import build_demo_elections
from geo.demo import build_demo_geography
from observers.demo import build_demo_observers
from observers.models import TRANSITIONS, Observer, ObserverStatusChange

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_observers_in_every_status_with_histories_once():
    build_demo_geography(stations=100)
    build_demo_elections()
    summary = build_demo_observers(count=120)
    assert summary["observers_created"] == 120
    counts = (Observer.objects.count(), ObserverStatusChange.objects.count())
    assert build_demo_observers(count=120)["observers_created"] == 0
    assert (Observer.objects.count(), ObserverStatusChange.objects.count()) == counts

    assert set(Observer.objects.values_list("status", flat=True)) == set(Observer.Status.values)
    for observer in Observer.objects.prefetch_related("status_changes"):
        assert "(sintetik)" in observer.full_name
        steps = list(observer.status_changes.all())
        assert (
            steps[0].to_status == Observer.Status.APPLIED and steps[-1].to_status == observer.status
        )
        for step in steps[1:]:
            assert step.to_status in TRANSITIONS[step.from_status]
