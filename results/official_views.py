"""Staff pages of official results, under /<lang>/staff/results/official/ and .../comparison/:
the imports, the upload (a known layout is imported at once; any CSV/XLSX goes through a
column-mapping step), an import's totals and failure report, and the comparison with the
observers' protocol copies.

Importing needs results.import_official_results; reading results.view_results. Station-level
lists (failures, comparisons) show a coordinator only the stations of their regions
(observation.access); another station is a 404.

Between the upload and the mapping step the file waits in the private storage under a random
name that only the uploader's session knows; it is deleted after the import, on "cancel", or
when abandoned (older than PENDING_HOURS). Nothing reaches the database before the import.
"""

import csv
import secrets
import time
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AuditEntry
from audit.services import audit_log
from backoffice.decorators import staff_required
from core.forms import add_service_errors
from elections.models import Contest, Election
from electionstats.layouts import MAPPABLE_FIELDS
from geo.models import PollingStation, Region
from observation.access import may_see_region, visible_region_ids
from results import comparison as comparing
from results import official
from results.models import OfficialResult, OfficialResultImport, Protocol

VIEW = "results.view_results"
IMPORT = "results.import_official_results"
PAGE_SIZE = 50
PENDING_FOLDER = "results/official/pending"
PENDING_HOURS = 6
SESSION_KEY = "official_pending"


def _storage():
    return OfficialResultImport._meta.get_field("file").storage


