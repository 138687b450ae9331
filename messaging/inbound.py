"""Inbound SMS: a report by text message becomes a submission, and the observer gets a reply
in their language saying what was accepted or what was wrong.

`receive_sms` is the one entry point (the webhook calls it). Every message is logged as an
InboundSms. The sender is known only when their phone *and* the observer number in the text
belong to the same observer of an active election; replies go only to phones registered for an
active election, so a stranger learns nothing and cannot make Birlik text someone else.
"""

import hashlib
import logging
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from elections.models import Election
from geo.importing import station_code
from geo.models import PollingStation
from messaging.models import InboundSms
from messaging.services import queue_sms
from observation import sms
from observation.models import Channel as SubmissionChannel
from observation.services import SubmissionRejected, record_submission
from observers.models import Observer, normalise_phone
from questionnaires.engine import clean_value, question_map
from questionnaires.models import Questionnaire, QuestionnaireVersion

logger = logging.getLogger("birlik.sms")

Outcome = InboundSms.Outcome
GATEWAY_ID_MAX = 96  # "sms:" + the id is the submission's idempotency key (100 at most)
TEXT_MAX = 2000
REPLY_MAX = 300  # two SMS parts in Latin letters; errors beyond are summarised
ERRORS_IN_REPLY = 3
# Outcomes after which a re-delivery of the same SMS is ignored: it was acted on and answered.
# (One that failed, was rate-limited or is still being handled gets another chance.)
ACTED_ON = [
    Outcome.ACCEPTED,
    Outcome.DUPLICATE,
    Outcome.REJECTED,
    Outcome.UNREADABLE,
    Outcome.UNKNOWN_SENDER,
]


def receive_sms(*, sender: str, text: str, gateway_id: str) -> InboundSms:
    """Log one inbound SMS, act on it and queue the reply; returns the log row, whose outcome
    says what happened (its `reply` is the answer queued, if any)."""
    sender, text, gateway_id = (str(v or "").strip() for v in (sender, text, gateway_id))
    try:
        phone = normalise_phone(sender)
    except ValidationError:
        phone = ""
    inbound = InboundSms.objects.create(
        sender=(phone or sender)[:32], text=text[:TEXT_MAX], gateway_id=gateway_id[:100]
    )
    try:
        _handle(inbound, phone=phone, gateway_id=gateway_id)
    except Exception:
        # The gateway gets a 500 and delivers the SMS again; this row says why it failed.
        inbound.outcome = Outcome.ERROR
        inbound.save(update_fields=["outcome"])
        raise
    inbound.save()
    return inbound


def _handle(inbound: InboundSms, *, phone: str, gateway_id: str) -> None:
    if not inbound.sender or not gateway_id or len(gateway_id) > GATEWAY_ID_MAX:
        inbound.outcome = Outcome.INVALID
        return
    if _rate_limited(inbound.sender):
        inbound.outcome = Outcome.RATE_LIMITED
        logger.warning("inbound SMS from %s refused: too many messages", inbound.sender)
        return
    if (
        InboundSms.objects.filter(sender=inbound.sender, gateway_id=inbound.gateway_id)
        .exclude(pk=inbound.pk)
        .filter(outcome__in=ACTED_ON)
        .exists()
    ):
        # The gateway delivered it again; the first delivery was acted on and answered.
        inbound.outcome = Outcome.DUPLICATE
        return
    if not phone:
        inbound.outcome = Outcome.UNKNOWN_SENDER
        return
    registered = list(
        Observer.objects.filter(phone=phone, election__status=Election.Status.ACTIVE)
        .select_related("election", "station", "mobile_team")
        .order_by("-election__election_date", "pk")
    )
    if not registered:
        inbound.outcome = Outcome.UNKNOWN_SENDER
        return
    try:
        report = sms.parse(inbound.text)
    except sms.SmsParseError as error:
        parse_error = error  # `error` is unbound once the except block ends
        _refuse(
            inbound, registered[0], Outcome.UNREADABLE, "sms", lambda: parse_problem(parse_error)
        )
        return
    observer = _observer_for(registered, report)
    if observer is None:
        _refuse(
            inbound,
            registered[0],
            Outcome.UNKNOWN_SENDER,
            "observer",
            lambda: (
                _("Observer number %(number)s is not the one given to this phone.")
                % {"number": report.observer_number}
            ),
        )
        return
    inbound.observer = observer
    questionnaire = Questionnaire.objects.filter(
        election_id=observer.election_id, code=report.form_code
    ).first()
    if questionnaire is None:
        _refuse(
            inbound,
            observer,
            Outcome.REJECTED,
            "form",
            lambda: _("There is no form %(code)s.") % {"code": report.form_code},
        )
        return
    with translation.override(observer.language):
        station, problem = _station_for(observer, report.station_code)
        if station is None:
            _refuse(inbound, observer, Outcome.REJECTED, "station", lambda: problem)
            return
        schema = _schema(questionnaire)
        answers = adapt_answers(schema, report.answers)
        try:
            outcome = record_submission(
                observer=observer,
                questionnaire=questionnaire,
                station=station,
                answers=answers,
                idempotency_key=f"sms:{gateway_id}",
                channel=SubmissionChannel.SMS,
            )
        except SubmissionRejected as error:
            inbound.outcome = Outcome.REJECTED
            inbound.errors = error.errors
            questions = set(question_map(schema)) if schema else set()
            _reply(inbound, observer, rejected_reply(report.form_code, error.errors, questions))
            return
    inbound.submission = outcome.submission
    if not outcome.created:
        inbound.outcome = Outcome.DUPLICATE
        return
    inbound.outcome = Outcome.ACCEPTED
    with translation.override(observer.language):
        text = accepted_reply(report.form_code, len(outcome.submission.answers), outcome.alerts)
    _reply(inbound, observer, text)


