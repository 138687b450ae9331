"""Geography endpoints of the JSON API, /api/v1/geo/.

Reads need a token with the "geo:read" scope, writes "geo:write" (a scope counts only while the
token's user holds the permission behind it, see api.services). Creating a station also needs
geo.add_pollingstation and the bulk import geo.import_geography. The bulk import applies the
same checks as the staff file import: all rows or none, 422 with every problem by row and column.
Names come in all three languages plus `name` in the language of the request (Accept-Language).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from api.auth import token_auth
from api.errors import ApiError
from api.models import Scope
from api.pagination import BirlikPagination
from geo import services
from geo.models import Constituency, District, PollingStation, Region

router = Router(tags=["geography"])
read = token_auth(Scope.GEO_READ)
write = token_auth(Scope.GEO_WRITE)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


# --- Output ---------------------------------------------------------------------------------------


class NamesOut(Schema):
    name: str = Field(description="The name in the language of the request")
    name_az: str
    name_en: str
    name_ru: str


class RegionOut(NamesOut):
    id: int
    code: str


class DistrictOut(NamesOut):
    id: int
    code: str
    region: str = Field(description="Code of the region")

    @staticmethod
    def resolve_region(obj: District) -> str:
        return obj.region.code


class ConstituencyOut(NamesOut):
    id: int
    number: int
    district: str = Field(description="Code of the district")
    region: str = Field(description="Code of the region")

    @staticmethod
    def resolve_district(obj: Constituency) -> str:
        return obj.district.code

    @staticmethod
    def resolve_region(obj: Constituency) -> str:
        return obj.district.region.code


class StationOut(NamesOut):
    id: int
    code: str = Field(description='"<constituency>-<number>", e.g. "12-034"')
    number: int
    constituency: int = Field(description="Number of the constituency")
    district: str = Field(description="Code of the district")
    region: str = Field(description="Code of the region")
    address: str
    settlement: str
    registered_voters: int
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_constituency(obj: PollingStation) -> int:
        return obj.constituency.number

    @staticmethod
    def resolve_district(obj: PollingStation) -> str:
        return obj.constituency.district.code

    @staticmethod
    def resolve_region(obj: PollingStation) -> str:
        return obj.constituency.district.region.code


class ImportResultOut(Schema):
    rows: int
    counts: dict[str, int]


# --- Input ----------------------------------------------------------------------------------------


class StationFilters(Schema):
    region: str | None = Field(None, description="Region code")
    district: str | None = Field(None, description="District code")
    constituency: int | None = Field(None, description="Constituency number")
    q: str | None = Field(
        None, max_length=100, description="Station code or number, settlement, address, name"
    )


class StationCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    constituency: int = Field(description="Number of the constituency")
    number: int
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    address: str
    settlement: str
    registered_voters: int
    latitude: float | None = None
    longitude: float | None = None


class StationPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    constituency: int | None = Field(None, description="Number of the constituency")
    number: int | None = None
    name_az: str | None = None
    name_en: str | None = None
    name_ru: str | None = None
    address: str | None = None
    settlement: str | None = None
    registered_voters: int | None = None
    latitude: float | None = None
    longitude: float | None = None


Cell = str | int | float | None


class StationImportRow(Schema):
    """One station, with the columns of the CSV import (see the staff import page)."""

    model_config = ConfigDict(extra="forbid")

    region_code: Cell = None
    region_name_az: Cell = None
    region_name_en: Cell = None
    region_name_ru: Cell = None
    district_code: Cell = None
    district_name_az: Cell = None
    district_name_en: Cell = None
    district_name_ru: Cell = None
    constituency_number: Cell = None
    constituency_name_az: Cell = None
    constituency_name_en: Cell = None
    constituency_name_ru: Cell = None
    station_number: Cell = None
    station_name_az: Cell = None
    station_name_en: Cell = None
    station_name_ru: Cell = None
    address: Cell = None
    settlement: Cell = None
    registered_voters: Cell = None
    latitude: Cell = None
    longitude: Cell = None


class StationImportIn(Schema):
    rows: list[StationImportRow] = Field(
        min_length=1, max_length=50_000, description="Rows are numbered from 1 in errors"
    )


# --- Endpoints ------------------------------------------------------------------------------------


@router.get("/regions", response=list[RegionOut], auth=read)
@paginate(BirlikPagination)
def list_regions(request):
    """The economic regions."""
    return Region.objects.order_by("code")


@router.get("/districts", response=list[DistrictOut], auth=read)
@paginate(BirlikPagination)
def list_districts(request, region: str | None = None):
    """Districts and cities with district status, optionally of one region (by code)."""
    districts = District.objects.select_related("region").order_by("code")
    if region:
        districts = districts.filter(region__code=region)
    return districts


@router.get("/constituencies", response=list[ConstituencyOut], auth=read)
@paginate(BirlikPagination)
def list_constituencies(request, region: str | None = None, district: str | None = None):
    """Constituencies by number, optionally of one region or district (by code)."""
    constituencies = Constituency.objects.select_related("district__region").order_by("number")
    if region:
        constituencies = constituencies.filter(district__region__code=region)
    if district:
        constituencies = constituencies.filter(district__code=district)
    return constituencies


@router.get("/stations", response=list[StationOut], auth=read)
@paginate(BirlikPagination)
def list_stations(request, filters: Query[StationFilters]):
    """Polling stations ordered by constituency and number. `q` matches a code ("12-034"), a
    station number, or words of the name, address or settlement, spelling-tolerant."""
    stations = PollingStation.objects.with_places().order_by("constituency__number", "number")
    if filters.region:
        stations = stations.filter(constituency__district__region__code=filters.region)
    if filters.district:
        stations = stations.filter(constituency__district__code=filters.district)
    if filters.constituency:
        stations = stations.filter(constituency__number=filters.constituency)
    if filters.q:
        stations = stations.search(filters.q)
    return stations


# Before the "/stations/{code}" routes, which would otherwise take "import" for a code.
@router.post("/stations/import", response=ImportResultOut, auth=write)
def import_stations(request, payload: StationImportIn):
    """Add or update many stations at once, with the same checks as the file import: if any
    row is wrong nothing is written, and the 422 answer lists every problem by row and column."""
    _require(request, "geo.import_geography")
    rows = [row.dict() for row in payload.rows]
    result = services.station_import_rows(actor=request.user, rows=rows, source="API")
    if not result.ok:
        raise ApiError(
            422,
            "import_failed",
            ngettext(
                "Nothing was imported: %(count)d problem was found.",
                "Nothing was imported: %(count)d problems were found.",
                len(result.errors),
            )
            % {"count": len(result.errors)},
            details=[error.as_dict() for error in result.errors],
        )
    return {"rows": result.rows, "counts": result.counts}


@router.get("/stations/{code}", response=StationOut, auth=read)
def get_station(request, code: str):
    """One polling station by its code."""
    return get_object_or_404(PollingStation.objects.with_places(), code=code)


def _constituency(number: int | None) -> Constituency | None:
    if number is None:
        return None
    constituency = Constituency.objects.filter(number=number).first()
    if constituency is None:
        raise ValidationError(
            {"constituency": _("There is no constituency number %(number)d.") % {"number": number}}
        )
    return constituency


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@router.post("/stations", response={201: StationOut}, auth=write)
def create_station(request, payload: StationCreateIn):
    """Add a polling station; its code follows from constituency and number."""
    _require(request, "geo.add_pollingstation")
    data = payload.dict()
    data["constituency"] = _constituency(data["constituency"])
    data["latitude"] = _decimal(data["latitude"])
    data["longitude"] = _decimal(data["longitude"])
    station = services.station_create(actor=request.user, **data)
    return Status(201, PollingStation.objects.with_places().get(pk=station.pk))


@router.patch("/stations/{code}", response=StationOut, auth=write)
def update_station(request, code: str, payload: StationPatchIn):
    """Change some fields of a station; fields left out stay as they are."""
    _require(request, "geo.change_pollingstation")
    station = get_object_or_404(PollingStation, code=code)
    changes = payload.dict(exclude_unset=True)
    if "constituency" in changes:
        if changes["constituency"] is None:
            raise ValidationError({"constituency": _("This field cannot be empty.")})
        changes["constituency"] = _constituency(changes["constituency"])
    for name in ("latitude", "longitude"):
        if name in changes:
            changes[name] = _decimal(changes[name])
    station = services.station_update(actor=request.user, station=station, **changes)
    return PollingStation.objects.with_places().get(pk=station.pk)
