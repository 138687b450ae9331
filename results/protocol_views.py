"""Staff pages of result protocols, under /<lang>/staff/results/: the overview per election,
the protocol list with its filters, a protocol (numbers, failed checks, photo, decisions), the
quarantine, the arithmetic checks of each type of election, and creating an election's
results form.

Reading needs results.view_results, and a coordinator sees only the protocols of their
regions (observation.access): any other is a 404. Accepting, correcting and rejecting need
results.review_quarantine; the checks and the results form results.configure_checks.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice.decorators import staff_required
from core.forms import add_service_errors, save_through_service
from elections.models import Contest, Election
from geo.models import Region
from observation.access import visible_in_regions, visible_region_ids
from results import quarantine
from results.models import PROTOCOL_LINES, Protocol, ProtocolCheck, ProtocolForm
from results.protocol_forms import ensure_protocol_form
from results.services import MAX_COUNT

VIEW = "results.view_results"
REVIEW = "results.review_quarantine"
CONFIGURE = "results.configure_checks"
PAGE_SIZE = 50
REGION_FIELD = "station__constituency__district__region"
#: Pages of the other results areas linked from the overview (they may not exist yet).
OTHER_PAGES = (
    (
        "results_staff:entry_queue",
        gettext_lazy("Double entry from photos"),
        "results.enter_protocols",
    ),
    (
        "results_staff:entry_progress",
        gettext_lazy("Double entry: progress and photo upload"),
        REVIEW,
    ),
    ("results_staff:official_list", gettext_lazy("Official results"), VIEW),
    ("quickcount_staff:design_list", gettext_lazy("Quick count"), "quickcount.view_quickcount"),
    ("forensics_staff:home", gettext_lazy("Forensics"), "forensics.view_forensics"),
    ("statements_staff:statement_list", gettext_lazy("Statements"), "statements.draft_statement"),
)


# --- Reading helpers ------------------------------------------------------------------------


def _visible_protocols(user):
    protocols = Protocol.objects.select_related(
        "election", "contest", "station__constituency__district__region"
    )
    return visible_in_regions(protocols, user, REGION_FIELD)


def _get_protocol_for_user(user, pk: int) -> Protocol:
    """The protocol, if the user may see its station's region; otherwise 404."""
    return get_object_or_404(_visible_protocols(user), pk=pk)


def _regions_for(user):
    region_ids = visible_region_ids(user)
    regions = Region.objects.order_by("name_az")
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


