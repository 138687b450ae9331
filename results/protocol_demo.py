"""Observers' protocol copies for the demo parliamentary election (elections.demo).

Every deployed demo observer with a station sends the results form for it through
observation.services.record_submission, as the phone page would, with the numbers of the demo's
invented true count (results.demo_truth). About one in twelve carries a deliberate mistake
(votes that do not add up, more ballots issued than voters registered) so that the quarantine
has something to show. Deterministic (a seeded generator and fixed idempotency keys): running it
again adds nothing.
"""

import random

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEntry
from audit.services import audit_log
from elections.demo import PARLIAMENTARY
from elections.models import Contest, Election
from observation.models import Submission
from observation.services import SubmissionRejected, derive_station_reports, record_submission
from observers.models import Observer
from results.demo_truth import true_counts
from results.models import Protocol, ProtocolForm
from results.protocol_forms import ensure_protocol_form

SYNTHETIC_NOTE = "Synthetic demo protocols: every number is invented."
KEY_PREFIX = "demo-pr"
MISTAKE_SHARE = 0.08


def _answers(numbers: dict, question_map: dict[str, str]) -> dict:
    answers = {}
    for code, target in question_map.items():
        if target.startswith("option:"):
            value = numbers["votes"].get(target.removeprefix("option:"))
        elif target == "photo":
            continue  # a demo has no photos to send
        else:
            value = numbers.get(target)
        if value is not None:
            answers[code] = value
    return answers


def _with_mistake(numbers: dict, rng: random.Random) -> dict:
    numbers = {**numbers, "votes": dict(numbers["votes"])}
    if rng.random() < 0.5 and numbers["votes"]:
        first = min(numbers["votes"], key=int)
        numbers["votes"][first] += rng.randint(5, 60)  # the votes no longer add up
    else:
        numbers["issued"] = numbers["registered"] + rng.randint(5, 60)
    return numbers


def build_demo_observer_protocols(*, actor=None, seed: int = 2026) -> dict:
    """Send the demo protocols not sent yet; returns what it did (or why it did nothing)."""
    election = Election.objects.filter(
        kind=PARLIAMENTARY["kind"], name_az=PARLIAMENTARY["name_az"], status=Election.Status.ACTIVE
    ).first()
    if election is None:
        return {"protocols": 0, "note": "No active demo election: build the demo elections."}
    observers = list(
        Observer.objects.filter(
            election=election, status=Observer.Status.DEPLOYED, station__isnull=False
        )
        .select_related("station")
        .order_by("number", "pk")
    )
    if not observers:
        return {"protocols": 0, "note": "No deployed demo observers: build them first."}
    try:
        form = ensure_protocol_form(election, actor=actor or "demo data")
    except ValidationError as error:
        return {"protocols": 0, "note": " ".join(error.messages)}
    question_map = ProtocolForm.objects.get(questionnaire=form).question_map
    contests = {
        contest.constituency_id: contest
        for contest in Contest.objects.filter(
            election=election, round=election.current_round, kind=Contest.Kind.CONSTITUENCY
        )
    }
    truth: dict[int, dict[int, dict]] = {}  # contest id → station id → numbers
    counts = {"created": 0, "refused": 0, "skipped": 0}
    with transaction.atomic():
        for observer in observers:
            contest = contests.get(observer.station.constituency_id)
            if contest is None:
                counts["skipped"] += 1
                continue
            if contest.pk not in truth:
                truth[contest.pk] = {
                    count.station_id: count.numbers for count in true_counts(contest, seed=seed)
                }
            numbers = truth[contest.pk].get(observer.station_id)
            if numbers is None:  # the station does not take part in the election
                counts["skipped"] += 1
                continue
            rng = random.Random(seed * 7_919 + observer.pk)
            if rng.random() < MISTAKE_SHARE:
                numbers = _with_mistake(numbers, rng)
            try:
                outcome = record_submission(
                    observer=observer,
                    questionnaire=form,
                    station=observer.station_id,
                    answers=_answers(numbers, question_map),
                    idempotency_key=f"{KEY_PREFIX}-{election.pk}-{observer.pk}",
                    channel="web",
                )
            except SubmissionRejected:
                counts["refused"] += 1
                continue
            counts["created"] += int(outcome.created)
    # The station reports of the results form, as election day derives them.
    derive_station_reports()
    protocols = Protocol.objects.filter(election=election, source=Protocol.Source.OBSERVER)
    summary = {
        "form": form.code,
        "protocols": protocols.count(),
        "protocols_created": counts["created"],
        "quarantined": protocols.filter(status=Protocol.Status.QUARANTINED).count(),
        "refused": counts["refused"],
        "skipped": counts["skipped"],
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if counts["created"]:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Submission,
            changes=summary,
            object_label="synthetic demo protocols",
        )
    return summary
