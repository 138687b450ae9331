"""The synthetic demo incidents, on a small demo geography."""

import pytest

from elections.demo import build_demo_elections
from geo.demo import build_demo_geography
from geo.models import PollingStation
from incidents import public
from incidents.demo import build_demo_incidents
from incidents.models import TRANSITIONS, Incident, IncidentStatusChange
from observers.demo import build_demo_observers
from observers.models import Observer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_incidents_in_every_status_once_and_deterministically():
    build_demo_geography(stations=100)
    build_demo_elections()
    build_demo_observers(count=60)
    # Observers deployed to a station (the observer demo may deploy some already).
    deployed = Observer.objects.filter(status=Observer.Status.DEPLOYED).first()
    if not Observer.objects.filter(station__isnull=False).exists():
        Observer.objects.filter(pk=deployed.pk).update(station=PollingStation.objects.first())

    summary = build_demo_incidents()
    assert summary["incidents_created"] == 48 and summary["published"] == 12
    counts = (Incident.objects.count(), IncidentStatusChange.objects.count())
    fields = ("category__code", "severity", "station_id", "status", "occurred_at")
    first = list(Incident.objects.order_by("pk").values_list(*fields))
    assert build_demo_incidents()["incidents_created"] == 0
    assert (Incident.objects.count(), IncidentStatusChange.objects.count()) == counts

    assert set(Incident.objects.values_list("status", flat=True)) == set(Incident.Status.values)
    by_observers = Incident.objects.filter(reporter_kind="observer").select_related("observer")
    assert by_observers.exists()
    assert all(incident.station_id == incident.observer.station_id for incident in by_observers)
    assert Incident.objects.filter(reporter_kind="citizen", citizen_name="").exists()
    for incident in Incident.objects.prefetch_related("status_changes"):
        steps = list(incident.status_changes.all())
        assert steps[0].to_status == "new" and steps[-1].to_status == incident.status
        for step in steps[1:]:
            assert step.to_status in TRANSITIONS[step.from_status]
        if incident.citizen_name:
            assert "(sintetik)" in incident.citizen_name
        if incident.status == "published":
            assert all(incident.summaries.values()) and incident.public_point() is not None
    assert len(public.map_points(public.published_incidents())) == 12

    # Built again from nothing, the demo is the same.
    Incident.objects.all().delete()
    build_demo_incidents()
    assert list(Incident.objects.order_by("pk").values_list(*fields)) == first
