"""Writes to observers: the public application, each step of an observer's way
(applied → vetted → trained → accredited → deployed, or rejected), imports from files,
accreditation (observer number and badge code), deployment to a station or a mobile team, and
the mobile teams themselves.

Every function takes keyword arguments only, runs in one transaction, records steps in the
observer's history and leaves an audit entry; a rule broken raises a ValidationError with a
translated message and writes nothing. The imports return an ImportOutcome instead: its errors
name the row and column, and nothing is written when there is any.
"""

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from elections.models import Election, ElectionStation
from geo.models import PollingStation, Region
from geo.search import search_key
from observers.importing import (
    FILE_ROW,
    DeploymentRow,
    ObserverRow,
    RowError,
    TextTable,
    parse_deployments,
    parse_observers,
)
from observers.models import (
    BADGE_STATUSES,
    MINIMUM_AGE,
    TRANSITIONS,
    MobileTeam,
    Observer,
    ObserverStatusChange,
    age_on,
    new_badge_code,
    normalise_phone,
)

S = Observer.Status
PATH = [S.APPLIED, S.VETTED, S.TRAINED, S.ACCREDITED, S.DEPLOYED]
NUMBERING_ATTEMPTS = 5

# Personal details (phone, email, birth date) stay out of the audit log; the record has them.
AUDIT_FIELDS = ["election_id", "region_id", "language", "status"]


