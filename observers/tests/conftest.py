"""The small geography of the geo tests, and an election some of its stations take part in."""

import datetime

import pytest

from elections.models import Election, ElectionStation
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography  # noqa: F401

# Stations 12-034, 12-035 and 113-034 take part in `election`; 13-001 and 113-002 do not.
TAKING_PART = ["12-034", "12-035", "113-034"]
ELECTION_DAY = datetime.date(2027, 4, 11)


@pytest.fixture
def election(geography):  # noqa: F811
    """An active election, after today, with three of the five stations taking part."""
    election = ElectionFactory(
        status=Election.Status.ACTIVE,
        election_date=ELECTION_DAY,
        name_az="Bələdiyyə seçkiləri",
        name_en="Municipal election",
        name_ru="Муниципальные выборы",
    )
    for code in TAKING_PART:
        ElectionStation.objects.create(election=election, station=geography["stations"][code])
    return election
