"""The public pages under /<lang>/incidents/: the report form (spam traps, rate limits, files,
errors per field, all or nothing), the thank-you page, and the list and map of published
incidents, which never show what the public must not see."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from incidents import spam
from incidents.models import Incident, IncidentMedia
from incidents.tests.conftest import stored_files
from incidents.tests.factories import IncidentFactory, category, media_file, published

pytestmark = pytest.mark.django_db

URL = "/en/incidents/report/"


def human_token() -> str:
    """The form's timestamp as if the page had been opened a minute ago."""
    return spam.form_token(now=time.time() - 60)


def report_data(election, regions, **overrides):
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    data = {
        "election": election.pk,
        "category": category("vote_buying").pk,
        "severity": "high",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "station_code": "",
        "region": regions["baki"].pk,
        "latitude": "",
        "longitude": "",
        "description": "Two men were handing out 20 manat to voters at the school gate.",
        "name": "",
        "contact": "",
        "website": "",
        "started": human_token(),
    }
    return data | overrides


def test_the_form_has_labels_csrf_a_hidden_trap_a_timestamp_and_no_inline_code(client, election):
    client.handler.enforce_csrf_checks = True
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html and 'enctype="multipart/form-data"' in html
    for field in ("category", "occurred_at", "description", "files", "station_code", "region"):
        assert f'<label for="id_{field}"' in html
    assert 'class="incidents-hp"' in html and 'name="website"' in html
    assert 'name="started"' in html
    main = html.split("<main", 1)[-1]
    assert "style=" not in main and "<script>" not in main and "onclick" not in main
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_anonymous_report_is_saved_and_the_thank_you_page_reveals_nothing(
    client, election, regions
):
    response = client.post(URL, report_data(election, regions), follow=True)
    assert response.redirect_chain[-1][0] == "/en/incidents/report/thanks/"
    html = response.content.decode()
    assert "Thank you for your report" in html
    incident = Incident.objects.get()
    assert incident.is_anonymous and incident.region == regions["baki"]
    assert incident.severity == "high" and incident.status == "new"
    assert f"#{incident.pk}" not in html and "20 manat" not in html and "/staff/" not in html


def test_a_report_with_a_station_code_and_files_is_saved_with_them(
    client, election, regions, stations, private_storage
):
    data = report_data(
        election,
        regions,
        station_code="113-34",
        region="",
        name="Aynur",
        contact="aynur@example.org",
        files=[media_file("jpg"), media_file("mp4")],
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.station == stations["113-034"]
    assert incident.citizen_contact == "aynur@example.org"
    assert incident.media.count() == 2 and len(stored_files(private_storage)) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": ""}, "category", "This field is required"),
        ({"election": "999999"}, "election", "Select a valid choice"),
        ({"occurred_at": "yesterday"}, "occurred_at", "Enter a valid date/time"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "in the future"),
        ({"description": "Short"}, "description", "at least 20 characters"),
        (
            {"description": "Buy now http://a.example http://b.example http://c.example !!"},
            "description",
            "at most 2 links",
        ),
        ({"station_code": "99-999"}, "station_code", "no polling station with this code"),
        ({"station_code": "", "region": ""}, "region", "Choose the region"),
        ({"latitude": "40.4"}, "longitude", "both latitude and longitude"),
        ({"latitude": "10.0", "longitude": "10.0"}, "latitude", "outside Azerbaijan"),
        ({"latitude": "abc", "longitude": "49.8"}, "latitude", "Enter a number"),
        ({"severity": "extreme"}, "severity", "Select a valid choice"),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
    ],
)
def test_each_mistake_is_shown_at_its_field_and_nothing_is_saved(
    client, election, regions, stations, overrides, field, message
):
    response = client.post(URL, report_data(election, regions) | overrides)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html, html.split("<main", 1)[-1][:3000]
    assert message in html
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([media_file("exe", name="virus.jpg")], "File 1: Send a photo"),
        (
            [media_file("jpg"), media_file("png", size=10 * 1024 * 1024 + 1)],
            "File 2: The file is too large",
        ),
        ([media_file("jpg") for _ in range(6)], "Send at most 5 files."),
    ],
)
def test_a_bad_file_is_shown_at_the_files_field_and_nothing_is_written(
    client, election, regions, private_storage, files, message
):
    response = client.post(URL, report_data(election, regions, files=files))
    html = response.content.decode()
    assert 'id="id_files_error"' in html and message in html
    assert "Rəşad" not in html  # an uploaded file's name is never repeated
    assert not Incident.objects.exists() and not IncidentMedia.objects.exists()
    assert stored_files(private_storage) == []
    # The text the person wrote is kept for them to send again.
    assert "20 manat to voters" in html


