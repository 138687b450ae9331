"""Staff pages of double entry, under /<lang>/staff/results/entry/: the clerk's queue, the entry
form (the photo beside every line of the protocol), arbitration, the photos themselves, the
upload of protocol photos and the progress of an election's entry.

Entering needs results.enter_protocols and settling results.arbitrate_protocols (data-entry
clerks); uploading photos and watching progress results.review_quarantine (coordinators only
for the stations of their regions, as in observation.access). A photo opens for clerks and for
staff who may see results (results.view_results), never through a public URL.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice.decorators import STAFF_AREA, staff_required
from core.forms import add_service_errors
from elections.models import Contest, Election
from geo.models import PollingStation
from observation.access import may_see_region, visible_region_ids
from results import entry
from results.models import PROTOCOL_LINES, DataEntryTask, Protocol, ProtocolEntry

ENTER = entry.ENTER
ARBITRATE = entry.ARBITRATE
REVIEW = "results.review_quarantine"
VIEW_RESULTS = "results.view_results"
PAGE_SIZE = 50


def _staff_with_any(*permissions: str):
    """Signed in, in the staff area, and holding at least one of the permissions (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(request, *args, **kwargs):
            user = request.user
            if not user.has_perm(STAFF_AREA) or not any(user.has_perm(p) for p in permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.staff_permissions = (STAFF_AREA, *permissions)
        return guarded

    return decorator


# --- Forms -----------------------------------------------------------------------------------


def _number_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "autocomplete": "off",
            "class": "entry-input",
            "maxlength": "9",
        }
    )


def _option_field(number) -> str:
    return f"option_{number}"


class ProtocolNumbersForm(forms.Form):
    """Every line of the protocol and every ballot option of the contest. Checking the numbers
    is the service's job (results.services.clean_numbers); its errors land on these fields."""

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        for line in PROTOCOL_LINES:
            self.fields[line] = forms.CharField(
                label=capfirst(Protocol._meta.get_field(line).verbose_name),
                required=False,
                max_length=9,
                widget=_number_input(),
            )
        self.options = list(contest.options.order_by("ballot_number"))
        for option in self.options:
            self.fields[_option_field(option.ballot_number)] = forms.CharField(
                label=f"{option.ballot_number}. {option.name}",
                required=False,
                max_length=9,
                widget=_number_input(),
            )

    def line_fields(self):
        return [self[line] for line in PROTOCOL_LINES]

    def option_fields(self):
        return [self[_option_field(option.ballot_number)] for option in self.options]

    def numbers(self) -> dict:
        data = self.cleaned_data
        return {
            **{line: data.get(line) for line in PROTOCOL_LINES},
            "votes": {
                str(o.ballot_number): data.get(_option_field(o.ballot_number))
                for o in self.options
                if data.get(_option_field(o.ballot_number)) not in (None, "")
            },
        }

    def show_errors(self, error: ValidationError) -> None:
        rename = {f"option:{o.ballot_number}": _option_field(o.ballot_number) for o in self.options}
        add_service_errors(self, error, rename=rename)

    @staticmethod
    def initial_from(numbers: dict) -> dict:
        initial = {line: numbers.get(line) for line in PROTOCOL_LINES if line in numbers}
        for number, count in (numbers.get("votes") or {}).items():
            initial[_option_field(number)] = count
        return initial


class ContestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.election.name} · {obj.name}"


class UploadForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election"), queryset=Election.objects.order_by("-election_date")
    )
    contest = ContestChoiceField(
        label=gettext_lazy("Contest"),
        queryset=Contest.objects.select_related("election").order_by(
            "-election__election_date", "round", "constituency__number", "pk"
        ),
        required=False,
        help_text=gettext_lazy("Leave empty for the contest the station votes in this round."),
    )
    station_code = forms.CharField(
        label=gettext_lazy("Polling station code"),
        max_length=20,
        help_text=gettext_lazy('For example "12-034".'),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo of the protocol"),
        help_text=gettext_lazy("A photo or scan as JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        code = (data.get("station_code") or "").strip()
        election = data.get("election")
        if code:
            station = (
                PollingStation.objects.filter(code=code)
                .select_related("constituency__district")
                .first()
            )
            if station is None:
                self.add_error("station_code", _("No polling station has this code."))
            elif not may_see_region(self.user, station.constituency.district.region_id):
                self.add_error(
                    "station_code", _("This polling station is outside the regions given to you.")
                )
            else:
                data["station"] = station
        if election is not None and data.get("station") and not data.get("contest"):
            data["contest"] = entry.contest_for_station(election, data["station"])
            if data["contest"] is None:
                self.add_error("contest", _("This polling station has no contest in this round."))
        return data


class ElectionChoiceForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election"), queryset=Election.objects.none(), required=False
    )

    def __init__(self, *args, elections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
        self.fields["election"].empty_label = _("All elections")


# --- Helpers ---------------------------------------------------------------------------------


def _elections_with_tasks():
    return Election.objects.filter(
        pk__in=DataEntryTask.objects.values("election_id").distinct()
    ).order_by("-election_date", "pk")


def _chosen_election(request) -> tuple[ElectionChoiceForm, Election | None]:
    form = ElectionChoiceForm(request.GET or None, elections=_elections_with_tasks())
    election = form.cleaned_data.get("election") if form.is_valid() else None
    return form, election


def _election_query(election: Election | None) -> str:
    return f"?election={election.pk}" if election else ""


def _station_region_id(task: DataEntryTask) -> int:
    return task.station.constituency.district.region_id


def _get_task(pk: int) -> DataEntryTask:
    return get_object_or_404(
        DataEntryTask.objects.select_related(
            "station__constituency__district", "contest", "election"
        ),
        pk=pk,
    )


# --- The clerk's pages -----------------------------------------------------------------------


@never_cache
@_staff_with_any(ENTER, REVIEW)
@require_GET
def entry_queue(request):
    user = request.user
    choice, election = _chosen_election(request)
    context = {"choice": choice, "election": election, "section": "queue"}
    if user.has_perm(ENTER):
        context["counts"] = entry.clerk_counts(user, election)
    if user.has_perm(REVIEW):
        shown = election or _elections_with_tasks().first()
        if shown is not None:
            context["stats"] = entry.entry_stats(shown, region_ids=visible_region_ids(user))
            context["stats_election"] = shown
        context["upload_form"] = UploadForm(user=user, initial={"election": election})
    return render(request, "results/entry/queue.html", context)


@_staff_with_any(ENTER)
@require_http_methods(["GET", "POST"])
def entry_next(request):
    election = None
    election_id = request.POST.get("election") or request.GET.get("election")
    if election_id and str(election_id).isdigit():
        election = Election.objects.filter(pk=election_id).first()
    task = entry.next_task(request.user, election)
    if task is None:
        messages.info(request, _("There is no protocol for you to enter now."))
        return redirect(reverse("results_staff:entry_queue") + _election_query(election))
    return redirect(reverse("results_staff:entry_form", args=[task.pk]) + _election_query(election))


def _entry_done_message(outcome: entry.EntryOutcome) -> str:
    if outcome.status == DataEntryTask.Status.SECOND_ENTRY:
        return _("Saved. Another clerk will enter this protocol without seeing your numbers.")
    if outcome.status == DataEntryTask.Status.ARBITRATION:
        return _("Saved. The two entries differ, so a third clerk will settle this protocol.")
    if outcome.protocol is not None and outcome.protocol.status == Protocol.Status.QUARANTINED:
        return _(
            "Saved. Both entries agree; the protocol fails an arithmetic check and waits in "
            "quarantine."
        )
    return _("Saved. Both entries agree and the protocol was accepted.")


@never_cache
@staff_required(ENTER)
@require_http_methods(["GET", "POST"])
def entry_form(request, pk: int):
    task = _get_task(pk)
    election_id = request.GET.get("election", "")
    queue_url = reverse("results_staff:entry_queue") + (
        f"?election={election_id}" if election_id.isdigit() else ""
    )
    stage = entry.stage_for(task, request.user)
    if stage is None:
        messages.info(
            request, _("This protocol does not need an entry from you. Take the next one.")
        )
        return redirect(queue_url)
    if not entry.claim(task, request.user, stage):
        messages.info(request, _("Another clerk is entering this protocol now. Take the next one."))
        return redirect(queue_url)
    form = ProtocolNumbersForm(request.POST or None, contest=task.contest)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = entry.submit_entry(task, request.user, form.numbers())
        except ValidationError as error:
            if getattr(error, "code", None) in ("taken", "same_clerk"):
                messages.warning(request, error.messages[0])
                return redirect(queue_url)
            form.show_errors(error)
        else:
            messages.success(request, _entry_done_message(outcome))
            return redirect(
                reverse("results_staff:entry_next")
                + (f"?election={election_id}" if election_id.isdigit() else "")
            )
    return render(
        request,
        "results/entry/form.html",
        {
            "task": task,
            "form": form,
            "stage": stage,
            "queue_url": queue_url,
            "section": "queue",
        },
    )


# --- Arbitration -----------------------------------------------------------------------------


@never_cache
@staff_required(ARBITRATE)
@require_GET
def arbitration_list(request):
    choice, election = _chosen_election(request)
    tasks = entry.arbitration_tasks(request.user, election)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "results/entry/arbitration_list.html",
        {"choice": choice, "election": election, "page": page, "section": "arbitration"},
    )


def _comparison_rows(form: ProtocolNumbersForm, first: dict, second: dict) -> list[dict]:
    rows = []
    for line in PROTOCOL_LINES:
        a, b = first.get(line), second.get(line)
        rows.append({"field": form[line], "first": a, "second": b, "differs": a != b})
    first_votes, second_votes = first.get("votes") or {}, second.get("votes") or {}
    for option in form.options:
        key = str(option.ballot_number)
        a, b = first_votes.get(key), second_votes.get(key)
        rows.append(
            {
                "field": form[_option_field(option.ballot_number)],
                "first": a,
                "second": b,
                "differs": a != b,
            }
        )
    return rows


def _agreed(first: dict, second: dict) -> dict:
    """The numbers both entries agree on (the arbiter fills in the rest)."""
    agreed = {
        line: first.get(line) for line in PROTOCOL_LINES if first.get(line) == second.get(line)
    }
    first_votes, second_votes = first.get("votes") or {}, second.get("votes") or {}
    agreed["votes"] = {
        key: value for key, value in first_votes.items() if second_votes.get(key) == value
    }
    return agreed


@never_cache
@staff_required(ARBITRATE)
@require_http_methods(["GET", "POST"])
def arbitrate(request, pk: int):
    task = _get_task(pk)
    entries = {e.stage: e for e in task.entries.select_related("clerk")}
    if any(e.clerk_id == request.user.pk for e in entries.values()):
        # The two clerks never see each other's numbers, and never settle their own protocol.
        raise PermissionDenied
    if task.status != DataEntryTask.Status.ARBITRATION:
        messages.info(request, _("This protocol is not waiting for arbitration."))
        return redirect("results_staff:arbitration_list")
    first = entries[ProtocolEntry.Stage.FIRST].numbers
    second = entries[ProtocolEntry.Stage.SECOND].numbers
    form = ProtocolNumbersForm(
        request.POST or None,
        contest=task.contest,
        initial=ProtocolNumbersForm.initial_from(_agreed(first, second)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = entry.arbitrate(task, request.user, form.numbers())
        except ValidationError as error:
            if getattr(error, "code", None) in ("not_arbitration", "taken", "same_clerk"):
                messages.warning(request, error.messages[0])
                return redirect("results_staff:arbitration_list")
            form.show_errors(error)
        else:
            if outcome.protocol is not None and (
                outcome.protocol.status == Protocol.Status.QUARANTINED
            ):
                messages.success(
                    request,
                    _(
                        "The protocol was settled; it fails an arithmetic check and waits in "
                        "quarantine."
                    ),
                )
            else:
                messages.success(request, _("The protocol was settled and accepted."))
            return redirect("results_staff:arbitration_list")
    return render(
        request,
        "results/entry/arbitrate.html",
        {
            "task": task,
            "form": form,
            "rows": _comparison_rows(form, first, second),
            "difference_count": len(entry.differences(first, second, task.contest)),
            "entries": entries,
            "section": "arbitration",
        },
    )


# --- The photo -------------------------------------------------------------------------------


@never_cache
@_staff_with_any(ENTER, ARBITRATE, VIEW_RESULTS)
@require_GET
def task_photo(request, pk: int):
    task = _get_task(pk)
    user = request.user
    clerk = user.has_perm(ENTER) or user.has_perm(ARBITRATE)
    if not clerk and not may_see_region(user, _station_region_id(task)):
        raise Http404
    if task.submission_photo_id:
        file, content_type = task.submission_photo.file, task.submission_photo.content_type
    elif task.upload:
        file, content_type = task.upload, task.upload_content_type
    else:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Upload and progress ---------------------------------------------------------------------


@staff_required(REVIEW)
@require_http_methods(["GET", "POST"])
def task_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = entry.create_task_from_upload(
                election=data["election"],
                contest=data["contest"],
                station=data["station"],
                uploaded_file=data["photo"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error, rename={"station": "station_code"})
        else:
            messages.success(
                request,
                _("The photo of %(station)s's protocol is waiting for double entry.")
                % {"station": task.station.code},
            )
            return redirect(reverse("results_staff:task_upload") + _election_query(task.election))
    elif request.method == "GET" and request.GET.get("election", "").isdigit():
        form = UploadForm(user=request.user, initial={"election": request.GET["election"]})
    return render(request, "results/entry/upload.html", {"form": form, "section": "upload"})


@never_cache
@staff_required(REVIEW)
@require_GET
def entry_progress(request):
    choice, election = _chosen_election(request)
    if election is None:
        election = _elections_with_tasks().first()
        if election is not None:
            choice = ElectionChoiceForm(
                initial={"election": election}, elections=_elections_with_tasks()
            )
    stats = None
    if election is not None:
        stats = entry.entry_stats(election, region_ids=visible_region_ids(request.user))
    return render(
        request,
        "results/entry/progress.html",
        {
            "choice": choice,
            "election": election,
            "stats": stats,
            "section": "progress",
            "observer_elections": Election.objects.filter(
                pk__in=Protocol.objects.filter(
                    source=Protocol.Source.OBSERVER, photo__isnull=False
                ).values("election_id")
            ).order_by("-election_date"),
        },
    )


@staff_required(REVIEW)
@require_POST
def tasks_from_observers(request):
    """Turn the observers' protocol photos of an election into data-entry tasks (once each)."""
    election = get_object_or_404(Election, pk=request.POST.get("election") or 0)
    count = entry.tasks_from_observer_photos(election, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s new protocol photo from an observer is waiting for double entry.",
            "%(count)s new protocol photos from observers are waiting for double entry.",
            count,
        )
        % {"count": count},
    )
    return redirect(reverse("results_staff:entry_progress") + _election_query(election))
