"""Messages to and from observers.

- BulkMessage: one message that staff sent to the observers a filter chose, by SMS or email,
  written in up to three languages (each observer gets theirs, falling back to Azerbaijani).
- OutboundMessage: one SMS or email to one person, with its delivery status: a bulk message's
  row per recipient, a reply to an inbound SMS, a sign-in code.
- InboundSms: every SMS the gateway passed on, what became of it and the reply it got.

Writes go through messaging.services (outbound) and messaging.inbound (inbound).
"""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from observers.models import Observer

LANGUAGES = ("az", "en", "ru")
_QUESTION_OR_RULE = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class BulkMessageQuerySet(models.QuerySet):
    def with_counts(self) -> "BulkMessageQuerySet":
        """Each message's count of recipient rows per delivery status."""
        status = OutboundMessage.Status

        def count(value: str) -> models.Count:
            return models.Count("messages", filter=models.Q(messages__status=value))

        return self.annotate(
            queued_count=count(status.QUEUED),
            sent_count=count(status.SENT),
            delivered_count=count(status.DELIVERED),
            failed_count=count(status.FAILED),
        )


class BulkMessage(models.Model):
    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.PROTECT,
        related_name="bulk_messages",
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body_az = models.TextField(_("message (Azerbaijani)"), blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    body_ru = models.TextField(_("message (Russian)"), blank=True)
    # The filter that chose the recipients, as submitted (ids and codes), kept for the record.
    filters = models.JSONField(_("recipients chosen by"), default=dict)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Chosen by the filter but unreachable on this channel (no email address).
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BulkMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulk message")
        verbose_name_plural = _("bulk messages")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_bulk_message", _("Can send messages to observers"))]

    def __str__(self) -> str:
        return self.subject or self.body_for("az")[:60]

    def get_absolute_url(self) -> str:
        return reverse("messaging_staff:bulk_detail", args=[self.pk])

    def bodies(self) -> dict[str, str]:
        return {language: getattr(self, f"body_{language}") for language in LANGUAGES}

    def body_for(self, language: str) -> str:
        """The text in the observer's language, else Azerbaijani, else whichever was written."""
        bodies = self.bodies()
        for candidate in (language, *LANGUAGES):
            if bodies.get(candidate, "").strip():
                return bodies[candidate]
        return ""


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    recipient = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    observer = models.ForeignKey(
        Observer,
        verbose_name=_("observer"),
        on_delete=models.SET_NULL,
        related_name="messages",
        null=True,
        blank=True,
    )
    bulk = models.ForeignKey(
        BulkMessage,
        verbose_name=_("bulk message"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # The gateway's id for the SMS; delivery reports name it.
    provider_id = models.CharField(_("gateway id"), max_length=100, blank=True, db_index=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["bulk", "status"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"


class InboundSms(models.Model):
    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Being handled")
        ACCEPTED = "accepted", _("Accepted")
        DUPLICATE = "duplicate", _("Already received")
        REJECTED = "rejected", _("Answers refused")
        UNREADABLE = "unreadable", _("Not readable")
        UNKNOWN_SENDER = "unknown_sender", _("Sender not recognised")
        RATE_LIMITED = "rate_limited", _("Too many messages")
        INVALID = "invalid", _("Incomplete from the gateway")
        ERROR = "error", _("Failed with an error")

    sender = models.CharField(_("from"), max_length=32, blank=True)
    text = models.TextField(_("text"), blank=True)
    gateway_id = models.CharField(_("gateway id"), max_length=100, blank=True, db_index=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.RECEIVED
    )
    # What was wrong: {question code, "sms", "form", "station", "observer" or "__all__": [...]}.
    errors = models.JSONField(_("problems"), default=dict, blank=True)
    observer = models.ForeignKey(
        Observer,
        verbose_name=_("observer"),
        on_delete=models.SET_NULL,
        related_name="inbound_sms",
        null=True,
        blank=True,
    )
    submission = models.ForeignKey(
        "observation.Submission",
        verbose_name=_("submission"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    reply = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("reply"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"

    def problems(self) -> list[str]:
        """The problems as lines for the log page."""
        lines = []
        for key, messages in (self.errors or {}).items():
            for message in messages if isinstance(messages, list) else [messages]:
                lines.append(f"{key}: {message}" if _QUESTION_OR_RULE.match(key) else message)
        return lines
