"""A small election day for the coordinators' pages, their queries and exports.

The geo tests' geography (Bakı: 12-034, 12-035, 13-001; Şəki-Zaqatala: 113-034, 113-002), an
active election they all take part in, an opening form (OP) and a closing form (CL), and one
deployed observer at each station plus a second one at 12-034. People: a coordinator of Bakı,
a coordinator of Şəki-Zaqatala, an administrator, an analyst and a lawyer (no election day).

    from observation.tests.dashboard_fixtures import *  # noqa: F403  (the fixtures)
"""

import itertools

import pytest

from accounts.roles import Role
from accounts.tests.factories import make_staff
from elections.models import Election, ElectionStation
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography  # noqa: F401  (re-exported fixture)
from observation.models import CoordinatorScope
from observation.services import derive_station_reports, record_submission
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from questionnaires.models import Questionnaire, QuestionnaireVersion


def _label(en: str) -> dict:
    return {"az": f"{en} (az)", "en": en, "ru": f"{en} (ru)"}


OPENING_SCHEMA = {
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
                    "type": "yes_no",
                    "label": _label("Were observers allowed in?"),
                    "alert": "A2 == no",
                },
                {
                    "code": "A3",
                    "type": "number",
                    "label": _label("How many commission members were present?"),
                    "min": 0,
                    "max": 30,
                },
                {
                    "code": "A4",
                    "type": "single",
                    "label": _label("Were the ballot boxes sealed?"),
                    "options": [
                        {"value": "sealed", "label": _label("Sealed")},
                        {"value": "open", "label": _label("Open")},
                    ],
                },
                {
                    "code": "A5",
                    "type": "multiple",
                    "label": _label("What was missing?"),
                    "options": [
                        {"value": "ink", "label": _label("Ink")},
                        {"value": "lists", "label": _label("Voter lists")},
                        {"value": "booths", "label": _label("Booths")},
                    ],
                },
                {"code": "A6", "type": "text", "label": _label("Anything else?")},
            ],
        }
    ]
}
CLOSING_SCHEMA = {
    "sections": [
        {
            "code": "C",
            "label": _label("Closing"),
            "questions": [
                {"code": "C1", "type": "number", "label": _label("Votes cast"), "min": 0},
            ],
        }
    ]
}

_keys = itertools.count(1)


def make_form(election, code: str, schema: dict, *, kind=Questionnaire.Kind.OPENING, position=0):
    form = Questionnaire.objects.create(
        election=election,
        kind=kind,
        code=code,
        name_az=f"{code} forması",
        name_en=f"{code} form",
        name_ru=f"Форма {code}",
        status=Questionnaire.Status.ACTIVE,
        position=position,
    )
    version = QuestionnaireVersion.objects.create(questionnaire=form, number=1, schema=schema)
    form.current_version = version
    form.save(update_fields=["current_version"])
    return form


def deploy(election, station, number: int) -> Observer:
    return ObserverFactory(
        election=election,
        region=station.constituency.district.region,
        status=Observer.Status.DEPLOYED,
        station=station,
        number=number,
        full_name=f"Observer Number{number}",
    )


def send(observer: Observer, form, answers: dict, station=None):
    """One submission through the real service (as the phone page would send it)."""
    return record_submission(
        observer=observer,
        questionnaire=form,
        station=station or observer.station,
        answers=answers,
        idempotency_key=f"test-{next(_keys)}",
        channel="web",
    ).submission


@pytest.fixture(autouse=True)
def fresh_schema_cache():
    """observation.services keeps published form versions' schemas in memory by id; a test
    database rolled back reuses ids, so each test starts with an empty cache."""
    from observation.dashboard import forget_schemas
    from observation.services import _version_schema

    _version_schema.cache_clear()
    forget_schemas()
    yield
    _version_schema.cache_clear()
    forget_schemas()


@pytest.fixture
def day(geography):  # noqa: F811  (pytest fixture injection)
    """The election, its forms, observers and people; nothing sent yet."""
    stations = geography["stations"]
    election = ElectionFactory(status=Election.Status.ACTIVE, name_en="Test election")
    for station in stations.values():
        ElectionStation.objects.create(election=election, station=station)
    opening = make_form(election, "OP", OPENING_SCHEMA, position=1)
    closing = make_form(
        election, "CL", CLOSING_SCHEMA, kind=Questionnaire.Kind.CLOSING_COUNTING, position=2
    )
    observers = {code: deploy(election, station, 100 + i) for i, (code, station) in enumerate(
        sorted(stations.items())
    )}  # fmt: skip
    second = deploy(election, stations["12-034"], 200)
    regions = geography["regions"]
    baku_coordinator = make_staff(Role.COORDINATOR, full_name="Bakı Coordinator")
    CoordinatorScope.objects.create(user=baku_coordinator).regions.set([regions["baki"]])
    sheki_coordinator = make_staff(Role.COORDINATOR, full_name="Şəki Coordinator")
    CoordinatorScope.objects.create(user=sheki_coordinator).regions.set([regions["seki-zaqatala"]])
    return {
        **geography,
        "election": election,
        "opening": opening,
        "closing": closing,
        "observers": observers,
        "second": second,
        "baku_coordinator": baku_coordinator,
        "sheki_coordinator": sheki_coordinator,
        "administrator": make_staff(Role.ADMINISTRATOR),
        "analyst": make_staff(Role.ANALYST),
        "lawyer": make_staff(Role.LAWYER),
    }


@pytest.fixture
def reported(day):
    """Reports sent and derived: at 12-034 two observers disagree on A1 and A2 (the second
    says observers were kept out: an alert); 12-035 and 113-034 reported; 13-001 and 113-002
    sent nothing. One closing form, from 12-035."""
    observers, opening = day["observers"], day["opening"]
    base = {"A2": "yes", "A3": 7, "A4": "sealed", "A5": ["ink"]}
    send(observers["12-034"], opening, {**base, "A1": "yes", "A6": "All fine"})
    send(day["second"], opening, {**base, "A1": "no", "A2": "no"})
    send(observers["12-035"], opening, {**base, "A1": "yes", "A3": 9, "A5": ["ink", "lists"]})
    send(observers["113-034"], opening, {**base, "A1": "no", "A4": "open", "A5": []})
    send(observers["12-035"], day["closing"], {"C1": 431})
    derive_station_reports()
    return day
