"""Election-day business rules: taking in submissions and deriving each station's picture.

`record_submission` is the one door for every channel (phone page, API, SMS, staff entry). It
is idempotent: the client's key makes a retry (even a concurrent one) return the submission
already stored. It writes one row (plus alerts when a critical answer came), so the hot path of
election day stays one INSERT; the station reports are derived in batches by
`derive_station_reports`, which the coordinators' pages call before they read.
"""

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from geo.models import PollingStation
from observation.models import Alert, StationReport, Submission, SubmissionPhoto
from observers.models import Observer
from questionnaires.engine import CheckedAnswers, check_answers, question_map
from questionnaires.models import Questionnaire, QuestionnaireVersion

IDEMPOTENCY_KEY_MAX = 100
REPORTING_STATUSES = (Observer.Status.DEPLOYED,)


class SubmissionRejected(ValidationError):
    """The submission was refused; `errors` maps question codes (or "__all__") to messages in
    the active language, and nothing was written."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__({key: messages or [""] for key, messages in errors.items()})


@dataclass
class SubmissionOutcome:
    submission: Submission
    created: bool  # False when the idempotency key had been seen: nothing new was stored
    alerts: int


def _reject(message: str, key: str = "__all__") -> SubmissionRejected:
    return SubmissionRejected({key: [message]})


@functools.lru_cache(maxsize=256)
def _version_schema(version_id: int) -> dict:
    """Published versions never change, so their schema can be kept in memory."""
    return QuestionnaireVersion.objects.values_list("schema", flat=True).get(pk=version_id)


def observer_may_report_on(observer: Observer, station_id: int) -> bool:
    if observer.station_id is not None:
        return observer.station_id == station_id
    if observer.mobile_team_id is not None:
        return observer.mobile_team.stations.filter(pk=station_id).exists()
    return False


def record_submission(
    *,
    observer: Observer,
    questionnaire: Questionnaire,
    station: PollingStation | int,
    answers: dict[str, Any],
    idempotency_key: str,
    channel: str,
    submitted_at: datetime | None = None,
) -> SubmissionOutcome:
    """Check and store one observer's answers to one form for one station.

    Raises SubmissionRejected (nothing written) when the observer may not report here, the form
    is not open, or the answers are wrong. A key already used by this observer returns the
    stored submission with created=False, whatever the answers say this time."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise _reject(_("Every submission needs an idempotency key of at most 100 characters."))
    station_id = station if isinstance(station, int) else station.pk
    # The key is looked up only when something stops the insert (a rejection, or the unique key
    # refusing it): on the hot path a submission is one INSERT, and a re-send still gets the
    # stored submission back, whatever the checks would say about it now.
    try:
        checked = _checked_answers(observer, questionnaire, station_id, answers)
    except SubmissionRejected:
        existing = _existing(key, observer)
        if existing is not None:
            return SubmissionOutcome(existing, created=False, alerts=0)
        raise
    now = timezone.now()
    submission = Submission(
        election_id=observer.election_id,
        questionnaire_id=questionnaire.pk,
        version_id=questionnaire.current_version_id,
        observer_id=observer.pk,
        station_id=station_id,
        answers=checked.answers,
        idempotency_key=key,
        channel=channel,
        submitted_at=submitted_at,
        received_at=now,
        has_alert=bool(checked.alerts),
    )
    is_protocol = questionnaire.kind == Questionnaire.Kind.RESULTS
    try:
        if is_protocol:
            # A result protocol: the submission and the protocol it carries, together.
            from results.observer_protocols import record_observer_protocol

            with transaction.atomic():
                _save_with_alerts(submission, checked, observer, now)
                record_observer_protocol(submission, questionnaire=questionnaire)
        elif not checked.alerts and not transaction.get_connection().in_atomic_block:
            # One statement commits on its own: no BEGIN and COMMIT round trips.
            submission.save(force_insert=True)
        else:
            _save_with_alerts(submission, checked, observer, now)
    except IntegrityError:
        # The same key arrived concurrently and the other request stored it first.
        existing = _existing(key, observer)
        if existing is None:
            raise
        return SubmissionOutcome(existing, created=False, alerts=0)
    return SubmissionOutcome(submission, created=True, alerts=len(checked.alerts))


def _checked_answers(
    observer: Observer, questionnaire: Questionnaire, station_id: int, answers: dict[str, Any]
) -> CheckedAnswers:
    """The answers, cleaned, when this observer may send them for this form and station;
    raises SubmissionRejected otherwise."""
    if observer.status not in REPORTING_STATUSES:
        raise _reject(_("Only deployed observers can send reports."))
    if questionnaire.election_id != observer.election_id:
        raise _reject(_("This form belongs to another election."))
    if (
        questionnaire.status != Questionnaire.Status.ACTIVE
        or questionnaire.current_version_id is None
    ):
        raise _reject(_("This form is not open for reports."))
    if not observer_may_report_on(observer, station_id):
        raise _reject(_("You are not assigned to this polling station."), "station")
    schema = _version_schema(questionnaire.current_version_id)
    checked = check_answers(schema, answers)
    _check_photos(schema, checked, observer)
    if not checked.ok:
        raise SubmissionRejected(checked.errors)
    return checked


def _save_with_alerts(
    submission: Submission, checked: CheckedAnswers, observer: Observer, now: datetime
) -> None:
    """The submission and its alerts, in one transaction (a savepoint inside another)."""
    station_id = submission.station_id
    with transaction.atomic():
        submission.save(force_insert=True)
        if checked.alerts:
            region_id = _region_of(station_id)
            Alert.objects.bulk_create(
                Alert(
                    election_id=observer.election_id,
                    submission=submission,
                    station_id=station_id,
                    region_id=region_id,
                    question=alert.question,
                    value=alert.value,
                    created_at=now,
                )
                for alert in checked.alerts
            )


