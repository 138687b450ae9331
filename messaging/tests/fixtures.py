"""Fixtures for the messaging tests and the SMS tests in observation/tests:

- `sms_settings` (autouse where imported): the console gateway with an empty outbox, the
  webhook secret, tasks run at once, and no form schema cached from an earlier test.
- `election_day`: an active election with the closing form (code CL) and three deployed
  observers — Aysel (az, station 12-034), Ivan (ru, a mobile team covering 12-035 and 13-001)
  and John (en, station 113-034).
- `gateway_server`: a real HTTP server on a free local port playing the SMS gateway.
- `translated`: test catalogs with a few replies in Azerbaijani and Russian (locale/*.po is
  translated separately), to show that each observer is answered in their own language.

    from messaging.tests.fixtures import *  # noqa: F403
"""

import json
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography
from messaging.gateways import ConsoleGateway
from observation import services as observation_services
from observers.models import MobileTeam, Observer
from observers.tests.factories import ObserverFactory
from questionnaires.tests.factories import published_questionnaire

__all__ = [
    "IMMEDIATE_TASKS",
    "SECRET",
    "election_day",
    "gateway_server",
    "geography",
    "sms_settings",
    "translated",
]

SECRET = "a-long-shared-secret-for-tests"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SMS_GATEWAY = "console"
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.TASKS = IMMEDIATE_TASKS
    ConsoleGateway.outbox.clear()
    observation_services._version_schema.cache_clear()
    yield settings
    ConsoleGateway.outbox.clear()
    observation_services._version_schema.cache_clear()


@pytest.fixture
def election_day(geography):
    stations = geography["stations"]
    baku = geography["regions"]["baki"]
    election = ElectionFactory(status=Election.Status.ACTIVE)
    form = published_questionnaire(election=election, code="CL")
    team = MobileTeam.objects.create(election=election, name="Mobile team 1")
    team.stations.set([stations["12-035"], stations["13-001"]])
    deployed = {"election": election, "status": Observer.Status.DEPLOYED, "region": baku}
    aysel = ObserverFactory(
        **deployed,
        full_name="Aysel Əliyeva",
        phone="+994501112233",
        number=1042,
        language="az",
        station=stations["12-034"],
        email="aysel@example.org",
    )
    ivan = ObserverFactory(
        **deployed,
        full_name="Ivan Petrov",
        phone="+994551234567",
        number=7,
        language="ru",
        mobile_team=team,
    )
    john = ObserverFactory(
        **deployed,
        full_name="John Smith",
        phone="+994701234567",
        number=15,
        language="en",
        station=stations["113-034"],
    )
    return {
        "election": election,
        "form": form,
        "team": team,
        "stations": stations,
        "aysel": aysel,
        "ivan": ivan,
        "john": john,
    }


class _Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "json": json.loads(body or b"{}"),
            }
        )
        status, answer = server.answer(len(server.requests))
        payload = json.dumps(answer).encode() if isinstance(answer, dict) else answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway_server():
    """A local SMS gateway. `server.answer = lambda n: (status, body)` decides its answer to
    the n-th request (by default 200 with a fresh id); `server.requests` holds what came."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.requests = []
    server.answer = lambda n: (200, {"id": f"gw-{n}"})
    server.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


# --- Test translations ------------------------------------------------------------------------

TEST_CATALOGS = {
    "az": {
        "plural": "nplurals=2; plural=(n != 1);",
        "messages": {
            ("%(form)s accepted: %(count)d answer.", "%(form)s accepted: %(count)d answers."): (
                "%(form)s qəbul edildi: %(count)d cavab.",
                "%(form)s qəbul edildi: %(count)d cavab.",
            ),
            "Not accepted. %(problem)s": "Qəbul edilmədi. %(problem)s",
            "There is no form %(code)s.": "%(code)s adlı forma yoxdur.",
        },
    },
    "ru": {
        "plural": "nplurals=2; plural=(n != 1);",
        "messages": {
            ("%(form)s accepted: %(count)d answer.", "%(form)s accepted: %(count)d answers."): (
                "%(form)s принят: %(count)d ответ.",
                "%(form)s принят: ответов %(count)d.",
            ),
            "Not accepted. %(problem)s": "Не принято. %(problem)s",
            "There is no form %(code)s.": "Формы %(code)s нет.",
        },
    },
}


def _write_mo(path, messages: dict, plural: str) -> None:
    """A GNU .mo catalog (the format msgfmt writes), so no gettext tools are needed."""
    entries = {"": f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural}\n"}
    for msgid, msgstr in messages.items():
        key = "\0".join(msgid) if isinstance(msgid, tuple) else msgid
        entries[key] = "\0".join(msgstr) if isinstance(msgstr, tuple) else msgstr
    keys = sorted(entries)
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    table, blob = [], b""
    for text in ids + strs:
        table.append((len(text), data_at + len(blob)))
        blob += text + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    index = b"".join(struct.pack("ii", length, offset) for length, offset in table)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + index + blob)


@pytest.fixture
def translated(tmp_path, settings):
    for language, catalog in TEST_CATALOGS.items():
        _write_mo(
            tmp_path / language / "LC_MESSAGES" / "django.mo",
            catalog["messages"],
            catalog["plural"],
        )
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield
