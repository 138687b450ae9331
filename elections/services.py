"""Writes to elections: creating and changing elections, contests and ballot options, and
adding the polling stations taking part.

Every function takes keyword arguments only, runs in one transaction and leaves an audit entry;
a rule broken raises a ValidationError with a translated message and writes nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from elections.models import BallotOption, Contest, Election, ElectionStation
from geo.models import Constituency, PollingStation, Region

BULK_BATCH = 1000

ELECTION_FIELDS = [
    "kind",
    "name_az",
    "name_en",
    "name_ru",
    "election_date",
    "rounds",
    "current_round",
    "status",
]
CONTEST_FIELDS = [
    "election_id",
    "kind",
    "constituency_id",
    "name_az",
    "name_en",
    "name_ru",
    "round",
]
OPTION_FIELDS = ["contest_id", "kind", "name_az", "name_en", "name_ru", "party", "ballot_number"]
OPTION_EDITABLE = {"kind", "name_az", "name_en", "name_ru", "party", "ballot_number"}


def _refuse_unknown(changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )


# --- Elections ----------------------------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    actor,
    kind: str,
    name_az: str,
    election_date,
    name_en: str = "",
    name_ru: str = "",
    rounds: int = 1,
    current_round: int = 1,
    status: str = Election.Status.DRAFT,
) -> Election:
    election = Election(
        kind=kind,
        name_az=name_az,
        name_en=name_en,
        name_ru=name_ru,
        election_date=election_date,
        rounds=rounds,
        current_round=current_round,
        status=status,
    )
    election.full_clean()
    election.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=election,
        changes=model_changes({}, snapshot(election, ELECTION_FIELDS)),
    )
    return election


@transaction.atomic
def election_update(*, actor, election: Election, **changes: Any) -> Election:
    """Change some of an election's fields; unchanged values leave no audit entry."""
    _refuse_unknown(changes, set(ELECTION_FIELDS))
    election = Election.objects.select_for_update().get(pk=election.pk)
    before = snapshot(election, ELECTION_FIELDS)
    for name, value in changes.items():
        setattr(election, name, value)
    election.full_clean()
    highest = election.contests.aggregate(highest=Max("round"))["highest"] or 0
    if highest > election.rounds:
        raise ValidationError(
            {"rounds": _("Some contests belong to round %(round)d.") % {"round": highest}}
        )
    diff = model_changes(before, snapshot(election, ELECTION_FIELDS))
    if diff:
        election.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=election, changes=diff)
    return election


# --- Contests -----------------------------------------------------------------------------------


def _check_contest(
    election: Election, kind: str, constituency: Constituency | None, round_number: int
) -> None:
    if kind == Contest.Kind.CONSTITUENCY and constituency is None:
        raise ValidationError(
            {"constituency": _("Choose the constituency of a constituency contest.")}
        )
    if kind == Contest.Kind.NATIONAL and constituency is not None:
        raise ValidationError({"constituency": _("A national contest has no constituency.")})
    if not 1 <= round_number <= election.rounds:
        raise ValidationError(
            {
                "round": _("This election has %(rounds)d round(s); choose one of them.")
                % {"rounds": election.rounds}
            }
        )
    same_place = Contest.objects.filter(election=election, round=round_number)
    if constituency is not None and same_place.filter(constituency=constituency).exists():
        raise ValidationError(
            {
                "constituency": _(
                    "This election already has a contest in this constituency for this round."
                )
            }
        )
    if kind == Contest.Kind.NATIONAL and same_place.filter(kind=Contest.Kind.NATIONAL).exists():
        raise ValidationError(
            {"kind": _("This election already has a national contest for this round.")}
        )


@transaction.atomic
def contest_create(
    *,
    actor,
    election: Election,
    kind: str,
    constituency: Constituency | None = None,
    name_az: str = "",
    name_en: str = "",
    name_ru: str = "",
    round: int | None = None,
) -> Contest:
    """A national contest, or one for a constituency (which it then must name). Names left
    empty are taken from the constituency, or from the election for a national contest."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    round_number = round or election.current_round
    _check_contest(election, kind, constituency, round_number)
    source = constituency if constituency is not None else election
    contest = Contest(
        election=election,
        kind=kind,
        constituency=constituency,
        name_az=name_az or source.name_az,
        name_en=name_en or source.name_en,
        name_ru=name_ru or source.name_ru,
        round=round_number,
    )
    contest.full_clean()
    contest.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=contest,
        changes=model_changes({}, snapshot(contest, CONTEST_FIELDS)),
    )
    return contest


@transaction.atomic
def election_contests_create_per_constituency(*, actor, election: Election) -> int:
    """One contest per constituency in the election's current round, for parliamentary and
    municipal elections; constituencies that have one already are skipped. Returns how many
    were created."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not election.has_constituency_contests:
        raise ValidationError(
            _("Only parliamentary and municipal elections have a contest in each constituency.")
        )
    round_number = election.current_round
    existing = Contest.objects.filter(election=election, round=round_number).values(
        "constituency_id"
    )
    missing = Constituency.objects.exclude(pk__in=existing).order_by("number")
    contests = [
        Contest(
            election=election,
            kind=Contest.Kind.CONSTITUENCY,
            constituency=constituency,
            name_az=constituency.name_az,
            name_en=constituency.name_en,
            name_ru=constituency.name_ru,
            round=round_number,
        )
        for constituency in missing
    ]
    Contest.objects.bulk_create(contests, batch_size=BULK_BATCH)
    if contests:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=election,
            changes={"constituency_contests_created": len(contests), "round": round_number},
        )
    return len(contests)