def _check_transition(observer: Observer, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(observer.status, ()):
        raise ValidationError(
            _("%(name)s cannot go from “%(current)s” to “%(next)s”.")
            % {
                "name": observer.full_name,
                "current": Observer.Status(observer.status).label,
                "next": (
                    Observer.Status(to_status).label
                    if to_status in Observer.Status.values
                    else to_status
                ),
            },
            code="transition",
        )


@transaction.atomic
def observer_apply(
    *,
    election: Election,
    full_name: str,
    phone: str,
    email: str,
    date_of_birth,
    region: Region,
    language: str,
) -> Observer:
    """A member of the public applies to observe an election; only active elections take
    applications, each phone number once per election, and observers are 18 or older on
    election day."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.ACTIVE:
        raise ValidationError(_("This election does not take applications from observers."))
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    if date_of_birth is not None and age_on(date_of_birth, election.election_date) < MINIMUM_AGE:
        raise ValidationError(
            {
                "date_of_birth": _("Observers must be at least %(age)d years old on election day.")
                % {"age": MINIMUM_AGE}
            }
        )
    if Observer.objects.filter(election=election, phone=phone).exists():
        raise ValidationError(
            {
                "phone": _(
                    "Someone has already applied to observe this election with this phone number."
                )
            }
        )
    observer = Observer(
        election=election,
        full_name=(full_name or "").strip(),
        phone=phone,
        email=(email or "").strip(),
        date_of_birth=date_of_birth,
        region=region,
        language=language,
        status=Observer.Status.APPLIED,
    )
    observer.full_clean()
    observer.save()
    ObserverStatusChange.objects.create(
        observer=observer, from_status="", to_status=Observer.Status.APPLIED, actor=None
    )
    audit_log(
        actor=None,
        action=AuditEntry.Action.CREATE,
        obj=observer,
        changes=model_changes({}, snapshot(observer, AUDIT_FIELDS)),
    )
    return observer


def _check_step_rules(observer: Observer, to_status: str) -> None:
    """Rules beyond the order of the steps: a deployed observer has somewhere to be."""
    if to_status == S.DEPLOYED and not (observer.station_id or observer.mobile_team_id):
        raise ValidationError(
            _(
                "%(name)s has no polling station or mobile team yet: assign one before "
                "deploying them."
            )
            % {"name": observer.full_name},
            code="deployment",
        )


def _lock_elections(election_ids: Iterable[int]) -> None:
    """Observer numbers are counted per election: whoever gives numbers holds its row lock,
    so two coordinators accrediting at once never read the same highest number."""
    list(Election.objects.select_for_update().filter(pk__in=set(election_ids)).order_by("pk"))


def _next_number(election_id: int) -> int:
    top = Observer.objects.filter(election_id=election_id).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _give_number_and_badge(observer: Observer) -> dict[str, list[Any]]:
    """The next observer number of the election and a new badge code, unless the observer has
    them. The caller holds the election's lock; the unique constraints catch anything that
    slips past it (a database without row locks), and a collision is retried."""
    if observer.number is not None and observer.badge_code:
        return {}
    for _attempt in range(NUMBERING_ATTEMPTS):
        number = observer.number or _next_number(observer.election_id)
        code = observer.badge_code or new_badge_code()
        try:
            with transaction.atomic():
                Observer.objects.filter(pk=observer.pk).update(number=number, badge_code=code)
        except IntegrityError:
            continue
        changes = {"number": [observer.number, number]}
        observer.number, observer.badge_code = number, code
        return changes
    raise ValidationError(_("No observer number could be given. Please try again."))


def _move(*, actor, observer: Observer, to_status: str, note: str) -> Observer:
    before = observer.status
    changes: dict[str, Any] = {"status": [before, to_status]}
    observer.status = to_status
    fields = ["status"]
    if to_status == S.REJECTED and (observer.station_id or observer.mobile_team_id):
        # A rejected observer goes nowhere; the history keeps where they were to go.
        changes.update(_deployment_changes(observer, None, None))
        observer.station, observer.mobile_team = None, None
        fields += ["station", "mobile_team"]
    observer.save(update_fields=fields)
    if to_status == S.ACCREDITED:
        changes.update(_give_number_and_badge(observer))
    ObserverStatusChange.objects.create(
        observer=observer, from_status=before, to_status=to_status, actor=actor, note=note
    )
    if note:
        changes["note"] = note
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=observer, changes=changes)
    return observer


@transaction.atomic
def observer_transition(*, actor, observer: Observer, to_status: str, note: str = "") -> Observer:
    """Move an observer one step on; only the steps in TRANSITIONS are allowed. Accreditation
    gives the observer a number and a badge code; deployment needs a station or a team."""
    observer = Observer.objects.select_for_update().get(pk=observer.pk)
    _check_transition(observer, to_status)
    _check_step_rules(observer, to_status)
    if to_status == S.ACCREDITED:
        _lock_elections([observer.election_id])
    return _move(actor=actor, observer=observer, to_status=to_status, note=note.strip())


@transaction.atomic
def observers_transition_bulk(
    *, actor, observers: Iterable[Observer], to_status: str, note: str = ""
) -> int:
    """Move several observers to the same status: all of them, or none if any one of them may
    not make that step. Returns how many were moved."""
    ids = sorted({observer.pk for observer in observers})
    if not ids:
        raise ValidationError(_("Choose at least one observer."))
    locked = list(Observer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    refused = []
    for observer in locked:
        try:
            _check_transition(observer, to_status)
            _check_step_rules(observer, to_status)
        except ValidationError as error:
            refused.extend(error.messages)
    if refused:
        raise ValidationError(
            [
                _("Nobody was moved, because not every observer chosen can make this step."),
                *refused,
            ]
        )
    if to_status == S.ACCREDITED:
        _lock_elections(observer.election_id for observer in locked)
    for observer in locked:
        _move(actor=actor, observer=observer, to_status=to_status, note=note.strip())
    return len(locked)


# --- Deployment ---------------------------------------------------------------------------------


def _deployment_changes(observer: Observer, station, mobile_team) -> dict[str, list[Any]]:
    """The audit entry's before/after of a deployment, by station code and team name."""
    changes = {}
    old_station = observer.station.code if observer.station_id else None
    new_station = station.code if station is not None else None
    if old_station != new_station:
        changes["station"] = [old_station, new_station]
    old_team = observer.mobile_team.name if observer.mobile_team_id else None
    new_team = mobile_team.name if mobile_team is not None else None
    if old_team != new_team:
        changes["mobile_team"] = [old_team, new_team]
    return changes


def _takes_part(election_id: int, station: PollingStation) -> bool:
    return ElectionStation.objects.filter(election_id=election_id, station=station).exists()


def _check_deployment(observer: Observer, station, mobile_team) -> None:
    if observer.status not in BADGE_STATUSES:
        raise ValidationError(
            _(
                "Only accredited or deployed observers are assigned to a station or a mobile "
                "team; %(name)s is “%(status)s”."
            )
            % {"name": observer.full_name, "status": Observer.Status(observer.status).label}
        )
    if station is not None and mobile_team is not None:
        raise ValidationError(
            _("An observer is deployed to one station or to a mobile team, not both.")
        )
    if station is None and mobile_team is None and observer.status == S.DEPLOYED:
        raise ValidationError(_("A deployed observer needs a polling station or a mobile team."))
    if station is not None and not _takes_part(observer.election_id, station):
        raise ValidationError(
            {
                "station": _("Polling station %(code)s does not take part in this election.")
                % {"code": station.code}
            }
        )
    if mobile_team is not None and mobile_team.election_id != observer.election_id:
        raise ValidationError({"mobile_team": _("This mobile team belongs to another election.")})


def _set_deployment(*, actor, observer: Observer, station, mobile_team, note: str = "") -> bool:
    changes = _deployment_changes(observer, station, mobile_team)
    if not changes:
        return False
    observer.station, observer.mobile_team = station, mobile_team
    observer.save(update_fields=["station", "mobile_team"])
    if note:
        changes["note"] = note
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=observer, changes=changes)
    return True


