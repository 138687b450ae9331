"""Double entry of result protocols from photos.

A photo of a signed protocol (an observer's, or one staff uploaded) becomes a DataEntryTask.
Two clerks enter it independently: the second never sees the first entry. When the two agree
line by line and option by option, the numbers go through results.services.save_protocol (the
checks run there, and a protocol that fails one waits in quarantine); when they differ, a third
clerk, neither of the first two, settles it and their numbers are final.

Handing out work: ``next_task`` gives a clerk the oldest task they may enter now and *claims*
that stage of it for CLAIM_SECONDS in the cache (``cache.add`` is atomic in Redis and in the
local-memory cache), so two clerks asking at once get different tasks. On PostgreSQL the
candidate rows are also read with ``select_for_update(skip_locked=True)`` so that concurrent
requests do not queue up behind each other. The claim saves clerks from wasted work; the unique
constraints of ProtocolEntry (one entry per stage, one per clerk) are what keeps the data right
even without a shared cache: the loser of a race is told that someone else entered the protocol
and takes the next one.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from core.uploads import check_upload
from elections.models import Contest, Election, ElectionStation
from geo.models import PollingStation
from results.models import PROTOCOL_LINES, DataEntryTask, Protocol, ProtocolEntry
from results.services import clean_numbers, save_protocol

ENTER = "results.enter_protocols"
ARBITRATE = "results.arbitrate_protocols"

#: How long a clerk keeps the stage of a task that next_task gave them (then anyone may take it).
CLAIM_SECONDS = 20 * 60

Status = DataEntryTask.Status
Stage = ProtocolEntry.Stage


# --- Creating tasks --------------------------------------------------------------------------


def contest_for_station(election: Election, station: PollingStation) -> Contest | None:
    """The contest the station votes in in the election's current round: the national one, or
    its constituency's (None when there is none)."""
    contests = Contest.objects.filter(election=election, round=election.current_round)
    return (
        contests.filter(Q(constituency__isnull=True) | Q(constituency_id=station.constituency_id))
        .order_by("constituency_id")
        .first()
    )


def _check_contest(election: Election, contest: Contest, station: PollingStation) -> None:
    if contest.election_id != election.pk:
        raise ValidationError({"contest": _("This contest belongs to another election.")})
    if contest.constituency_id and contest.constituency_id != station.constituency_id:
        raise ValidationError({"contest": _("This polling station does not vote in this contest.")})
    if not ElectionStation.objects.filter(election=election, station=station).exists():
        raise ValidationError(
            {"station": _("This polling station does not take part in this election.")}
        )