def _rate_limited(sender: str) -> bool:
    limit = getattr(settings, "SMS_INBOUND_LIMIT", 20)
    window = getattr(settings, "SMS_INBOUND_WINDOW", 600)
    key = "messaging:sms-in:" + hashlib.sha256(sender.encode()).hexdigest()[:32]
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return False
    return count > limit


def _observer_for(registered: list[Observer], report: sms.SmsReport) -> Observer | None:
    """The observer this phone is, by the number in the text; of several active elections,
    the one that has the form named."""
    matching = [o for o in registered if o.number == report.observer_number]
    if len(matching) > 1:
        with_form = set(
            Questionnaire.objects.filter(
                election_id__in=[o.election_id for o in matching], code=report.form_code
            ).values_list("election_id", flat=True)
        )
        matching = [o for o in matching if o.election_id in with_form] or matching
    return matching[0] if matching else None


_STATION_PARTS = re.compile(r"^(\d+)[-/.](\d+)$")


def _station_for(observer: Observer, code: str | None) -> tuple[PollingStation | None, str]:
    """The station reported on: the observer's own, or the one a mobile team member names.
    Returns (station, "") or (None, what is wrong)."""
    if observer.station_id is not None:
        if code is None or _same_station(code, observer.station):
            return observer.station, ""
        return None, _("You are not assigned to polling station %(code)s.") % {"code": code}
    if observer.mobile_team_id is None:
        return None, _("You are not assigned to a polling station yet.")
    if code is None:
        return None, _("Add the polling station after @, for example @12-034.")
    stations = list(observer.mobile_team.stations.all())
    matches = [station for station in stations if _same_station(code, station)]
    if not matches and code.isdigit():
        # The station's number alone, when it names one station of the team.
        matches = [station for station in stations if station.number == int(code)]
    if len(matches) == 1:
        return matches[0], ""
    return None, _("Polling station %(code)s is not one of your team's.") % {"code": code}


def _same_station(code: str, station: PollingStation) -> bool:
    if code == station.code.upper():
        return True
    parts = _STATION_PARTS.match(code)
    return bool(parts) and station_code(int(parts[1]), int(parts[2])) == station.code


def _schema(questionnaire: Questionnaire) -> dict:
    if questionnaire.current_version_id is None:
        return {}
    return (
        QuestionnaireVersion.objects.values_list("schema", flat=True)
        .filter(pk=questionnaire.current_version_id)
        .first()
        or {}
    )


# --- From SMS words to answers --------------------------------------------------------------


def adapt_answers(schema: dict, answers: dict[str, str]) -> dict[str, Any]:
    """The SMS values made into what the form expects, where the typed value does not fit but a
    reading of it does: Latin letters for Cyrillic look-alikes (Х for X), a time without its
    colon (0715), choices without commas (13 for 1 and 3 when no option is 13), a full stop at
    the end. What fits no reading is passed on as typed, for the form's own error message."""
    questions = question_map(schema) if isinstance(schema, dict) else {}
    adapted: dict[str, Any] = {}
    for code, value in answers.items():
        question = questions.get(code)
        adapted[code] = value if question is None else _adapt(question, value)
    return adapted


