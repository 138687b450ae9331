"""Delivery reports from the gateway (/hooks/sms/status) update the message they name."""

import json

import pytest

from messaging.models import Channel, OutboundMessage
from messaging.tests.fixtures import *  # noqa: F403
from messaging.tests.fixtures import SECRET

pytestmark = pytest.mark.django_db

URL = "/hooks/sms/status"
Status = OutboundMessage.Status


@pytest.fixture
def sent():
    return OutboundMessage.objects.create(
        channel=Channel.SMS,
        recipient="+994501112233",
        body="Salam",
        status=Status.SENT,
        provider_id="gw-42",
    )


def report(client, payload, *, secret=SECRET, as_json=True):
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if secret is not None:
        headers["HTTP_X_BIRLIK_SECRET"] = secret
    if as_json:
        return client.post(URL, json.dumps(payload), content_type="application/json", **headers)
    return client.post(URL, payload, **headers)


@pytest.mark.parametrize("as_json", [True, False])
def test_a_delivered_report_marks_the_message_delivered(client, sent, as_json):
    response = report(client, {"id": "gw-42", "status": "delivered"}, as_json=as_json)
    assert response.status_code == 200
    assert response.json() == {"id": "gw-42", "status": "delivered"}
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED and sent.delivered_at is not None


def test_a_failed_report_keeps_the_gateways_error(client, sent):
    response = report(client, {"id": "gw-42", "status": "failed", "error": "absent subscriber"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.error) == (Status.FAILED, "absent subscriber")


def test_a_failed_report_without_an_error_says_so_in_words(client, sent):
    report(client, {"id": "gw-42", "status": "FAILED"})
    sent.refresh_from_db()
    assert (sent.status, sent.error) == (Status.FAILED, "The gateway could not deliver it.")


def test_a_message_once_delivered_stays_delivered(client, sent):
    report(client, {"id": "gw-42", "status": "delivered"})
    report(client, {"id": "gw-42", "status": "failed", "error": "late report"})
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED and sent.error == ""


def test_an_unknown_id_is_refused_and_changes_nothing(client, sent):
    response = report(client, {"id": "gw-999", "status": "delivered"})
    assert response.status_code == 422
    assert response.json() == {"error": "unknown_id"}
    sent.refresh_from_db()
    assert sent.status == Status.SENT


@pytest.mark.parametrize(
    "payload",
    [{"id": "gw-42", "status": "read"}, {"id": "gw-42"}, {"status": "delivered"}, {"id": ""}],
)
def test_a_report_it_cannot_understand_is_400_and_changes_nothing(client, sent, payload):
    response = report(client, payload)
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Status.SENT


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_without_the_right_secret_nothing_changes(client, sent, secret):
    response = report(client, {"id": "gw-42", "status": "delivered"}, secret=secret)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_with_no_secret_configured_reports_are_refused(client, sent, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    assert report(client, {"id": "gw-42", "status": "delivered"}, secret="").status_code == 403
