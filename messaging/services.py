"""Sending messages: one SMS now, a reply queued for the worker, a bulk message to the
observers a filter chose (validated, previewed, then queued and sent in batches by
messaging.tasks), and the gateway's delivery reports.

Every outgoing message is an OutboundMessage row first, so nothing is sent that the log does
not show, and a gateway that refuses leaves the row failed with its error.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import Election
from geo.models import PollingStation, Region
from messaging.gateways import GatewayError, get_gateway
from messaging.models import LANGUAGES, BulkMessage, Channel, OutboundMessage
from observers.models import MobileTeam, Observer

logger = logging.getLogger("birlik.messaging")

SMS_BODY_MAX = 480  # three UCS-2 parts or so; a longer text belongs in an email
EMAIL_BODY_MAX = 10_000
SUBJECT_MAX = 200

Status = OutboundMessage.Status


# --- One message ----------------------------------------------------------------------------


def send_sms(to: str, text: str, *, observer: Observer | None = None) -> OutboundMessage:
    """Send one SMS now: recorded first, then handed to the gateway; returns the row, which is
    sent (with the gateway's id) or failed (with the gateway's error)."""
    message = OutboundMessage.objects.create(
        channel=Channel.SMS, recipient=to, body=text, observer=observer
    )
    return deliver(message)


def queue_sms(to: str, text: str, *, observer: Observer | None = None) -> OutboundMessage:
    """Record one SMS and leave the sending to the worker (for replies to inbound SMS, so the
    gateway's webhook is answered without waiting on the gateway)."""
    from messaging.tasks import deliver_message

    message = OutboundMessage.objects.create(
        channel=Channel.SMS, recipient=to, body=text, observer=observer
    )
    transaction.on_commit(lambda: deliver_message.enqueue(message_id=message.pk))
    return message


def deliver(message: OutboundMessage) -> OutboundMessage:
    """Hand a queued message to the SMS gateway or the mail server, and record what happened."""
    now = timezone.now()
    if message.channel == Channel.SMS:
        try:
            message.provider_id = get_gateway().send(message.recipient, message.body)[:100]
        except GatewayError as error:
            message.status, message.error = Status.FAILED, str(error)[:2000]
        else:
            message.status, message.error, message.sent_at = Status.SENT, "", now
    else:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
        )
        try:
            email.send()
        except Exception as error:  # smtplib, socket and backend errors alike
            logger.warning("email to message %s failed: %s", message.pk, error)
            message.status, message.error = Status.FAILED, str(error)[:2000] or repr(error)
        else:
            message.status, message.error, message.sent_at = Status.SENT, "", now
    message.save(update_fields=["status", "provider_id", "error", "sent_at", "updated_at"])
    return message


