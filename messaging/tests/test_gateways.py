"""The SMS gateways: the console one for laptops and tests, the HTTP one against a real local
HTTP server, and send_sms recording what each did."""

import socket

import pytest

from messaging.gateways import ConsoleGateway, GatewayError, HttpGateway, get_gateway
from messaging.models import OutboundMessage
from messaging.services import send_sms
from messaging.tests.fixtures import *  # noqa: F403

Status = OutboundMessage.Status


def test_the_console_gateway_keeps_what_it_sent():
    message_id = ConsoleGateway().send("+994501112233", "Salam")
    assert [(s.to, s.text, s.message_id) for s in ConsoleGateway.outbox] == [
        ("+994501112233", "Salam", message_id)
    ]


def test_the_http_gateway_posts_json_with_the_bearer_token(gateway_server):
    gateway = HttpGateway(url=gateway_server.url, token="t0ken")
    assert gateway.send("+994501112233", "Kod: 123456") == "gw-1"
    assert gateway_server.requests == [
        {
            "path": "/send",
            "authorization": "Bearer t0ken",
            "content_type": "application/json",
            "json": {"to": "+994501112233", "text": "Kod: 123456"},
        }
    ]


@pytest.mark.parametrize(
    "answer",
    [(500, {"error": "down"}), (401, {"error": "bad token"}), (200, {}), (200, b"not json")],
)
def test_the_http_gateway_raises_when_the_gateway_refuses_or_answers_nonsense(
    gateway_server, answer
):
    gateway_server.answer = lambda n: answer
    with pytest.raises(GatewayError):
        HttpGateway(url=gateway_server.url, token="t").send("+994501112233", "x")


def test_the_http_gateway_raises_when_nobody_listens():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(GatewayError):
        HttpGateway(url=f"http://127.0.0.1:{port}/send", token="t").send("+994501112233", "x")


def test_the_http_gateway_wants_an_http_address():
    with pytest.raises(GatewayError):
        HttpGateway(url="file:///etc/passwd", token="t")


def test_settings_choose_the_gateway(settings, gateway_server):
    assert isinstance(get_gateway(), ConsoleGateway)
    settings.SMS_GATEWAY = "http"
    settings.SMS_GATEWAY_URL = gateway_server.url
    settings.SMS_GATEWAY_TOKEN = "t"
    assert isinstance(get_gateway(), HttpGateway)


@pytest.mark.django_db
def test_send_sms_records_the_message_and_the_gateways_id(settings, gateway_server):
    settings.SMS_GATEWAY = "http"
    settings.SMS_GATEWAY_URL = gateway_server.url
    settings.SMS_GATEWAY_TOKEN = "t"
    message = send_sms("+994501112233", "Salam")
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.error) == (Status.SENT, "gw-1", "")
    assert message.sent_at is not None
    assert message.recipient == "+994501112233" and message.body == "Salam"


@pytest.mark.django_db
def test_a_failing_gateway_leaves_the_message_failed_with_its_error(settings, gateway_server):
    settings.SMS_GATEWAY = "http"
    settings.SMS_GATEWAY_URL = gateway_server.url
    settings.SMS_GATEWAY_TOKEN = "t"
    gateway_server.answer = lambda n: (503, {"error": "busy"})
    message = send_sms("+994501112233", "Salam")
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "503" in message.error
    assert message.sent_at is None and message.provider_id == ""