# --- Ballot options -----------------------------------------------------------------------------


def _check_option(option: BallotOption, contest: Contest) -> None:
    is_referendum = contest.election.kind == Election.Kind.REFERENDUM
    if is_referendum and option.kind != BallotOption.Kind.ANSWER:
        raise ValidationError({"kind": _("A referendum's ballot lists answers only.")})
    if not is_referendum and option.kind == BallotOption.Kind.ANSWER:
        raise ValidationError({"kind": _("Answers are for referendums only.")})
    taken = BallotOption.objects.filter(contest=contest, ballot_number=option.ballot_number)
    if option.pk is not None:
        taken = taken.exclude(pk=option.pk)
    if option.ballot_number is not None and taken.exists():
        raise ValidationError(
            {"ballot_number": _("Another option of this contest has this number.")}
        )
    option.full_clean()


def next_ballot_number(contest: Contest) -> int:
    highest = contest.options.aggregate(highest=Max("ballot_number"))["highest"]
    return (highest or 0) + 1


@transaction.atomic
def ballot_option_create(
    *,
    actor,
    contest: Contest,
    kind: str,
    name_az: str,
    name_en: str = "",
    name_ru: str = "",
    party: str = "",
    ballot_number: int | None = None,
) -> BallotOption:
    """Add a line to the contest's ballot; without a number it goes last."""
    contest = Contest.objects.select_for_update().select_related("election").get(pk=contest.pk)
    option = BallotOption(
        contest=contest,
        kind=kind,
        name_az=name_az,
        name_en=name_en,
        name_ru=name_ru,
        party=party,
        ballot_number=ballot_number or next_ballot_number(contest),
    )
    _check_option(option, contest)
    option.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=option,
        changes=model_changes({}, snapshot(option, OPTION_FIELDS)),
    )
    return option


@transaction.atomic
def ballot_option_update(*, actor, option: BallotOption, **changes: Any) -> BallotOption:
    _refuse_unknown(changes, OPTION_EDITABLE)
    contest = (
        Contest.objects.select_for_update().select_related("election").get(pk=option.contest_id)
    )
    option = BallotOption.objects.get(pk=option.pk)
    before = snapshot(option, OPTION_FIELDS)
    for name, value in changes.items():
        setattr(option, name, value)
    _check_option(option, contest)
    diff = model_changes(before, snapshot(option, OPTION_FIELDS))
    if diff:
        option.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=option, changes=diff)
    return option


@transaction.atomic
def ballot_option_remove(*, actor, option: BallotOption) -> None:
    Contest.objects.select_for_update().get(pk=option.contest_id)
    option = BallotOption.objects.get(pk=option.pk)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=option,
        changes=snapshot(option, OPTION_FIELDS),
    )
    option.delete()


# --- Participating polling stations -------------------------------------------------------------


@transaction.atomic
def election_stations_add_all(
    *,
    actor,
    election: Election,
    region: Region | None = None,
    constituency: Constituency | None = None,
) -> int:
    """Every polling station takes part, or those of a region or a constituency. Stations
    already taking part are skipped. Returns how many were added."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    stations = PollingStation.objects.all()
    if region is not None:
        stations = stations.in_region(region)
    if constituency is not None:
        stations = stations.in_constituency(constituency)
    already = ElectionStation.objects.filter(election=election).values("station_id")
    station_ids = list(stations.exclude(pk__in=already).order_by().values_list("pk", flat=True))
    ElectionStation.objects.bulk_create(
        [ElectionStation(election=election, station_id=pk) for pk in station_ids],
        batch_size=BULK_BATCH,
    )
    if station_ids:
        scope = {}
        if region is not None:
            scope["region"] = region.code
        if constituency is not None:
            scope["constituency"] = constituency.number
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=election,
            changes={"stations_added": len(station_ids), **scope},
        )
    return len(station_ids)
