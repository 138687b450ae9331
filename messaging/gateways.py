"""SMS gateways: one interface, a console backend for laptops and tests, an HTTP backend.

    from messaging.gateways import get_gateway
    message_id = get_gateway().send("+994501234567", "Kod: 123456")

Settings: SMS_GATEWAY ("console" or "http"); for http, SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN.
The console backend keeps what it sent in `ConsoleGateway.outbox` (tests read it) and logs it.
"""

import json
import logging
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("birlik.sms")


class GatewayError(Exception):
    """The gateway refused the message or could not be reached."""


@dataclass
class SentSms:
    to: str
    text: str
    message_id: str


class SmsGateway:
    def send(self, to: str, text: str) -> str:
        """Hand one SMS to the gateway; returns the gateway's id for the message."""
        raise NotImplementedError


class ConsoleGateway(SmsGateway):
    outbox: list[SentSms] = []

    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        ConsoleGateway.outbox.append(SentSms(to, text, message_id))
        logger.info("SMS to %s: %s", to, text)
        return message_id


class HttpGateway(SmsGateway):
    """POSTs {"to", "text"} as JSON with a bearer token; expects {"id": "..."} back."""

    timeout_seconds = 10

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token or settings.SMS_GATEWAY_TOKEN
        if not self.url.startswith(("https://", "http://")):
            raise GatewayError("SMS_GATEWAY_URL must be an http(s) address")

    def send(self, to: str, text: str) -> str:
        request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
            self.url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                body = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as error:
            raise GatewayError(str(error)) from error
        message_id = str(body.get("id", "")).strip()
        if not message_id:
            raise GatewayError("the gateway answered without a message id")
        return message_id


GATEWAYS = {"console": ConsoleGateway, "http": HttpGateway}


def get_gateway() -> SmsGateway:
    name = getattr(settings, "SMS_GATEWAY", "console")
    gateway_class = GATEWAYS.get(name) or import_string(name)
    return gateway_class()
