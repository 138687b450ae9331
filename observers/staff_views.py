"""Staff pages for observers, under /<lang>/staff/observers/: the filtered list with bulk steps
and badges, an observer's page (history, deployment, badge, access code), imports of observers
and of deployments (check, preview, confirm), and the mobile teams. Viewing needs
observers.view_observer; changing anything, printing badges and importing need
observers.change_observer."""

import csv
import io

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from backoffice.decorators import staff_required
from core.forms import add_service_errors
from elections.models import Election
from geo.models import PollingStation
from geo.views import wants_fragment
from observers import services
from observers.badges import badge_content, render_badges
from observers.forms import (
    BadgeOptionsForm,
    BulkTransitionForm,
    ConfirmImportForm,
    DeploymentForm,
    DeploymentImportForm,
    MobileTeamForm,
    ObserverFilterForm,
    ObserverImportForm,
    TransitionForm,
)
from observers.importing import (
    DEPLOYMENT_COLUMNS,
    FILE_ROW,
    OBSERVER_COLUMNS,
    ImportFileError,
    RowError,
    TextTable,
    read_text_table,
    template_rows,
)
from observers.models import MobileTeam, Observer

VIEW = "observers.view_observer"
CHANGE = "observers.change_observer"
PAGE_SIZE = 50
PREVIEW_ROWS = 200
ERRORS_SHOWN = 200
STATION_RESULTS = 20
MAX_BADGES = 2000
PREVIEW_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation


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
            "badge_form": BadgeOptionsForm(),
            "back": request.get_full_path(),
            "section": "list",
        },
    )


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def observer_detail(request, pk: int):
    observer = get_object_or_404(Observer.objects.with_places(), pk=pk)
    return _detail(request, observer)


