"""The coordinators' election-day pages, under /<lang>/staff/observation/: pick an election,
then its live picture (coverage per form and region, the alerts feed), the station list by
state, a station's submissions side by side, per-question results, the map and the exports;
plus the page that sets which regions each coordinator watches.

Watching needs observation.view_observation; acknowledging alerts and settling disagreements
observation.manage_observation; setting coordinators' regions accounts.manage_users. Every
read is limited to the regions the person watches (observation.access): a station, report or
alert elsewhere is answered with 404, as if it did not exist. The pages that change every few
seconds answer htmx's polling with just their fragment, from the same view.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from backoffice.decorators import staff_required
from elections.models import Election
from geo.models import PollingStation
from geo.views import map_context, wants_fragment
from observation import coordinators as coordinator_services
from observation import dashboard, exports
from observation.access import may_see_region, sees_all_regions, visible_region_ids
from observation.models import Alert, StationReport, Submission
from observation.services import acknowledge_alert, derive_station_reports, resolve_conflict
from observation.staff_forms import (
    AcknowledgeForm,
    AlertFilterForm,
    CoordinatorRegionsForm,
    PictureFilterForm,
    ResolveForm,
    StationFilterForm,
)

VIEW = "observation.view_observation"
MANAGE = "observation.manage_observation"
MANAGE_USERS = "accounts.manage_users"
PAGE_SIZE = 50
ALERTS_ON_LIVE_PAGE = 10
# Submissions folded into station reports per page view; the rest wait for the next refresh,
# so a burst of reports never makes one page slow.
DERIVE_BATCH = 2000
REFRESH_SECONDS = 5


def _derive() -> None:
    derive_station_reports(limit=DERIVE_BATCH)


def _get_election(pk: int) -> Election:
    return get_object_or_404(Election, pk=pk)


def _page_context(request, election: Election, section: str, **extra) -> dict:
    region_ids = visible_region_ids(request.user)
    return {
        "election": election,
        "section": section,
        "region_ids": region_ids,
        "sees_all_regions": region_ids is None,
        "has_no_regions": region_ids is not None and not region_ids,
        "refresh_seconds": REFRESH_SECONDS,
        "now": timezone.now(),
        **extra,
    }


def _chosen_regions(region_ids, region):
    """The regions to read: the one chosen in the filter, or all the person watches."""
    if region is None:
        return region_ids
    return {region.pk}


def _query_string(request, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


# --- Choosing an election -------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def election_list(request):
    elections = Election.objects.exclude(status=Election.Status.DRAFT).order_by(
        "status", "-election_date", "pk"
    )
    drafts = Election.objects.filter(status=Election.Status.DRAFT).order_by("-election_date")
    return render(
        request,
        "observation/staff/election_list.html",
        {
            "elections": elections,
            "drafts": drafts,
            "has_no_regions": visible_region_ids(request.user) == set(),
        },
    )


# --- The live picture -----------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def live(request, election_id: int):
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "live")
    region_ids = context["region_ids"]
    forms = dashboard.election_forms(election)
    open_alerts = dashboard.alert_feed(election, region_ids=region_ids, handled=False)
    context.update(
        forms=forms,
        coverage=dashboard.coverage(election, region_ids=region_ids, forms=forms),
        alerts=dashboard.describe_alerts(
            dashboard.alert_feed(election, region_ids=region_ids)[:ALERTS_ON_LIVE_PAGE]
        ),
        open_alert_count=open_alerts.count(),
    )
    if wants_fragment(request):
        return render(request, "observation/staff/_live.html", context)
    return render(request, "observation/staff/live.html", context)


# --- Alerts ---------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def alert_list(request, election_id: int):
    election = _get_election(election_id)
    context = _page_context(request, election, "alerts")
    form = AlertFilterForm(request.GET or None, region_ids=context["region_ids"])
    status = 200
    if form.is_bound and not form.is_valid():
        alerts = Alert.objects.none()
        status = 400
    else:
        region = form.cleaned_data.get("region") if form.is_bound else None
        alerts = dashboard.alert_feed(
            election, region_ids=context["region_ids"], handled=form.handled, region=region
        )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = dashboard.describe_alerts(page.object_list)
    context.update(form=form, page=page, query_string=_query_string(request))
    template = "_alerts.html" if wants_fragment(request) else "alerts.html"
    return render(request, f"observation/staff/{template}", context, status=status)


def _get_alert(request, election: Election, pk: int) -> Alert:
    alert = get_object_or_404(
        Alert.objects.select_related(
            "station", "region", "acknowledged_by", "submission__observer"
        ),
        pk=pk,
        election=election,
    )
    if not may_see_region(request.user, alert.region_id):
        raise Http404
    return alert


def _render_alert(request, election, alert, form, status=200):
    context = _page_context(
        request,
        election,
        "alerts",
        alert=dashboard.describe_alerts([alert])[0],
        form=form,
    )
    return render(request, "observation/staff/alert_detail.html", context, status=status)


@staff_required(VIEW)
@require_GET
def alert_detail(request, election_id: int, pk: int):
    election = _get_election(election_id)
    alert = _get_alert(request, election, pk)
    return _render_alert(request, election, alert, AcknowledgeForm())


@staff_required(VIEW, MANAGE)
@require_POST
def alert_acknowledge(request, election_id: int, pk: int):
    election = _get_election(election_id)
    alert = _get_alert(request, election, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            acknowledge_alert(alert, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The alert was marked as handled."))
            return redirect("observation_staff:alert_list", election_id=election.pk)
    return _render_alert(request, election, alert, form, status=422)


# --- Stations -------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def station_list(request, election_id: int):
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "stations")
    forms = dashboard.election_forms(election)
    form = StationFilterForm(request.GET, forms_of_election=forms, region_ids=context["region_ids"])
    status = 200
    stations = PollingStation.objects.none()
    chosen = None
    if form.is_valid():
        data = form.cleaned_data
        chosen = data["form"]
        stations = dashboard.stations_with_state(
            election,
            chosen,
            region_ids=context["region_ids"],
            region=data["region"],
            state=data["state"] or None,
            query=data["q"],
        )
    elif forms:
        status = 400
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    for station in page.object_list:
        station.state = dashboard.station_state(station)
        station.conflict_codes = sorted(station.report_conflicts or {})
    context.update(
        forms=forms,
        form=form,
        chosen_form=chosen,
        page=page,
        query_string=_query_string(request),
        export_query=_query_string(request, "state", "q"),
    )
    template = "_stations.html" if wants_fragment(request) else "stations.html"
    return render(request, f"observation/staff/{template}", context, status=status)


def _get_station(request, election: Election, code: str) -> PollingStation:
    station = get_object_or_404(
        PollingStation.objects.select_related("constituency__district__region"), code=code
    )
    taking_part = station.election_stations.filter(election=election).exists()
    reported = Submission.objects.filter(election=election, station=station).exists()
    if not (taking_part or reported):
        raise Http404
    if not may_see_region(request.user, station.constituency.district.region_id):
        raise Http404
    return station


def _resolvable(picture) -> dict[str, list[tuple[str, str]]]:
    return {row.code: row.candidates for row in picture.rows if row.may_be_resolved}


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def station_detail(request, election_id: int, code: str):
    _derive()
    election = _get_election(election_id)
    station = _get_station(request, election, code)
    submission_count = Submission.objects.filter(election=election, station=station).count()
    context = _page_context(
        request, election, "stations", station=station, submission_count=submission_count
    )
    seen = request.GET.get("seen", "")
    context["seen"] = int(seen) if seen.isdigit() else submission_count
    context["changed"] = context["seen"] != submission_count
    if wants_fragment(request):
        # The poll only says whether something new arrived: redrawing the comparison would
        # throw away an answer a coordinator is about to choose.
        return render(request, "observation/staff/_station_status.html", context)
    context["pictures"] = dashboard.station_picture(election, station)
    context["sample_memberships"] = _sample_memberships(election, station)
    return render(request, "observation/staff/station_detail.html", context)


def _sample_memberships(election, station) -> list:
    """The drawn quick-count samples this station is in (or on the reserve list of)."""
    from quickcount.models import SampleDesign, SampleStation

    return list(
        SampleStation.objects.filter(
            design__election=election,
            design__status=SampleDesign.Status.DRAWN,
            station=station,
        ).select_related("design")
    )


@staff_required(VIEW, MANAGE)
@require_POST
def station_resolve(request, election_id: int, code: str, form_id: int):
    election = _get_election(election_id)
    station = _get_station(request, election, code)
    forms = [form for form in dashboard.election_forms(election) if form.pk == form_id]
    report = StationReport.objects.filter(
        election=election, station=station, questionnaire_id=form_id
    ).first()
    if not forms or report is None:
        raise Http404
    picture = dashboard.station_picture(election, station, forms)[0]
    form = ResolveForm(request.POST, candidates=_resolvable(picture))
    anchor = f"#form-{forms[0].code}"
    back = reverse("observation_staff:station_detail", args=[election.pk, station.code])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back + anchor)
    question = form.cleaned_data["question"]
    try:
        resolve_conflict(report, question, form.cleaned_data["value"], actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The station's answer to %(code)s was set; the choice is in the audit log.")
            % {"code": question},
        )
    return redirect(back + anchor)


# --- Results and the map --------------------------------------------------------------------


def _picture_filter(request, context: dict, forms: list):
    form = PictureFilterForm(request.GET, forms_of_election=forms, region_ids=context["region_ids"])
    if not form.is_valid():
        return form, None, None
    data = form.cleaned_data
    return form, data["form"], _chosen_regions(context["region_ids"], data["region"])


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def results(request, election_id: int):
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "results")
    forms = dashboard.election_forms(election)
    form, chosen, region_ids = _picture_filter(request, context, forms)
    context.update(
        forms=forms,
        form=form,
        chosen_form=chosen,
        query_string=_query_string(request),
        results=(
            dashboard.question_results(election, chosen, region_ids=region_ids) if chosen else []
        ),
    )
    status = 400 if forms and chosen is None else 200
    template = "_results.html" if wants_fragment(request) else "results.html"
    return render(request, f"observation/staff/{template}", context, status=status)


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def station_map(request, election_id: int):
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "map")
    forms = dashboard.election_forms(election)
    form, chosen, region_ids = _picture_filter(request, context, forms)
    counts = None
    if chosen is not None:
        counts = dashboard.map_features(election, chosen, region_ids=region_ids)
    context.update(
        forms=forms,
        form=form,
        chosen_form=chosen,
        query_string=_query_string(request),
        counts=counts,
        **map_context(),
    )
    status = 400 if forms and chosen is None else 200
    template = "_map_legend.html" if wants_fragment(request) else "map.html"
    return render(request, f"observation/staff/{template}", context, status=status)


@staff_required(VIEW)
@require_GET
def station_map_data(request, election_id: int):
    """The stations of one form as GeoJSON points coloured by state, for the map's script."""
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "map")
    forms = dashboard.election_forms(election)
    form, chosen, region_ids = _picture_filter(request, context, forms)
    if chosen is None:
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"errors": errors or {"form": [_("There is no form.")]}}, status=400)

    def url_of(code: str) -> str:
        return reverse("observation_staff:station_detail", args=[election.pk, code])

    data = dashboard.map_features(election, chosen, region_ids=region_ids, url_of=url_of)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- Exports --------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def export(request, election_id: int, dataset: str, file_format: str):
    if dataset not in exports.DATASETS or file_format not in exports.FORMATS:
        raise Http404
    _derive()
    election = _get_election(election_id)
    context = _page_context(request, election, "stations")
    forms = dashboard.election_forms(election)
    form, chosen, _regions = _picture_filter(request, context, forms)
    if chosen is None:
        context["form"] = form
        return render(request, "observation/staff/export_error.html", context, status=400)
    table = exports.export_table(
        actor=request.user,
        election=election,
        questionnaire=chosen,
        dataset=dataset,
        file_format=file_format,
        region_ids=context["region_ids"],
        region=form.cleaned_data["region"],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"election-{election.pk}-{chosen.code}-{dataset}-{stamp}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(table), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Coordinators' regions ------------------------------------------------------------------


@staff_required(MANAGE_USERS)
@require_GET
def coordinator_list(request):
    return render(
        request,
        "observation/staff/coordinators.html",
        {"rows": coordinator_services.coordinators()},
    )


@staff_required(MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def coordinator_edit(request, user_id: int):
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    initial = {"regions": coordinator_services.regions_of(person)}
    # An empty POST (every box unticked) is a valid answer: no regions.
    data = request.POST if request.method == "POST" else None
    form = CoordinatorRegionsForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        coordinator_services.coordinator_regions_set(
            actor=request.user, user=person, regions=list(form.cleaned_data["regions"])
        )
        messages.success(
            request,
            _("The regions of %(name)s were saved.") % {"name": person.full_name or person.email},
        )
        return redirect("observation_staff:coordinator_list")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "observation/staff/coordinator_form.html",
        {
            "person": person,
            "form": form,
            "sees_all_regions": sees_all_regions(person),
            "may_watch": person.has_perm(VIEW),
        },
        status=status,
    )
