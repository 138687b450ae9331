"""Quick-count fixtures: the results tests' election (presidential, three candidates, every
station of the small geography) grown to 60 stations in two regions, so that samples and
estimates have something to work with."""

import random

import pytest

from elections.models import ElectionStation
from geo.tests.factories import PollingStationFactory
from quickcount import services
from quickcount.models import SampleDesign
from results.models import Protocol
from results.services import save_protocol
from results.tests.conftest import (  # noqa: F401
    _default_checks,
    administrator,
    analyst,
    clerks,
    contest,
    coordinator,
    election,
    geography,
    observer,
    private_storage,
    regions,
    stations,
)

EXTRA_STATIONS = 55


@pytest.fixture
def frame_stations(election, geography):  # noqa: F811
    """55 more stations (constituencies 12 and 113: Baku and Shaki-Zagatala) in the election."""
    rng = random.Random(5)
    extra = []
    for i in range(EXTRA_STATIONS):
        constituency = geography["constituencies"][12 if i % 2 else 113]
        extra.append(
            PollingStationFactory(
                constituency=constituency, number=200 + i, registered_voters=rng.randint(300, 1500)
            )
        )
    ElectionStation.objects.bulk_create(
        ElectionStation(election=election, station=station) for station in extra
    )
    return [*geography["stations"].values(), *extra]


@pytest.fixture
def design(analyst, election, contest, frame_stations):  # noqa: F811
    return services.design_create(
        actor=analyst,
        election=election,
        contest=contest,
        name="Test sample",
        stratify_by=SampleDesign.Stratification.REGION,
        sample_size=30,
        reserve_per_stratum=2,
        min_reports=10,
    )


def numbers_for(station, rng: random.Random) -> dict:
    """A protocol that passes the default checks, with some spread between stations."""
    registered = station.registered_voters
    issued = int(registered * rng.uniform(0.4, 0.7))
    invalid = rng.randint(0, 10)
    valid = issued - invalid
    a = int(valid * rng.uniform(0.4, 0.6))
    b = int((valid - a) * rng.uniform(0.4, 0.7))
    c = valid - a - b
    return {
        "registered": registered,
        "received": registered + 10,
        "issued": issued,
        "cast": issued,
        "spoiled": 0,
        "invalid": invalid,
        "valid": valid,
        "votes": {"1": a, "2": b, "3": c},
    }


def report(design, count: int | None = None, *, seed: int = 1) -> list[Protocol]:
    """Accepted observer protocols from the first ``count`` sample stations."""
    rng = random.Random(seed)
    items = list(
        design.stations.filter(reserve_rank=0).select_related("station").order_by("station__code")
    )
    out = []
    for item in items[:count]:
        protocol = save_protocol(
            election=design.election,
            contest=design.contest,
            station=item.station,
            source=Protocol.Source.OBSERVER,
            numbers=numbers_for(item.station, rng),
        )
        assert protocol.status == Protocol.Status.ACCEPTED, protocol.failed_checks
        out.append(protocol)
    return out