def _detail(request, observer: Observer, *, deployment_form=None, status=200):
    """The observer's page. `station_q` searches the election's stations for the deployment
    form; htmx asks for just those results as one types."""
    query = request.GET.get("station_q", "").strip()[:100]
    stations = []
    if query:
        stations = list(_election_stations(observer.election_id).search(query)[:STATION_RESULTS])
    context = {
        "observer": observer,
        "station_q": query,
        "stations": stations,
        "limit": STATION_RESULTS,
    }
    if request.method == "GET" and wants_fragment(request):
        return render(request, "observers/staff/_station_search.html", context)
    history = observer.status_changes.select_related("actor")
    team_stations = []
    if observer.mobile_team_id:
        team_stations = observer.mobile_team.stations.order_by("code")
    return render(
        request,
        "observers/staff/observer_detail.html",
        context
        | {
            "history": history,
            "steps": observer.next_status_choices(),
            "deployment_form": deployment_form or DeploymentForm(observer=observer),
            "badge_form": BadgeOptionsForm(),
            "team_stations": team_stations,
            "section": "list",
        },
        status=status,
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


# --- Deployment ---------------------------------------------------------------------------------


@staff_required(CHANGE)
@require_POST
def observer_deploy(request, pk: int):
    observer = get_object_or_404(Observer.objects.with_places(), pk=pk)
    form = DeploymentForm(request.POST, observer=observer)
    if form.is_valid():
        try:
            services.observer_deploy(
                actor=request.user,
                observer=observer,
                station=form.cleaned_data["station_code"],
                mobile_team=form.cleaned_data["mobile_team"],
            )
        except ValidationError as error:
            add_service_errors(form, error, rename={"station": "station_code"})
        else:
            messages.success(request, _("The observer's deployment was saved."))
            return redirect(observer)
    return _detail(request, observer, deployment_form=form, status=422)


def _election_stations(election: Election | int):
    return PollingStation.objects.filter(election_stations__election=election).with_places()


# --- Access code --------------------------------------------------------------------------------


@staff_required(CHANGE)
@require_POST
@never_cache
def observer_access_code(request, pk: int):
    """A new access code for the observer's phone, shown once on this page and never stored
    (only its hash is, by observation.signin)."""
    from observation.signin import issue_access_code

    observer = get_object_or_404(Observer.objects.with_places(), pk=pk)
    try:
        code = issue_access_code(observer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(observer)
    response = render(
        request,
        "observers/staff/access_code.html",
        {"observer": observer, "code": code, "section": "list"},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Badges -------------------------------------------------------------------------------------


def _pdf(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required(CHANGE)
@require_GET
def observer_badge(request, pk: int):
    """One observer's badge as a PDF page of the badge's size."""
    observer = get_object_or_404(Observer.objects.with_places().with_badges(), pk=pk)
    language, size = BadgeOptionsForm(request.GET).options()
    content = badge_content(observer, language or None)
    services.observer_badges_printed(
        actor=request.user, observers=[observer], language=language or observer.language
    )
    return _pdf(render_badges([content], size=size), f"badge-{observer.number}.pdf")


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def observer_badges(request):
    """Badges on A4 sheets: for the chosen observers (POST from the list), or for everyone the
    list's filters find (GET); only accredited and deployed observers have badges."""
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("observers") if value.isdigit()]
        observers = Observer.objects.with_places().filter(pk__in=ids)
        options = BadgeOptionsForm(request.POST)
    else:
        observers = ObserverFilterForm(request.GET or None).filter(Observer.objects.with_places())
        options = BadgeOptionsForm(request.GET)
    chosen = list(observers.with_badges().order_by("election_id", "number")[: MAX_BADGES + 1])
    back = reverse("observers_staff:observer_list")
    if not chosen:
        messages.error(
            request,
            _(
                "None of these observers has a badge: only accredited and deployed observers "
                "have one."
            ),
        )
        return redirect(back)
    if len(chosen) > MAX_BADGES:
        messages.error(
            request,
            _("At most %(max)d badges can be printed at once. Choose fewer observers.")
            % {"max": MAX_BADGES},
        )
        return redirect(back)
    language, size = options.options()
    contents = [badge_content(observer, language or None) for observer in chosen]
    services.observer_badges_printed(
        actor=request.user, observers=chosen, language=language or "own"
    )
    return _pdf(render_badges(contents, size=size, sheet=True), "badges.pdf")


# --- Imports ------------------------------------------------------------------------------------


class _Import:
    """What differs between the observer import and the deployment import."""

    def __init__(self, kind, form_class, columns, template, service, title, done):
        self.kind = kind
        self.form_class = form_class
        self.columns = columns
        self.template = template
        self.service = service
        self.title = title
        self.done = done


def _run_observer_import(*, actor, election, table, source, dry_run, options):
    return services.observer_import(
        actor=actor, election=election, table=table, source=source, dry_run=dry_run
    )


def _run_deployment_import(*, actor, election, table, source, dry_run, options):
    return services.observers_deploy_import(
        actor=actor,
        election=election,
        table=table,
        source=source,
        dry_run=dry_run,
        mark_deployed=bool(options.get("mark_deployed")),
    )


IMPORTS = {
    "observers": _Import(
        "observers",
        ObserverImportForm,
        OBSERVER_COLUMNS,
        "observers/staff/import.html",
        _run_observer_import,
        _("Import observers"),
        lambda count: (
            ngettext(
                "%(count)d observer was imported.", "%(count)d observers were imported.", count
            )
            % {"count": count}
        ),
    ),
    "deployments": _Import(
        "deployments",
        DeploymentImportForm,
        DEPLOYMENT_COLUMNS,
        "observers/staff/deploy_import.html",
        _run_deployment_import,
        _("Deploy observers from a file"),
        lambda count: (
            ngettext(
                "%(count)d observer was deployed.", "%(count)d observers were deployed.", count
            )
            % {"count": count}
        ),
    ),
}


def _salt(kind: str, request) -> str:
    return f"observers.import.{kind}.{request.user.pk}"


def _import_flow(request, spec: _Import):
    """Upload → check (nothing written) → preview with a signed copy of the rows → confirm,
    which checks everything again and writes all rows or none."""
    form = spec.form_class(request.POST or None, request.FILES or None)
    outcome, payload, election = None, "", None
    if request.method == "POST" and "payload" in request.POST:
        confirm = ConfirmImportForm(request.POST)
        try:
            if not confirm.is_valid():
                raise signing.BadSignature
            data = signing.loads(
                confirm.cleaned_data["payload"],
                salt=_salt(spec.kind, request),
                max_age=PREVIEW_MAX_AGE,
            )
            election = Election.objects.get(pk=data["election"])
            table = TextTable.from_json(data["table"])
        except (signing.BadSignature, Election.DoesNotExist, KeyError, TypeError, ValueError):
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect(request.path)
        outcome = spec.service(
            actor=request.user,
            election=election,
            table=table,
            source=data["source"],
            dry_run=False,
            options=data.get("options", {}),
        )
        if outcome.ok:
            messages.success(request, spec.done(outcome.written))
            url = reverse("observers_staff:observer_list")
            return redirect(f"{url}?election={election.pk}")
        form = spec.form_class(initial={"election": election, **data.get("options", {})})
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        election = form.cleaned_data["election"]
        options = {k: v for k, v in form.cleaned_data.items() if k not in ("file", "election")}
        try:
            table = read_text_table(upload.read(), upload.name)
        except ImportFileError as error:
            outcome = services.ImportOutcome(
                source=upload.name, dry_run=True, errors=[RowError(FILE_ROW, "", error.message)]
            )
        else:
            outcome = spec.service(
                actor=request.user,
                election=election,
                table=table,
                source=upload.name,
                dry_run=True,
                options=options,
            )
            if outcome.ok:
                payload = signing.dumps(
                    {
                        "election": election.pk,
                        "source": upload.name,
                        "table": table.as_json(),
                        "options": options,
                    },
                    salt=_salt(spec.kind, request),
                    compress=True,
                )
    status = 422 if outcome is not None and not outcome.ok else 200
    return render(
        request,
        spec.template,
        {
            "form": form,
            "outcome": outcome,
            "election": election,
            "confirm_form": ConfirmImportForm(initial={"payload": payload}) if payload else None,
            "preview": outcome.preview[:PREVIEW_ROWS] if outcome else [],
            "preview_hidden": max(0, len(outcome.preview) - PREVIEW_ROWS) if outcome else 0,
            "errors_shown": outcome.errors[:ERRORS_SHOWN] if outcome else [],
            "errors_hidden": max(0, len(outcome.errors) - ERRORS_SHOWN) if outcome else 0,
            "columns": spec.columns,
            "title": spec.title,
            "section": spec.kind,
        },
        status=status,
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def observer_import(request):
    return _import_flow(request, IMPORTS["observers"])


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def deployment_import(request):
    return _import_flow(request, IMPORTS["deployments"])


@staff_required(CHANGE)
@require_GET
def import_template(request, kind: str):
    """A CSV with the columns and example rows (UTF-8 with a byte-order mark for Excel)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(template_rows(kind))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


# --- Mobile teams -------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def team_list(request):
    election_id = request.GET.get("election", "")
    teams = MobileTeam.objects.with_counts().select_related("election")
    if election_id.isdigit():
        teams = teams.filter(election_id=election_id)
    return render(
        request,
        "observers/staff/team_list.html",
        {
            "teams": teams.order_by("election__name_az", "name"),
            "elections": Election.objects.order_by("-election_date", "pk"),
            "open_elections": Election.objects.exclude(status=Election.Status.CLOSED).order_by(
                "-election_date", "pk"
            ),
            "election_id": election_id,
            "section": "teams",
        },
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def team_create(request):
    election = get_object_or_404(
        Election.objects.exclude(status=Election.Status.CLOSED),
        pk=request.GET.get("election") or request.POST.get("election") or 0,
    )
    return _team_form(request, election=election, team=None)


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    team = get_object_or_404(MobileTeam.objects.select_related("election"), pk=pk)
    return _team_form(request, election=team.election, team=team)


def _team_form(request, *, election: Election, team: MobileTeam | None):
    """The team's name and stations. The stations are chosen by searching: the page shows the
    chosen ones (checked) and up to STATION_RESULTS matches of the search; htmx refreshes that
    part as one types, and without JavaScript the "Search" button does the same."""
    searching = request.method == "POST" and "search" in request.POST
    if request.method == "POST":
        form = MobileTeamForm(request.POST, election=election)
    else:
        initial = {}
        if team is not None:
            initial = {"name": team.name, "stations": list(team.stations.all())}
        form = MobileTeamForm(initial=initial, election=election)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]

    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        try:
            if team is None:
                team = services.mobile_team_create(
                    actor=request.user,
                    election=election,
                    name=data["name"],
                    stations=data["stations"],
                )
                messages.success(request, _("The mobile team was created."))
            else:
                services.mobile_team_update(
                    actor=request.user, team=team, name=data["name"], stations=data["stations"]
                )
                messages.success(request, _("The mobile team was saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(f"{reverse('observers_staff:team_list')}?election={election.pk}")

    chosen = _chosen_stations(form, election)
    matches = []
    if query:
        matches = list(
            _election_stations(election)
            .search(query)
            .exclude(pk__in=[station.pk for station in chosen])[:STATION_RESULTS]
        )
    context = {
        "form": form,
        "election": election,
        "team": team,
        "chosen": chosen,
        "matches": matches,
        "query": query,
        "limit": STATION_RESULTS,
        "members": team.members.order_by("number") if team is not None else [],
        "section": "teams",
    }
    if searching and wants_fragment(request):
        return render(request, "observers/staff/_team_stations.html", context)
    status = 422 if request.method == "POST" and not searching and form.errors else 200
    return render(request, "observers/staff/team_form.html", context, status=status)


def _chosen_stations(form: MobileTeamForm, election: Election) -> list[PollingStation]:
    """The stations ticked on the form (or the team's, before anything was sent)."""
    if form.is_bound:
        ids = [value for value in form.data.getlist("stations") if str(value).isdigit()]
    else:
        ids = [station.pk for station in form.initial.get("stations", [])]
    return list(_election_stations(election).filter(pk__in=ids))
