"""The synthetic demo observers, on a small demo geography."""

import pytest
from django.db.models import Count

from elections.demo import build_demo_elections
from geo.demo import build_demo_geography
from observers.demo import build_demo_observers
from observers.models import TRANSITIONS, MobileTeam, Observer, ObserverStatusChange

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_observers_in_every_status_with_histories_and_deployments_once():
    build_demo_geography(stations=100)
    build_demo_elections()
    summary = build_demo_observers(count=120)
    assert summary["observers_created"] == 120
    counts = (Observer.objects.count(), ObserverStatusChange.objects.count())
    again = build_demo_observers(count=120)
    assert again["observers_created"] == 0
    assert (again["numbers_given"], again["deployments_made"], again["mobile_teams_created"]) == (
        0,
        0,
        0,
    )
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
    assert "/az/observe/verify/" in summary["badge_check"]

    accredited = Observer.objects.filter(status__in=["accredited", "deployed"])
    assert accredited.exists() and not accredited.filter(number__isnull=True).exists()
    assert not accredited.filter(badge_code__isnull=True).exists()
    numbers = list(Observer.objects.exclude(number=None).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))

    deployed = Observer.objects.filter(status="deployed")
    assert not deployed.filter(station__isnull=True, mobile_team__isnull=True).exists()
    election = deployed.first().election
    taking_part = set(election.election_stations.values_list("station_id", flat=True))
    assert set(deployed.exclude(station=None).values_list("station_id", flat=True)) <= taking_part
    shared = (
        deployed.exclude(station=None)
        .values("station")
        .annotate(count=Count("pk"))
        .filter(count__gte=2)
    )
    assert shared.exists()  # some stations have two observers
    teams = MobileTeam.objects.filter(election=election)
    assert teams.count() == 3 and deployed.filter(mobile_team__isnull=False).exists()
    for team in teams:
        assert 2 <= team.stations.count() <= 6
        assert set(team.stations.values_list("pk", flat=True)) <= taking_part
