"""Observers send protocols like checklists: through record_submission, the API (with a
photo) and SMS. A protocol that does not add up is stored in quarantine; one that cannot be
stored refuses the whole submission and nothing is written."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from elections.models import Contest, Election, ElectionStation
from elections.tests.factories import BallotOptionFactory, ContestFactory, ElectionFactory
from messaging.inbound import receive_sms
from messaging.models import InboundSms
from messaging.tests.fixtures import sms_settings  # noqa: F401  (autouse)
from observation import api as observation_api
from observation import services as observation_services
from observation.devices import issue_device_token
from observation.models import Submission, SubmissionPhoto
from observation.services import SubmissionRejected, record_submission
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from results.models import Protocol
from results.protocol_forms import ensure_protocol_form

pytestmark = pytest.mark.django_db

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
API = "/api/v1/observation"


@pytest.fixture(autouse=True)
def fresh_caches():
    observation_services._version_schema.cache_clear()
    observation_api._questionnaires.clear()
    yield
    observation_services._version_schema.cache_clear()
    observation_api._questionnaires.clear()


@pytest.fixture
def form(election, contest):
    return ensure_protocol_form(election)


def answers(**changes) -> dict:
    base = {
        "A1": 1245,
        "A2": 1300,
        "A3": 800,
        "A4": 790,
        "A5": 5,
        "A6": 10,
        "A7": 780,
        "V1": 500,
        "V2": 200,
        "V3": 80,
    }
    return {key: value for key, value in {**base, **changes}.items() if value is not None}


def send(observer, form, station, values, key="pr-1", channel="api"):
    return record_submission(
        observer=observer,
        questionnaire=form,
        station=station,
        answers=values,
        idempotency_key=key,
        channel=channel,
    )


def test_a_protocol_that_adds_up_is_stored_and_accepted(observer, form, contest, stations):
    outcome = send(observer, form, stations["12-034"], answers())

    protocol = Protocol.objects.get()
    assert protocol.submission == outcome.submission
    assert protocol.source == Protocol.Source.OBSERVER
    assert protocol.status == Protocol.Status.ACCEPTED
    assert protocol.contest == contest and protocol.station == stations["12-034"]
    assert (protocol.registered, protocol.valid) == (1245, 780)
    assert protocol.votes == {"1": 500, "2": 200, "3": 80}
    assert protocol.received_at == outcome.submission.received_at


def test_a_protocol_that_does_not_add_up_waits_in_quarantine(observer, form, stations):
    send(observer, form, stations["12-034"], answers(V1=600, A3=1400))

    protocol = Protocol.objects.get()
    assert protocol.status == Protocol.Status.QUARANTINED
    assert "votes-equal-valid" in protocol.failed_checks
    assert "issued-not-above-registered" in protocol.failed_checks
    assert Submission.objects.count() == 1


def test_a_retry_with_the_same_key_stores_nothing_new(observer, form, stations):
    send(observer, form, stations["12-034"], answers())
    again = send(observer, form, stations["12-034"], answers())
    assert again.created is False
    assert Protocol.objects.count() == Submission.objects.count() == 1


def test_a_count_out_of_range_is_refused_and_nothing_is_written(observer, form, stations):
    with pytest.raises(SubmissionRejected) as caught:
        send(observer, form, stations["12-034"], answers(A1=-3, V2="many"))
    assert set(caught.value.errors) == {"A1", "V2"}
    assert not Submission.objects.exists()
    assert not Protocol.objects.exists()


@pytest.fixture
def parliament(geography):
    """A parliamentary election: constituency 12 has three candidates, 13 has five, and
    nobody stands in 113."""
    election = ElectionFactory(kind=Election.Kind.PARLIAMENTARY, status=Election.Status.ACTIVE)
    stations = geography["stations"]
    ElectionStation.objects.bulk_create(
        ElectionStation(election=election, station=station) for station in stations.values()
    )
    contests = {}
    for number, size in ((12, 3), (13, 5)):
        contests[number] = ContestFactory(
            election=election,
            kind=Contest.Kind.CONSTITUENCY,
            constituency=geography["constituencies"][number],
        )
        for ballot_number in range(1, size + 1):
            BallotOptionFactory(contest=contests[number], ballot_number=ballot_number)
    form = ensure_protocol_form(election)
    observers = {
        code: ObserverFactory(
            election=election,
            status=Observer.Status.DEPLOYED,
            station=stations[code],
            region=geography["regions"]["baki"],
        )
        for code in ("12-034", "13-001", "113-034")
    }
    return {"election": election, "form": form, "contests": contests, "observers": observers}


def test_a_constituency_protocol_goes_to_the_stations_own_contest(parliament, stations):
    observer = parliament["observers"]["13-001"]
    values = answers(A1=40, A2=40, A3=30, A4=30, A5=0, A6=0, A7=30, V1=10, V2=10, V3=5, V4=5)
    send(observer, parliament["form"], stations["13-001"], values)

    protocol = Protocol.objects.get()
    assert protocol.contest == parliament["contests"][13]
    assert protocol.votes == {"1": 10, "2": 10, "3": 5, "4": 5}
    assert protocol.status == Protocol.Status.ACCEPTED


def test_a_ballot_number_beyond_the_stations_ballot_is_refused_per_question(parliament, stations):
    observer = parliament["observers"]["12-034"]
    with pytest.raises(SubmissionRejected) as caught:
        send(observer, parliament["form"], stations["12-034"], answers(V5=3))
    assert list(caught.value.errors) == ["V5"]
    assert "not on this station's ballot" in caught.value.errors["V5"][0]
    assert not Submission.objects.exists() and not Protocol.objects.exists()


def test_a_station_without_a_contest_is_refused(parliament, stations):
    observer = parliament["observers"]["113-034"]
    with pytest.raises(SubmissionRejected) as caught:
        send(observer, parliament["form"], stations["113-034"], answers())
    assert "station" in caught.value.errors
    assert not Submission.objects.exists() and not Protocol.objects.exists()


# --- Through the API, with a photo ----------------------------------------------------------


def test_the_phone_sees_the_results_form_and_sends_a_protocol_with_its_photo(
    client, observer, form, stations, private_storage
):
    _device, token = issue_device_token(observer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}

    me = client.get(f"{API}/me", **auth).json()
    listed = {item["code"]: item for item in me["forms"]}
    assert listed["PR"]["kind"] == "results"
    assert listed["PR"]["name"] == "Results protocol"

    photo_id = uuid.uuid4().hex
    upload = client.post(
        f"{API}/photos",
        {
            "file": SimpleUploadedFile("p.jpg", JPEG_BYTES, content_type="image/jpeg"),
            "id": photo_id,
        },
        **auth,
    )
    assert upload.status_code == 201
    body = {
        "form_id": form.pk,
        "station_id": stations["12-034"].pk,
        "answers": answers(P1=photo_id),
        "idempotency_key": "phone-1",
    }
    response = client.post(f"{API}/submissions", body, content_type="application/json", **auth)

    assert response.status_code == 201
    protocol = Protocol.objects.get()
    assert protocol.photo == SubmissionPhoto.objects.get()
    assert protocol.submission.channel == "api"


def test_the_api_explains_a_refused_protocol(client, parliament, stations):
    _device, token = issue_device_token(parliament["observers"]["12-034"])
    body = {
        "form_id": parliament["form"].pk,
        "station_id": stations["12-034"].pk,
        "answers": answers(V4=1),
        "idempotency_key": "phone-2",
    }
    response = client.post(
        f"{API}/submissions",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "V4" in response.json()["error"]["details"]
    assert not Protocol.objects.exists()


# --- By SMS ---------------------------------------------------------------------------------


def test_a_protocol_by_sms_is_stored_and_confirmed(observer, form):
    Observer.objects.filter(pk=observer.pk).update(number=1042, language="en")
    text = "PR 1042 A1 1245 A2 1300 A3 800 A4 790 A5 5 A6 10 A7 780 V1 500 V2 200 V3 80"

    inbound = receive_sms(sender=observer.phone, text=text, gateway_id="gw-pr-1")

    assert inbound.outcome == InboundSms.Outcome.ACCEPTED, inbound.errors
    protocol = Protocol.objects.get()
    assert protocol.submission.channel == "sms"
    assert protocol.votes == {"1": 500, "2": 200, "3": 80}
    assert protocol.status == Protocol.Status.ACCEPTED


def test_a_protocol_by_sms_that_does_not_add_up_is_quarantined(observer, form):
    Observer.objects.filter(pk=observer.pk).update(number=1042, language="en")
    text = "PR 1042 A1 1245 A2 1300 A3 800 A4 790 A5 5 A6 10 A7 780 V1 900 V2 200 V3 80"
    inbound = receive_sms(sender=observer.phone, text=text, gateway_id="gw-pr-2")
    assert inbound.outcome == InboundSms.Outcome.ACCEPTED
    assert Protocol.objects.get().status == Protocol.Status.QUARANTINED


def test_a_wrong_sms_protocol_is_refused_with_a_reply(observer, form):
    Observer.objects.filter(pk=observer.pk).update(number=1042, language="en")
    inbound = receive_sms(
        sender=observer.phone,
        text="PR 1042 A1 1245 A2 1300 A3 800 A4 790 A5 5 A6 10 A7 780 V1 abc V2 200 V3 80",
        gateway_id="gw-pr-3",
    )
    assert inbound.outcome == InboundSms.Outcome.REJECTED
    assert "PR not accepted" in inbound.reply.body
    assert "V1" in inbound.reply.body
    assert not Protocol.objects.exists() and not Submission.objects.exists()


# --- The demo -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_sends_one_protocol_per_deployed_observer_once():
    from elections.demo import build_demo_elections
    from geo.demo import build_demo_geography
    from observers.demo import build_demo_observers
    from results.protocol_demo import build_demo_observer_protocols

    assert "demo election" in build_demo_observer_protocols()["note"]
    build_demo_geography(stations=150)
    build_demo_elections()
    build_demo_observers(count=300)

    summary = build_demo_observer_protocols()

    with_station = Observer.objects.filter(
        status=Observer.Status.DEPLOYED, station__isnull=False, election__kind="parliamentary"
    ).count()
    assert summary["refused"] == 0
    assert summary["protocols"] == summary["protocols_created"] == with_station - summary["skipped"]
    assert summary["protocols"] > 10
    assert summary["quarantined"] == Protocol.objects.filter(status="quarantined").count()
    for protocol in Protocol.objects.select_related("submission__observer", "contest"):
        assert protocol.submission.observer.station_id == protocol.station_id
        assert protocol.contest.constituency_id == protocol.station.constituency_id

    again = build_demo_observer_protocols()
    assert again["protocols_created"] == 0
    assert again["protocols"] == summary["protocols"]