def _link(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def check_messages(protocols) -> dict[tuple[str, str], ProtocolCheck]:
    """The checks the protocols fail, by (type of election, code), to show their messages."""
    pairs = {(p.election.kind, code) for p in protocols for code in p.failed_checks or []}
    if not pairs:
        return {}
    checks = ProtocolCheck.objects.filter(
        election_kind__in={kind for kind, _code in pairs}, code__in={code for _k, code in pairs}
    )
    return {(check.election_kind, check.code): check for check in checks}


def _with_reasons(protocols) -> list[Protocol]:
    protocols = list(protocols)
    known = check_messages(protocols)
    for protocol in protocols:
        protocol.reasons = [
            known[(protocol.election.kind, code)].message
            if (protocol.election.kind, code) in known
            else code
            for code in protocol.failed_checks or []
        ]
    return protocols


# --- Forms ----------------------------------------------------------------------------------


class ProtocolFilterForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election"),
        queryset=Election.objects.exclude(status=Election.Status.DRAFT),
        required=False,
        empty_label=gettext_lazy("All elections"),
    )
    contest = forms.ModelChoiceField(
        label=gettext_lazy("Contest"),
        queryset=Contest.objects.none(),
        required=False,
        empty_label=gettext_lazy("All contests"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All statuses")), *Protocol.Status.choices],
        required=False,
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[("", gettext_lazy("All sources")), *Protocol.Source.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=gettext_lazy("All regions"),
    )
    q = forms.CharField(
        label=gettext_lazy("Polling station code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "12-034", "inputmode": "text"}),
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.all()
        election_id = self.data.get("election") if self.is_bound else None
        contests = Contest.objects.select_related("constituency").order_by(
            "round", "constituency__number", "pk"
        )
        if election_id and str(election_id).isdigit():
            contests = contests.filter(election_id=int(election_id))
        else:
            contests = contests.filter(election__in=self.fields["election"].queryset)
        self.fields["contest"].queryset = contests

    def filter(self, protocols):
        if not self.is_valid():
            return protocols
        data = self.cleaned_data
        if data["election"]:
            protocols = protocols.filter(election=data["election"])
        if data["contest"]:
            protocols = protocols.filter(contest=data["contest"])
        if data["status"]:
            protocols = protocols.filter(status=data["status"])
        if data["source"]:
            protocols = protocols.filter(source=data["source"])
        if data["region"]:
            protocols = protocols.filter(**{REGION_FIELD: data["region"]})
        if data["q"].strip():
            protocols = protocols.filter(station__code__icontains=data["q"].strip())
        return protocols


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=quarantine.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Why: what you checked and what you found."),
    )


class CorrectForm(NoteForm):
    """The protocol's lines and the contest's options, filled with what the protocol says."""

    def __init__(self, *args, protocol: Protocol, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for line in PROTOCOL_LINES:
            self.fields[line] = forms.IntegerField(
                label=Protocol._meta.get_field(line).verbose_name,
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                initial=getattr(protocol, line),
            )
        self.options = list(protocol.contest.options.order_by("ballot_number"))
        for option in self.options:
            self.fields[f"option_{option.ballot_number}"] = forms.IntegerField(
                label=str(option),
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                initial=(protocol.votes or {}).get(str(option.ballot_number)),
            )
        self.fields["note"] = note

    def numbers(self) -> dict:
        data = self.cleaned_data
        votes = {
            str(option.ballot_number): data[f"option_{option.ballot_number}"]
            for option in self.options
            if data.get(f"option_{option.ballot_number}") is not None
        }
        return {**{line: data.get(line) for line in PROTOCOL_LINES}, "votes": votes}


class CheckForm(forms.ModelForm):
    class Meta:
        model = ProtocolCheck
        fields = [
            "code",
            "expression",
            "message_az",
            "message_en",
            "message_ru",
            "is_active",
            "position",
        ]


# --- Overview -------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def home(request):
    user = request.user
    rows = (
        _visible_protocols(user)
        .order_by()
        .values("election_id", "status", "source")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict] = {}
    for row in rows:
        entry = counts.setdefault(row["election_id"], {"status": {}, "source": {}, "total": 0})
        entry["status"][row["status"]] = entry["status"].get(row["status"], 0) + row["n"]
        entry["source"][row["source"]] = entry["source"].get(row["source"], 0) + row["n"]
        entry["total"] += row["n"]
    elections = (
        Election.objects.filter(pk__in=list(counts))
        | Election.objects.exclude(status=Election.Status.DRAFT)
    ).order_by("status", "-election_date", "pk")
    forms_by_election: dict[int, list[ProtocolForm]] = {}
    for protocol_form in ProtocolForm.objects.select_related("questionnaire").order_by("round"):
        forms_by_election.setdefault(protocol_form.election_id, []).append(protocol_form)
    list_url = reverse("results_staff:protocol_list")
    summaries = []
    for election in elections:
        entry = counts.get(election.pk, {"status": {}, "source": {}, "total": 0})
        summaries.append(
            {
                "election": election,
                "total": entry["total"],
                "list_url": f"{list_url}?{urlencode({'election': election.pk})}",
                "by_status": [
                    {
                        "label": label,
                        "value": value,
                        "count": entry["status"].get(value, 0),
                        "url": _query(list_url, election=election.pk, status=value),
                    }
                    for value, label in Protocol.Status.choices
                ],
                "by_source": [
                    {
                        "label": label,
                        "count": entry["source"].get(value, 0),
                        "url": _query(list_url, election=election.pk, source=value),
                    }
                    for value, label in Protocol.Source.choices
                ],
                "forms": forms_by_election.get(election.pk, []),
                "has_current_form": any(
                    f.round == election.current_round
                    for f in forms_by_election.get(election.pk, [])
                ),
            }
        )
    other_pages = [
        {"label": label, "url": url}
        for name, label, permission in OTHER_PAGES
        if user.has_perm(permission) and (url := _link(name))
    ]
    return render(
        request,
        "results/protocols/home.html",
        {
            "summaries": summaries,
            "other_pages": other_pages,
            "sees_no_region": visible_region_ids(user) == set(),
            "section": "home",
        },
    )


# --- The list and the quarantine ------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def protocol_list(request):
    form = ProtocolFilterForm(request.GET or None, regions=_regions_for(request.user))
    protocols = form.filter(_visible_protocols(request.user)).order_by("-received_at", "-pk")
    page = Paginator(protocols, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_reasons(page.object_list)
    return render(
        request,
        "results/protocols/protocol_list.html",
        {
            "form": form,
            "page": page,
            "sees_no_region": visible_region_ids(request.user) == set(),
            "section": "list",
        },
    )


@staff_required(VIEW)
@require_GET
def quarantine_list(request):
    form = ProtocolFilterForm(request.GET or None, regions=_regions_for(request.user))
    protocols = form.filter(_visible_protocols(request.user)).filter(
        status=Protocol.Status.QUARANTINED
    )
    page = Paginator(protocols.order_by("received_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_reasons(page.object_list)
    return render(
        request,
        "results/protocols/quarantine.html",
        {
            "form": form,
            "page": page,
            "sees_no_region": visible_region_ids(request.user) == set(),
            "section": "quarantine",
        },
    )


# --- One protocol ---------------------------------------------------------------------------


def _detail(request, protocol: Protocol, *, status: int = 200, **forms_given):
    options = list(protocol.contest.options.order_by("ballot_number"))
    votes = protocol.votes or {}
    option_numbers = {str(option.ballot_number) for option in options}
    known = check_messages([protocol])
    failed = [
        {
            "code": code,
            "message": known[(protocol.election.kind, code)].message
            if (protocol.election.kind, code) in known
            else "",
            "expression": known[(protocol.election.kind, code)].expression
            if (protocol.election.kind, code) in known
            else "",
        }
        for code in protocol.failed_checks or []
    ]
    station_url = None
    if protocol.submission_id:
        station_url = _link(
            "observation_staff:station_detail", protocol.election_id, protocol.station.code
        )
    others = (
        _visible_protocols(request.user)
        .filter(contest=protocol.contest, station=protocol.station)
        .exclude(pk=protocol.pk)
        .order_by("-received_at")
    )
    context = {
        "protocol": protocol,
        "lines": [
            (Protocol._meta.get_field(line).verbose_name, getattr(protocol, line))
            for line in PROTOCOL_LINES
        ],
        "option_rows": [(option, votes.get(str(option.ballot_number))) for option in options],
        "unknown_votes": {k: v for k, v in votes.items() if k not in option_numbers},
        "vote_total": protocol.lines()["votes"],
        "failed": failed,
        "station_url": station_url,
        "others": others,
        "may_review": request.user.has_perm(REVIEW),
        "accept_form": forms_given.get("accept_form") or NoteForm(prefix="accept"),
        "reject_form": forms_given.get("reject_form") or NoteForm(prefix="reject"),
        "correct_form": forms_given.get("correct_form")
        or CorrectForm(prefix="correct", protocol=protocol),
        "section": "list",
    }
    return render(request, "results/protocols/protocol_detail.html", context, status=status)


@staff_required(VIEW)
@require_GET
def protocol_detail(request, pk: int):
    return _detail(request, _get_protocol_for_user(request.user, pk))


def _decide(request, pk: int, kind: str):
    protocol = _get_protocol_for_user(request.user, pk)
    if kind == "correct":
        form = CorrectForm(request.POST, prefix="correct", protocol=protocol)
    else:
        form = NoteForm(request.POST, prefix=kind)
    if form.is_valid():
        note = form.cleaned_data["note"]
        if kind == "accept":
            action = lambda: quarantine.accept_protocol(protocol, actor=request.user, note=note)  # noqa: E731
            done = _("The protocol was accepted.")
        elif kind == "reject":
            action = lambda: quarantine.reject_protocol(protocol, actor=request.user, note=note)  # noqa: E731
            done = _("The protocol was rejected.")
        else:
            numbers = form.numbers()
            action = lambda: quarantine.correct_protocol(  # noqa: E731
                protocol, numbers, actor=request.user, note=note
            )
            done = _("The protocol was corrected and checked again.")
        try:
            saved = action()
        except ValidationError as error:
            rename = {line: line for line in PROTOCOL_LINES}
            if kind == "correct":
                rename.update(
                    {f"option:{o.ballot_number}": f"option_{o.ballot_number}" for o in form.options}
                )
            add_service_errors(form, error, rename=rename)
            saved = None
        if saved is not None:
            messages.success(request, done)
            return redirect("results_staff:protocol_detail", pk=protocol.pk)
    return _detail(request, protocol, status=400, **{f"{kind}_form": form})


@staff_required(REVIEW)
@require_POST
def protocol_accept(request, pk: int):
    return _decide(request, pk, "accept")


@staff_required(REVIEW)
@require_POST
def protocol_reject(request, pk: int):
    return _decide(request, pk, "reject")


@staff_required(REVIEW)
@require_POST
def protocol_correct(request, pk: int):
    return _decide(request, pk, "correct")


@never_cache
@staff_required(VIEW)
@require_GET
def protocol_photo(request, pk: int):
    protocol = _get_protocol_for_user(request.user, pk)
    photo = protocol.photo
    if photo is None:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = photo.file.name.rsplit(".", 1)[-1] if "." in photo.file.name else "jpg"
    response = FileResponse(
        handle,
        content_type=photo.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=f"protocol-{protocol.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Checks ---------------------------------------------------------------------------------


def _kind(value: str | None) -> str:
    return value if value in Election.Kind.values else Election.Kind.PRESIDENTIAL


@staff_required(CONFIGURE)
@require_GET
def check_list(request):
    kind = _kind(request.GET.get("kind"))
    kinds = [
        {
            "value": value,
            "label": label,
            "url": f"{reverse('results_staff:check_list')}?{urlencode({'kind': value})}",
            "current": value == kind,
        }
        for value, label in Election.Kind.choices
    ]
    return render(
        request,
        "results/protocols/check_list.html",
        {
            "kind": kind,
            "kind_label": Election.Kind(kind).label,
            "kinds": kinds,
            "checks": ProtocolCheck.objects.filter(election_kind=kind),
            "new_url": f"{reverse('results_staff:check_form')}?{urlencode({'kind': kind})}",
            "section": "checks",
        },
    )


@staff_required(CONFIGURE)
@require_http_methods(["GET", "POST"])
def check_form(request, pk: int | None = None):
    check = get_object_or_404(ProtocolCheck, pk=pk) if pk is not None else None
    kind = check.election_kind if check else _kind(request.GET.get("kind"))
    form = CheckForm(request.POST or None, instance=check)
    if check is None:
        form.fields["position"].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if check is None:
            saved = save_through_service(
                form,
                lambda: quarantine.create_check(actor=request.user, election_kind=kind, **data),
            )
        else:
            saved = save_through_service(
                form, lambda: quarantine.update_check(check, actor=request.user, **data)
            )
        if saved is not None:
            messages.success(
                request,
                _("The check was saved; protocols not yet reviewed were checked again."),
            )
            return redirect(f"{reverse('results_staff:check_list')}?{urlencode({'kind': kind})}")
    return render(
        request,
        "results/protocols/check_form.html",
        {
            "form": form,
            "check": check,
            "kind": kind,
            "kind_label": Election.Kind(kind).label,
            "list_url": f"{reverse('results_staff:check_list')}?{urlencode({'kind': kind})}",
            "section": "checks",
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required(CONFIGURE)
@require_POST
def check_toggle(request, pk: int):
    check = get_object_or_404(ProtocolCheck, pk=pk)
    try:
        check = quarantine.toggle_check(check, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The check is in use.") if check.is_active else _("The check is no longer in use."),
        )
    return redirect(
        f"{reverse('results_staff:check_list')}?{urlencode({'kind': check.election_kind})}"
    )


# --- The results form -----------------------------------------------------------------------


@staff_required(CONFIGURE)
@require_POST
def protocol_form_create(request):
    election_id = request.POST.get("election", "")
    election = get_object_or_404(Election, pk=int(election_id) if election_id.isdigit() else 0)
    try:
        questionnaire = ensure_protocol_form(election, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The results form %(code)s is open: observers can send protocols with it.")
            % {"code": questionnaire.code},
        )
    return redirect("results_staff:home")
