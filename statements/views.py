"""Statement pages: the staff's (under /<lang>/staff/statements/: list, draft from the figures,
edit, preview, PDF, publish) and the public's (under /<lang>/results/: published statements and
the published quick-count figures).

Staff pages need statements.draft_statement; publishing and unpublishing also
statements.publish_statement. The public pages read only published statements and published
quick-count snapshots: a draft is a 404, as if it did not exist."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from audit.services import audit_log
from backoffice.decorators import staff_required
from core.forms import add_service_errors
from elections.models import Election
from statements import services
from statements.forms import (
    RecommendationFormSet,
    StatementCreateForm,
    StatementForm,
    recommendation_initial,
)
from statements.models import Statement
from statements.pdf import statement_pdf as render_pdf

DRAFT = "statements.draft_statement"
PUBLISH = "statements.publish_statement"
LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]
PAGE_SIZE = 30


def _language(request) -> str:
    language = request.GET.get("lang") or get_language() or settings.LANGUAGE_CODE
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _blocks(statement: Statement, language: str) -> dict:
    title, body = services.statement_text(statement, language)
    return {"title": title, "blocks": services.body_blocks(body), "language": language}


def _pdf_response(statement: Statement, language: str) -> HttpResponse:
    response = HttpResponse(render_pdf(statement, language), content_type="application/pdf")
    name = slugify(statement.slug) or "statement"
    response["Content-Disposition"] = f'inline; filename="{name}-{language}.pdf"'
    return response


# --- staff --------------------------------------------------------------------------------------


@staff_required(DRAFT)
@require_GET
def statement_list(request):
    statements = (
        Statement.objects.select_related("election")
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "statements/staff_list.html", {"page": page})


@staff_required(DRAFT)
@require_http_methods(["GET", "POST"])
def statement_create(request):
    form = StatementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.draft_statement(
                actor=request.user,
                election=form.cleaned_data["election"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("A draft was written from the figures. Read it through and edit it.")
            )
            return redirect("statements_staff:statement_edit", pk=statement.pk)
    return render(request, "statements/staff_create.html", {"form": form})


@staff_required(DRAFT)
@require_http_methods(["GET", "POST"])
def statement_edit(request, pk: int):
    statement = get_object_or_404(Statement.objects.select_related("election"), pk=pk)
    if request.method == "POST":
        form = StatementForm(request.POST)
        formset = RecommendationFormSet(request.POST, prefix="rec")
        if form.is_valid() and formset.is_valid():
            try:
                services.update_statement(
                    actor=request.user,
                    statement=statement,
                    data=form.cleaned_data,
                    recommendations=formset.items(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The statement was saved."))
                return redirect("statements_staff:statement_detail", pk=statement.pk)
        status = 400
    else:
        form = StatementForm(initial=StatementForm.initial_for(statement))
        formset = RecommendationFormSet(initial=recommendation_initial(statement), prefix="rec")
        status = 200
    return render(
        request,
        "statements/staff_edit.html",
        {"statement": statement, "form": form, "formset": formset},
        status=status,
    )


@staff_required(DRAFT)
@require_GET
def statement_detail(request, pk: int):
    statement = get_object_or_404(Statement.objects.select_related("election"), pk=pk)
    context = {
        "statement": statement,
        "recommendations": statement.recommendations.all(),
        "figures": services.figure_rows(statement.figures),
        "languages": settings.LANGUAGES,
        "can_publish": request.user.has_perm(PUBLISH),
        **_blocks(statement, _language(request)),
    }
    return render(request, "statements/staff_detail.html", context)


@staff_required(DRAFT)
@require_GET
def statement_pdf(request, pk: int):
    statement = get_object_or_404(Statement.objects.select_related("election"), pk=pk)
    language = _language(request)
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=statement,
        changes={"format": "pdf", "language": language},
    )
    return _pdf_response(statement, language)


def _publishing(request, pk: int, change, done: str):
    statement = get_object_or_404(Statement, pk=pk)
    try:
        change(actor=request.user, statement=statement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("statements_staff:statement_detail", pk=pk)


@staff_required(DRAFT, PUBLISH)
@require_POST
def statement_publish(request, pk: int):
    return _publishing(request, pk, services.publish_statement, _("The statement is published."))


@staff_required(DRAFT, PUBLISH)
@require_POST
def statement_unpublish(request, pk: int):
    return _publishing(
        request,
        pk,
        services.unpublish_statement,
        _("The statement was taken off the public site and is a draft again."),
    )


# --- public -------------------------------------------------------------------------------------


def _published_quick_counts() -> list[dict]:
    """Per election with a published quick-count snapshot: its latest published figures."""
    from quickcount.models import EstimateSnapshot

    election_ids = (
        EstimateSnapshot.objects.filter(is_published=True)
        .values_list("design__election", flat=True)
        .distinct()
    )
    found = []
    for election in Election.objects.filter(pk__in=list(election_ids)).order_by(
        "-election_date", "pk"
    ):
        snaps = services.latest_snapshots(election, published_only=True)
        if snaps:
            found.append(
                {
                    "election": election,
                    "counts": [services.snapshot_figures(snap) for snap in snaps],
                }
            )
    return found


def _quick_count_rows(counts: list[dict]) -> list[dict]:
    rows = []
    for count in counts:
        estimates = []
        for key in ("turnout", "invalid"):
            if count.get(key):
                estimates.append((services.quantity_label(key), count[key]))
        for option in count["options"]:
            estimates.append((services.quantity_label(option["quantity"], option["label"]), option))
        rows.append(
            {
                "contest": services.label_in(count["contest"]),
                "taken_at": count["taken_at"],
                "n_reported": count["n_reported"],
                "n_population": count["n_population"],
                "warnings": count["warnings"],
                "estimates": [
                    {
                        "label": label,
                        "estimate": services.percent(item.get("estimate")),
                        "margin": services.points(item.get("margin95")),
                        "low": services.percent(item.get("low95")),
                        "high": services.percent(item.get("high95")),
                        "width": round((item.get("estimate") or 0) * 100, 1),
                    }
                    for label, item in estimates
                ],
            }
        )
    return rows


@require_GET
def results_home(request):
    quick_counts = [
        {"election": item["election"], "counts": _quick_count_rows(item["counts"])}
        for item in _published_quick_counts()
    ]
    page = Paginator(services.published_statements(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/results_home.html",
        {"page": page, "quick_counts": quick_counts},
    )


def _published_or_404(slug: str) -> Statement:
    statement = services.published_statements().filter(slug=slug).first()
    if statement is None:
        raise Http404
    return statement


@require_GET
def public_statement_detail(request, slug: str):
    statement = _published_or_404(slug)
    context = {
        "statement": statement,
        "recommendations": statement.recommendations.all(),
        "figures": services.figure_rows(statement.figures),
        **_blocks(statement, _language(request)),
    }
    return render(request, "statements/statement_detail.html", context)


@require_GET
def public_statement_pdf(request, slug: str):
    statement = _published_or_404(slug)
    return _pdf_response(statement, _language(request))
