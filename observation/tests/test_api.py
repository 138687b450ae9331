"""The observation API, /api/v1/observation/: signing in, what an observer sees, photos and
submissions. An observer sees only their own assignments and submissions."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from accounts.tests.factories import make_staff
from messaging.gateways import ConsoleGateway
from observation import signin
from observation.devices import authenticate_device, issue_device_token, revoke_device
from observation.models import ObserverDevice, Submission, SubmissionPhoto
from observation.services import record_submission
from observation.tests.phone_fixtures import *  # noqa: F403
from observation.tests.phone_fixtures import (
    JPEG_BYTES,
    bearer,
    make_form,
    make_observer,
    valid_answers,
)
from observers.models import MobileTeam, Observer
from questionnaires.models import Questionnaire

pytestmark = pytest.mark.django_db

BASE = "/api/v1/observation"


@pytest.fixture(autouse=True)
def outbox():
    ConsoleGateway.outbox.clear()
    yield ConsoleGateway.outbox
    ConsoleGateway.outbox.clear()


@pytest.fixture(autouse=True)
def private_media(monkeypatch, tmp_path):
    """Photos go to a temporary directory (the field holds its storage from start-up)."""
    from django.core.files.storage import FileSystemStorage

    location = tmp_path / "private"
    field = SubmissionPhoto._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location))
    return location


def post(client, path, data=None, token=None, **extra):
    headers = bearer(token) if token else {}
    return client.post(BASE + path, data or {}, content_type="application/json", **headers, **extra)


def submission_body(form, station, key="key-1", **answers):
    return {
        "form_id": form.pk,
        "station_id": station.pk,
        "answers": valid_answers(**answers),
        "idempotency_key": key,
    }


# --- Who may call what ------------------------------------------------------------------------

AUTHENTICATED = [
    ("get", "/me"),
    ("get", "/submissions"),
    ("post", "/submissions"),
    ("post", "/photos"),
    ("post", "/sign-out"),
]


def call(client, method, path, token=None):
    headers = bearer(token) if token else {}
    if method == "get":
        return client.get(BASE + path, **headers)
    return client.post(BASE + path, {}, content_type="application/json", **headers)


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_every_observer_endpoint_needs_a_device_token(client, method, path):
    response = call(client, method, path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_a_revoked_token_is_refused(client, device, method, path):
    phone, raw = device
    revoke_device(phone)
    assert call(client, method, path, raw).status_code == 401


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_the_token_of_a_rejected_observer_is_refused(client, device, observer, method, path):
    _phone, raw = device
    observer.status = Observer.Status.REJECTED
    observer.save()
    assert call(client, method, path, raw).status_code == 401


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_a_staff_api_token_is_no_device_token(client, method, path):
    from api.models import Scope
    from api.services import api_token_create

    _token, raw = api_token_create(
        user=make_staff(Role.ADMINISTRATOR), name="t", scopes=[Scope.GEO_READ]
    )
    assert call(client, method, path, raw).status_code == 401


# --- Signing in -------------------------------------------------------------------------------


def test_request_code_answers_alike_for_known_and_unknown_numbers(client, observer, outbox):
    known = post(client, "/sign-in/request-code", {"phone": observer.phone})
    unknown = post(client, "/sign-in/request-code", {"phone": "+994709998877"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [sms.to for sms in outbox] == [observer.phone]


def test_request_code_refuses_a_wrong_number_in_the_language_asked_for(client, db):
    response = post(client, "/sign-in/request-code", {"phone": "hello"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "phone"
    assert "+994" in error["message"]


def test_request_code_without_a_phone_is_a_validation_error(client, db):
    response = post(client, "/sign-in/request-code", {})
    assert response.status_code == 422
    assert "phone" in response.json()["error"]["details"][0]["field"]


def test_too_many_code_requests_answer_429_with_retry_after(client, observer):
    for _request in range(signin.CODE_REQUESTS_PER_PHONE.count):
        post(client, "/sign-in/request-code", {"phone": observer.phone})
    response = post(client, "/sign-in/request-code", {"phone": observer.phone})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_verify_code_gives_a_token_that_works(client, observer, outbox):
    post(client, "/sign-in/request-code", {"phone": observer.phone})
    code = re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)
    response = post(
        client,
        "/sign-in/verify-code",
        {"phone": observer.phone, "code": code},
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10)",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("obs_")
    assert client.get(BASE + "/me", **bearer(token)).status_code == 200
    # Without a name of its own, the device is known by its browser.
    assert ObserverDevice.objects.get().name == "Mozilla/5.0 (Linux; Android 10)"


def test_a_wrong_code_is_400_and_signs_nobody_in(client, observer, outbox):
    post(client, "/sign-in/request-code", {"phone": observer.phone})
    response = post(client, "/sign-in/verify-code", {"phone": observer.phone, "code": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_code"
    assert not ObserverDevice.objects.exists()


def test_access_code_sign_in(client, observer):
    code = signin.issue_access_code(observer, actor=make_staff(Role.COORDINATOR))
    response = post(client, "/sign-in/access-code", {"code": code, "device_name": "Samsung A10"})
    assert response.status_code == 200
    device = authenticate_device(response.json()["token"])
    assert device.observer == observer and device.name == "Samsung A10"


def test_a_wrong_access_code_is_400_in_the_language_asked_for(client, db):
    response = post(client, "/sign-in/access-code", {"code": "NOPE2345"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    english = post(client, "/sign-in/access-code", {"code": "NOPE2345"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"].startswith("This access code is wrong")
    assert response["Content-Language"] == "ru"


def test_wrong_access_codes_are_throttled_per_address(client, db):
    for _attempt in range(signin.WRONG_ACCESS_CODES_PER_ADDRESS.count):
        assert post(client, "/sign-in/access-code", {"code": "ABCDEFGH"}).status_code == 400
    response = post(client, "/sign-in/access-code", {"code": "ABCDEFGH"})
    assert response.status_code == 429


def test_sign_out_ends_the_token(client, device):
    _phone, raw = device
    assert post(client, "/sign-out", token=raw).status_code == 204
    assert client.get(BASE + "/me", **bearer(raw)).status_code == 401


# --- /me ------------------------------------------------------------------------------------


def test_me_gives_the_observer_their_stations_forms_and_submissions(
    client, observer, station, device, open_form
):
    _phone, raw = device
    record_submission(
        observer=observer,
        questionnaire=open_form,
        station=station,
        answers=valid_answers(),
        idempotency_key="k1",
        channel="api",
    )
    body = client.get(BASE + "/me", **bearer(raw), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["observer"] == {
        "id": observer.pk,
        "full_name": "Aysel Məmmədova",
        "number": 1042,
        "status": "deployed",
        "language": "az",
        "may_submit": True,
        "election": {
            "id": observer.election_id,
            "name": observer.election.name_en,
            "election_date": observer.election.election_date.isoformat(),
        },
    }
    assert body["assignments"] == [
        {
            "id": station.pk,
            "code": station.code,
            "name": station.name_en,
            "address": station.address,
            "settlement": station.settlement,
            "in_sample": False,
        }
    ]
    [form] = body["forms"]
    assert form["id"] == open_form.pk and form["code"] == "OP"
    assert form["version_id"] == open_form.current_version_id
    assert form["schema"]["sections"][0]["questions"][0]["code"] == "A1"
    [submission] = body["submissions"]
    assert submission["form_code"] == "OP" and submission["station_code"] == station.code
    assert submission["idempotency_key"] == "k1"


def test_me_says_which_stations_are_in_a_drawn_quick_count_sample(
    client, observer, station, device
):
    from elections.models import Contest
    from quickcount.models import SampleDesign, SampleStation

    _phone, raw = device
    contest = Contest.objects.create(
        election=observer.election, kind=Contest.Kind.NATIONAL, name_az="Prezident"
    )
    design = SampleDesign.objects.create(
        election=observer.election, contest=contest, name="Sample", sample_size=1
    )
    SampleStation.objects.create(design=design, station=station, stratum="all")
    [assigned] = client.get(BASE + "/me", **bearer(raw)).json()["assignments"]
    assert assigned["in_sample"] is False  # the design is not drawn yet

    design.status = SampleDesign.Status.DRAWN
    design.save()
    [assigned] = client.get(BASE + "/me", **bearer(raw)).json()["assignments"]
    assert assigned["in_sample"] is True


def test_me_names_come_in_the_language_asked_for(client, device, station):
    _phone, raw = device
    body = client.get(BASE + "/me", **bearer(raw), HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["assignments"][0]["name"] == station.name_ru


def test_me_lists_only_open_forms_of_the_observers_election(client, device, election, open_form):
    _phone, raw = device
    make_form(election, "CL", status=Questionnaire.Status.DRAFT)
    make_form(election, "IN", status=Questionnaire.Status.ARCHIVED)
    other_election_form = make_form(make_observer_election(), "VT")
    codes = [form["code"] for form in client.get(BASE + "/me", **bearer(raw)).json()["forms"]]
    assert codes == ["OP"]
    assert other_election_form.code not in codes


def make_observer_election():
    from elections.tests.factories import ElectionFactory

    return ElectionFactory()


def test_me_of_a_mobile_team_member_lists_the_teams_stations(client, election):
    from geo.tests.factories import PollingStationFactory

    team = MobileTeam.objects.create(election=election, name="Team 1")
    stations = [PollingStationFactory(), PollingStationFactory()]
    team.stations.set(stations)
    member = make_observer(election, mobile_team=team)
    _phone, raw = issue_device_token(member)
    body = client.get(BASE + "/me", **bearer(raw)).json()
    assert sorted(item["id"] for item in body["assignments"]) == sorted(s.pk for s in stations)


def test_me_of_an_accredited_observer_says_they_may_not_submit_yet(client, election):
    accredited = make_observer(election, status=Observer.Status.ACCREDITED)
    _phone, raw = issue_device_token(accredited)
    body = client.get(BASE + "/me", **bearer(raw)).json()
    assert body["observer"]["may_submit"] is False
    assert body["assignments"] == []


def test_me_never_shows_another_observers_submissions(client, election, station, device, open_form):
    _phone, raw = device
    colleague = make_observer(election, station=station)
    record_submission(
        observer=colleague,
        questionnaire=open_form,
        station=station,
        answers=valid_answers(),
        idempotency_key="theirs",
        channel="api",
    )
    body = client.get(BASE + "/me", **bearer(raw)).json()
    assert body["submissions"] == []


# --- GET /submissions ---------------------------------------------------------------------------


def test_submissions_lists_only_the_observers_own_paginated(
    client, election, station, observer, device, open_form
):
    _phone, raw = device
    colleague = make_observer(election, station=station)
    for number in range(3):
        record_submission(
            observer=observer,
            questionnaire=open_form,
            station=station,
            answers=valid_answers(B1=900 + number),
            idempotency_key=f"mine-{number}",
            channel="api",
        )
    record_submission(
        observer=colleague,
        questionnaire=open_form,
        station=station,
        answers=valid_answers(),
        idempotency_key="theirs",
        channel="api",
    )
    body = client.get(BASE + "/submissions?page_size=2", **bearer(raw)).json()
    assert body["count"] == 3 and body["pages"] == 2
    assert [item["idempotency_key"] for item in body["items"]] == ["mine-2", "mine-1"]
    assert body["items"][0]["answers"]["B1"] == 902
    filtered = client.get(BASE + f"/submissions?form_id={open_form.pk + 1}", **bearer(raw))
    assert filtered.json()["count"] == 0


def test_submissions_page_size_above_the_limit_is_refused(client, device):
    _phone, raw = device
    response = client.get(BASE + "/submissions?page_size=501", **bearer(raw))
    assert response.status_code == 422


# --- POST /submissions ---------------------------------------------------------------------------


def test_a_submission_is_stored_once_and_a_retry_answers_200(client, device, station, open_form):
    _phone, raw = device
    body = submission_body(open_form, station)
    first = post(client, "/submissions", body, raw)
    again = post(client, "/submissions", body, raw)
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert first.json()["id"] == again.json()["id"]
    assert Submission.objects.get().channel == "api"


def test_the_phone_page_marks_its_submissions(client, device, station, open_form):
    _phone, raw = device
    post(
        client,
        "/submissions",
        submission_body(open_form, station),
        raw,
        HTTP_X_BIRLIK_CLIENT="phone",
    )
    assert Submission.objects.get().channel == "web"


def test_a_critical_answer_raises_an_alert(client, device, station, open_form):
    _phone, raw = device
    response = post(client, "/submissions", submission_body(open_form, station, A3=False), raw)
    assert response.json()["alerts"] == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "This question needs an answer."), ("ru", None), ("az", None)],
)
def test_invalid_answers_give_422_per_question_in_the_language_asked_for(
    client, device, station, open_form, language, message
):
    _phone, raw = device
    body = submission_body(open_form, station, B1=5000)
    del body["answers"]["A3"]
    response = post(client, "/submissions", body, raw, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_submission"
    assert set(error["details"]) == {"A3", "B1"}
    assert response["Content-Language"] == language
    if message:
        assert error["details"]["A3"] == [message]
        assert error["details"]["B1"] == ["Enter a number from 0 to 3000."]
    assert not Submission.objects.exists()


def test_a_station_not_assigned_is_refused(client, device, open_form):
    from geo.tests.factories import PollingStationFactory

    _phone, raw = device
    elsewhere = PollingStationFactory()
    response = post(client, "/submissions", submission_body(open_form, elsewhere), raw)
    assert response.status_code == 422
    assert "station" in response.json()["error"]["details"]
    assert not Submission.objects.exists()


def test_an_unknown_form_is_404(client, device, station):
    _phone, raw = device
    body = {"form_id": 999999, "station_id": station.pk, "answers": {}, "idempotency_key": "k"}
    response = post(client, "/submissions", body, raw)
    assert response.status_code == 404


def test_an_idempotency_key_of_another_observer_is_refused(
    client, election, station, device, open_form
):
    _phone, raw = device
    colleague = make_observer(election, station=station)
    record_submission(
        observer=colleague,
        questionnaire=open_form,
        station=station,
        answers=valid_answers(),
        idempotency_key="shared",
        channel="api",
    )
    response = post(client, "/submissions", submission_body(open_form, station, key="shared"), raw)
    assert response.status_code == 422
    assert Submission.objects.count() == 1
    assert Submission.objects.get().observer == colleague


# --- POST /photos ---------------------------------------------------------------------------------


def upload(client, raw, content=JPEG_BYTES, name="p.jpg", **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type="image/jpeg"), **fields}
    return client.post(BASE + "/photos", data, HTTP_ACCEPT_LANGUAGE="en", **bearer(raw))


def test_a_photo_is_stored_privately_and_named_by_its_id(
    client, device, observer, station, open_form, private_media
):
    _phone, raw = device
    response = upload(client, raw)
    assert response.status_code == 201
    photo_id = response.json()["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", photo_id)
    photo = SubmissionPhoto.objects.get()
    assert photo.observer == observer and photo.content_type == "image/jpeg"
    assert photo.size == len(JPEG_BYTES)
    assert (private_media / photo.file.name).exists()
    body = submission_body(open_form, station, B6=photo_id)
    assert post(client, "/submissions", body, raw).status_code == 201


def test_a_photo_with_the_devices_own_id_can_be_retried(client, device, private_media):
    _phone, raw = device
    photo_id = uuid.uuid4()
    first = upload(client, raw, id=str(photo_id))
    again = upload(client, raw, id=str(photo_id))
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] == photo_id.hex
    assert SubmissionPhoto.objects.count() == 1


def test_another_observers_photo_id_is_refused(client, election, station, device, private_media):
    _phone, raw = device
    colleague = make_observer(election, station=station)
    _their_phone, their_raw = issue_device_token(colleague)
    photo_id = str(uuid.uuid4())
    upload(client, their_raw, id=photo_id)
    response = upload(client, raw, id=photo_id)
    assert response.status_code == 409
    assert SubmissionPhoto.objects.get().observer == colleague


def test_a_photo_of_another_observer_cannot_be_named_in_a_submission(
    client, election, station, device, open_form, private_media
):
    _phone, raw = device
    colleague = make_observer(election, station=station)
    _their_phone, their_raw = issue_device_token(colleague)
    their_photo = upload(client, their_raw).json()["id"]
    response = post(
        client, "/submissions", submission_body(open_form, station, B6=their_photo), raw
    )
    assert response.status_code == 422
    assert "B6" in response.json()["error"]["details"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a photo", "Send a photo as JPEG, PNG or WebP."),
        (b"", "Send a photo as JPEG, PNG or WebP."),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(client, device, private_media, content, message):
    _phone, raw = device
    response = upload(client, raw, content=content, name="photo.jpg")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_file" and error["message"] == message
    assert error["details"][0]["field"] == "file"
    assert not SubmissionPhoto.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_a_too_large_photo_is_refused(client, device, private_media, monkeypatch):
    from core import uploads

    monkeypatch.setattr(uploads, "IMAGE_MAX_BYTES", 100)
    _phone, raw = device
    response = upload(client, raw)
    assert response.status_code == 422
    assert "too large" in response.json()["error"]["message"]
    assert not SubmissionPhoto.objects.exists()


def test_a_photo_upload_without_a_file_is_refused(client, device):
    _phone, raw = device
    response = client.post(BASE + "/photos", {}, **bearer(raw))
    assert response.status_code == 422
    assert not SubmissionPhoto.objects.exists()


def test_an_observer_not_deployed_may_not_upload_photos(client, election, private_media):
    accredited = make_observer(election, status=Observer.Status.ACCREDITED)
    _phone, raw = issue_device_token(accredited)
    response = upload(client, raw)
    assert response.status_code == 403
    assert not SubmissionPhoto.objects.exists()
