"""Public observer pages, under /<lang>/observe/: the elections taking applications, the
application form and what happens next."""

from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import save_through_service
from core.request_context import client_ip
from elections.models import Election
from observers import services
from observers.forms import ApplicationForm

HONEYPOT = "website"
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60  # seconds


def _rate_key(request) -> str:
    return f"observers:apply:{client_ip(request.META) or 'unknown'}"


def _over_limit(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= RATE_LIMIT


def _count_application(request) -> None:
    key = _rate_key(request)
    if not cache.add(key, 1, RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RATE_WINDOW)


def _open_elections():
    return Election.objects.with_status(Election.Status.ACTIVE).order_by("election_date", "pk")


@require_GET
def election_list(request):
    return render(request, "observers/election_list.html", {"elections": _open_elections()})


@require_http_methods(["GET", "POST"])
def apply(request, election_id: int):
    election = get_object_or_404(_open_elections(), pk=election_id)
    form = ApplicationForm(request.POST or None)
    context = {"election": election, "form": form, "honeypot": HONEYPOT}
    if request.method == "POST":
        if _over_limit(request):
            return render(
                request, "observers/apply.html", context | {"rate_limited": True}, status=429
            )
        if request.POST.get(HONEYPOT, ""):
            # A bot filled the field people do not see: it is told all went well.
            _count_application(request)
            return redirect("observers:applied", election_id=election.pk)
        if form.is_valid():
            applied = save_through_service(
                form, lambda: services.observer_apply(election=election, **form.cleaned_data)
            )
            if applied is not None:
                _count_application(request)
                return redirect("observers:applied", election_id=election.pk)
    return render(request, "observers/apply.html", context)


@require_GET
def applied(request, election_id: int):
    election = get_object_or_404(Election, pk=election_id)
    return render(request, "observers/applied.html", {"election": election})
