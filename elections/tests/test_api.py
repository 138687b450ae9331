"""The election endpoints of the JSON API, /api/v1/elections/."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import make_staff
from api.models import Scope
from api.services import api_token_create
from elections import services
from elections.models import Election
from elections.tests.factories import BallotOptionFactory, ElectionFactory

pytestmark = pytest.mark.usefixtures("geography")

BASE = "/api/v1/elections"


def headers(role=Role.ANALYST, scopes=(Scope.ELECTIONS_READ,)):
    user = make_staff(role)
    _token, raw = api_token_create(user=user, name="test", scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def election():
    option = BallotOptionFactory(ballot_number=1, name_az="Leyla Əliyeva", party="Demo Party A")
    election = option.contest.election
    services.election_stations_add_all(actor=None, election=election)
    return election


@pytest.mark.parametrize("path", ["/", "/1", "/1/stations"])
def test_every_endpoint_needs_a_token(client, path):
    response = client.get(BASE + path)
    assert response.status_code == 401
    assert "error" in response.json()


def test_a_token_without_the_elections_scope_is_refused(client, election):
    response = client.get(BASE + "/", **headers(scopes=(Scope.GEO_READ,)))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_the_list_gives_elections_with_their_counts(client, election):
    ElectionFactory(kind=Election.Kind.PARLIAMENTARY)
    body = client.get(BASE + "/", **headers()).json()
    assert body["count"] == 2
    item = next(item for item in body["items"] if item["id"] == election.pk)
    assert item["kind"] == "presidential"
    assert item["contest_count"] == 1 and item["station_count"] == 5


def test_the_list_can_be_filtered_by_type(client, election):
    ElectionFactory(kind=Election.Kind.PARLIAMENTARY)
    body = client.get(BASE + "/?kind=parliamentary", **headers()).json()
    assert [item["kind"] for item in body["items"]] == ["parliamentary"]


def test_the_detail_gives_contests_and_their_options(client, election):
    body = client.get(f"{BASE}/{election.pk}", **headers()).json()
    contest = body["contests"][0]
    assert contest["kind"] == "national" and contest["constituency"] is None
    assert contest["options"][0]["name_az"] == "Leyla Əliyeva"
    assert contest["options"][0]["party"] == "Demo Party A"


def test_an_unknown_election_is_not_found(client, election):
    assert client.get(f"{BASE}/999999", **headers()).status_code == 404


def test_participating_stations_are_paginated(client, election):
    body = client.get(f"{BASE}/{election.pk}/stations?page_size=2&page=2", **headers()).json()
    assert body["count"] == 5 and body["pages"] == 3 and body["page"] == 2
    assert [item["code"] for item in body["items"]] == ["13-001", "113-002"]
    assert body["items"][0]["region"] == "baki"
