"""Public geography pages: "find my polling station" and a page per station.

The search page answers htmx requests (search as you type) with just the results fragment from
the same view; without JavaScript it is an ordinary GET form.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from geo.forms import StationSearchForm
from geo.models import Constituency, PollingStation, country_bounds
from geo.search import distance_km

PAGE_SIZE = 20
NEAR_LIMIT = 10
_NEAR = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def wants_fragment(request) -> bool:
    """htmx asked for the results only. A history-restore request (the back button after htmx
    lost its copy of the page) and a boosted link want the whole page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def map_context() -> dict:
    """Credits for the optional tile layer (settings.MAP_TILE_ATTRIBUTION, or OpenStreetMap's
    own when its tiles are used)."""
    attribution = getattr(settings, "MAP_TILE_ATTRIBUTION", "")
    if not attribution and "openstreetmap" in settings.MAP_TILE_URL:
        attribution = "© OpenStreetMap contributors"
    return {"map_tile_attribution": attribution}


def station_point(station: PollingStation) -> dict:
    """What the map needs to draw and label one station."""
    return {
        "lat": float(station.latitude),
        "lon": float(station.longitude),
        "title": f"{station.code} · {station.name}",
        "text": station.address,
        "url": reverse("geo:station_detail", args=[station.code]),
    }


def _constituency_points() -> list[dict]:
    """One point per constituency (the middle of its stations), when nothing was searched."""
    rows = (
        Constituency.objects.filter(stations__latitude__isnull=False)
        .annotate(
            lat=Avg("stations__latitude"),
            lon=Avg("stations__longitude"),
            count=Count("stations"),
        )
        .order_by("number")
    )
    url = reverse("geo:find_station")
    return [
        {
            "lat": round(float(row.lat), 5),
            "lon": round(float(row.lon), 5),
            "title": str(row),
            "text": ngettext("%(count)d polling station", "%(count)d polling stations", row.count)
            % {"count": row.count},
            "url": f"{url}?constituency={row.pk}",
            "kind": "area",
        }
        for row in rows
    ]


def parse_near(value: str) -> tuple[Decimal, Decimal] | None:
    """ "40.4093,49.8671" -> (latitude, longitude), if inside the country."""
    match = _NEAR.match(value or "")
    if not match:
        return None
    latitude, longitude = Decimal(match[1]), Decimal(match[2])
    if not country_bounds().contains(latitude, longitude):
        return None
    return latitude, longitude


def _nearest(latitude: Decimal, longitude: Decimal) -> list[PollingStation]:
    candidates = []
    for degrees in (Decimal("0.05"), Decimal("0.2"), Decimal("1")):
        candidates = list(
            PollingStation.objects.with_places().around(latitude, longitude, degrees=degrees)
        )
        if len(candidates) >= NEAR_LIMIT:
            break
    for station in candidates:
        station.distance_km = distance_km(
            float(latitude), float(longitude), float(station.latitude), float(station.longitude)
        )
    return sorted(candidates, key=lambda s: s.distance_km)[:NEAR_LIMIT]


@require_GET
@vary_on_headers("HX-Request")
def find_station(request):
    form = StationSearchForm(request.GET or None)
    near = parse_near(request.GET.get("near", ""))
    near_invalid = bool(request.GET.get("near")) and near is None
    page = None
    stations: list[PollingStation] = []
    searched = False
    if near is not None:
        searched = True
        stations = _nearest(*near)
    elif form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["constituency"]):
        searched = True
        queryset = PollingStation.objects.with_places().search(form.cleaned_data["q"])
        if form.cleaned_data["constituency"]:
            queryset = queryset.in_constituency(form.cleaned_data["constituency"])
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        stations = list(page.object_list)
    if searched:
        points = [station_point(s) for s in stations if s.has_position]
    else:
        points = _constituency_points()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "searched": searched,
        "near": near,
        "near_invalid": near_invalid,
        "stations": stations,
        "page": page,
        "query_string": query.urlencode(),
        "points": points,
        **map_context(),
    }
    if wants_fragment(request):
        return render(request, "geo/_station_results.html", context)
    return render(request, "geo/find_station.html", context)


@require_GET
def station_detail(request, code: str):
    station = get_object_or_404(PollingStation.objects.with_places(), code=code)
    points = [station_point(station)] if station.has_position else []
    return render(
        request, "geo/station_detail.html", {"station": station, "points": points, **map_context()}
    )