def test_a_filled_bot_trap_is_told_all_went_well_and_nothing_is_saved(client, election, regions):
    response = client.post(URL, report_data(election, regions, website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/en/incidents/report/thanks/"
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("started", "message"),
    [
        (lambda: spam.form_token(), "take a moment"),
        (lambda: spam.form_token(now=time.time() - 7 * 3600), "open for too long"),
        (lambda: "forged", "could not be checked"),
        (lambda: "", "could not be checked"),
    ],
)
def test_a_form_sent_too_fast_too_late_or_with_a_forged_timestamp_is_refused(
    client, election, regions, started, message
):
    response = client.post(URL, report_data(election, regions, started=started()))
    html = response.content.decode()
    assert message in html and 'class="form-errors"' in html
    assert not Incident.objects.exists()
    # What was written is kept, and a fresh timestamp comes with the page.
    assert "20 manat to voters" in html and 'name="started" value="' in html


def test_reports_from_one_address_are_limited(client, election, regions):
    for number in range(spam.ADDRESS_LIMIT):
        client.cookies.clear()  # a new session each time: only the address connects them
        response = client.post(URL, report_data(election, regions))
        assert response.status_code == 302, number
    client.cookies.clear()
    response = client.post(URL, report_data(election, regions))
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert Incident.objects.count() == spam.ADDRESS_LIMIT
    # Another address may still report.
    client.cookies.clear()
    response = client.post(URL, report_data(election, regions), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_reports_from_one_session_are_limited_whatever_the_address(client, election, regions):
    for number in range(spam.SESSION_LIMIT):
        response = client.post(
            URL, report_data(election, regions), REMOTE_ADDR=f"198.51.100.{number + 1}"
        )
        assert response.status_code == 302
    response = client.post(URL, report_data(election, regions), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert Incident.objects.count() == spam.SESSION_LIMIT


def test_the_rate_limit_keeps_no_address_in_the_cache(client, election, regions):
    from django.core.cache import cache

    client.post(URL, report_data(election, regions), REMOTE_ADDR="203.0.113.77")
    backend = cache._cache
    if hasattr(backend, "get_client"):  # Redis (CI's second run)
        keys = [key.decode() for key in backend.get_client(None, write=False).keys("*")]
    else:  # the local-memory cache
        keys = list(backend.keys())
    assert keys and not any("203.0.113.77" in str(key) for key in keys)


def test_without_an_open_election_the_page_says_so(client, election):
    election.status = "closed"
    election.save()
    html = client.get(URL).content.decode()
    assert "No election is taking incident reports" in html and "<textarea" not in html


def test_a_failed_report_leaves_no_address_in_the_audit_log(client, election, regions):
    client.post(URL, report_data(election, regions), REMOTE_ADDR="203.0.113.50")
    entry = AuditEntry.objects.get(content_type__app_label="incidents")
    assert entry.ip_address is None and entry.user_agent == ""


# --- The public list and map ------------------------------------------------------------------


def test_only_published_incidents_are_listed_and_only_their_public_fields(
    client, election, stations
):
    shown = published(
        election=election,
        station=stations["113-034"],
        category=category("pressure"),
        public_summary_en="Voters were told to vote or lose their jobs.",
    )
    for status in ("new", "verified", "rejected"):
        IncidentFactory(
            election=election, status=status, public_summary_en=f"Hidden {status} summary"
        )
    html = client.get("/en/incidents/").content.decode()
    assert "Voters were told to vote or lose their jobs." in html
    assert "Pressure or intimidation" in html and "113-034" in html and "Shaki" in html
    assert "Hidden" not in html and "1 incident." in html
    for secret in ("Secret description", "Anar Məmmədov", "Leyla", "765 43 21", "/staff/"):
        assert secret not in html, secret
    points = json.loads(
        html.split('id="incident-points" type="application/json">')[1].split("<")[0]
    )
    assert points == [
        {
            "lat": 41.1987,
            "lon": 47.1705,
            "title": "Pressure or intimidation",
            "severity": "medium",
            "severity_label": "Medium",
            "date": points[0]["date"],
            "place": "113-034 · Shaki · Shaki-Zagatala",
            "text": "Voters were told to vote or lose their jobs.",
        }
    ]
    assert shown.pk  # (listed above)


def test_a_citizens_exact_point_is_never_shown(client, election, regions):
    from decimal import Decimal

    published(
        election=election,
        station=None,
        region=regions["baki"],
        latitude=Decimal("40.41234"),
        longitude=Decimal("49.86789"),
    )
    html = client.get("/en/incidents/").content.decode()
    assert "40.41234" not in html and "49.86789" not in html
    assert '"lat": 40.41' in html and '"lon": 49.87' in html


def test_the_list_filters_by_category_and_region(client, election, stations, regions):
    published(election=election, station=stations["113-034"], category=category("pressure"))
    published(election=election, station=stations["12-034"], category=category("vote_buying"))
    html = client.get(f"/en/incidents/?region={regions['baki'].pk}").content.decode()
    assert "1 incident." in html and "12-034" in html and "113-034" not in html
    html = client.get(f"/en/incidents/?category={category('pressure').pk}").content.decode()
    assert "1 incident." in html and "113-034" in html
    html = client.get("/en/incidents/?region=nonsense").content.decode()
    assert "2 incidents." in html


def test_the_map_page_uses_local_files_only(client, election):
    html = client.get("/en/incidents/").content.decode()
    assert "/static/geo/azerbaijan.geojson" in html
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "/static/incidents/incidents-map.js" in html
    assert "tile.openstreetmap" not in html
    assert "style=" not in html.split("<main", 1)[-1]


def test_the_public_pages_are_linked_from_the_site_navigation(client, election):
    html = client.get("/en/incidents/").content.decode()
    assert 'href="/en/incidents/"' in html and 'href="/en/incidents/report/"' in html


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_pages_open_in_every_language(client, election, language):
    assert client.get(f"/{language}/incidents/").status_code == 200
    assert client.get(f"/{language}/incidents/report/").status_code == 200
    assert client.get(f"/{language}/incidents/report/thanks/").status_code == 200


def test_an_error_report_never_carries_what_was_reported(client, election, regions):
    """A crash while saving must not put the report into the error mail or error tracking."""
    from unittest import mock

    from django.test import Client
    from django.views.debug import ExceptionReporter

    crashing = Client(raise_request_exception=False)
    data = report_data(
        election,
        regions,
        name="Leyla Həsənova",
        contact="leyla@example.org",
        description="Anar Məmmədov handed out money at the gate of school 132.",
        files=[media_file("jpg")],
    )
    with mock.patch.object(IncidentMedia, "save", side_effect=OSError("disk full")):
        response = crashing.post(URL, data)
    assert response.status_code == 500
    text = ExceptionReporter(response.wsgi_request, *response.exc_info).get_traceback_text()
    assert "disk full" in text  # the report is there, and useful
    for secret in ("Leyla", "leyla@example.org", "Anar", "school 132", "Rəşad"):
        assert secret not in text, secret
    assert not Incident.objects.exists() and not IncidentMedia.objects.exists()


def test_summaries_are_shown_in_the_visitors_language_or_the_one_written(
    client, election, stations
):
    published(
        election=election,
        station=stations["113-034"],
        public_summary_az="Seçicilərə pul təklif edilib.",
        public_summary_en="",
        public_summary_ru="Избирателям предлагали деньги.",
    )
    assert "Seçicilərə pul təklif edilib." in client.get("/az/incidents/").content.decode()
    assert "Избирателям предлагали деньги." in client.get("/ru/incidents/").content.decode()
    # No English summary: the Azerbaijani one stands in.
    assert "Seçicilərə pul təklif edilib." in client.get("/en/incidents/").content.decode()
