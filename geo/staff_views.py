"""Staff pages for the geography: the station list, a station's details and edit form, and the
CSV/XLSX import. Viewing needs geo.view_pollingstation, editing geo.change_pollingstation,
adding geo.add_pollingstation and importing geo.import_geography."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from audit.models import AuditEntry
from core.forms import save_through_service
from geo import services
from geo.forms import ImportForm, StationFilterForm, StationForm
from geo.importing import COLUMN_NAMES, COLUMNS, template_csv
from geo.models import PollingStation
from geo.views import wants_fragment

PAGE_SIZE = 50
ERRORS_SHOWN = 200


def _get_station(code: str) -> PollingStation:
    return get_object_or_404(PollingStation.objects.with_places(), code=code)


@login_required
@permission_required("geo.view_pollingstation", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def station_list(request):
    form = StationFilterForm(request.GET or None)
    stations = form.filter(PollingStation.objects.with_places())
    totals = stations.aggregate(voters=Sum("registered_voters"))
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total_voters": totals["voters"] or 0,
        "query_string": query.urlencode(),
        "section": "stations",
    }
    if wants_fragment(request):
        return render(request, "geo/staff/_station_table.html", context)
    return render(request, "geo/staff/station_list.html", context)


@login_required
@permission_required("geo.view_pollingstation", raise_exception=True)
@require_GET
def station_export(request):
    """The filtered stations as CSV in the import layout, so an export can be edited and
    imported again."""
    form = StationFilterForm(request.GET or None)
    stations = form.filter(PollingStation.objects.with_places()).order_by(
        "constituency__number", "number"
    )

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), lineterminator="\r\n")

    def rows():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow(COLUMN_NAMES)
        for station in stations.iterator(chunk_size=1000):
            constituency = station.constituency
            district = constituency.district
            region = district.region
            yield writer.writerow(
                [
                    region.code,
                    region.name_az,
                    region.name_en,
                    region.name_ru,
                    district.code,
                    district.name_az,
                    district.name_en,
                    district.name_ru,
                    constituency.number,
                    constituency.name_az,
                    constituency.name_en,
                    constituency.name_ru,
                    station.number,
                    station.name_az,
                    station.name_en,
                    station.name_ru,
                    station.address,
                    station.settlement,
                    station.registered_voters,
                    "" if station.latitude is None else station.latitude,
                    "" if station.longitude is None else station.longitude,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="polling-stations-{stamp}.csv"'
    return response


@login_required
@permission_required("geo.view_pollingstation", raise_exception=True)
@require_GET
def station_detail(request, code: str):
    station = _get_station(code)
    history = []
    if request.user.has_perm("audit.view_auditentry"):
        history = AuditEntry.objects.for_object(station)[:20]
    return render(
        request,
        "geo/staff/station_detail.html",
        {"station": station, "history": history, "section": "stations"},
    )


@login_required
@permission_required("geo.change_pollingstation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def station_edit(request, code: str):
    station = _get_station(code)
    form = StationForm(request.POST or None, instance=station)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form,
            lambda: services.station_update(
                actor=request.user, station=station, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The polling station was saved."))
            return redirect("geo_staff:station_detail", code=saved.code)
    return render(
        request,
        "geo/staff/station_form.html",
        {"form": form, "station": station, "section": "stations"},
    )


@login_required
@permission_required("geo.add_pollingstation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def station_create(request):
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form, lambda: services.station_create(actor=request.user, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("The polling station was added."))
            return redirect("geo_staff:station_detail", code=saved.code)
    return render(
        request, "geo/staff/station_form.html", {"form": form, "station": None, "section": "new"}
    )


@login_required
@permission_required("geo.import_geography", raise_exception=True)
@require_http_methods(["GET", "POST"])
def station_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.station_import(actor=request.user, file=upload, file_name=upload.name)
        if result.ok:
            counts = result.counts
            messages.success(
                request,
                _(
                    "Imported %(rows)d rows: %(created)d polling stations added, %(updated)d "
                    "changed, %(unchanged)d unchanged; %(places)d regions, districts and "
                    "constituencies added."
                )
                % {
                    "rows": result.rows,
                    "created": counts["stations_created"],
                    "updated": counts["stations_updated"],
                    "unchanged": counts["stations_unchanged"],
                    "places": counts["regions_created"]
                    + counts["districts_created"]
                    + counts["constituencies_created"],
                },
            )
            return redirect("geo_staff:station_list")
    status = 422 if result is not None and not result.ok else 200
    return render(
        request,
        "geo/staff/import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - ERRORS_SHOWN) if result else 0,
            "columns": COLUMNS,
            "section": "import",
        },
        status=status,
    )


@login_required
@permission_required("geo.import_geography", raise_exception=True)
@require_GET
def import_template(request):
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="polling-stations-template.csv"'
    return response
