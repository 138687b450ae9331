"""Election endpoints of the JSON API, /api/v1/elections/.

Every endpoint needs a token with the "elections:read" scope (which counts only while the
token's user holds elections.view_election). Names come in all three languages plus `name` in
the language of the request (Accept-Language).
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from api.auth import token_auth
from api.models import Scope
from api.pagination import BirlikPagination
from elections.models import Contest, Election, ElectionStation

router = Router(tags=["elections"])
read = token_auth(Scope.ELECTIONS_READ)


class NamesOut(Schema):
    name: str = Field(description="The name in the language of the request")
    name_az: str
    name_en: str
    name_ru: str


class ElectionOut(NamesOut):
    id: int
    kind: Election.Kind
    election_date: datetime.date
    rounds: int
    current_round: int
    status: Election.Status
    contest_count: int
    station_count: int = Field(description="Number of polling stations taking part")


class BallotOptionOut(NamesOut):
    id: int
    kind: str = Field(description="candidate, party or answer")
    party: str
    ballot_number: int


class ContestOut(NamesOut):
    id: int
    kind: Contest.Kind
    round: int
    constituency: int | None = Field(description="Number of the constituency, if any")
    options: list[BallotOptionOut]

    @staticmethod
    def resolve_constituency(obj: Contest) -> int | None:
        return obj.constituency.number if obj.constituency_id else None

    @staticmethod
    def resolve_options(obj: Contest) -> list:
        return list(obj.options.all())


class ElectionDetailOut(ElectionOut):
    contests: list[ContestOut]

    @staticmethod
    def resolve_contests(obj: Election) -> list:
        return list(Contest.objects.of_election(obj).with_options())


class ParticipatingStationOut(NamesOut):
    id: int = Field(description="Id of the polling station")
    code: str = Field(description='"<constituency>-<number>", e.g. "12-034"')
    constituency: int = Field(description="Number of the constituency")
    district: str = Field(description="Code of the district")
    region: str = Field(description="Code of the region")

    @staticmethod
    def resolve_id(obj: ElectionStation) -> int:
        return obj.station_id

    @staticmethod
    def resolve_code(obj: ElectionStation) -> str:
        return obj.station.code

    @staticmethod
    def resolve_name(obj: ElectionStation) -> str:
        return obj.station.name

    @staticmethod
    def resolve_name_az(obj: ElectionStation) -> str:
        return obj.station.name_az

    @staticmethod
    def resolve_name_en(obj: ElectionStation) -> str:
        return obj.station.name_en

    @staticmethod
    def resolve_name_ru(obj: ElectionStation) -> str:
        return obj.station.name_ru

    @staticmethod
    def resolve_constituency(obj: ElectionStation) -> int:
        return obj.station.constituency.number

    @staticmethod
    def resolve_district(obj: ElectionStation) -> str:
        return obj.station.constituency.district.code

    @staticmethod
    def resolve_region(obj: ElectionStation) -> str:
        return obj.station.constituency.district.region.code


@router.get("/", response=list[ElectionOut], auth=read)
@paginate(BirlikPagination)
def list_elections(
    request, status: Election.Status | None = None, kind: Election.Kind | None = None
):
    """Elections, the latest first, optionally of one status or type."""
    elections = Election.objects.with_counts().order_by("-election_date", "pk")
    if status:
        elections = elections.with_status(status)
    if kind:
        elections = elections.of_kind(kind)
    return elections


@router.get("/{int:election_id}", response=ElectionDetailOut, auth=read)
def get_election(request, election_id: int):
    """An election with its contests and each contest's ballot options in ballot order."""
    return get_object_or_404(Election.objects.with_counts(), pk=election_id)


@router.get("/{int:election_id}/stations", response=list[ParticipatingStationOut], auth=read)
@paginate(BirlikPagination)
def list_election_stations(request, election_id: int):
    """The polling stations taking part, ordered by constituency and number."""
    election = get_object_or_404(Election, pk=election_id)
    return (
        ElectionStation.objects.of_election(election)
        .with_places()
        .order_by("station__constituency__number", "station__number")
    )
