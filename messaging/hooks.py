"""The SMS gateway's webhooks, under /hooks/ (no language prefix, no session, no CSRF token):
inbound SMS and delivery reports. Both need the shared secret in the X-Birlik-Secret header;
with SMS_WEBHOOK_SECRET unset every call is refused.

Answers are JSON for a machine: {"outcome": ..., "reply": ...} for an inbound SMS (200 also
when the report was refused, so the gateway does not deliver it again; 400 when `from`, `id`
or the body is missing or malformed), {"id", "status"} for a delivery report (422 for an id
Birlik does not know — never sent, or not recorded yet, so a retry may succeed — and 400 for a
status other than delivered/failed). Not 404: under /hooks/ the language middleware would turn
a 404 into a redirect to a language-prefixed page.
"""

import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging import inbound as inbound_sms
from messaging import services
from messaging.models import InboundSms, OutboundMessage

logger = logging.getLogger("birlik.sms")


def _secret_ok(request) -> bool:
    expected = settings.SMS_WEBHOOK_SECRET or ""
    given = request.headers.get("X-Birlik-Secret", "")
    # compare_digest takes as long whatever the first differing byte, so the secret cannot be
    # guessed one character at a time.
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _payload(request) -> dict | None:
    """The body as a dict of strings, from JSON or a form; None when it is neither."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
    else:
        data = request.POST.dict()
    return {
        key: "" if value is None else str(value)
        for key, value in data.items()
        if isinstance(value, str | int | float) or value is None
    }


def _refused(request) -> JsonResponse:
    logger.warning("SMS webhook %s refused: wrong or missing secret", request.path)
    return JsonResponse({"error": "forbidden"}, status=403)


@csrf_exempt
@require_POST
def sms_inbound(request):
    if not _secret_ok(request):
        return _refused(request)
    data = _payload(request)
    if data is None:
        return JsonResponse({"error": "invalid_body"}, status=400)
    received = inbound_sms.receive_sms(
        sender=data.get("from", ""), text=data.get("text", ""), gateway_id=data.get("id", "")
    )
    if received.outcome == InboundSms.Outcome.INVALID:
        return JsonResponse(
            {"outcome": received.outcome, "error": "from_and_id_are_required"}, status=400
        )
    return JsonResponse(
        {"outcome": received.outcome, "reply": received.reply.body if received.reply else ""}
    )


@csrf_exempt
@require_POST
def sms_status(request):
    if not _secret_ok(request):
        return _refused(request)
    data = _payload(request)
    if data is None:
        return JsonResponse({"error": "invalid_body"}, status=400)
    try:
        message = services.record_delivery_report(
            provider_id=data.get("id", ""),
            status=data.get("status", "").strip().lower(),
            error=data.get("error", ""),
        )
    except ValidationError as error:
        return JsonResponse({"error": "invalid", "fields": error.message_dict}, status=400)
    except OutboundMessage.DoesNotExist:
        return JsonResponse({"error": "unknown_id"}, status=422)
    return JsonResponse({"id": message.provider_id, "status": message.status})