def deliver_queued(*, message_id: int) -> OutboundMessage | None:
    """Send one row if it is still queued; a row another worker holds or has sent is left."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        return deliver(message)


def deliver_bulk_batch(*, bulk_id: int, size: int) -> tuple[int, bool]:
    """Send up to `size` of a bulk message's queued rows; returns (handled, more queued)."""
    ids = list(
        OutboundMessage.objects.filter(bulk_id=bulk_id, status=Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    handled = sum(deliver_queued(message_id=pk) is not None for pk in ids)
    more = OutboundMessage.objects.filter(bulk_id=bulk_id, status=Status.QUEUED).exists()
    return handled, more


@transaction.atomic
def record_delivery_report(*, provider_id: str, status: str, error: str = "") -> OutboundMessage:
    """The gateway says an SMS was delivered or failed. Raises ValidationError for a status it
    should not send, OutboundMessage.DoesNotExist for an id Birlik never sent. Reports can come
    out of order: a message once delivered stays delivered."""
    if status not in (Status.DELIVERED, Status.FAILED):
        raise ValidationError(
            {"status": _("The status must be “delivered” or “failed”.")}, code="status"
        )
    provider_id = (provider_id or "").strip()
    if not provider_id:
        raise ValidationError({"id": _("The message id is missing.")}, code="id")
    message = (
        OutboundMessage.objects.select_for_update()
        .filter(channel=Channel.SMS, provider_id=provider_id)
        .order_by("-pk")
        .first()
    )
    if message is None:
        raise OutboundMessage.DoesNotExist(provider_id)
    if message.status == Status.DELIVERED:
        return message
    message.status = status
    if status == Status.DELIVERED:
        message.delivered_at = timezone.now()
        message.error = ""
    else:
        message.error = (error or "").strip()[:2000] or _("The gateway could not deliver it.")
    message.save(update_fields=["status", "delivered_at", "error", "updated_at"])
    return message


# --- Choosing observers -----------------------------------------------------------------------

FILTER_KEYS = ("status", "region", "deployment", "station", "mobile_team", "language")
DEPLOYED, NOT_DEPLOYED = "deployed", "not_deployed"


def observers_matching(election: Election, filters: dict) -> "models.QuerySet[Observer]":
    """The observers of an election that a bulk message's filter chooses. Without a status,
    everyone but rejected applicants. Raises ValidationError for a filter that names
    something that does not exist."""
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown filter: %(names)s.") % {"names": ", ".join(unknown)}, code="filter"
        )
    observers = Observer.objects.filter(election=election)
    status = filters.get("status") or ""
    if status:
        if status not in Observer.Status.values:
            raise ValidationError({"status": _("Choose one of the statuses given.")})
        observers = observers.filter(status=status)
    else:
        observers = observers.exclude(status=Observer.Status.REJECTED)
    if filters.get("region"):
        if not Region.objects.filter(pk=filters["region"]).exists():
            raise ValidationError({"region": _("This region does not exist.")})
        observers = observers.filter(region_id=filters["region"])
    deployment = filters.get("deployment") or ""
    deployed = models.Q(station__isnull=False) | models.Q(mobile_team__isnull=False)
    if deployment == DEPLOYED:
        observers = observers.filter(deployed)
    elif deployment == NOT_DEPLOYED:
        observers = observers.exclude(deployed)
    elif deployment:
        raise ValidationError({"deployment": _("Choose one of the options given.")})
    if filters.get("station"):
        code = str(filters["station"])
        if not PollingStation.objects.filter(code=code).exists():
            raise ValidationError(
                {
                    "station": _("There is no polling station with the code %(code)s.")
                    % {"code": code}
                }
            )
        teams = MobileTeam.objects.filter(election=election, stations__code=code)
        observers = observers.filter(models.Q(station__code=code) | models.Q(mobile_team__in=teams))
    if filters.get("mobile_team"):
        if not MobileTeam.objects.filter(pk=filters["mobile_team"], election=election).exists():
            raise ValidationError(
                {"mobile_team": _("This mobile team does not belong to the election.")}
            )
        observers = observers.filter(mobile_team_id=filters["mobile_team"])
    language = filters.get("language") or ""
    if language:
        if language not in LANGUAGES:
            raise ValidationError({"language": _("Choose one of the languages given.")})
        observers = observers.filter(language=language)
    return observers.order_by("pk")


def address_of(observer: Observer, channel: str) -> str:
    return observer.email.strip() if channel == Channel.EMAIL else observer.phone


# --- Bulk messages ----------------------------------------------------------------------------


@dataclass
class BulkPlan:
    """Who would get a bulk message, worked out without writing anything (the preview)."""

    recipients: list[Observer]
    skipped: int
    bodies: dict[str, str]
    # {observer's language: how many recipients speak it}
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.recipients)

    def body_for(self, language: str) -> str:
        for candidate in (language, *LANGUAGES):
            if self.bodies.get(candidate):
                return self.bodies[candidate]
        return ""

    def versions(self) -> list[dict]:
        """Each text that goes out with how many get it: [{"language", "body", "count",
        "languages"}], the languages being those of the observers who get this text."""
        by_body: dict[str, dict] = {}
        for language in LANGUAGES:
            if not self.languages.get(language):
                continue
            body = self.body_for(language)
            written_in = next(c for c in (language, *LANGUAGES) if self.bodies.get(c) == body)
            entry = by_body.setdefault(
                written_in, {"language": written_in, "body": body, "count": 0, "languages": []}
            )
            entry["count"] += self.languages[language]
            entry["languages"].append(language)
        return [by_body[language] for language in LANGUAGES if language in by_body]


