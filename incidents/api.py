"""Incident endpoints of the JSON API, /api/v1/incidents/.

- Observers' devices (`Bearer obs_...`) report an incident at one of their assigned stations
  with one multipart request: the fields as form fields and up to five photos or videos as
  `files`. The report and its files are saved together or not at all (422 says what is wrong).
  `GET /mine` lists the device's observer's own reports and where they stand.
- Anyone may read the published incidents (`GET /published`) and the categories: only the
  public fields; never the description, the reporter or a citizen's exact point.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from api.errors import ApiError
from api.pagination import BirlikPagination
from incidents import public, services
from incidents.models import Incident, IncidentCategory
from observation.auth import device_auth

router = Router(tags=["incidents"])

SeverityCode = Literal["low", "medium", "high", "critical"]
StatusCode = Literal["new", "verified", "rejected", "published"]


class CategoryOut(Schema):
    code: str
    name: str = Field(description="The name in the language of the request")
    name_az: str
    name_en: str
    name_ru: str


class IncidentIn(Schema):
    category: str = Field(description="A category code (GET /incidents/categories)")
    severity: SeverityCode
    occurred_at: datetime.datetime = Field(
        description="When it happened (ISO 8601, with a time zone offset)"
    )
    station_id: int = Field(description="One of the observer's assigned stations")
    description: str = Field(
        min_length=services.DESCRIPTION_MIN,
        max_length=services.DESCRIPTION_MAX,
        description="What happened; read only by staff, never published",
    )
    latitude: Decimal | None = Field(None, description="Optional point, with longitude")
    longitude: Decimal | None = None


class OwnIncidentOut(Schema):
    id: int
    status: StatusCode
    category: str = Field(description="Category code")
    severity: SeverityCode
    station_code: str
    occurred_at: datetime.datetime
    received_at: datetime.datetime
    media: int = Field(description="How many photos and videos were received")

    @staticmethod
    def resolve_category(obj: Incident) -> str:
        return obj.category.code

    @staticmethod
    def resolve_station_code(obj: Incident) -> str:
        return obj.station.code if obj.station_id else ""

    @staticmethod
    def resolve_received_at(obj: Incident) -> datetime.datetime:
        return obj.created_at

    @staticmethod
    def resolve_media(obj: Incident) -> int:
        count = getattr(obj, "media_count", None)
        return obj.media.count() if count is None else count


class PublicIncidentOut(Schema):
    id: int
    election_id: int
    election: str
    category_code: str
    category: str
    severity: SeverityCode
    occurred_on: datetime.date = Field(description="The day it happened (no time is given)")
    region_code: str
    region: str
    district: str = Field(description="Empty when no polling station is known")
    station_code: str = Field(description="Empty when no polling station is known")
    summary: str = Field(
        description="Written by staff for the public, in the language of the request (or the "
        "first one written)"
    )
    summary_az: str
    summary_en: str
    summary_ru: str
    latitude: float | None = Field(
        description="The station's position, or the reported point rounded to about 1 km"
    )
    longitude: float | None
    published_at: datetime.datetime | None


class PublishedFilters(Schema):
    election: int | None = Field(None, description="Election id")
    category: str | None = Field(None, description="Category code")
    region: str | None = Field(None, description="Region code")
    severity: SeverityCode | None = None


@router.get("/categories", response=list[CategoryOut], summary="Incident categories")
def category_list(request):
    """The categories reports may use now (retired ones are left out)."""
    return IncidentCategory.objects.filter(active=True)


@router.post(
    "/",
    auth=device_auth,
    response={201: OwnIncidentOut},
    summary="Report an incident (observers)",
)
def incident_create(
    request,
    payload: Form[IncidentIn],
    files: File[list[UploadedFile]] = None,
):
    """Send as `multipart/form-data`: the fields below as form fields, and up to five photos
    (JPEG, PNG, WebP, at most 10 MB each) or videos (MP4, WebM, MOV, at most 50 MB each) as
    repeated `files` parts. The type is checked from the bytes, not the name. Nothing is saved
    unless everything is valid."""
    # An error report must not carry the report's text (see django.views.debug).
    request.sensitive_post_parameters = "__ALL__"
    services.forget_upload_names(request.FILES)
    category = IncidentCategory.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise ApiError(
            422,
            "validation_error",
            _("The request is not valid."),
            details=[{"field": "category", "message": _("Choose one of the categories offered.")}],
        )
    incident = services.incident_report_observer(
        observer=request.observer,
        category=category,
        severity=payload.severity,
        occurred_at=payload.occurred_at,
        station=payload.station_id,
        description=payload.description,
        latitude=payload.latitude,
        longitude=payload.longitude,
        files=files or [],
    )
    return Status(201, incident)


@router.get(
    "/mine",
    auth=device_auth,
    response=list[OwnIncidentOut],
    summary="The observer's own reports",
)
@paginate(BirlikPagination)
def incident_mine(request):
    """Newest first, with the status each has reached."""
    return (
        Incident.objects.filter(observer=request.observer)
        .defer("description", "citizen_name", "citizen_contact")
        .select_related("category", "station")
        .annotate(media_count=Count("media"))
        .order_by("-created_at", "-pk")
    )


@router.get(
    "/published",
    response=list[PublicIncidentOut],
    summary="Published incidents (public)",
)
@paginate(BirlikPagination)
def incident_published(request, filters: Query[PublishedFilters]):
    """What the public map shows: published incidents, newest first, with only their public
    fields."""
    incidents = public.published_incidents()
    if filters.election:
        incidents = incidents.filter(election_id=filters.election)
    if filters.category:
        incidents = incidents.filter(category__code=filters.category)
    if filters.region:
        incidents = incidents.filter(region__code=filters.region)
    if filters.severity:
        incidents = incidents.filter(severity=filters.severity)
    return _PublicRows(incidents)


class _PublicRows:
    """A published-incident QuerySet that the paginator slices and counts, handing on only
    the public values of each row."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window):
        return [public.public_row(incident).as_dict() for incident in self.queryset[window]]