def _existing(key: str, observer: Observer) -> Submission | None:
    submission = Submission.objects.filter(idempotency_key=key).first()
    if submission is not None and submission.observer_id != observer.pk:
        raise _reject(_("This idempotency key was already used by someone else; make a new one."))
    return submission


def _region_of(station_id: int) -> int:
    return PollingStation.objects.values_list("constituency__district__region_id", flat=True).get(
        pk=station_id
    )


def _check_photos(schema: dict, checked: CheckedAnswers, observer: Observer) -> None:
    by_code = question_map(schema)
    photo_ids = {
        code: value for code, value in checked.answers.items() if by_code[code]["type"] == "photo"
    }
    if not photo_ids:
        return
    known = {
        photo.hex
        for photo in SubmissionPhoto.objects.filter(
            observer=observer, id__in=[uuid.UUID(value) for value in photo_ids.values()]
        ).values_list("id", flat=True)
    }
    for code, value in photo_ids.items():
        if value not in known:
            checked.add_error(code, _("The photo was not received; send it again."))


# --- The station's picture ------------------------------------------------------------------


def derive_station_reports(*, limit: int = 20_000) -> int:
    """Fold submissions not yet taken into account into their stations' reports.

    Safe to call from several processes at once: on PostgreSQL each takes different rows
    (SKIP LOCKED). Returns how many submissions were folded in."""
    with transaction.atomic():
        pending = list(
            Submission.objects.pending_derivation()
            .select_for_update(skip_locked=True)
            .order_by()
            .values_list("pk", "questionnaire_id", "station_id")[:limit]
        )
        if not pending:
            return 0
        keys = {(questionnaire_id, station_id) for _pk, questionnaire_id, station_id in pending}
        for questionnaire_id, station_id in keys:
            rebuild_station_report(questionnaire_id, station_id)
        Submission.objects.filter(pk__in=[pk for pk, _q, _s in pending]).update(derived=True)
    return len(pending)


def rebuild_station_report(questionnaire_id: int, station_id: int) -> StationReport | None:
    """Recompute one station's report for one form from every submission it has.

    Each observer's latest submission counts. A question on which observers' answers differ is
    a conflict unless a coordinator has resolved it."""
    submissions = list(
        Submission.objects.filter(questionnaire_id=questionnaire_id, station_id=station_id)
        .order_by("received_at", "pk")
        .only("observer_id", "answers", "received_at", "has_alert", "election_id")
    )
    if not submissions:
        StationReport.objects.filter(
            questionnaire_id=questionnaire_id, station_id=station_id
        ).delete()
        return None
    latest_per_observer: dict[int, Submission] = {}
    for submission in submissions:
        latest_per_observer[submission.observer_id] = submission
    values: dict[str, dict[int, Any]] = defaultdict(dict)
    for observer_id, submission in latest_per_observer.items():
        for code, value in submission.answers.items():
            values[code][observer_id] = value
    report = StationReport.objects.filter(
        questionnaire_id=questionnaire_id, station_id=station_id
    ).first()
    resolutions = report.resolutions if report else {}
    answers: dict[str, Any] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for code, by_observer in values.items():
        if code in resolutions:
            answers[code] = resolutions[code]
            continue
        distinct = {_comparable(value) for value in by_observer.values()}
        if len(distinct) == 1:
            answers[code] = next(iter(by_observer.values()))
        else:
            conflicts[code] = {
                str(observer_id): value for observer_id, value in by_observer.items()
            }
    if report is None:
        report = StationReport(
            questionnaire_id=questionnaire_id,
            station_id=station_id,
            election_id=submissions[0].election_id,
            region_id=_region_of(station_id),
        )
    report.answers = answers
    report.conflicts = conflicts
    report.status = StationReport.Status.CONFLICT if conflicts else StationReport.Status.REPORTED
    report.has_alert = any(submission.has_alert for submission in submissions)
    report.submission_count = len(submissions)
    report.observer_count = len(latest_per_observer)
    report.last_received_at = submissions[-1].received_at
    report.save()
    return report


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@transaction.atomic
def resolve_conflict(report: StationReport, question: str, value: Any, *, actor) -> StationReport:
    """A coordinator settles a disagreement: `value` becomes the station's answer."""
    report = StationReport.objects.select_for_update().get(pk=report.pk)
    if question not in report.conflicts and question not in report.resolutions:
        raise ValidationError(_("There is no disagreement on this question to resolve."))
    schema = QuestionnaireVersion.objects.get(pk=report.questionnaire.current_version_id).schema
    checked = check_answers(schema, {**report.answers, question: value})
    if question in checked.errors:
        raise ValidationError({"value": checked.errors[question]})
    before = report.conflicts.get(question)
    report.resolutions = {**report.resolutions, question: checked.answers.get(question)}
    report.save(update_fields=["resolutions"])
    rebuilt = rebuild_station_report(report.questionnaire_id, report.station_id)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=rebuilt,
        changes={
            "question": question,
            "observers": before,
            "chosen": checked.answers.get(question),
        },
    )
    return rebuilt


@transaction.atomic
def acknowledge_alert(alert: Alert, *, actor, note: str = "") -> Alert:
    if alert.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been handled."))
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.note = note.strip()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=alert, changes={"note": alert.note})
    return alert