@transaction.atomic
def observer_deploy(
    *,
    actor,
    observer: Observer,
    station: PollingStation | None = None,
    mobile_team: MobileTeam | None = None,
) -> Observer:
    """Send an accredited or deployed observer to one station taking part in the election, or
    to one of its mobile teams; with neither, an accredited observer's assignment is removed.
    Nothing changes (and nothing is logged) when the assignment is the same."""
    # Only the observer's row is locked (PostgreSQL cannot lock the empty side of a join).
    observer = (
        Observer.objects.select_for_update(of=("self",))
        .select_related("station", "mobile_team")
        .get(pk=observer.pk)
    )
    _check_deployment(observer, station, mobile_team)
    _set_deployment(actor=actor, observer=observer, station=station, mobile_team=mobile_team)
    return observer


# --- Mobile teams -------------------------------------------------------------------------------


def _check_team(*, election: Election, name: str, stations, team: MobileTeam | None) -> tuple:
    name = " ".join((name or "").split())
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Give the team a name.")
    elif len(name) > 100:
        errors["name"] = _("A team name has at most 100 characters.")
    else:
        others = MobileTeam.objects.of_election(election).filter(name__iexact=name)
        if team is not None:
            others = others.exclude(pk=team.pk)
        if others.exists():
            errors["name"] = _("This election already has a mobile team of this name.")
    stations = list({station.pk: station for station in stations}.values())
    if not stations:
        errors["stations"] = _("Choose at least one polling station.")
    else:
        taking_part = set(
            ElectionStation.objects.filter(
                election=election, station__in=[s.pk for s in stations]
            ).values_list("station_id", flat=True)
        )
        outside = sorted(s.code for s in stations if s.pk not in taking_part)
        if outside:
            errors["stations"] = _(
                "These polling stations do not take part in this election: %(codes)s."
            ) % {"codes": ", ".join(outside)}
    if errors:
        raise ValidationError(errors)
    return name, sorted(stations, key=lambda s: s.code)


@transaction.atomic
def mobile_team_create(
    *, actor, election: Election, name: str, stations: Iterable[PollingStation]
) -> MobileTeam:
    """A mobile team of an election, covering several of its polling stations."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    name, stations = _check_team(election=election, name=name, stations=stations, team=None)
    team = MobileTeam.objects.create(election=election, name=name)
    team.stations.set(stations)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=team,
        changes={
            "election_id": election.pk,
            "name": name,
            "stations": [station.code for station in stations],
        },
    )
    return team


@transaction.atomic
def mobile_team_update(
    *, actor, team: MobileTeam, name: str, stations: Iterable[PollingStation]
) -> MobileTeam:
    """Rename a team or change its stations; its members follow the team."""
    team = (
        MobileTeam.objects.select_for_update(of=("self",))
        .select_related("election")
        .get(pk=team.pk)
    )
    name, stations = _check_team(election=team.election, name=name, stations=stations, team=team)
    before = {"name": team.name, "stations": sorted(team.stations.values_list("code", flat=True))}
    after = {"name": name, "stations": [station.code for station in stations]}
    changes = model_changes(before, after)
    if not changes:
        return team
    team.name = name
    team.save(update_fields=["name"])
    team.stations.set(stations)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=team, changes=changes)
    return team


# --- Imports ------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import found (a preview when `dry_run`) or did, or why it did nothing."""

    source: str
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _file_error(outcome: ImportOutcome, message) -> ImportOutcome:
    outcome.errors = [RowError(FILE_ROW, "", message)]
    outcome.preview, outcome.written = [], 0
    return outcome


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda error: (error.row, error.column))


