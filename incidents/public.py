"""What the public may know about incidents: published ones only, and only these fields.

The public pages and the public API read incidents through here and hand on `PublicIncident`
values, never the model: the description, the reporter and the exact point of a citizen's
report are not even loaded (they are deferred), so no template or schema can show them.
"""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from incidents.models import Incident

# Never read on a public path.
PRIVATE_FIELDS = ("description", "citizen_name", "citizen_contact", "observer")
MAP_LIMIT = 2000


def published_incidents() -> QuerySet:
    return (
        Incident.objects.published()
        .defer(*PRIVATE_FIELDS)
        .select_related("election", "category", "region", "station__constituency__district")
        .order_by("-occurred_at", "-pk")
    )


@dataclass(frozen=True)
class PublicIncident:
    id: int
    election: str
    election_id: int
    category: str
    category_code: str
    severity: str
    severity_label: str
    occurred_on: datetime.date
    region: str
    region_code: str
    district: str
    station_code: str
    station_url: str
    summary: str
    summary_az: str
    summary_en: str
    summary_ru: str
    latitude: float | None
    longitude: float | None
    published_at: datetime.datetime | None

    def as_dict(self) -> dict:
        return asdict(self)


def public_row(incident: Incident) -> PublicIncident:
    station = incident.station
    district = station.constituency.district if station is not None else None
    point = incident.public_point()
    return PublicIncident(
        id=incident.pk,
        election=incident.election.name,
        election_id=incident.election_id,
        category=incident.category.name,
        category_code=incident.category.code,
        severity=incident.severity,
        severity_label=str(Incident.Severity(incident.severity).label),
        occurred_on=timezone.localdate(incident.occurred_at),
        region=incident.region.name,
        region_code=incident.region.code,
        district=district.name if district is not None else "",
        station_code=station.code if station is not None else "",
        station_url=reverse("geo:station_detail", args=[station.code]) if station else "",
        summary=incident.public_summary,
        summary_az=incident.public_summary_az,
        summary_en=incident.public_summary_en,
        summary_ru=incident.public_summary_ru,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        published_at=incident.published_at,
    )


def map_points(incidents: QuerySet, *, limit: int = MAP_LIMIT) -> list[dict]:
    """What the public map draws (static/incidents/incidents-map.js reads this JSON)."""
    points = []
    for incident in incidents[:limit]:
        row = public_row(incident)
        if row.latitude is None:
            continue
        place = " · ".join(part for part in (row.station_code, row.district, row.region) if part)
        points.append(
            {
                "lat": row.latitude,
                "lon": row.longitude,
                "title": row.category,
                "severity": row.severity,
                "severity_label": row.severity_label,
                "date": formats.date_format(row.occurred_on, "DATE_FORMAT"),
                "place": place,
                "text": row.summary,
            }
        )
    return points
