"""Synthetic election-day reports for the demo parliamentary election (elections.demo).

Every deployed demo observer (observers.demo) sends the opening, voting and closing forms
(questionnaires.demo) for their station, or for two stations of their mobile team, through
observation.services.record_submission, exactly as the phone page would. The answers are drawn
from each form's own questions, so they pass its checks: mostly ordinary answers, a few critical
ones (alerts), some stations where two observers disagree (conflicts for a coordinator), one
observer who corrects an earlier report, and a few incident reports. Then the station reports
are derived.

Deterministic (a seeded generator and fixed idempotency keys), so running it again adds
nothing. When the demo forms or the deployed observers are missing it says so and does nothing.
"""

import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q

from audit.models import AuditEntry
from audit.services import audit_log
from elections.demo import PARLIAMENTARY
from elections.models import Election
from observation.models import Alert, StationReport, Submission
from observation.services import SubmissionRejected, derive_station_reports, record_submission
from observers.models import Observer
from questionnaires.engine import check_answers, questions
from questionnaires.expressions import ExpressionError, is_true
from questionnaires.models import Questionnaire

SYNTHETIC_NOTE = "Synthetic demo election-day reports: every answer is invented."
KEY_PREFIX = "demo-obs"
ALERT_SHARE = 0.08  # of the ordinary submissions, one critical answer
DISAGREE_SHARE = 0.5  # of the stations with two observers, a disagreement on one question
TEXTS = [
    "Hər şey qaydasındadır.",
    "Növbə uzun idi, amma sakit keçdi.",
    "Komissiya üzvləri əməkdaşlıq etdilər.",
]
CHECKLISTS = (
    Questionnaire.Kind.OPENING,
    Questionnaire.Kind.VOTING,
    Questionnaire.Kind.CLOSING_COUNTING,
)


def _triggers(expression: str | None, code: str, value: Any) -> bool:
    if not expression:
        return False
    try:
        return is_true(expression, {code: value})
    except ExpressionError:
        return False


def _choices(question: dict) -> list[Any]:
    if question["type"] == "yes_no":
        return [True, False]
    return [str(option["value"]) for option in question.get("options", [])]