def _adapt(question: dict, value: str) -> str:
    for candidate in _readings(question, value):
        try:
            clean_value(question, candidate)
        except (ValueError, KeyError, TypeError):
            continue
        return candidate
    return value


def _readings(question: dict, value: str) -> list[str]:
    readings = [value]
    trimmed = value.rstrip(".")
    if trimmed and trimmed != value:
        readings.append(trimmed)
    for text in list(readings):
        latin = sms.to_latin(text)
        if latin != text:
            readings.append(latin)
    kind = question.get("type")
    for text in list(readings):
        if kind == "time":
            digits = re.fullmatch(r"(\d{1,2})[.,hH]?(\d{2})", text)
            if digits:
                readings.append(f"{digits[1]}:{digits[2]}")
        elif kind == "multiple" and re.fullmatch(r"[0-9A-Za-z]+", text) and len(text) > 1:
            readings.append(",".join(text))
        elif kind == "multiple":
            readings.append(re.sub(r"[+/.]", ",", text))
    return readings


# --- Replies ----------------------------------------------------------------------------------


def _refuse(inbound: InboundSms, observer: Observer, outcome: str, key: str, problem) -> None:
    """Record why a message was refused and tell the observer, in their language."""
    with translation.override(observer.language):
        message = str(problem())
        inbound.outcome = outcome
        inbound.errors = {key: [message]}
        _reply(inbound, observer, _("Not accepted. %(problem)s") % {"problem": message})


def _reply(inbound: InboundSms, observer: Observer, text: str) -> None:
    inbound.reply = queue_sms(observer.phone, shorten(text), observer=observer)


def shorten(text: str, limit: int = REPLY_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def accepted_reply(form_code: str, answers: int, alerts: int) -> str:
    text = ngettext(
        "%(form)s accepted: %(count)d answer.", "%(form)s accepted: %(count)d answers.", answers
    ) % {"form": form_code, "count": answers}
    if alerts:
        text += " " + ngettext("Alert raised.", "%(count)d alerts raised.", alerts) % {
            "count": alerts
        }
    return text


def rejected_reply(form_code: str, errors: dict[str, list[str]], questions: set[str]) -> str:
    """What was wrong with the answers, compact: "A1: Answer yes or no." per question (the
    code left out where the message names it already, as in "This form has no question A9.")."""
    lines = []
    for key, messages in errors.items():
        message = " ".join(str(m) for m in messages)
        lines.append(f"{key}: {message}" if key in questions and key not in message else message)
    shown = " ".join(lines[:ERRORS_IN_REPLY])
    if len(lines) > ERRORS_IN_REPLY:
        more = len(lines) - ERRORS_IN_REPLY
        shown += " " + ngettext(
            "(and %(count)d more problem)", "(and %(count)d more problems)", more
        ) % {"count": more}
    return _("%(form)s not accepted. %(problems)s") % {"form": form_code, "problems": shown}


def parse_problem(error: sms.SmsParseError) -> str:
    """The grammar's complaint as a sentence for the observer, in the active language."""
    detail = error.detail
    problems = {
        sms.EMPTY: lambda: _("The message is empty. Write e.g. OP 1042 A1 Y B1 350."),
        sms.TOO_LONG: lambda: _("The message is too long."),
        sms.FORM_CODE: lambda: _("Start with the form code and your number, e.g. OP 1042."),
        sms.OBSERVER_NUMBER: lambda: _("Write your observer number after the form code."),
        sms.STATION: lambda: _("Write the polling station after @, e.g. @12-034."),
        sms.DUPLICATE_STATION: lambda: _("Give one polling station only."),
        sms.QUESTION_CODE: lambda: _("“%(text)s” is not a question code.") % {"text": detail},
        sms.MISSING_VALUE: lambda: _("%(code)s has no answer.") % {"code": detail},
        sms.SEPARATOR: lambda: (
            _("Put a space between the question code and the number in %(text)s.")
            % {"text": detail}
        ),
        sms.UNCLOSED_QUOTE: lambda: _("A quotation mark is not closed."),
        sms.DUPLICATE_QUESTION: lambda: _("%(code)s is answered twice.") % {"code": detail},
        sms.NO_ANSWERS: lambda: _("There are no answers. Write e.g. OP 1042 A1 Y B1 350."),
    }
    return problems.get(error.code, lambda: _("The message cannot be read."))()
