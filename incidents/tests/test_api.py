"""/api/v1/incidents/: observers report (multipart with files) and list their own reports with a
device token; anyone reads the published incidents and the categories, public fields only."""

import datetime
import json

import pytest
from django.utils import timezone

from api.tests.factories import bearer, make_token
from incidents.models import Incident, IncidentMedia
from incidents.tests.conftest import stored_files
from incidents.tests.factories import IncidentFactory, category, media_file, published
from observation.devices import issue_device_token
from observers.tests.factories import ObserverFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"


@pytest.fixture
def device(observer):
    _device, raw = issue_device_token(observer, name="Test phone")
    return {**bearer(raw), "HTTP_ACCEPT_LANGUAGE": "en"}


def fields(station, **overrides):
    data = {
        "category": "ballot_stuffing",
        "severity": "critical",
        "occurred_at": (timezone.now() - datetime.timedelta(minutes=20)).isoformat(),
        "station_id": station.pk,
        "description": "A commission member put a bundle of ballots into box 2 at 11:40.",
    }
    return data | overrides


def test_an_observer_reports_with_files_in_one_request(
    client, observer, device, stations, private_storage
):
    response = client.post(
        URL,
        fields(stations["12-034"]) | {"files": [media_file("jpg"), media_file("mp4")]},
        **device,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new" and body["category"] == "ballot_stuffing"
    assert body["station_code"] == "12-034" and body["media"] == 2
    assert "description" not in body
    incident = Incident.objects.get()
    assert incident.observer == observer and incident.reporter_kind == "observer"
    assert len(stored_files(private_storage)) == 2


def test_a_report_without_files_is_fine(client, device, stations):
    response = client.post(URL, fields(stations["12-034"]), **device)
    assert response.status_code == 201 and response.json()["media"] == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "nonsense"}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"occurred_at": "soon"}, "occurred_at"),
        ({"description": "short"}, "description"),
        ({"latitude": "40.4"}, "longitude"),
        ({"latitude": "51.5", "longitude": "-0.1"}, "latitude"),
        ({"occurred_at": "2099-01-01T10:00:00+04:00"}, "occurred_at"),
    ],
)
def test_a_bad_field_is_a_422_naming_it_and_nothing_is_saved(
    client, device, stations, private_storage, overrides, field
):
    response = client.post(
        URL, fields(stations["12-034"], **overrides) | {"files": [media_file("jpg")]}, **device
    )
    assert response.status_code == 422, response.content
    details = response.json()["error"]["details"]
    assert any(field in detail["field"] for detail in details), details
    assert not Incident.objects.exists() and stored_files(private_storage) == []


def test_a_bad_file_is_a_422_and_nothing_is_saved(client, device, stations, private_storage):
    response = client.post(
        URL,
        fields(stations["12-034"]) | {"files": [media_file("jpg"), media_file("exe")]},
        **device,
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "files"
    assert "File 2:" in response.json()["error"]["details"][0]["message"]
    assert not Incident.objects.exists() and not IncidentMedia.objects.exists()
    assert stored_files(private_storage) == []


def test_an_observer_cannot_report_at_another_station(client, device, stations):
    response = client.post(URL, fields(stations["113-034"]), **device)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"field": "station", "message": "You are not assigned to this polling station."}
    ]


def test_reporting_needs_a_device_token(client, stations, observer):
    assert client.post(URL, fields(stations["12-034"])).status_code == 401
    response = client.post(
        URL, fields(stations["12-034"]), HTTP_AUTHORIZATION="Bearer obs_not-a-real-token"
    )
    assert response.status_code == 401
    # A staff API token is not an observer's device.
    _token, raw = make_token()
    assert client.post(URL, fields(stations["12-034"]), **bearer(raw)).status_code == 401
    assert not Incident.objects.exists()


def test_mine_lists_only_the_observers_own_reports(client, observer, device, stations):
    own = IncidentFactory(
        election=observer.election,
        reporter_kind="observer",
        observer=observer,
        citizen_name="",
        citizen_contact="",
        station=stations["12-034"],
        status="verified",
    )
    other = ObserverFactory(election=observer.election, station=stations["12-035"])
    IncidentFactory(
        election=observer.election,
        reporter_kind="observer",
        observer=other,
        citizen_name="",
        citizen_contact="",
        station=stations["12-035"],
    )
    IncidentFactory(election=observer.election)  # a citizen's
    response = client.get(f"{URL}mine", **device)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == own.pk and body["items"][0]["status"] == "verified"
    assert "description" not in body["items"][0]
    assert client.get(f"{URL}mine").status_code == 401