def _ordinary(question: dict, rng: random.Random, cap: int | None = None) -> Any:
    """An unremarkable answer: one that raises no alert. A number stays at or below `cap`
    (the form's previous number): forms count down, as voters on the list, then ballots cast,
    then invalid ballots."""
    code, kind, alert = question["code"], question["type"], question.get("alert")
    if kind in ("yes_no", "single"):
        calm = [value for value in _choices(question) if not _triggers(alert, code, value)]
        if not calm:
            return None
        # The first calm choice most of the time (yes, or the form's first option).
        return calm[0] if rng.random() < 0.8 or len(calm) == 1 else rng.choice(calm[1:])
    if kind == "multiple":
        options = _choices(question)
        return rng.sample(options, k=rng.randint(0, min(2, len(options))))
    if kind == "number":
        low = question.get("min", 0) or 0
        high = question.get("max")
        high = low + 1500 if high is None else high
        if cap is not None and low <= cap < high:
            return rng.randint(low, max(low, int(cap * rng.uniform(0.05, 0.8))))
        return rng.randint(low, max(low, min(high, low + (high - low) // 2)))
    if kind == "time":
        return f"{rng.randint(7, 8):02d}:{rng.choice(range(0, 60, 5)):02d}"
    if kind == "text":
        return rng.choice(TEXTS) if question.get("required") or rng.random() < 0.2 else None
    return None  # photos are sent from a phone, not invented


def _critical(question: dict) -> Any:
    """The answer that raises the question's alert, if a simple one does."""
    for value in _choices(question):
        if _triggers(question.get("alert"), question["code"], value):
            return value
    return None


def _answers(schema: dict, rng: random.Random, *, alert: bool) -> dict | None:
    """A set of answers that passes the form's checks (None when none was found)."""
    asked = questions(schema)
    for _attempt in range(8):
        answers, cap = {}, None
        for question in asked:
            value = _ordinary(question, rng, cap)
            if question["type"] == "number" and value is not None:
                cap = value
            if value is not None and value != []:
                answers[question["code"]] = value
        if alert:
            alerting = [q for q in asked if q.get("alert") and _critical(q) is not None]
            if alerting:
                question = rng.choice(alerting)
                answers[question["code"]] = _critical(question)
        checked = check_answers(schema, answers)
        if checked.ok:
            return checked.answers
    return None


def _disagreeing(schema: dict, answers: dict, rng: random.Random) -> dict:
    """The same answers but for one yes/no or number question, as a second observer might
    see it."""
    by_code = {q["code"]: q for q in questions(schema)}
    candidates = [
        code
        for code, value in answers.items()
        if by_code.get(code, {}).get("type") in ("yes_no", "number")
        and not by_code[code].get("alert")
    ]
    rng.shuffle(candidates)
    for code in candidates:
        value = answers[code]
        changed = (not value) if isinstance(value, bool) else max(value - rng.randint(1, 5), 0)
        if changed == value:
            continue
        checked = check_answers(schema, {**answers, code: changed})
        if checked.ok and checked.answers.get(code) == changed:
            return checked.answers
    return answers


def _deployed(election: Election) -> list[Observer]:
    return list(
        Observer.objects.filter(election=election, status=Observer.Status.DEPLOYED)
        .filter(Q(station__isnull=False) | Q(mobile_team__isnull=False))
        .select_related("mobile_team")
        .order_by("number", "pk")
    )


def _assignments(observers: list[Observer]) -> list[tuple[Observer, int]]:
    """(observer, station id) pairs: their station, or two stations of their mobile team."""
    pairs = []
    for observer in observers:
        if observer.station_id:
            pairs.append((observer, observer.station_id))
        else:
            stations = observer.mobile_team.stations.order_by("code").values_list("pk", flat=True)
            pairs.extend((observer, pk) for pk in stations[:2])
    return pairs


def build_demo_observation(*, actor=None, seed: int = 2026) -> dict:
    """Send the demo reports that are not there yet and derive the station reports; returns
    what it did (or why it did nothing)."""
    election = Election.objects.filter(
        kind=PARLIAMENTARY["kind"], name_az=PARLIAMENTARY["name_az"], status=Election.Status.ACTIVE
    ).first()
    if election is None:
        return {"submissions": 0, "note": "No active demo election: build the demo elections."}
    forms = list(
        Questionnaire.objects.filter(
            election=election, status=Questionnaire.Status.ACTIVE, current_version__isnull=False
        )
        .select_related("current_version")
        .order_by("position", "pk")
    )
    checklists = [form for form in forms if form.kind in CHECKLISTS]
    incident_forms = [form for form in forms if form.kind == Questionnaire.Kind.INCIDENT]
    if not checklists:
        return {"submissions": 0, "note": "No demo forms: build the demo forms first."}
    observers = _deployed(election)
    if not observers:
        return {"submissions": 0, "note": "No deployed demo observers: build them first."}

    with transaction.atomic():
        counts = _send_all(election, checklists, incident_forms, observers, seed)
        derived = derive_station_reports()
    reports = StationReport.objects.filter(election=election)
    summary = {
        "submissions": Submission.objects.filter(election=election).count(),
        "submissions_created": counts["created"],
        "refused": counts["refused"],
        "alerts": Alert.objects.filter(election=election).count(),
        "station_reports": reports.count(),
        "conflicts": reports.filter(status=StationReport.Status.CONFLICT).count(),
        "derived": derived,
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if counts["created"]:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Submission,
            changes=summary,
            object_label="synthetic demo election-day reports",
        )
    return summary


def _send_all(election, checklists, incident_forms, observers, seed: int) -> dict:
    counts = {"created": 0, "refused": 0}
    pairs = _assignments(observers)
    by_station: dict[int, list[Observer]] = defaultdict(list)
    for observer, station_id in pairs:
        by_station[station_id].append(observer)

    def send(observer, form, station_id, answers, key):
        if answers is None:
            counts["refused"] += 1
            return
        try:
            outcome = record_submission(
                observer=observer,
                questionnaire=form,
                station=station_id,
                answers=answers,
                idempotency_key=f"{KEY_PREFIX}-{election.pk}-{key}",
                channel="web",
            )
        except SubmissionRejected:
            counts["refused"] += 1
            return
        counts["created"] += int(outcome.created)

    for station_index, (station_id, watchers) in enumerate(sorted(by_station.items())):
        rng = random.Random(seed * 100_000 + station_id)
        disagree = len(watchers) > 1 and (station_index == 0 or rng.random() < DISAGREE_SHARE)
        for form in checklists:
            schema = form.current_version.schema
            answers = _answers(schema, rng, alert=rng.random() < ALERT_SHARE)
            for number, observer in enumerate(watchers):
                own = answers
                if number > 0 and disagree and answers is not None:
                    own = _disagreeing(schema, answers, rng)
                key = f"{observer.pk}-{station_id}-{form.code}"
                send(observer, form, station_id, own, key)
        # Now and then an observer corrects their opening report with a second one.
        if station_index % 7 == 3:
            form, observer = checklists[0], watchers[0]
            schema = form.current_version.schema
            key = f"{observer.pk}-{station_id}-{form.code}-again"
            send(observer, form, station_id, _answers(schema, rng, alert=False), key)
        if incident_forms and station_index % 5 == 1:
            form, observer = incident_forms[0], watchers[-1]
            schema = form.current_version.schema
            key = f"{observer.pk}-{station_id}-{form.code}"
            send(observer, form, station_id, _answers(schema, rng, alert=True), key)
    return counts
