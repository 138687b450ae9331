"""Public incident pages, under /<lang>/incidents/: the list and map of published incidents,
the report form for citizens, and the thank-you page.

The list and map read only the public fields of published incidents (incidents.public); the
report form is guarded by a honeypot, a signed timestamp, rate limits and a limit on links
(incidents.spam), and saves the report with its files in one transaction or not at all.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from geo.views import map_context
from incidents import public, services, spam
from incidents.forms import REPORT_FIELD_NAMES, PublicFilterForm, ReportForm, open_elections

HONEYPOT = "website"
PAGE_SIZE = 20


@require_GET
def incident_map(request):
    form = PublicFilterForm(request.GET or None)
    incidents = form.filter(public.published_incidents())
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/incident_map.html",
        {
            "form": form,
            "page": page,
            "rows": [public.public_row(incident) for incident in page.object_list],
            "points": public.map_points(incidents),
            "query_string": query.urlencode(),
            **map_context(),
        },
    )


def _report_page(request, form, *, status: int = 200, **extra):
    context = {
        "form": form,
        "honeypot": HONEYPOT,
        "token": spam.form_token(),
        "has_elections": open_elections().exists(),
        **extra,
    }
    return render(request, "incidents/report.html", context, status=status)


_TOKEN_MESSAGES = {
    spam.TOO_FAST: _("Please take a moment to check your report, then send it again."),
    spam.EXPIRED: _(
        "This form was open for too long. Check your report and send it again; "
        "photos and videos must be chosen again."
    ),
    spam.INVALID: _("Your report could not be checked. Please send it again."),
}


# An error report (a 500 mailed or sent to error tracking) must not carry what was reported.
@sensitive_post_parameters()
@sensitive_variables()
@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method != "POST":
        return _report_page(request, ReportForm())
    services.forget_upload_names(request.FILES)
    form = ReportForm(request.POST, request.FILES)
    if spam.over_limit(request):
        return _report_page(request, form, status=429, rate_limited=True)
    if request.POST.get(HONEYPOT, ""):
        # A program filled the field people do not see: it is told all went well.
        spam.count_report(request)
        return redirect("incidents:thanks")
    problem = spam.check_form_token(request.POST.get("started", ""))
    if problem is not None:
        form.is_valid()  # to show the other mistakes along with this one
        form.add_error(None, str(_TOKEN_MESSAGES[problem]))
        return _report_page(request, form)
    if form.is_valid():
        try:
            services.incident_report_citizen(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, rename=REPORT_FIELD_NAMES)
        else:
            spam.count_report(request)
            return redirect("incidents:thanks")
    return _report_page(request, form)


@require_GET
def thanks(request):
    return render(request, "incidents/thanks.html")