_CHANGED_MEANWHILE = _("The data changed while importing. Please try again.")
_CLOSED = _("This election is closed.")


class _RegionLookup:
    """Regions by code or by name in any language, spelling-tolerant ("Seki-Zaqatala")."""

    def __init__(self):
        self.keys: dict[str, Region] = {}
        for region in Region.objects.all():
            self.keys.setdefault(region.code.casefold(), region)
            for name in (region.name_az, region.name_en, region.name_ru):
                if name:
                    self.keys.setdefault(search_key(name), region)

    def find(self, text: str) -> Region | None:
        return self.keys.get(text.strip().casefold()) or self.keys.get(search_key(text))


def _stations_of(election: Election, codes: set[str]) -> tuple[dict[str, PollingStation], set]:
    """The stations with these codes, and the codes of those taking part in the election."""
    stations = PollingStation.objects.in_bulk(list(codes), field_name="code") if codes else {}
    taking_part = set(
        ElectionStation.objects.filter(
            election=election, station__code__in=list(codes)
        ).values_list("station__code", flat=True)
    )
    return stations, taking_part


def _station_error(row: int, code: str, stations: dict, taking_part: set) -> RowError | None:
    if code not in stations:
        return RowError(row, "station", _("There is no polling station %(code)s.") % {"code": code})
    if code not in taking_part:
        return RowError(
            row,
            "station",
            _("Polling station %(code)s does not take part in this election.") % {"code": code},
        )
    return None


def observer_import(
    *,
    actor,
    election: Election,
    table: TextTable,
    source: str,
    dry_run: bool,
) -> ImportOutcome:
    """Import observers from a file read by `observers.importing.read_text_table`.

    Checks every row (see observers.importing for the columns) and the references: the region,
    the station taking part in the election, and phones already in the election. With
    `dry_run`, or when anything is wrong, nothing is written. Otherwise observers start as
    applied, or go through each step to the status given, with the importer as the actor of
    every step; accredited ones get numbers and badge codes. One IMPORT audit entry."""
    outcome = ImportOutcome(source=source, dry_run=dry_run, rows=len(table))
    try:
        with transaction.atomic():
            election = Election.objects.select_for_update().get(pk=election.pk)
            if election.status == Election.Status.CLOSED:
                return _file_error(outcome, _CLOSED)
            parsed = parse_observers(table, election_date=election.election_date)
            resolved, errors = _resolve_observer_rows(election, parsed.rows)
            errors = _sorted(parsed.errors + errors)
            if errors:
                outcome.errors = errors
                return outcome
            outcome.preview = [_observer_preview(*item) for item in resolved]
            if dry_run:
                return outcome
            outcome.written = _create_imported(
                actor=actor, election=election, resolved=resolved, source=source
            )
    except IntegrityError:
        return _file_error(outcome, _CHANGED_MEANWHILE)
    return outcome


def _resolve_observer_rows(election: Election, rows: list[ObserverRow]):
    regions = _RegionLookup()
    stations, taking_part = _stations_of(election, {row.station for row in rows if row.station})
    taken = set(
        Observer.objects.filter(
            election=election, phone__in=[row.phone for row in rows]
        ).values_list("phone", flat=True)
    )
    resolved, errors = [], []
    for row in rows:
        row_errors = []
        if row.phone in taken:
            row_errors.append(
                RowError(
                    row.row,
                    "phone",
                    _("An observer of this election already has the phone number %(phone)s.")
                    % {"phone": row.phone},
                )
            )
        region = regions.find(row.region)
        if region is None:
            row_errors.append(
                RowError(
                    row.row,
                    "region",
                    _('Unknown region "%(value)s". Give a region code or name.')
                    % {"value": row.region[:60]},
                )
            )
        station = None
        if row.station:
            problem = _station_error(row.row, row.station, stations, taking_part)
            if problem is not None:
                row_errors.append(problem)
            else:
                station = stations[row.station]
        if row_errors:
            errors.extend(row_errors)
        else:
            resolved.append((row, region, station))
    return resolved, errors


