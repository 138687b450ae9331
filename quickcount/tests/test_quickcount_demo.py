"""The demo quick count on top of the demo geography and elections: a drawn sample, most
sample stations reporting through the real protocol service, snapshots with the last published,
and nothing more on a second run."""

import pytest

from elections.demo import build_demo_elections
from geo.demo import build_demo_geography
from quickcount.demo import build_demo_quickcount
from quickcount.models import EstimateSnapshot, SampleDesign
from results.models import Protocol
from results.tests.conftest import _default_checks  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_without_the_election_it_says_so():
    assert "note" in build_demo_quickcount()


def test_the_demo_draws_reports_and_publishes_once():
    build_demo_geography(stations=300)
    build_demo_elections()
    summary = build_demo_quickcount()
    design = SampleDesign.objects.get()
    assert design.status == SampleDesign.Status.DRAWN and design.seed == 20280409
    sample = design.stations.filter(reserve_rank=0).count()
    assert summary["sample"] == sample > 0
    assert 0.8 * sample <= summary["protocols"] <= sample
    assert Protocol.objects.filter(status=Protocol.Status.ACCEPTED).count() == summary["protocols"]
    snapshots = list(EstimateSnapshot.objects.order_by("taken_at"))
    assert len(snapshots) == 4 and snapshots[-1].is_published
    assert not any(s.is_published for s in snapshots[:-1])
    assert snapshots[0].n_reported < snapshots[-1].n_reported == summary["protocols"]
    assert "labels" in snapshots[-1].result
    again = build_demo_quickcount()
    assert "already" in again["note"]
    assert Protocol.objects.count() == summary["protocols"]
    assert EstimateSnapshot.objects.count() == 4
