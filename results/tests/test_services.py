"""The one door for protocols: cleaning, checks, quarantine, nothing half-written."""

import pytest
from django.core.exceptions import ValidationError

from results.models import Protocol
from results.services import save_protocol
from results.tests.conftest import good_numbers

pytestmark = pytest.mark.django_db


def _save(election, contest, station, numbers):
    return save_protocol(
        election=election,
        contest=contest,
        station=station,
        source=Protocol.Source.OBSERVER,
        numbers=numbers,
    )


def test_a_protocol_that_adds_up_is_accepted(election, contest, stations):
    protocol = _save(election, contest, stations["12-034"], good_numbers())
    assert protocol.status == Protocol.Status.ACCEPTED
    assert protocol.failed_checks == []
    assert protocol.votes == {"1": 500, "2": 200, "3": 80}


def test_a_protocol_that_does_not_add_up_waits_in_quarantine_with_its_reasons(
    election, contest, stations
):
    numbers = good_numbers() | {"votes": {"1": 600, "2": 200, "3": 80}, "issued": 1400}
    protocol = _save(election, contest, stations["12-034"], numbers)
    assert protocol.status == Protocol.Status.QUARANTINED
    assert protocol.failed_checks == [
        "votes-equal-valid",
        "issued-not-above-registered",
        "issued-not-above-received",
        "ballots-accounted-for",
    ]


def test_a_missing_line_is_not_judged(election, contest, stations):
    protocol = _save(election, contest, stations["12-034"], {"votes": {"1": 5}, "valid": 5})
    assert protocol.status == Protocol.Status.ACCEPTED


@pytest.mark.parametrize(
    ("numbers", "field"),
    [
        ({"registered": -1}, "registered"),
        ({"registered": "abc"}, "registered"),
        ({"registered": 2_000_000}, "registered"),
        ({"votes": {"9": 5}}, "option:9"),
        ({}, "__all__"),
    ],
)
def test_wrong_numbers_are_refused_and_nothing_is_written(
    election, contest, stations, numbers, field
):
    with pytest.raises(ValidationError) as caught:
        _save(election, contest, stations["12-034"], numbers)
    assert field in caught.value.message_dict
    assert not Protocol.objects.exists()