def _observer_preview(row: ObserverRow, region: Region, station) -> dict[str, Any]:
    return {
        "row": row.row,
        "full_name": row.full_name,
        "phone": row.phone,
        "email": row.email,
        "date_of_birth": row.date_of_birth,
        "region": region.name,
        "language": Observer.Language(row.language).label,
        "status": Observer.Status(row.status).label,
        "station": station.code if station is not None else "",
    }


def _create_imported(*, actor, election: Election, resolved, source: str) -> int:
    number = _next_number(election.pk)
    observers = []
    for row, region, station in resolved:
        observer = Observer(
            election=election,
            full_name=row.full_name,
            phone=row.phone,
            email=row.email,
            date_of_birth=row.date_of_birth,
            region=region,
            language=row.language,
            status=row.status,
            station=station,
        )
        if row.status == S.ACCREDITED:
            observer.number, observer.badge_code = number, new_badge_code()
            number += 1
        observer.full_clean(validate_unique=False, validate_constraints=False)
        observers.append(observer)
    Observer.objects.bulk_create(observers, batch_size=500)
    note = _("Imported from %(file)s.") % {"file": source}
    history = []
    for observer in observers:
        steps = PATH[: PATH.index(observer.status) + 1]
        history.append(
            ObserverStatusChange(
                observer=observer, from_status="", to_status=S.APPLIED, actor=actor, note=note
            )
        )
        history.extend(
            ObserverStatusChange(
                observer=observer, from_status=before, to_status=after, actor=actor
            )
            for before, after in itertools.pairwise(steps)
        )
    ObserverStatusChange.objects.bulk_create(history, batch_size=1000)
    statuses = dict.fromkeys(PATH[:4], 0)
    for observer in observers:
        statuses[observer.status] += 1
    audit_log(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        model=Observer,
        object_label=f"observers: {source}"[:300],
        changes={
            "source": source,
            "election_id": election.pk,
            "rows": len(observers),
            "statuses": statuses,
            "observer_ids": [observer.pk for observer in observers],
        },
    )
    return len(observers)


def observers_deploy_import(
    *,
    actor,
    election: Election,
    table: TextTable,
    source: str,
    dry_run: bool,
    mark_deployed: bool = True,
) -> ImportOutcome:
    """Deploy observers from a file: each row names an observer (number or phone) and a
    station taking part or a mobile team of the election. With `mark_deployed`, accredited
    observers are also moved to deployed. All rows or none; every change is audited."""
    outcome = ImportOutcome(source=source, dry_run=dry_run, rows=len(table))
    try:
        with transaction.atomic():
            # The observers' rows are locked (in _resolve_deployments), not the election's:
            # accreditation locks an observer and then the election, so taking them the other
            # way round here could deadlock.
            election = Election.objects.get(pk=election.pk)
            if election.status == Election.Status.CLOSED:
                return _file_error(outcome, _CLOSED)
            parsed = parse_deployments(table)
            resolved, errors = _resolve_deployments(election, parsed.rows)
            errors = _sorted(parsed.errors + errors)
            if errors:
                outcome.errors = errors
                return outcome
            outcome.preview = [
                _deployment_preview(observer, station, team, mark_deployed)
                for _row, observer, station, team in resolved
            ]
            if dry_run:
                return outcome
            outcome.written = _write_deployments(
                actor=actor,
                election=election,
                resolved=resolved,
                source=source,
                mark_deployed=mark_deployed,
            )
    except IntegrityError:
        return _file_error(outcome, _CHANGED_MEANWHILE)
    return outcome


