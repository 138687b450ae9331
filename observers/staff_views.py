"""Staff pages for observers, under /<lang>/staff/observers/: the filtered list with a bulk
step, an observer's page with the history of their steps, and the step forms. Viewing needs
observers.view_observer, moving observers observers.change_observer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from backoffice.decorators import staff_required
from observers import services
from observers.forms import BulkTransitionForm, ObserverFilterForm, TransitionForm
from observers.models import Observer

VIEW = "observers.view_observer"
CHANGE = "observers.change_observer"
PAGE_SIZE = 50


@staff_required(VIEW)
@require_GET
def observer_list(request):
    form = ObserverFilterForm(request.GET or None)
    observers = form.filter(Observer.objects.with_places())
    page = Paginator(observers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "observers/staff/observer_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "bulk_form": BulkTransitionForm(),
            "back": request.get_full_path(),
        },
    )


@staff_required(VIEW)
@require_GET
def observer_detail(request, pk: int):
    observer = get_object_or_404(Observer.objects.with_places(), pk=pk)
    history = observer.status_changes.select_related("actor")
    return render(
        request,
        "observers/staff/observer_detail.html",
        {"observer": observer, "history": history, "steps": observer.next_status_choices()},
    )


@staff_required(CHANGE)
@require_POST
def observer_transition(request, pk: int):
    observer = get_object_or_404(Observer, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the next steps."))
        return redirect(observer)
    try:
        services.observer_transition(actor=request.user, observer=observer, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The observer's status was changed."))
    return redirect(observer)


@staff_required(CHANGE)
@require_POST
def observer_bulk_transition(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    form = BulkTransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        try:
            moved = services.observers_transition_bulk(
                actor=request.user,
                observers=form.cleaned_data["observers"],
                to_status=form.cleaned_data["to_status"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext("%(count)d observer was moved.", "%(count)d observers were moved.", moved)
                % {"count": moved},
            )
    return redirect(back or "observers_staff:observer_list")
