"""The synthetic election-day reports on top of the demo geography, elections, observers and
forms: realistic (through the real service), with alerts and conflicts, and built only once."""

import pytest

from elections.demo import build_demo_elections
from geo.demo import build_demo_geography
from observation.demo import build_demo_observation
from observation.models import Alert, StationReport, Submission
from observation.tests.dashboard_fixtures import fresh_schema_cache  # noqa: F401  (autouse)
from observers.demo import build_demo_observers
from questionnaires.demo import build_demo_questionnaires

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_without_forms_or_observers_it_says_so_and_does_nothing():
    assert "demo election" in build_demo_observation()["note"]
    build_demo_geography(stations=40)
    build_demo_elections()
    assert "forms" in build_demo_observation()["note"]
    build_demo_questionnaires()
    assert "observers" in build_demo_observation()["note"]
    assert not Submission.objects.exists()


def test_the_demo_sends_reports_with_alerts_and_conflicts_once():
    build_demo_geography(stations=100)
    build_demo_elections()
    build_demo_observers(count=200)
    build_demo_questionnaires()

    summary = build_demo_observation()

    assert summary["submissions_created"] > 30 and summary["refused"] == 0
    assert summary["submissions"] == Submission.objects.count() == summary["submissions_created"]
    assert not Submission.objects.filter(derived=False).exists()
    assert Alert.objects.exists()
    assert StationReport.objects.filter(status=StationReport.Status.CONFLICT).exists()
    assert StationReport.objects.filter(status=StationReport.Status.REPORTED).exists()
    codes = set(Submission.objects.values_list("questionnaire__code", flat=True))
    assert {"OP", "VT", "CL"} <= codes
    # Observers report only where they are deployed.
    for submission in Submission.objects.select_related("observer"):
        assert submission.observer.assigned_stations().filter(pk=submission.station_id).exists()

    counts = (Submission.objects.count(), Alert.objects.count(), StationReport.objects.count())
    again = build_demo_observation()
    assert again["submissions_created"] == 0 and again["derived"] == 0
    assert (Submission.objects.count(), Alert.objects.count(), StationReport.objects.count()) == (
        counts
    )