def _resolve_deployments(election: Election, rows: list[DeploymentRow]):
    numbers = [row.number for row in rows if row.number is not None]
    phones = [row.phone for row in rows if row.phone]
    candidates = list(
        Observer.objects.select_for_update()
        .filter(election=election)
        .filter(_number_or_phone(numbers, phones))
        .order_by("pk")
    )
    by_number = {o.number: o for o in candidates if o.number is not None}
    by_phone = {o.phone: o for o in candidates}
    # Names and codes for the preview and the audit entries.
    current = Observer.objects.select_related("station", "mobile_team").in_bulk(
        [o.pk for o in candidates]
    )
    stations, taking_part = _stations_of(election, {row.station for row in rows if row.station})
    # An election has a handful of teams; names match whatever their case.
    teams = {team.name.casefold(): team for team in MobileTeam.objects.of_election(election)}
    resolved, errors, seen = [], [], {}
    for row in rows:
        row_errors = []
        if row.number is not None:
            observer = by_number.get(row.number)
            missing = _("No observer of this election has the number %(number)d.") % {
                "number": row.number
            }
        else:
            observer = by_phone.get(row.phone)
            missing = _("No observer of this election has the phone number %(phone)s.") % {
                "phone": row.phone
            }
        if observer is None:
            row_errors.append(RowError(row.row, "observer", missing))
        else:
            observer = current[observer.pk]
            if observer.pk in seen:
                row_errors.append(
                    RowError(
                        row.row,
                        "observer",
                        _("This observer is also in row %(row)d of the file.")
                        % {"row": seen[observer.pk]},
                    )
                )
            seen.setdefault(observer.pk, row.row)
            if observer.status not in BADGE_STATUSES:
                row_errors.append(
                    RowError(
                        row.row,
                        "observer",
                        _(
                            "%(name)s is “%(status)s”: only accredited or deployed observers "
                            "can be deployed."
                        )
                        % {
                            "name": observer.full_name,
                            "status": Observer.Status(observer.status).label,
                        },
                    )
                )
        station = team = None
        if row.station:
            problem = _station_error(row.row, row.station, stations, taking_part)
            if problem is not None:
                row_errors.append(problem)
            else:
                station = stations[row.station]
        if row.team:
            team = teams.get(row.team.casefold())
            if team is None:
                row_errors.append(
                    RowError(
                        row.row,
                        "team",
                        _('This election has no mobile team named "%(name)s".')
                        % {"name": row.team[:100]},
                    )
                )
        if row_errors:
            errors.extend(row_errors)
        else:
            resolved.append((row, observer, station, team))
    return resolved, errors


def _number_or_phone(numbers: list[int], phones: list[str]) -> Q:
    query = Q(pk__in=[])
    if numbers:
        query |= Q(number__in=numbers)
    if phones:
        query |= Q(phone__in=phones)
    return query


def _deployment_label(station, team) -> str:
    if station is not None:
        return str(_("Station %(code)s") % {"code": station.code})
    if team is not None:
        return str(_("Mobile team %(name)s") % {"name": team.name})
    return ""


def _deployment_preview(observer: Observer, station, team, mark_deployed: bool) -> dict:
    return {
        "number": observer.number,
        "full_name": observer.full_name,
        "before": _deployment_label(observer.station, observer.mobile_team),
        "after": _deployment_label(station, team),
        "status": Observer.Status(S.DEPLOYED if mark_deployed else observer.status).label,
    }


def _write_deployments(*, actor, election, resolved, source: str, mark_deployed: bool) -> int:
    note = str(_("Deployed from %(file)s.") % {"file": source})
    changed = moved = 0
    for _row, observer, station, team in resolved:
        if _set_deployment(
            actor=actor, observer=observer, station=station, mobile_team=team, note=note
        ):
            changed += 1
        if mark_deployed and observer.status == S.ACCREDITED:
            _move(actor=actor, observer=observer, to_status=S.DEPLOYED, note=note)
            moved += 1
    audit_log(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        model=Observer,
        object_label=f"observer deployments: {source}"[:300],
        changes={
            "source": source,
            "election_id": election.pk,
            "rows": len(resolved),
            "deployments_changed": changed,
            "moved_to_deployed": moved,
        },
    )
    return len(resolved)


# --- Badges -------------------------------------------------------------------------------------


def observer_badges_printed(*, actor, observers: Sequence[Observer], language: str) -> None:
    """Printing badges puts names on paper: the audit log says who printed whose."""
    if len(observers) == 1:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=observers[0],
            changes={"badges": 1, "language": language, "observer_ids": [observers[0].pk]},
        )
        return
    audit_log(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        model=Observer,
        object_label="observer badges (PDF)",
        changes={
            "badges": len(observers),
            "language": language,
            "observer_ids": [observer.pk for observer in observers],
        },
    )