# --- forms ------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election"), queryset=Election.objects.all()
    )
    contest = forms.ModelChoiceField(
        label=gettext_lazy("Contest"),
        queryset=Contest.objects.select_related("election"),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: CEC final results, 12 April. The file name if empty."),
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        choices=OfficialResultImport.Layout.choices,
        initial=OfficialResultImport.Layout.MAPPED,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8), XLSX or a zipped CSV."),
    )

    def __init__(self, *args, election: Election | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if election is not None:
            self.fields["contest"].queryset = self.fields["contest"].queryset.filter(
                election=election
            )
        self.fields["contest"].label_from_instance = lambda c: f"{c.election.name} — {c.name}"

    def clean(self):
        data = super().clean()
        election, contest = data.get("election"), data.get("contest")
        if election and contest and contest.election_id != election.pk:
            self.add_error("contest", _("This contest belongs to another election."))
        upload = data.get("file")
        if upload is not None:
            try:
                official.sniff_kind(upload)
            except ValidationError as error:
                self.add_error("file", error)
        return data


class MappingForm(forms.Form):
    options = forms.MultipleChoiceField(
        label=gettext_lazy("Columns of votes for the ballot options"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c, c) for c in header if c]
        fields = {}
        for name in MAPPABLE_FIELDS:
            fields[name] = forms.ChoiceField(
                label=official.FIELD_LABELS[name],
                choices=[("", _("(not in the file)")), *choices],
                required=name in official.REQUIRED_FIELDS,
            )
        fields["options"] = self.fields.pop("options")
        fields["options"].choices = choices
        self.fields = fields

    def mapping(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in MAPPABLE_FIELDS if self.cleaned_data.get(f)}


# --- the imports ------------------------------------------------------------------------------


@staff_required(VIEW)
@require_GET
def official_list(request):
    imports = OfficialResultImport.objects.select_related("election", "contest", "created_by")
    election = None
    if request.GET.get("election", "").isdigit():
        election = Election.objects.filter(pk=request.GET["election"]).first()
        if election is not None:
            imports = imports.filter(election=election)
    page = Paginator(imports.defer("failures", "totals"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "results/official/list.html",
        {"page": page, "elections": Election.objects.all(), "election": election},
    )


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _forget_pending(request, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    if entry is not None:
        _storage().delete(entry["file"])
        request.session[SESSION_KEY] = pending


def _purge_abandoned(request) -> None:
    """Delete pending files older than PENDING_HOURS: this session's, and any other's left in
    the folder (the uploader closed the page and never came back)."""
    cutoff = time.time() - PENDING_HOURS * 3600
    for token, entry in list(_pending(request).items()):
        if entry.get("created", 0) < cutoff:
            _forget_pending(request, token)
    storage = _storage()
    try:
        _folders, files = storage.listdir(PENDING_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    oldest = timezone.now() - timedelta(hours=PENDING_HOURS)
    for name in files:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < oldest:
                storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


@staff_required(IMPORT)
@require_http_methods(["GET", "POST"])
def official_upload(request):
    election = None
    if request.GET.get("election", "").isdigit():
        election = Election.objects.filter(pk=request.GET["election"]).first()
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        election=election,
        initial={"election": election} if election else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if data["layout"] != OfficialResultImport.Layout.MAPPED:
            try:
                result = official.import_official_results(
                    election=data["election"],
                    contest=data["contest"],
                    layout=data["layout"],
                    uploaded_file=upload,
                    name=data["name"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error, rename={"mapping": "layout"})
            else:
                messages.success(request, _("The official results were imported."))
                return redirect("results_staff:official_detail", result.pk)
        else:
            try:
                info = official.inspect_upload(upload)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                _purge_abandoned(request)
                token = secrets.token_urlsafe(18)
                upload.seek(0)
                stored = _storage().save(f"{PENDING_FOLDER}/{token}.{info.extension}", upload)
                pending = _pending(request)
                pending[token] = {
                    "file": stored,
                    "original_name": upload.name,
                    "election": data["election"].pk,
                    "contest": data["contest"].pk,
                    "name": data["name"],
                    "created": time.time(),
                }
                request.session[SESSION_KEY] = pending
                return redirect("results_staff:official_mapping", token)
    return render(request, "results/official/upload.html", {"form": form})


@staff_required(IMPORT)
@require_http_methods(["GET", "POST"])
def official_mapping(request, token: str):
    entry = _pending(request).get(token)
    if entry is None:
        raise Http404
    if request.method == "POST" and "cancel" in request.POST:
        _forget_pending(request, token)
        messages.info(request, _("The upload was cancelled and the file deleted."))
        return redirect("results_staff:official_list")
    election = get_object_or_404(Election, pk=entry["election"])
    contest = get_object_or_404(Contest, pk=entry["contest"], election=election)
    storage = _storage()
    try:
        with storage.open(entry["file"], "rb") as handle:
            info = official.inspect_upload(File(handle, name=entry["original_name"]))
    except FileNotFoundError:
        request.session[SESSION_KEY] = {k: v for k, v in _pending(request).items() if k != token}
        raise Http404 from None
    form = MappingForm(
        request.POST or None,
        header=info.header,
        initial={**info.guessed_mapping, "options": info.guessed_options},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with storage.open(entry["file"], "rb") as handle:
                result = official.import_official_results(
                    election=election,
                    contest=contest,
                    layout=OfficialResultImport.Layout.MAPPED,
                    uploaded_file=File(handle, name=entry["original_name"]),
                    mapping=form.mapping(),
                    options=form.cleaned_data["options"],
                    name=entry["name"],
                    actor=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _forget_pending(request, token)
            messages.success(request, _("The official results were imported."))
            return redirect("results_staff:official_detail", result.pk)
    return render(
        request,
        "results/official/mapping.html",
        {
            "form": form,
            "info": info,
            "entry": entry,
            "election": election,
            "contest": contest,
            "field_names": MAPPABLE_FIELDS,
        },
    )


def _visible_failures(user, result_import: OfficialResultImport) -> list[list]:
    """The import's failures, for a coordinator only those of stations in their regions."""
    region_ids = visible_region_ids(user)
    failures = result_import.failures or []
    if region_ids is None:
        return failures
    rows = set(
        OfficialResult.objects.filter(
            result_import=result_import,
            station__constituency__district__region_id__in=region_ids,
        ).values_list("row", flat=True)
    )
    return [f for f in failures if f[0] in rows]


@staff_required(VIEW)
@require_GET
def official_detail(request, pk: int):
    result_import = get_object_or_404(
        OfficialResultImport.objects.select_related("election", "contest", "created_by"), pk=pk
    )
    failures = _visible_failures(request.user, result_import)
    rule_counts: dict[str, int] = {}
    for failure in failures:
        rule_counts[failure[2]] = rule_counts.get(failure[2], 0) + 1
    rule = request.GET.get("rule", "")
    shown = [f for f in failures if f[2] == rule] if rule in rule_counts else failures
    page = Paginator(
        [
            {
                "row": f[0],
                "station": f[1],
                "rule": f[2],
                "text": official.rule_text(f[2]),
                "detail": f[3],
            }
            for f in shown
        ],
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "results/official/detail.html",
        {
            "result_import": result_import,
            "totals": result_import.totals or {},
            "turnout_percent": (
                None
                if (result_import.totals or {}).get("turnout") is None
                else 100 * result_import.totals["turnout"]
            ),
            "options": official.option_rows(result_import),
            "rules": [
                (code, official.rule_text(code), count)
                for code, count in sorted(rule_counts.items(), key=lambda kv: -kv[1])
            ],
            "rule": rule if rule in rule_counts else "",
            "page": page,
            "failure_count": len(failures),
            "sees_no_region": visible_region_ids(request.user) == set(),
        },
    )


@staff_required(VIEW)
@require_GET
def official_failures_csv(request, pk: int):
    result_import = get_object_or_404(OfficialResultImport, pk=pk)
    failures = _visible_failures(request.user, result_import)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="official-{pk}-failures.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    for row in official.failures_csv_rows(failures):
        writer.writerow(row)
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=result_import,
        changes={"export": "failures", "rows": len(failures)},
    )
    return response


# --- the comparison -----------------------------------------------------------------------------


class ComparisonFilterForm(forms.Form):
    SHOW = [
        ("differing", gettext_lazy("Differing stations")),
        ("all", gettext_lazy("All compared stations")),
        ("identical", gettext_lazy("Identical stations")),
    ]
    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=SHOW, required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.none(), required=False
    )
    favoured = forms.TypedChoiceField(
        label=gettext_lazy("In favour of"), coerce=str, required=False
    )

    def __init__(self, *args, regions, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["favoured"].choices = [
            ("", _("Any option")),
            *[(str(o.ballot_number), str(o)) for o in options],
        ]


def _regions_for(user):
    region_ids = visible_region_ids(user)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


@staff_required(VIEW)
@require_GET
def comparison(request, contest_id: int):
    contest = get_object_or_404(Contest.objects.select_related("election"), pk=contest_id)
    region_ids = visible_region_ids(request.user)
    result = comparing.compare_contest(contest, region_ids=region_ids)
    form = ComparisonFilterForm(
        request.GET or None, regions=_regions_for(request.user), options=result.options
    )
    stations = result.ordered()
    if form.is_valid():
        data = form.cleaned_data
        show = data.get("show") or "differing"
        if data.get("region"):
            stations = [s for s in stations if s.region_id == data["region"].pk]
        if data.get("favoured"):
            stations = [s for s in stations if s.favoured and s.favoured.key == data["favoured"]]
    else:
        show = "differing"
    if show == "differing":
        stations = [s for s in stations if s.differs]
    elif show == "identical":
        stations = [s for s in stations if not s.differs]
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {str(o.ballot_number): o for o in result.options}
    net = result.net_gain()
    biggest = max([abs(v) for _o, v in net] or [0]) or 1
    return render(
        request,
        "results/official/comparison.html",
        {
            "contest": contest,
            "result": result,
            "form": form,
            "page": page,
            "names": names,
            "net": [
                (option, value, favoured, round(200 * abs(value) / biggest))
                for (option, value), (_o, favoured) in zip(
                    net, result.favoured_counts(), strict=True
                )
            ],
            "rows": [(s, names.get(s.favoured.key) if s.favoured else None) for s in page],
            "sees_no_region": region_ids == set(),
        },
    )


@staff_required(VIEW)
@require_GET
def comparison_station(request, contest_id: int, station_id: int):
    contest = get_object_or_404(Contest.objects.select_related("election"), pk=contest_id)
    station = get_object_or_404(
        PollingStation.objects.select_related("constituency__district__region"), pk=station_id
    )
    if not may_see_region(request.user, station.constituency.district.region_id):
        raise Http404
    result_import = official.current_import(contest)
    official_row = (
        OfficialResult.objects.filter(result_import=result_import, station=station).first()
        if result_import
        else None
    )
    options = list(contest.options.order_by("ballot_number"))
    protocols = list(
        Protocol.objects.filter(contest=contest, station=station)
        .exclude(status=Protocol.Status.REJECTED)
        .order_by("-received_at", "-pk")
    )
    labels = comparing.line_labels()
    names = {str(o.ballot_number): str(o) for o in options}
    copies = []
    if official_row is not None:
        for protocol in protocols:
            compared = comparing.compare_station(
                official_row, protocol, options=options, option_map=result_import.option_map
            )
            copies.append(
                {
                    "protocol": protocol,
                    "compared": compared,
                    "lines": [(labels[d.key], d) for d in compared.lines],
                    "options": [(names[d.key], d) for d in compared.options],
                    "favoured": names.get(compared.favoured.key) if compared.favoured else None,
                }
            )
    return render(
        request,
        "results/official/comparison_station.html",
        {
            "contest": contest,
            "station": station,
            "result_import": result_import,
            "official_row": official_row,
            "protocols": protocols,
            "copies": copies,
        },
    )


@staff_required(VIEW)
@require_GET
def comparison_csv(request, contest_id: int):
    contest = get_object_or_404(Contest, pk=contest_id)
    result = comparing.compare_contest(contest, region_ids=visible_region_ids(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="comparison-{contest.pk}.csv"'
    response.write("\ufeff")
    response.write(comparing.comparison_csv(result))
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=contest,
        changes={"export": "official_comparison", "stations": result.compared},
    )
    return response
