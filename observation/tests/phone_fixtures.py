"""An observer with a phone, for the tests of signing in, the API and the phone page.

One active election, two polling stations, a deployed observer at the first (with a device
token), and an open form using every question type, skip logic, a rule and an alert.

    from observation.tests.phone_fixtures import *  # noqa: F403  (the fixtures)
"""

import copy
import datetime

import pytest

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.factories import PollingStationFactory
from observation import api as observation_api
from observation import services
from observation.devices import issue_device_token
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from questionnaires.models import Questionnaire, QuestionnaireVersion

__all__ = [
    "FULL_SCHEMA",
    "bearer",
    "deployed_observer",
    "device",
    "election",
    "fresh_form_caches",
    "make_form",
    "make_observer",
    "observer",
    "open_form",
    "station",
    "valid_answers",
]

# A minimal valid JPEG header is enough for core.uploads (it checks the first bytes).
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


def _label(en: str) -> dict:
    return {"az": f"{en} (az)", "en": en, "ru": f"{en} (ru)"}


FULL_SCHEMA = {
    "sections": [
        {
            "code": "A",
            "label": _label("Opening"),
            "questions": [
                {
                    "code": "A1",
                    "type": "yes_no",
                    "label": _label("Did the station open on time?"),
                    "required": True,
                },
                {
                    "code": "A2",
                    "type": "time",
                    "label": _label("When did it open?"),
                    "required": True,
                    "relevant": "A1 == no",
                },
                {
                    "code": "A3",
                    "type": "yes_no",
                    "label": _label("Were observers allowed in?"),
                    "required": True,
                    "alert": "A3 == no",
                },
            ],
        },
        {
            "code": "B",
            "label": _label("Voters"),
            "questions": [
                {
                    "code": "B1",
                    "type": "number",
                    "label": _label("Registered voters"),
                    "required": True,
                    "min": 0,
                    "max": 3000,
                },
                {
                    "code": "B2",
                    "type": "number",
                    "label": _label("Ballots received"),
                    "required": True,
                    "min": 0,
                    "max": 3000,
                },
                {
                    "code": "B3",
                    "type": "single",
                    "label": _label("Were the ballot boxes sealed?"),
                    "required": True,
                    "options": [
                        {"value": "sealed", "label": _label("Sealed")},
                        {"value": "open", "label": _label("Open")},
                    ],
                },
                {
                    "code": "B4",
                    "type": "multiple",
                    "label": _label("What was missing?"),
                    "options": [
                        {"value": "ink", "label": _label("Ink")},
                        {"value": "lists", "label": _label("Voter lists")},
                    ],
                },
                {"code": "B5", "type": "text", "label": _label("Anything else?")},
                {"code": "B6", "type": "photo", "label": _label("Photo of the protocol")},
            ],
        },
    ],
    "rules": [
        {
            "code": "R1",
            "check": "B2 <= B1 + 100",
            "questions": ["B1", "B2"],
            "message": _label("More ballots than voters (with the reserve)."),
        }
    ],
}


def valid_answers(**changes) -> dict:
    return {"A1": True, "A3": True, "B1": 900, "B2": 950, "B3": "sealed", **changes}


def make_form(election, code: str = "OP", schema: dict | None = None, **fields) -> Questionnaire:
    form = Questionnaire.objects.create(
        election=election,
        kind=fields.pop("kind", Questionnaire.Kind.OPENING),
        code=code,
        name_az=f"{code} forması",
        name_en=f"{code} form",
        name_ru=f"Форма {code}",
        status=fields.pop("status", Questionnaire.Status.ACTIVE),
        **fields,
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=form,
        number=1,
        schema=copy.deepcopy(schema or FULL_SCHEMA),  # tests may change theirs
        published_at=datetime.datetime.now(datetime.UTC),
    )
    form.current_version = version
    form.save(update_fields=["current_version"])
    return form


def make_observer(election, *, station=None, status=Observer.Status.DEPLOYED, **fields) -> Observer:
    return ObserverFactory(election=election, status=status, station=station, **fields)


def bearer(raw_token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


@pytest.fixture(autouse=True)
def fresh_form_caches():
    """The hot path keeps forms and schemas in memory by id; ids come back between tests."""
    services._version_schema.cache_clear()
    observation_api._questionnaires.clear()
    yield
    services._version_schema.cache_clear()
    observation_api._questionnaires.clear()


@pytest.fixture
def election(db):
    return ElectionFactory(
        status=Election.Status.ACTIVE,
        election_date=datetime.date.today() + datetime.timedelta(days=3),
    )


@pytest.fixture
def station(db):
    return PollingStationFactory()


@pytest.fixture
def observer(election, station):
    return make_observer(
        election, station=station, number=1042, full_name="Aysel Məmmədova", phone="+994501112233"
    )


@pytest.fixture
def deployed_observer(observer):
    return observer


@pytest.fixture
def device(observer):
    """(device, raw token) of the observer's phone."""
    return issue_device_token(observer, name="Test phone")


@pytest.fixture
def open_form(election):
    return make_form(election, "OP")
