"""Staff pages for messages, under /<lang>/staff/messages/: the bulk messages sent (their
delivery counts refresh while they go out), writing one (filter, live recipient count,
preview, confirm), a message's recipients, and the log of inbound SMS.

Bulk messages need messaging.send_bulk_message; the inbound SMS log, which shows observers'
reports as they came, needs observation.manage_observation (the people who act on them)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from backoffice.decorators import staff_required
from core.forms import add_service_errors
from geo.models import Region
from messaging import services
from messaging.forms import BulkMessageForm, InboundFilterForm, RecipientFilterForm
from messaging.models import BulkMessage, Channel, InboundSms, OutboundMessage
from observers.models import MobileTeam, Observer

SEND = "messaging.send_bulk_message"
INBOUND = "observation.manage_observation"
PAGE_SIZE = 50


def _wants_fragment(request) -> bool:
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


@staff_required(SEND)
@require_GET
@vary_on_headers("HX-Request")
def bulk_list(request):
    bulks = (
        BulkMessage.objects.with_counts()
        .select_related("election", "created_by")
        .order_by("-created_at", "-pk")  # Meta.ordering does not survive the annotation
    )
    page = Paginator(bulks, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sending": any(bulk.queued_count for bulk in page.object_list),
        "query_string": request.GET.urlencode(),
    }
    if _wants_fragment(request):
        return render(request, "messaging/staff/_bulk_table.html", context)
    return render(request, "messaging/staff/bulk_list.html", context)


def _plan_arguments(form: BulkMessageForm) -> dict:
    data = form.cleaned_data
    return {
        "election": data["election"],
        "channel": data["channel"],
        "subject": data.get("subject", ""),
        "bodies": form.bodies(),
        "filters": form.filters(),
    }


@staff_required(SEND)
@require_http_methods(["GET", "POST"])
def bulk_compose(request):
    if request.method == "GET":
        form = BulkMessageForm(initial={"election": request.GET.get("election")})
        return render(request, "messaging/staff/bulk_compose.html", {"form": form})
    form = BulkMessageForm(request.POST)
    action = request.POST.get("action", "preview")
    if not form.is_valid() or action == "edit":
        return render(request, "messaging/staff/bulk_compose.html", {"form": form})
    arguments = _plan_arguments(form)
    try:
        plan = services.bulk_message_plan(**arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "messaging/staff/bulk_compose.html", {"form": form})
    changed = action == "send" and form.cleaned_data["expected"] != plan.count
    if action != "send" or changed:
        return render(
            request,
            "messaging/staff/bulk_preview.html",
            {
                "form": form,
                "plan": plan,
                "changed": changed,
                "filters": describe_filters(form.filters()),
                "channel": Channel(arguments["channel"]).label,
            },
        )
    try:
        bulk = services.bulk_message_create(actor=request.user, **arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "messaging/staff/bulk_compose.html", {"form": form})
    messages.success(
        request,
        ngettext(
            "The message is being sent to %(count)d observer.",
            "The message is being sent to %(count)d observers.",
            bulk.recipient_count,
        )
        % {"count": bulk.recipient_count},
    )
    return redirect(bulk)


@staff_required(SEND)
@require_GET
def recipient_count(request):
    """The live count on the compose page: how many observers the filter chooses, and how many
    of them the channel cannot reach."""
    form = RecipientFilterForm(request.GET)
    channel = request.GET.get("channel") or Channel.SMS
    context: dict = {"form": form}
    if form.is_valid():
        try:
            chosen = list(
                services.observers_matching(form.cleaned_data["election"], form.filters()).only(
                    "pk", "email", "phone"
                )
            )
        except ValidationError as error:
            context["problems"] = error.messages
        else:
            reachable = sum(1 for o in chosen if services.address_of(o, channel))
            context.update(
                chosen=len(chosen),
                reachable=reachable,
                skipped=len(chosen) - reachable,
                email=channel == Channel.EMAIL,
            )
    else:
        context["problems"] = [error for errors in form.errors.values() for error in errors]
    return render(request, "messaging/staff/_recipient_count.html", context)


@staff_required(SEND)
@require_GET
@vary_on_headers("HX-Request")
def bulk_detail(request, pk: int):
    bulk = get_object_or_404(
        BulkMessage.objects.with_counts().select_related("election", "created_by"), pk=pk
    )
    rows = bulk.messages.select_related("observer").order_by("pk")
    status = request.GET.get("status", "")
    if status in OutboundMessage.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "bulk": bulk,
        "page": page,
        "status": status,
        "statuses": OutboundMessage.Status.choices,
        "query_string": query.urlencode(),
        "full_query": request.GET.urlencode(),
        "filters": describe_filters(bulk.filters),
        "versions": [
            (label, body)
            for (code, label), body in zip(
                Observer.Language.choices,
                (bulk.body_az, bulk.body_en, bulk.body_ru),
                strict=True,
            )
            if body
        ],
    }
    if _wants_fragment(request):
        return render(request, "messaging/staff/_bulk_progress.html", context)
    return render(request, "messaging/staff/bulk_detail.html", context)


@staff_required(INBOUND)
@require_GET
def inbound_list(request):
    form = InboundFilterForm(request.GET or None)
    inbound = form.filter(
        InboundSms.objects.select_related("observer", "reply", "submission__questionnaire")
    )
    page = Paginator(inbound, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "messaging/staff/inbound_list.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def describe_filters(filters: dict) -> list[tuple[str, str]]:
    """A stored filter as (what, chosen) lines for people."""
    lines: list[tuple[str, str]] = []
    status = filters.get("status")
    lines.append(
        (
            _("Status"),
            str(Observer.Status(status).label)
            if status in Observer.Status.values
            else _("Every status but rejected"),
        )
    )
    if filters.get("region"):
        region = Region.objects.filter(pk=filters["region"]).first()
        lines.append((_("Region"), region.name if region else "?"))
    deployment = filters.get("deployment")
    if deployment == services.DEPLOYED:
        lines.append((_("Deployment"), _("Deployed to a station or a mobile team")))
    elif deployment == services.NOT_DEPLOYED:
        lines.append((_("Deployment"), _("Not deployed yet")))
    if filters.get("station"):
        lines.append((_("Polling station"), filters["station"]))
    if filters.get("mobile_team"):
        team = MobileTeam.objects.filter(pk=filters["mobile_team"]).first()
        lines.append((_("Mobile team"), team.name if team else "?"))
    if filters.get("language") in Observer.Language.values:
        lines.append((_("Language"), str(Observer.Language(filters["language"]).label)))
    return lines
