"""Staff pages for incidents, under /<lang>/staff/incidents/: the filtered list, an incident's
page (report, reporter, photos and videos, notes, history, workflow), the files themselves,
and the categories.

Viewing needs incidents.view_incident, and a coordinator sees only the incidents of their
regions (observation.access): any other incident is a 404, as if it did not exist. Verifying,
rejecting, notes and corrections need incidents.verify_incident; publishing and unpublishing
incidents.publish_incident; categories incidents.change_incidentcategory. Opening an incident or
one of its files is recorded in the audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice.decorators import staff_required
from core.forms import add_service_errors, save_through_service
from geo.models import Region
from incidents import services
from incidents.forms import (
    CategoryForm,
    ClassifyForm,
    IncidentFilterForm,
    NoteForm,
    TransitionForm,
)
from incidents.models import TRANSITIONS, Incident, IncidentCategory, step_permission
from observation.access import visible_in_regions, visible_region_ids

VIEW = "incidents.view_incident"
VERIFY = "incidents.verify_incident"
PUBLISH = "incidents.publish_incident"
CATEGORIES = "incidents.change_incidentcategory"
ADD_CATEGORY = "incidents.add_incidentcategory"
PAGE_SIZE = 50


def _visible_incidents(user):
    return visible_in_regions(Incident.objects.with_places(), user)


def _get_incident_for_user(user, pk: int) -> Incident:
    """The incident, if the user may see its region; otherwise 404."""
    return get_object_or_404(_visible_incidents(user), pk=pk)


def _regions_for(user):
    region_ids = visible_region_ids(user)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


@staff_required(VIEW)
@require_GET
def incident_list(request):
    form = IncidentFilterForm(request.GET or None, regions=_regions_for(request.user))
    incidents = form.filter(
        _visible_incidents(request.user).defer("description", "citizen_name", "citizen_contact")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/staff/incident_list.html",
        {"form": form, "page": page, "sees_no_region": visible_region_ids(request.user) == set()},
    )


_S = Incident.Status
STEP_LABELS = {
    (_S.NEW, _S.VERIFIED): gettext_lazy("Verify"),
    (_S.NEW, _S.REJECTED): gettext_lazy("Reject"),
    (_S.VERIFIED, _S.PUBLISHED): gettext_lazy("Publish"),
    (_S.VERIFIED, _S.REJECTED): gettext_lazy("Reject"),
    (_S.PUBLISHED, _S.VERIFIED): gettext_lazy("Unpublish"),
    (_S.REJECTED, _S.NEW): gettext_lazy("Reopen"),
}


def _steps_for(user, incident: Incident) -> list[tuple[str, str]]:
    """The buttons this user may press on this incident: (to status, what the step is)."""
    return [
        (status, STEP_LABELS[(incident.status, status)])
        for status in TRANSITIONS.get(incident.status, ())
        if user.has_perm(step_permission(incident.status, status))
    ]


def _detail(request, incident: Incident, **forms):
    context = {
        "incident": incident,
        "media": incident.media.all(),
        "notes": incident.notes.select_related("author"),
        "history": incident.status_changes.select_related("actor"),
        "steps": _steps_for(request.user, incident),
        "transition_form": forms.get("transition_form")
        or TransitionForm(
            initial={f"public_summary_{code}": text for code, text in incident.summaries.items()}
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "classify_form": forms.get("classify_form")
        or ClassifyForm(initial={"category": incident.category, "severity": incident.severity}),
    }
    return render(request, "incidents/staff/incident_detail.html", context)


@never_cache
@staff_required(VIEW)
@require_GET
def incident_detail(request, pk: int):
    incident = _get_incident_for_user(request.user, pk)
    services.incident_record_read(actor=request.user, incident=incident)
    return _detail(request, incident)


@sensitive_post_parameters("note")
@staff_required(VIEW)
@require_POST
def incident_transition(request, pk: int):
    incident = _get_incident_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail(request, incident, transition_form=form)
    to_status = form.cleaned_data["to_status"]
    if not request.user.has_perm(step_permission(incident.status, to_status)):
        raise PermissionDenied
    try:
        services.incident_transition(
            actor=request.user,
            incident=incident,
            to_status=to_status,
            note=form.cleaned_data["note"],
            summaries=form.summaries(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, incident, transition_form=form)
    messages.success(request, _("The incident's status was changed."))
    return redirect(incident)


@sensitive_post_parameters("text")
@staff_required(VERIFY)
@require_POST
def incident_note(request, pk: int):
    incident = _get_incident_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = save_through_service(
            form,
            lambda: services.incident_note_add(
                actor=request.user, incident=incident, text=form.cleaned_data["text"]
            ),
        )
        if note is not None:
            messages.success(request, _("The note was added."))
            return redirect(incident)
    return _detail(request, incident, note_form=form)


@staff_required(VERIFY)
@require_POST
def incident_classify(request, pk: int):
    incident = _get_incident_for_user(request.user, pk)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        saved = save_through_service(
            form,
            lambda: services.incident_classify(
                actor=request.user, incident=incident, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The category and severity were saved."))
            return redirect(incident)
    return _detail(request, incident, classify_form=form)


@never_cache
@staff_required(VIEW)
@require_GET
def incident_media(request, pk: int, media_id):
    incident = _get_incident_for_user(request.user, pk)
    media = incident.media.filter(pk=media_id).first()
    if media is None:
        raise Http404
    try:
        handle = media.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    services.incident_record_read(actor=request.user, incident=incident, media=media)
    # Inline so that the page can show it (<img>, <video>); ?download=1 saves it instead.
    response = FileResponse(
        handle,
        content_type=media.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=f"incident-{incident.pk}-{str(media.pk)[:8]}.{media.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Categories -----------------------------------------------------------------------------


@staff_required(CATEGORIES)
@require_GET
def category_list(request):
    return render(
        request,
        "incidents/staff/category_list.html",
        {"categories": IncidentCategory.objects.all()},
    )


@staff_required(ADD_CATEGORY)
@require_http_methods(["GET", "POST"])
def category_create(request):
    form = CategoryForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        category = save_through_service(
            form, lambda: services.category_create(actor=request.user, **form.cleaned_data)
        )
        if category is not None:
            messages.success(request, _("The category was created."))
            return redirect("incidents_staff:category_list")
    return render(request, "incidents/staff/category_form.html", {"form": form, "category": None})


@staff_required(CATEGORIES)
@require_http_methods(["GET", "POST"])
def category_edit(request, pk: int):
    category = get_object_or_404(IncidentCategory, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form,
            lambda: services.category_update(
                actor=request.user, category=category, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The category was saved."))
            return redirect("incidents_staff:category_list")
    return render(
        request, "incidents/staff/category_form.html", {"form": form, "category": category}
    )