def create_task_from_upload(
    *,
    election: Election,
    contest: Contest,
    station: PollingStation,
    uploaded_file: UploadedFile,
    actor,
) -> DataEntryTask:
    """A task for a protocol photo someone uploaded: checked by its bytes (JPEG, PNG or WebP;
    core.uploads), stored in the private storage under a name of our own. Nothing is stored
    when anything is wrong."""
    _check_contest(election, contest, station)
    try:
        checked = check_upload(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    task = DataEntryTask(
        election=election,
        contest=contest,
        station=station,
        upload_content_type=checked.content_type,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    name = f"{station.code}-{uuid.uuid4().hex[:12]}.{checked.extension}"
    uploaded_file.seek(0)
    task.upload.save(name, uploaded_file, save=False)
    try:
        with transaction.atomic():
            task.save()
            audit_log(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=task,
                changes={
                    "station": station.code,
                    "contest": contest.pk,
                    "content_type": checked.content_type,
                    "size": checked.size,
                },
            )
    except Exception:
        # The row is gone with the transaction; the file must not stay behind either.
        task.upload.storage.delete(task.upload.name)
        raise
    return task


def tasks_from_observer_photos(election: Election, *, actor=None) -> int:
    """One task per observer's protocol copy that came with a photo and has no task for that
    photo yet. Running it again adds only what is new; returns how many tasks were added."""
    with transaction.atomic():
        # Two runs at once would otherwise both see "no task yet" (PostgreSQL row lock).
        Election.objects.select_for_update().filter(pk=election.pk).first()
        have = set(
            DataEntryTask.objects.filter(
                election=election, submission_photo__isnull=False
            ).values_list("station_id", "contest_id", "submission_photo_id")
        )
        rows = (
            Protocol.objects.filter(
                election=election, source=Protocol.Source.OBSERVER, photo__isnull=False
            )
            .order_by("received_at", "pk")
            .values_list("station_id", "contest_id", "photo_id")
        )
        new = []
        for row in rows:
            if row in have:
                continue
            have.add(row)
            station_id, contest_id, photo_id = row
            new.append(
                DataEntryTask(
                    election=election,
                    contest_id=contest_id,
                    station_id=station_id,
                    submission_photo_id=photo_id,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
        DataEntryTask.objects.bulk_create(new, batch_size=500)
        if new:
            audit_log(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                model=DataEntryTask,
                object_label=f"{election}: data-entry tasks from observers' photos",
                changes={"election": election.pk, "tasks": len(new)},
            )
    return len(new)


# --- Handing out work ------------------------------------------------------------------------


def _claim_key(task_id: int, stage: str) -> str:
    return f"results:entry-claim:{task_id}:{stage}"


def _clerk_key(clerk) -> str:
    return f"results:entry-clerk:{clerk.pk}"


def claim(task: DataEntryTask, clerk, stage: str) -> bool:
    """Reserve this stage of the task for the clerk (True), unless another clerk holds it."""
    key = _claim_key(task.pk, stage)
    taken = cache.add(key, clerk.pk, CLAIM_SECONDS)
    if not taken:
        holder = cache.get(key)
        if holder is None:  # expired between the two calls
            taken = cache.add(key, clerk.pk, CLAIM_SECONDS)
        elif holder == clerk.pk:
            cache.touch(key, CLAIM_SECONDS)
            taken = True
    if taken:
        cache.set(_clerk_key(clerk), (task.pk, stage), CLAIM_SECONDS)
    return taken


def release(task: DataEntryTask, stage: str, clerk=None) -> None:
    cache.delete(_claim_key(task.pk, stage))
    if clerk is not None and cache.get(_clerk_key(clerk)) == (task.pk, stage):
        cache.delete(_clerk_key(clerk))


def _held_task(clerk, election: Election | None) -> DataEntryTask | None:
    """The task next_task gave this clerk earlier that they have not entered yet, if any."""
    held = cache.get(_clerk_key(clerk))
    if not held:
        return None
    task_id, stage = held
    status = Status.FIRST_ENTRY if stage == Stage.FIRST else Status.SECOND_ENTRY
    task = enterable_tasks(clerk, election).filter(pk=task_id, status=status).first()
    if task is not None and claim(task, clerk, stage):
        return task
    return None


def stage_for(task: DataEntryTask, clerk) -> str | None:
    """The stage this clerk may enter the task at now, or None (blind double entry: the second
    entry is by somebody else; nobody enters one task twice)."""
    if task.status == Status.FIRST_ENTRY:
        return None if task.entries.filter(clerk=clerk).exists() else Stage.FIRST
    if task.status == Status.SECOND_ENTRY:
        return None if task.entries.filter(clerk=clerk).exists() else Stage.SECOND
    return None


def enterable_tasks(clerk, election: Election | None = None) -> QuerySet:
    """Tasks waiting for an entry that this clerk has not made: first entry by anyone, the
    second by anyone but the first clerk. Oldest first."""
    tasks = DataEntryTask.objects.filter(
        status__in=(Status.FIRST_ENTRY, Status.SECOND_ENTRY)
    ).exclude(entries__clerk=clerk)
    if election is not None:
        tasks = tasks.filter(election=election)
    return tasks.order_by("created_at", "pk")


def next_task(clerk, election: Election | None = None) -> DataEntryTask | None:
    """The oldest task the clerk can enter now, claimed for them; None when there is none.

    A clerk who asks again gets back the task they were given and have not entered yet."""
    if not clerk.has_perm(ENTER):
        raise PermissionDenied
    held = _held_task(clerk, election)
    if held is not None:
        return held
    skipped: set[int] = set()
    while True:
        # One row at a time: locking a whole batch would hide every task of it from the clerk
        # asking at the same moment (skip_locked), although only one of them is being taken.
        with transaction.atomic():
            candidates = enterable_tasks(clerk, election).exclude(pk__in=skipped)
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True, of=("self",))
            task = candidates.first()
            if task is None:
                return None
            stage = Stage.FIRST if task.status == Status.FIRST_ENTRY else Stage.SECOND
            if claim(task, clerk, stage):
                return task
            skipped.add(task.pk)


# --- Entering and settling -------------------------------------------------------------------


def differences(first: dict[str, Any], second: dict[str, Any], contest: Contest) -> list[str]:
    """The lines ("registered", …) and options ("option:<ballot number>") where two entries
    differ, in protocol order."""
    keys = list(PROTOCOL_LINES)
    ballot_numbers = [
        str(n)
        for n in contest.options.order_by("ballot_number").values_list("ballot_number", flat=True)
    ]
    out = [line for line in keys if first.get(line) != second.get(line)]
    first_votes, second_votes = first.get("votes") or {}, second.get("votes") or {}
    others = sorted((set(first_votes) | set(second_votes)) - set(ballot_numbers))
    for number in ballot_numbers + others:
        if first_votes.get(number) != second_votes.get(number):
            out.append(f"option:{number}")
    return out


@dataclass
class EntryOutcome:
    entry: ProtocolEntry
    status: str
    differences: list[str] = field(default_factory=list)
    protocol: Protocol | None = None


def _locked(task: DataEntryTask) -> DataEntryTask:
    return (
        DataEntryTask.objects.select_for_update()
        .select_related("contest", "election", "station")
        .get(pk=task.pk)
    )


def _store_entry(task: DataEntryTask, clerk, stage: str, numbers: dict) -> ProtocolEntry:
    try:
        with transaction.atomic():
            return ProtocolEntry.objects.create(
                task=task, stage=stage, clerk=clerk, numbers=numbers
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Someone else entered this protocol at the same moment. Take the next one."),
            code="taken",
        ) from error


def _finish(task: DataEntryTask, numbers: dict, actor) -> Protocol:
    protocol = save_protocol(
        election=task.election,
        contest=task.contest,
        station=task.station,
        source=Protocol.Source.DATA_ENTRY,
        numbers=numbers,
        actor=actor,
        entry_task=task,
        photo=task.submission_photo,
    )
    task.status = Status.DONE
    task.save(update_fields=["status", "updated_at"])
    return protocol


def submit_entry(task: DataEntryTask, clerk, numbers: dict[str, Any]) -> EntryOutcome:
    """Store a clerk's entry of the task: the first moves it to the second entry; the second is
    compared with the first: the same numbers become the protocol (accepted, or quarantined by
    the checks), different ones go to arbitration. Raises ValidationError (nothing written)
    for wrong numbers or when this clerk may not enter the task now."""
    if not clerk.has_perm(ENTER):
        raise PermissionDenied
    clean = clean_numbers(task.contest, numbers)
    with transaction.atomic():
        task = _locked(task)
        entries = {entry.stage: entry for entry in task.entries.all()}
        if any(entry.clerk_id == clerk.pk for entry in entries.values()):
            raise ValidationError(
                _("You have entered this protocol already; another clerk must enter it."),
                code="same_clerk",
            )
        if task.status == Status.FIRST_ENTRY:
            stage = Stage.FIRST
        elif task.status == Status.SECOND_ENTRY:
            stage = Stage.SECOND
        else:
            raise ValidationError(
                _("This protocol has been entered twice already. Take the next one."),
                code="taken",
            )
        entry = _store_entry(task, clerk, stage, clean)
        outcome = EntryOutcome(entry=entry, status=task.status)
        if stage == Stage.FIRST:
            task.status = Status.SECOND_ENTRY
            task.save(update_fields=["status", "updated_at"])
        else:
            outcome.differences = differences(entries[Stage.FIRST].numbers, clean, task.contest)
            if outcome.differences:
                task.status = Status.ARBITRATION
                task.save(update_fields=["status", "updated_at"])
            else:
                outcome.protocol = _finish(task, clean, clerk)
        outcome.status = task.status
        audit_log(
            actor=clerk,
            action=AuditEntry.Action.CREATE,
            obj=entry,
            changes={
                "stage": stage,
                "task_status": task.status,
                "differences": outcome.differences,
            },
        )
    release(task, stage, clerk)
    return outcome


def arbitrate(task: DataEntryTask, arbiter, numbers: dict[str, Any]) -> EntryOutcome:
    """Settle a task whose two entries differ: the arbiter (neither of the two clerks) reads
    the photo and their numbers become the protocol."""
    if not arbiter.has_perm(ARBITRATE):
        raise PermissionDenied
    clean = clean_numbers(task.contest, numbers)
    with transaction.atomic():
        task = _locked(task)
        if task.status != Status.ARBITRATION:
            raise ValidationError(
                _("This protocol is not waiting for arbitration (someone may have settled it)."),
                code="not_arbitration",
            )
        if task.entries.filter(clerk=arbiter).exists():
            raise ValidationError(
                _("You entered this protocol yourself; a third clerk must settle it."),
                code="same_clerk",
            )
        entry = _store_entry(task, arbiter, Stage.ARBITRATION, clean)
        protocol = _finish(task, clean, arbiter)
        audit_log(
            actor=arbiter,
            action=AuditEntry.Action.CREATE,
            obj=entry,
            changes={"stage": Stage.ARBITRATION, "task_status": task.status},
        )
    return EntryOutcome(entry=entry, status=task.status, protocol=protocol)


def arbitration_tasks(arbiter, election: Election | None = None) -> QuerySet:
    """Tasks waiting for arbitration that the arbiter did not enter, oldest first."""
    tasks = DataEntryTask.objects.filter(status=Status.ARBITRATION).exclude(entries__clerk=arbiter)
    if election is not None:
        tasks = tasks.filter(election=election)
    return tasks.select_related("station", "contest").order_by("updated_at", "pk")


# --- Progress --------------------------------------------------------------------------------


@dataclass
class EntryStats:
    total: int
    by_status: dict[str, int]
    per_clerk: list[dict]
    compared: int
    agreed: int

    @property
    def agreement_rate(self) -> float | None:
        return self.agreed / self.compared if self.compared else None

    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in workflow order, for tables and the progress bar."""
        return [(value, label, self.by_status.get(value, 0)) for value, label in Status.choices]

    def bar_segments(self) -> list[dict]:
        """Stacked-bar pieces in percent of all tasks (drawn as SVG by the progress page)."""
        segments, x = [], 0.0
        for value, label, count in self.status_rows():
            width = 100.0 * count / self.total if self.total else 0.0
            segments.append({"status": value, "label": label, "x": x, "width": width})
            x += width
        return segments

    @property
    def done_share(self) -> float | None:
        return self.by_status.get(Status.DONE, 0) / self.total if self.total else None


def entry_stats(election: Election, *, region_ids: set[int] | None = None) -> EntryStats:
    """Progress of double entry in an election: tasks by status, entries per clerk and how
    often the two entries agreed (of the tasks entered twice). ``region_ids`` limits it to
    those regions (None: everywhere)."""
    tasks = DataEntryTask.objects.filter(election=election)
    if region_ids is not None:
        tasks = tasks.filter(station__constituency__district__region__in=region_ids)
    counts = dict(tasks.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = {status: counts.get(status, 0) for status in Status.values}
    entries = ProtocolEntry.objects.filter(task__in=tasks)
    per_clerk = list(
        entries.values("clerk_id", "clerk__email", "clerk__full_name")
        .annotate(
            total=Count("pk"),
            first=Count("pk", filter=Q(stage=Stage.FIRST)),
            second=Count("pk", filter=Q(stage=Stage.SECOND)),
            arbitration=Count("pk", filter=Q(stage=Stage.ARBITRATION)),
        )
        .order_by("-total", "clerk__email")
    )
    compared_tasks = tasks.filter(entries__stage=Stage.SECOND)
    compared = compared_tasks.count()
    disagreed = (
        compared_tasks.filter(Q(status=Status.ARBITRATION) | Q(entries__stage=Stage.ARBITRATION))
        .distinct()
        .count()
    )
    return EntryStats(
        total=sum(by_status.values()),
        by_status=by_status,
        per_clerk=per_clerk,
        compared=compared,
        agreed=compared - disagreed,
    )


def clerk_counts(clerk, election: Election | None = None) -> dict[str, int]:
    """What a clerk's page shows: how many tasks they can enter now (first and second
    entries), how many they can settle, and how many they have entered."""
    enterable = enterable_tasks(clerk, election)
    mine = ProtocolEntry.objects.filter(clerk=clerk)
    if election is not None:
        mine = mine.filter(task__election=election)
    return {
        "first": enterable.filter(status=Status.FIRST_ENTRY).count(),
        "second": enterable.filter(status=Status.SECOND_ENTRY).count(),
        "arbitration": arbitration_tasks(clerk, election).count()
        if clerk.has_perm(ARBITRATE)
        else 0,
        "entered": mine.count(),
    }
