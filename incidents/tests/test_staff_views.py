"""Staff pages under /<lang>/staff/incidents/: who may open which page, coordinators' regions,
the files behind a permission check, the workflow buttons and the categories."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff, sign_in
from audit.models import AuditEntry
from incidents.models import Incident, IncidentCategory, IncidentMedia
from incidents.tests.factories import IncidentFactory, category, media_file

pytestmark = pytest.mark.django_db

BASE = "/en/staff/incidents/"


@pytest.fixture
def baku_incident(stations):
    return IncidentFactory(station=stations["12-034"])


@pytest.fixture
def sheki_incident(stations):
    return IncidentFactory(station=stations["113-034"])


@pytest.fixture
def baku_media(baku_incident):
    media = IncidentMedia(
        incident=baku_incident, content_type="image/png", size=208, sha256="0" * 64
    )
    media.file.save("evidence.png", media_file("png"), save=False)
    media.save()
    return media


def signed_in(client, user):
    sign_in(client, user)
    return client


def page_urls(incident, media=None):
    urls = [
        BASE,
        f"{BASE}{incident.pk}/",
        f"{BASE}categories/",
        f"{BASE}categories/new/",
        f"{BASE}categories/{category().pk}/",
    ]
    if media is not None:
        urls.append(f"{BASE}{incident.pk}/media/{media.pk}/")
    return urls


# --- Who may open what ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, baku_incident, baku_media):
    for url in page_urls(baku_incident, baku_media):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for action in ("move", "notes", "classify"):
        response = client.post(f"{BASE}{baku_incident.pk}/{action}/", {"to_status": "verified"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    baku_incident.refresh_from_db()
    assert baku_incident.status == "new" and not baku_incident.notes.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LAWYER, Role.PROGRAMME_OFFICER])
def test_roles_without_incident_rights_are_refused(client, role, baku_incident, baku_media):
    signed_in(client, make_staff(role))
    for url in page_urls(baku_incident, baku_media):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"{BASE}{baku_incident.pk}/move/", {"to_status": "verified"}).status_code == 403
    )


def test_a_signed_in_citizen_is_refused(client, baku_incident):
    signed_in(client, UserFactory())
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}{baku_incident.pk}/").status_code == 403


def test_an_administrator_sees_every_region_and_the_reporter(
    client, administrator, baku_incident, sheki_incident
):
    signed_in(client, administrator)
    html = client.get(BASE).content.decode()
    assert f"#{baku_incident.pk} " in html and f"#{sheki_incident.pk} " in html
    assert "Leyla" not in html and "Secret description" not in html  # the list stays discreet
    html = client.get(f"{BASE}{sheki_incident.pk}/").content.decode()
    assert "Leyla Həsənova" in html and "+994 50 765 43 21" in html
    assert "Secret description" in html


def test_a_coordinator_sees_only_the_incidents_of_their_regions(
    client, baku_coordinator, baku_incident, sheki_incident, regions
):
    signed_in(client, baku_coordinator)
    html = client.get(BASE).content.decode()
    assert f"#{baku_incident.pk} " in html and f"#{sheki_incident.pk} " not in html
    assert "1 incident." in html
    assert client.get(f"{BASE}{baku_incident.pk}/").status_code == 200
    assert client.get(f"{BASE}{sheki_incident.pk}/").status_code == 404
    # Filtering by a region outside their scope is not even offered.
    response = client.get(f"{BASE}?region={regions['seki-zaqatala'].pk}")
    assert f"#{sheki_incident.pk} " not in response.content.decode()
    for action, data in (
        ("move", {"to_status": "verified"}),
        ("notes", {"text": "Checked."}),
        ("classify", {"category": category("other").pk, "severity": "low"}),
    ):
        assert client.post(f"{BASE}{sheki_incident.pk}/{action}/", data).status_code == 404
    sheki_incident.refresh_from_db()
    assert sheki_incident.status == "new" and sheki_incident.category.code == "vote_buying"


def test_a_coordinator_without_regions_sees_nothing_and_is_told_why(client, baku_incident):
    signed_in(client, make_staff(Role.COORDINATOR))
    html = client.get(BASE).content.decode()
    assert "No region has been given to you yet" in html and "0 incidents." in html
    assert client.get(f"{BASE}{baku_incident.pk}/").status_code == 404


def test_opening_an_incident_is_recorded_in_the_audit_log(client, administrator, baku_incident):
    signed_in(client, administrator)
    client.get(f"{BASE}{baku_incident.pk}/")
    entry = AuditEntry.objects.get(action="read", content_type__app_label="incidents")
    assert entry.actor == administrator and entry.object_id == str(baku_incident.pk)


def test_the_list_filters_by_status_severity_category_and_election(client, administrator, stations):
    new = IncidentFactory(station=stations["12-034"])
    critical = IncidentFactory(station=stations["12-034"], severity="critical", status="verified")
    pressure = IncidentFactory(station=stations["12-034"], category=category("pressure"))
    signed_in(client, administrator)

    def listed(query):
        html = client.get(f"{BASE}?{query}").content.decode()
        return {i.pk for i in (new, critical, pressure) if f"#{i.pk} " in html}

    assert listed("status=verified") == {critical.pk}
    assert listed("severity=critical") == {critical.pk}
    assert listed(f"category={category('pressure').pk}") == {pressure.pk}
    assert listed(f"election={new.election_id}") == {new.pk}
    assert listed("") == {new.pk, critical.pk, pressure.pk}


# --- Files ----------------------------------------------------------------------------------


def test_the_right_coordinator_opens_a_file_safely(
    client, baku_coordinator, baku_incident, baku_media
):
    signed_in(client, baku_coordinator)
    response = client.get(f"{BASE}{baku_incident.pk}/media/{baku_media.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == media_file("png").read()
    download = client.get(f"{BASE}{baku_incident.pk}/media/{baku_media.pk}/?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Rəşad" not in download["Content-Disposition"]
    entries = AuditEntry.objects.filter(action="read", content_type__app_label="incidents")
    assert entries.filter(changes__media=str(baku_media.pk)).count() == 2


def test_another_regions_coordinator_cannot_open_the_file(
    client, sheki_coordinator, baku_incident, baku_media
):
    signed_in(client, sheki_coordinator)
    assert client.get(f"{BASE}{baku_incident.pk}/media/{baku_media.pk}/").status_code == 404


def test_a_file_must_belong_to_the_incident_in_the_address(
    client, administrator, sheki_incident, baku_media
):
    signed_in(client, administrator)
    assert client.get(f"{BASE}{sheki_incident.pk}/media/{baku_media.pk}/").status_code == 404


def test_files_are_not_reachable_through_the_media_url(client, baku_media):
    response = client.get(f"/media/{baku_media.file.name}")
    assert response.status_code == 404


def test_the_detail_page_shows_the_files_through_the_checked_view(
    client, administrator, baku_incident, baku_media
):
    signed_in(client, administrator)
    html = client.get(f"{BASE}{baku_incident.pk}/").content.decode()
    assert f'src="{BASE}{baku_incident.pk}/media/{baku_media.pk}/"' in html
    assert baku_media.file.name not in html


# --- Workflow through the pages -------------------------------------------------------------


def test_a_coordinator_verifies_and_publishes_with_a_summary(
    client, baku_coordinator, baku_incident
):
    signed_in(client, baku_coordinator)
    url = f"{BASE}{baku_incident.pk}/"
    html = client.get(url).content.decode()
    assert (
        'value="verified">Verify<' in html
        and 'value="rejected" class="button--danger">Reject<' in html
    )
    response = client.post(f"{url}move/", {"to_status": "verified", "note": "Two witnesses."})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'value="published"' in html and "Two witnesses." in html

    response = client.post(f"{url}move/", {"to_status": "published", "public_summary_az": ""})
    assert response.status_code == 200
    assert "Write the public summary before publishing." in response.content.decode()
    baku_incident.refresh_from_db()
    assert baku_incident.status == "verified"

    response = client.post(
        f"{url}move/",
        {"to_status": "published", "public_summary_en": "Money was offered at the entrance."},
    )
    assert response.status_code == 302
    baku_incident.refresh_from_db()
    assert baku_incident.status == "published"
    assert "Money was offered" in client.get("/en/incidents/").content.decode()

    response = client.post(f"{url}move/", {"to_status": "verified"})  # unpublish
    assert response.status_code == 302
    assert "Money was offered" not in client.get("/en/incidents/").content.decode()
    actions = list(
        AuditEntry.objects.filter(
            content_type__app_label="incidents", object_id=str(baku_incident.pk)
        )
        .exclude(action="read")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["update", "publish", "update"]


def test_a_step_outside_the_workflow_is_explained(client, administrator, baku_incident):
    signed_in(client, administrator)
    response = client.post(f"{BASE}{baku_incident.pk}/move/", {"to_status": "published"})
    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()


def test_notes_and_classification_from_the_page(client, administrator, baku_incident):
    signed_in(client, administrator)
    url = f"{BASE}{baku_incident.pk}/"
    assert client.post(f"{url}notes/", {"text": "Called the reporter back."}).status_code == 302
    assert client.post(f"{url}notes/", {"text": ""}).status_code == 200
    assert baku_incident.notes.count() == 1
    response = client.post(
        f"{url}classify/", {"category": category("pressure").pk, "severity": "critical"}
    )
    assert response.status_code == 302
    baku_incident.refresh_from_db()
    assert baku_incident.severity == "critical" and baku_incident.category.code == "pressure"


# --- Categories -----------------------------------------------------------------------------


def test_categories_are_added_and_retired_by_coordinators(client, baku_coordinator):
    signed_in(client, baku_coordinator)
    html = client.get(f"{BASE}categories/").content.decode()
    assert "ballot_stuffing" in html and "Vote buying" in html
    response = client.post(
        f"{BASE}categories/new/",
        {"code": "media_bias", "name_az": "Mediada qərəzlilik", "name_en": "Media bias",
         "name_ru": "", "position": "90", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    created = IncidentCategory.objects.get(code="media_bias")
    response = client.post(
        f"{BASE}categories/{created.pk}/",
        {"code": "media_bias", "name_az": "Mediada qərəzlilik", "position": "90"},
    )
    created.refresh_from_db()
    assert response.status_code == 302 and not created.active
    response = client.post(
        f"{BASE}categories/new/", {"code": "media_bias", "name_az": "Again", "position": "1"}
    )
    assert response.status_code == 200 and 'id="id_code_error"' in response.content.decode()
    response = client.post(
        f"{BASE}categories/new/", {"code": "bad code!", "name_az": "X", "position": "1"}
    )
    assert 'id="id_code_error"' in response.content.decode()


def test_the_staff_navigation_links_incidents_for_those_who_may_see_them(client, administrator):
    signed_in(client, administrator)
    assert f'href="{BASE}"' in client.get("/en/staff/").content.decode()
    client.logout()
    signed_in(client, make_staff(Role.ANALYST))
    assert f'href="{BASE}"' not in client.get("/en/staff/").content.decode()


def test_an_observers_report_names_the_observer_to_staff(client, administrator, observer, stations):
    incident = IncidentFactory(
        reporter_kind=Incident.ReporterKind.OBSERVER,
        observer=observer,
        citizen_name="",
        citizen_contact="",
        station=stations["12-034"],
        election=observer.election,
    )
    signed_in(client, administrator)
    html = client.get(f"{BASE}{incident.pk}/").content.decode()
    assert "Kamran Əliyev" in html
