"""Public observer pages, under /<lang>/observe/: the elections taking applications, the
application form and what happens next, and the page a badge's QR code opens."""

from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import save_through_service
from core.request_context import client_ip
from elections.models import Election
from observers import services
from observers.forms import ApplicationForm
from observers.models import BADGE_CODE_LENGTH, Observer

HONEYPOT = "website"
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60  # seconds
VERIFY_RATE_LIMIT = 30  # badge checks from one address...
VERIFY_RATE_WINDOW = 10 * 60  # ...in ten minutes


def _rate_key(request) -> str:
    return f"observers:apply:{client_ip(request.META) or 'unknown'}"


def _over_limit(request) -> bool:
    return (cache.get(_rate_key(request)) or 0) >= RATE_LIMIT


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return 1


def _count_application(request) -> None:
    _count(_rate_key(request), RATE_WINDOW)


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


@require_GET
def verify_badge(request, code: str):
    """Whether a badge is valid now, for anyone who scans its QR code: the name, number and
    election of a valid badge, and nothing else. An unknown code, a rejected observer and a
    closed election all get the same "not valid" page, so the page tells nobody more than
    that. Rate limited per address; kept out of search engines and caches."""
    key = f"observers:verify:{client_ip(request.META) or 'unknown'}"
    if _count(key, VERIFY_RATE_WINDOW) > VERIFY_RATE_LIMIT:
        response = render(request, "observers/verify.html", {"rate_limited": True}, status=429)
    else:
        observer = None
        if len(code) <= BADGE_CODE_LENGTH:
            observer = Observer.objects.select_related("election").filter(badge_code=code).first()
        valid = observer is not None and observer.has_valid_badge
        response = render(
            request,
            "observers/verify.html",
            {"valid": valid, "observer": observer if valid else None},
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
