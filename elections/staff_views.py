"""Staff pages for elections, under /<lang>/staff/elections/: the list, an election's page with
its contests, a contest's ballot, and the forms that change them. Viewing needs
elections.view_election, creating an election elections.add_election, and every other change
elections.change_election."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backoffice.decorators import staff_required
from core.forms import save_through_service
from elections import services
from elections.forms import BallotOptionForm, ContestForm, ElectionForm, StationScopeForm
from elections.models import BallotOption, Contest, Election

VIEW = "elections.view_election"
ADD = "elections.add_election"
CHANGE = "elections.change_election"


@staff_required(VIEW)
@require_GET
def election_list(request):
    elections = Election.objects.with_counts()
    return render(request, "elections/staff/election_list.html", {"elections": elections})


@staff_required(ADD)
@require_http_methods(["GET", "POST"])
def election_create(request):
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = save_through_service(
            form, lambda: services.election_create(actor=request.user, **form.cleaned_data)
        )
        if election is not None:
            messages.success(request, _("The election was created."))
            return redirect(election)
    return render(request, "elections/staff/election_form.html", {"form": form, "election": None})


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def election_edit(request, pk: int):
    election = get_object_or_404(Election, pk=pk)
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        saved = save_through_service(
            form,
            lambda: services.election_update(
                actor=request.user, election=election, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The election was saved."))
            return redirect(saved)
    return render(
        request, "elections/staff/election_form.html", {"form": form, "election": election}
    )


@staff_required(VIEW)
@require_GET
def election_detail(request, pk: int):
    election = get_object_or_404(Election.objects.with_counts(), pk=pk)
    contests = Contest.objects.of_election(election).with_options()
    return render(
        request,
        "elections/staff/election_detail.html",
        {"election": election, "contests": contests, "station_form": StationScopeForm()},
    )


@staff_required(CHANGE)
@require_POST
def election_add_stations(request, pk: int):
    election = get_object_or_404(Election, pk=pk)
    form = StationScopeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a region or constituency from the list."))
        return redirect(election)
    added = services.election_stations_add_all(
        actor=request.user, election=election, **form.cleaned_data
    )
    messages.success(
        request,
        ngettext(
            "%(count)d polling station was added.",
            "%(count)d polling stations were added.",
            added,
        )
        % {"count": added},
    )
    return redirect(election)


@staff_required(CHANGE)
@require_POST
def election_create_contests(request, pk: int):
    election = get_object_or_404(Election, pk=pk)
    try:
        created = services.election_contests_create_per_constituency(
            actor=request.user, election=election
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(election)
    messages.success(
        request,
        ngettext(
            "%(count)d constituency contest was created.",
            "%(count)d constituency contests were created.",
            created,
        )
        % {"count": created},
    )
    return redirect(election)


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def contest_create(request, pk: int):
    election = get_object_or_404(Election, pk=pk)
    form = ContestForm(request.POST or None, election=election)
    if request.method == "POST" and form.is_valid():
        contest = save_through_service(
            form,
            lambda: services.contest_create(
                actor=request.user, election=election, **form.cleaned_data
            ),
        )
        if contest is not None:
            messages.success(request, _("The contest was created."))
            return redirect(contest)
    return render(
        request, "elections/staff/contest_form.html", {"form": form, "election": election}
    )


@staff_required(VIEW)
@require_GET
def contest_detail(request, pk: int):
    contest = get_object_or_404(
        Contest.objects.select_related("election", "constituency").with_options(), pk=pk
    )
    return render(request, "elections/staff/contest_detail.html", {"contest": contest})


def _option_form_page(request, contest: Contest, form: BallotOptionForm, option=None):
    return render(
        request,
        "elections/staff/option_form.html",
        {"form": form, "contest": contest, "option": option},
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def option_create(request, pk: int):
    contest = get_object_or_404(Contest.objects.select_related("election"), pk=pk)
    form = BallotOptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        option = save_through_service(
            form,
            lambda: services.ballot_option_create(
                actor=request.user, contest=contest, **form.cleaned_data
            ),
        )
        if option is not None:
            messages.success(request, _("The ballot option was added."))
            return redirect(contest)
    return _option_form_page(request, contest, form)


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def option_edit(request, pk: int):
    option = get_object_or_404(BallotOption.objects.select_related("contest__election"), pk=pk)
    form = BallotOptionForm(request.POST or None, instance=option)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes["ballot_number"]:
            changes.pop("ballot_number")
        saved = save_through_service(
            form,
            lambda: services.ballot_option_update(actor=request.user, option=option, **changes),
        )
        if saved is not None:
            messages.success(request, _("The ballot option was saved."))
            return redirect(option.contest)
    return _option_form_page(request, option.contest, form, option)


@staff_required(CHANGE)
@require_POST
def option_remove(request, pk: int):
    option = get_object_or_404(BallotOption.objects.select_related("contest"), pk=pk)
    services.ballot_option_remove(actor=request.user, option=option)
    messages.success(request, _("The ballot option was removed."))
    return redirect(option.contest)
