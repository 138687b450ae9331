"""Staff pages of the quick count, under /<lang>/staff/quick-count/: the designs, the
sample-size calculator, drawing and resetting a sample, the sample stations with their
observers, and the estimates (with the convergence chart and the official comparison), which
refresh themselves every 30 seconds on election night.

Reading needs quickcount.view_quickcount; designing, drawing and assigning observers
quickcount.manage_sample; taking and publishing estimates quickcount.publish_quickcount. A
coordinator sees the sample stations of their regions only (observation.access).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from backoffice.decorators import staff_required
from core.forms import add_service_errors
from geo.models import Region
from observation.access import visible_in_regions, visible_region_ids
from quickcount import services
from quickcount.charts import convergence_charts
from quickcount.forms import (
    AssignObserverForm,
    CalculatorForm,
    DesignForm,
    DrawForm,
    ResetForm,
    SampleFilterForm,
)
from quickcount.models import EstimateSnapshot, SampleDesign

VIEW = "quickcount.view_quickcount"
MANAGE = "quickcount.manage_sample"
PUBLISH = "quickcount.publish_quickcount"
PAGE_SIZE = 100
REFRESH_SECONDS = 30


def _design(pk: int) -> SampleDesign:
    return get_object_or_404(
        SampleDesign.objects.select_related("election", "contest", "drawn_by"), pk=pk
    )


@staff_required(VIEW)
@require_GET
def design_list(request):
    designs = SampleDesign.objects.select_related("election", "contest").order_by(
        "-created_at", "pk"
    )
    return render(request, "quickcount/design_list.html", {"designs": designs})


@staff_required(MANAGE)
@require_http_methods(["GET", "POST"])
def design_create(request):
    form = DesignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            design = services.design_create(
                actor=request.user,
                election=data["contest"].election,
                contest=data["contest"],
                name=data["name"],
                stratify_by=data["stratify_by"],
                allocation=data["allocation"],
                target_margin=data["target_margin"],
                confidence=data["confidence"],
                sample_size=data.get("sample_size"),
                reserve_per_stratum=data["reserve_per_stratum"],
                min_reports=data["min_reports"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sample design has been created."))
            return redirect(design)
    return render(
        request,
        "quickcount/design_form.html",
        {"form": form, "calculator": CalculatorForm(auto_id="calc_%s")},
    )


@staff_required(VIEW)
@require_GET
def design_detail(request, pk: int):
    design = _design(pk)
    frame = services.build_frame(design)
    strata = []
    if design.status == SampleDesign.Status.DRAWN:
        counts: dict[str, list[int]] = {}
        for stratum, rank in design.stations.values_list("stratum", "reserve_rank"):
            counts.setdefault(stratum, [0, 0])[0 if rank == 0 else 1] += 1
        population: dict[str, int] = {}
        for key in frame.strata:
            population[key] = population.get(key, 0) + 1
        strata = [
            {
                "name": services.in_language(frame.stratum_names.get(key), key),
                "population": population.get(key, 0),
                "sample": counts.get(key, [0, 0])[0],
                "reserve": counts.get(key, [0, 0])[1],
            }
            for key in sorted(
                population, key=lambda k: services.in_language(frame.stratum_names.get(k), k)
            )
        ]
    calc = services.recommended_sample_size(design, population=frame.N or None)
    return render(
        request,
        "quickcount/design_detail.html",
        {
            "design": design,
            "frame_size": frame.N,
            "strata": strata,
            "recommended": calc,
            "draw_form": DrawForm(),
            "reset_form": ResetForm(),
            "snapshots": design.snapshots.order_by("-taken_at")[:20],
        },
    )


@staff_required(MANAGE)
@require_POST
def design_draw(request, pk: int):
    design = _design(pk)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            services.draw_sample(design, actor=request.user, seed=form.cleaned_data.get("seed"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The sample has been drawn."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(design)


@staff_required(MANAGE)
@require_POST
def design_reset(request, pk: int):
    design = _design(pk)
    form = ResetForm(request.POST)
    if form.is_valid():
        try:
            services.reset_sample(design, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The sample has been reset; it can be drawn again."))
    else:
        messages.error(request, _("Say why the sample is being reset."))
    return redirect(design)


@staff_required(VIEW)
@require_GET
def calculator(request):
    """The sample-size calculator; htmx asks for just the result with the working shown."""
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.recommended_sample_size(
                margin_points=data["margin"],
                confidence_percent=data["confidence"],
                deff=float(data.get("deff") or 1),
                population=data.get("population"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    context = {"form": form, "result": result}
    if request.htmx:
        return render(request, "quickcount/_calculator_result.html", context)
    return render(request, "quickcount/calculator.html", context)


def _visible_regions(user):
    region_ids = visible_region_ids(user)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


@staff_required(VIEW)
@require_http_methods(["GET", "POST"])
def sample_stations(request, pk: int):
    design = _design(pk)
    assign_form = AssignObserverForm(request.POST or None, design=design)
    if request.method == "POST":
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        if assign_form.is_valid():
            try:
                services.assign_observer(
                    actor=request.user,
                    design=design,
                    sample_station=assign_form.cleaned_data["sample_station"],
                    observer=assign_form.cleaned_data["observer"],
                )
            except ValidationError as error:
                add_service_errors(assign_form, error)
            else:
                messages.success(request, _("The observer has been assigned to the station."))
                return redirect("quickcount_staff:sample_stations", pk=design.pk)
    filters = SampleFilterForm(request.GET or None, regions=_visible_regions(request.user))
    queryset = visible_in_regions(
        design.stations.select_related("station__constituency__district__region"),
        request.user,
        "station__constituency__district__region",
    ).order_by("reserve_rank", "stratum", "station__code")
    queryset = filters.filter(queryset)
    rows = services.sample_station_rows(design, queryset)
    counts = services.coverage_counts(rows)
    coverage = filters.cleaned_data.get("coverage") if filters.is_valid() else ""
    if coverage == "covered":
        rows = [row for row in rows if row.covered]
    elif coverage == "uncovered":
        rows = [row for row in rows if not row.covered]
    names = services.build_frame(design).stratum_names
    for row in rows:
        row.stratum_name = services.in_language(
            names.get(row.sample_station.stratum), row.sample_station.stratum
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "quickcount/sample_stations.html",
        {
            "design": design,
            "filters": filters,
            "page": page,
            "counts": counts,
            "assign_form": assign_form,
            "sees_no_region": visible_region_ids(request.user) == set(),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(VIEW)
@require_GET
def sample_csv(request, pk: int):
    design = _design(pk)
    queryset = visible_in_regions(
        design.stations.select_related("station__constituency__district__region"),
        request.user,
        "station__constituency__district__region",
    ).order_by("reserve_rank", "stratum", "station__code")
    text = services.sample_csv(design, actor=request.user, queryset=queryset)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sample-{design.pk}.csv"'
    return response


def _pct(value):
    return None if value is None else value * 100


def _estimate_rows(quick, estimates: dict) -> list[dict]:
    rows = []
    for quantity in quick.result.quantities:
        e = estimates.get(quantity)
        if e is None:
            continue
        rows.append(
            {
                "quantity": quantity,
                "label": quick.label(quantity),
                "estimate": _pct(e.estimate),
                "margin95": _pct(e.margin95),
                "margin99": _pct(e.margin99),
                "low95": _pct(e.low95),
                "high95": _pct(e.high95),
                "low99": _pct(e.low99),
                "high99": _pct(e.high99),
                "n": e.n,
                "population": e.population,
                "fallback": e.fallback,
                "has_estimate": e.estimate == e.estimate and e.estimate is not None,
            }
        )
    return rows


def _breakdown(quick, table: dict, names: dict) -> list[dict]:
    out = []
    for key, estimates in table.items():
        rows = _estimate_rows(quick, estimates)
        first = rows[0] if rows else None
        out.append(
            {
                "name": services.in_language(names.get(key), key),
                "rows": rows,
                "n": first["n"] if first else 0,
                "population": first["population"] if first else 0,
            }
        )
    return sorted(out, key=lambda item: item["name"])


def estimates_context(design: SampleDesign) -> dict:
    quick = services.estimates(design)
    series = services.convergence(design, quick=quick)
    official_import = services.current_official_import(design.contest)
    official = services.official_ratios(official_import) if official_import else {}
    labels = {q: quick.label(q) for q in quick.result.quantities}
    warnings = [
        {
            "code": flag.code,
            "text": services.warning_text(flag.code),
            "items": [
                services.in_language(quick.frame.stratum_names.get(item), item)
                for item in flag.items
            ],
        }
        for flag in quick.result.warnings
    ]
    comparison = (
        services.comparison_rows(quick.result.to_dict(), official, quick.labels) if official else []
    )
    for row in comparison:
        for key in ("official", "estimate", "low95", "high95", "low99", "high99"):
            row[key] = _pct(row[key])
    return {
        "design": design,
        "quick": quick,
        "reported": quick.result.n_reported,
        "expected": quick.expected,
        "few_reports": quick.result.n_reported < design.min_reports,
        "overall": _estimate_rows(quick, quick.result.overall),
        "by_stratum": _breakdown(quick, quick.result.by_stratum, quick.frame.stratum_names),
        "by_region": _breakdown(quick, quick.result.by_group, quick.frame.group_names),
        "warnings": warnings,
        "charts": convergence_charts(series, labels, official),
        "comparison": comparison,
        "official_import": official_import,
        "now": timezone.now(),
        "refresh_seconds": REFRESH_SECONDS,
        "show_strata": design.stratify_by != SampleDesign.Stratification.NONE,
    }


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def estimates(request, pk: int):
    design = _design(pk)
    context = estimates_context(design)
    context["snapshots"] = design.snapshots.order_by("-taken_at")[:20]
    if request.htmx:
        return render(request, "quickcount/_estimates.html", context)
    return render(request, "quickcount/estimates.html", context)


@staff_required(PUBLISH)
@require_POST
def snapshot_create(request, pk: int):
    design = _design(pk)
    try:
        services.take_snapshot(design, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The estimates have been saved."))
    return redirect("quickcount_staff:estimates", pk=design.pk)


@staff_required(PUBLISH)
@require_POST
def snapshot_publish(request, pk: int, snapshot_pk: int):
    design = _design(pk)
    snapshot = get_object_or_404(EstimateSnapshot, pk=snapshot_pk, design=design)
    try:
        services.publish_snapshot(snapshot, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The estimates have been published."))
    return redirect("quickcount_staff:estimates", pk=design.pk)
