"""Staff pages of election forensics, under /<lang>/staff/forensics/: the official imports with
their latest run, starting a run, a run's tests (plots, notes, numbers), its region table, the
stations that stand out, and the JSON download.

Everything needs forensics.view_forensics (analysts and administrators). The runs are about
whole imports of public official results, so no region limits apply here.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRefresh

from audit.models import AuditEntry
from audit.services import audit_log
from backoffice.decorators import staff_required
from forensics import plots, report, services
from forensics.models import ForensicsRun
from forensics.notes import (
    OUTLIER_REASONS,
    REGION_COLUMNS,
    count,
    percent,
    sentences,
    summary_lines,
)
from results.models import OfficialResult, OfficialResultImport

VIEW = "forensics.view_forensics"
POLL_SECONDS = 3
PENDING = (ForensicsRun.Status.QUEUED, ForensicsRun.Status.RUNNING)


def _get_run(run_id: int) -> ForensicsRun:
    return get_object_or_404(
        ForensicsRun.objects.select_related(
            "result_import", "result_import__election", "result_import__contest", "created_by"
        ),
        pk=run_id,
    )


def _get_done_run(run_id: int) -> ForensicsRun:
    run = _get_run(run_id)
    if run.status != ForensicsRun.Status.DONE:
        raise Http404
    return run


@staff_required(VIEW)
@require_GET
def home(request):
    imports = list(
        OfficialResultImport.objects.select_related("election", "contest").order_by(
            "-election__election_date", "election_id", "-created_at", "-pk"
        )
    )
    latest = services.latest_runs(imports)
    elections: list[dict] = []
    for result_import in imports:
        if not elections or elections[-1]["election"].pk != result_import.election_id:
            elections.append({"election": result_import.election, "imports": []})
        elections[-1]["imports"].append(
            {"import": result_import, "run": latest.get(result_import.pk)}
        )
    return render(request, "forensics/home.html", {"elections": elections})


@staff_required(VIEW)
@require_POST
def run_start(request, import_id: int):
    result_import = get_object_or_404(OfficialResultImport, pk=import_id)
    pending = (
        ForensicsRun.objects.filter(result_import=result_import, status__in=PENDING)
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        messages.info(request, _("The analysis of these results is already under way."))
        return redirect("forensics_staff:run_detail", run_id=pending.pk)
    run = services.start_run(result_import, actor=request.user)
    messages.success(
        request, _("The analysis has started. This page shows the results when it is done.")
    )
    return redirect("forensics_staff:run_detail", run_id=run.pk)


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def run_detail(request, run_id: int):
    run = _get_run(run_id)
    pending = run.status in PENDING
    if request.htmx and not request.htmx.history_restore_request:
        if not pending:
            return HttpResponseClientRefresh()
        return render(request, "forensics/_status.html", {"run": run, "poll_seconds": POLL_SECONDS})
    context = {"run": run, "poll_seconds": POLL_SECONDS, "section": "tests"}
    if run.status == ForensicsRun.Status.DONE:
        context.update(
            summary=summary_lines(run.result),
            sections=report.sections(run.result),
            timing_ms=run.result.get("timing_ms", {}).get("total"),
        )
    return render(request, "forensics/run_detail.html", context)


@staff_required(VIEW)
@require_GET
def run_regions(request, run_id: int):
    run = _get_done_run(run_id)
    sort = request.GET.get("sort", "region")
    if sort not in REGION_COLUMNS:
        sort = "region"
    descending = request.GET.get("order") == "desc"
    columns, rows, ordered = report.region_table(run.result, sort, descending)
    headings = []
    for key, label in columns:
        if key == sort:
            next_order = "asc" if descending else "desc"
        else:
            next_order = "asc" if key == "region" else "desc"
        headings.append(
            {
                "key": key,
                "label": label,
                "sorted": key == sort,
                "descending": descending,
                "next_order": next_order,
            }
        )
    summary = run.result["summary"]
    bars = plots.region_bars(
        ordered,
        key="leader_share",
        overall=summary["leader_share"],
        plot_id="fx-regions-share",
        title=_("The leader's share by region"),
        desc=_("One bar per region, in the table's order; the vertical line is the overall share."),
        x_label=_("Leader's share"),
    )
    turnout_bars = plots.region_bars(
        ordered,
        key="turnout",
        overall=summary["turnout"],
        plot_id="fx-regions-turnout",
        title=_("Turnout by region"),
        desc=_(
            "One bar per region, in the table's order; the vertical line is the overall turnout."
        ),
        x_label=_("Turnout"),
    )
    return render(
        request,
        "forensics/run_regions.html",
        {
            "run": run,
            "section": "regions",
            "headings": headings,
            "rows": rows,
            "plots": [turnout_bars, bars],
            "note": report.NOTES["regions"],
        },
    )


def comparison_url_maker(result_import: OfficialResultImport):
    """A function station id → URL of the station's comparison of official figures with the
    observers' protocol copies (results_staff:comparison_station)."""
    contest_id = result_import.contest_id
    return lambda station_id: reverse(
        "results_staff:comparison_station",
        kwargs={"contest_id": contest_id, "station_id": station_id},
    )


@staff_required(VIEW)
@require_GET
def run_outliers(request, run_id: int):
    run = _get_done_run(run_id)
    listed = run.result["outliers"]["stations"]
    result_import = run.result_import
    official = {
        r.row: r
        for r in OfficialResult.objects.filter(
            result_import=result_import, row__in=[s["row"] for s in listed if "row" in s]
        ).select_related("station")
    }
    leader = run.result["summary"]["leader"]
    options = list(result_import.option_names or [])
    leader_index = options.index(leader) if leader in options else None
    make_url = comparison_url_maker(result_import)
    stations = []
    for item in listed:
        row = official.get(item.get("row"))
        url = None
        if row is not None and row.station_id and make_url is not None:
            url = make_url(row.station_id)
        leader_votes = None
        if row is not None and leader_index is not None and leader_index < len(row.votes or []):
            leader_votes = row.votes[leader_index]
        stations.append(
            {
                "label": item["station"],
                "region": item["region"],
                "registered": count(item["registered"]),
                "turnout": percent(item["turnout"]),
                "leader_share": percent(item["leader_share"]),
                "z_turnout": item["z_turnout"],
                "z_leader_share": item["z_leader_share"],
                "reasons": [str(OUTLIER_REASONS.get(r, r)) for r in item["reasons"]],
                "official": row,
                "leader_votes": leader_votes,
                "url": url,
            }
        )
    outliers = run.result["outliers"]
    return render(
        request,
        "forensics/run_outliers.html",
        {
            "run": run,
            "section": "outliers",
            "stations": stations,
            "flagged": outliers["flagged"],
            "note": report.NOTES["outliers"],
            "sentences": sentences(run.result)["outliers"],
        },
    )


@staff_required(VIEW)
@require_GET
def run_json(request, run_id: int):
    run = _get_done_run(run_id)
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=run,
        changes={"format": "json"},
    )
    response = HttpResponse(
        json.dumps(run.result, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    name = f"forensics-{run.result_import_id}-{run.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