def bulk_message_plan(
    *, election: Election, channel: str, subject: str, bodies: dict[str, str], filters: dict
) -> BulkPlan:
    """Check a bulk message and work out its recipients. Raises ValidationError naming every
    problem; writes nothing."""
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Choose SMS or email."))
    bodies = {language: (bodies.get(language) or "").strip() for language in LANGUAGES}
    if not any(bodies.values()):
        errors.setdefault("body_az", []).append(_("Write the message in at least one language."))
    limit = SMS_BODY_MAX if channel == Channel.SMS else EMAIL_BODY_MAX
    for language, body in bodies.items():
        if len(body) > limit:
            errors.setdefault(f"body_{language}", []).append(
                _("Write at most %(limit)d characters (this text has %(count)d).")
                % {"limit": limit, "count": len(body)}
            )
    subject = (subject or "").strip()
    if channel == Channel.EMAIL and not subject:
        errors.setdefault("subject", []).append(_("An email needs a subject."))
    if len(subject) > SUBJECT_MAX:
        errors.setdefault("subject", []).append(
            _("Write at most %(limit)d characters.") % {"limit": SUBJECT_MAX}
        )
    if errors:
        raise ValidationError(errors)
    chosen = list(observers_matching(election, filters))
    recipients = [observer for observer in chosen if address_of(observer, channel)]
    if not chosen:
        raise ValidationError(_("No observer matches these choices."), code="no_recipients")
    if not recipients:
        raise ValidationError(
            _("None of the %(count)d observers chosen has an email address.")
            % {"count": len(chosen)},
            code="no_recipients",
        )
    languages = Counter(observer.language for observer in recipients)
    return BulkPlan(
        recipients=recipients,
        skipped=len(chosen) - len(recipients),
        bodies=bodies,
        languages=dict(languages),
    )


@transaction.atomic
def bulk_message_create(
    *,
    actor,
    election: Election,
    channel: str,
    subject: str,
    bodies: dict[str, str],
    filters: dict,
) -> BulkMessage:
    """Record a bulk message and one queued row per recipient (each in their language), then
    have the worker send them in batches once the transaction commits."""
    from messaging.tasks import send_bulk_message

    election = Election.objects.select_for_update().get(pk=election.pk)
    plan = bulk_message_plan(
        election=election, channel=channel, subject=subject, bodies=bodies, filters=filters
    )
    bulk = BulkMessage.objects.create(
        election=election,
        channel=channel,
        subject=subject.strip() if channel == Channel.EMAIL else "",
        body_az=plan.bodies["az"],
        body_en=plan.bodies["en"],
        body_ru=plan.bodies["ru"],
        filters=filters,
        recipient_count=plan.count,
        skipped_count=plan.skipped,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                channel=channel,
                recipient=address_of(observer, channel),
                subject=bulk.subject,
                body=plan.body_for(observer.language),
                observer=observer,
                bulk=bulk,
            )
            for observer in plan.recipients
        ],
        batch_size=500,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=bulk,
        changes={
            "election": election.pk,
            "channel": channel,
            "filters": filters,
            "recipients": plan.count,
            "skipped": plan.skipped,
        },
    )
    transaction.on_commit(lambda: send_bulk_message.enqueue(bulk_id=bulk.pk))
    return bulk