def test_the_published_list_is_public_and_shows_public_fields_only(client, election, stations):
    shown = published(
        election=election,
        station=stations["113-034"],
        category=category("pressure"),
        public_summary_en="Teachers were told how to vote.",
    )
    IncidentFactory(election=election, status="verified", public_summary_en="Not yet")
    response = client.get(f"{URL}published", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == shown.pk and item["summary"] == "Teachers were told how to vote."
    assert item["category_code"] == "pressure" and item["station_code"] == "113-034"
    assert item["region_code"] == "seki-zaqatala" and item["district"] == "Shaki"
    assert set(item) == {
        "id",
        "election_id",
        "election",
        "category_code",
        "category",
        "severity",
        "occurred_on",
        "region_code",
        "region",
        "district",
        "station_code",
        "summary",
        "summary_az",
        "summary_en",
        "summary_ru",
        "latitude",
        "longitude",
        "published_at",
    }
    raw = json.dumps(body, ensure_ascii=False)
    for secret in ("Secret description", "Anar", "Leyla", "765 43 21", "citizen", "observer"):
        assert secret not in raw, secret


def test_the_published_list_rounds_a_citizens_point(client, election, regions):
    from decimal import Decimal

    published(
        election=election,
        station=None,
        region=regions["baki"],
        latitude=Decimal("40.41234"),
        longitude=Decimal("49.86789"),
    )
    item = client.get(f"{URL}published").json()["items"][0]
    assert (item["latitude"], item["longitude"]) == (40.41, 49.87)


def test_the_published_list_filters(client, election, stations):
    published(election=election, station=stations["113-034"], category=category("pressure"))
    published(election=election, station=stations["12-034"], severity="critical")
    assert client.get(f"{URL}published?region=baki").json()["count"] == 1
    assert client.get(f"{URL}published?category=pressure").json()["count"] == 1
    assert client.get(f"{URL}published?severity=critical").json()["count"] == 1
    assert client.get(f"{URL}published?election={election.pk}").json()["count"] == 2
    assert client.get(f"{URL}published?severity=extreme").status_code == 422
    page = client.get(f"{URL}published?page_size=1&page=2").json()
    assert page["pages"] == 2 and len(page["items"]) == 1


def test_the_categories_are_public_and_only_the_active_ones(client, db):
    category("other").__class__.objects.filter(code="other").update(active=False)
    body = client.get(f"{URL}categories", HTTP_ACCEPT_LANGUAGE="en").json()
    codes = [item["code"] for item in body]
    assert "vote_buying" in codes and "other" not in codes
    assert body[0] == {
        "code": "ballot_stuffing",
        "name": "Ballot stuffing",
        "name_az": "Seçki qutusuna bülleten doldurulması",
        "name_en": "Ballot stuffing",
        "name_ru": "Вброс бюллетеней",
    }


def test_the_openapi_document_describes_the_multipart_report(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/incidents/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert "/api/v1/incidents/published" in schema["paths"]
    assert "/api/v1/incidents/mine" in schema["paths"]


def test_a_crash_while_saving_leaks_nothing_in_the_answer_or_the_log(
    device, stations, caplog, private_storage
):
    import logging
    from unittest import mock

    from django.test import Client

    client = Client(raise_request_exception=False)
    text = "Commission member Anar Məmmədov put ballots in box 2 at school 132."
    with (
        mock.patch.object(IncidentMedia, "save", side_effect=OSError("disk full")),
        caplog.at_level(logging.ERROR),
    ):
        response = client.post(
            URL,
            fields(stations["12-034"], description=text) | {"files": [media_file("jpg")]},
            **device,
        )
    assert response.status_code == 500
    logged = "\n".join(
        record.getMessage()
        + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
    )
    assert "disk full" in logged
    for secret in ("Anar", "school 132", "Rəşad"):
        assert secret not in logged and secret not in response.content.decode()
    assert not Incident.objects.exists() and stored_files(private_storage) == []
