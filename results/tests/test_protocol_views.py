"""The protocol pages: who may see and decide what, coordinators limited to their regions,
decisions and checks through forms, the photo behind a permission."""

import uuid

import pytest
from django.core.files.base import ContentFile

from accounts.roles import Role
from accounts.tests.factories import make_staff
from observation.models import CoordinatorScope, SubmissionPhoto
from questionnaires.models import Questionnaire
from results.models import Protocol, ProtocolCheck, ProtocolForm
from results.services import save_protocol
from results.tests.conftest import good_numbers

pytestmark = pytest.mark.django_db

BASE = "/en/staff/results/"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


def _save(election, contest, station, numbers, **links):
    return save_protocol(
        election=election,
        contest=contest,
        station=station,
        source=Protocol.Source.OBSERVER,
        numbers=numbers,
        **links,
    )


@pytest.fixture
def baku_protocol(election, contest, stations):
    bad = good_numbers() | {"votes": {"1": 600, "2": 200, "3": 80}}
    return _save(election, contest, stations["12-034"], bad)


@pytest.fixture
def shaki_protocol(election, contest, stations):
    numbers = good_numbers() | {"registered": 700, "received": 700, "issued": 600}
    numbers |= {"cast": 590, "valid": 580, "invalid": 10, "votes": {"1": 300, "2": 280}}
    return _save(election, contest, stations["113-034"], numbers)


@pytest.fixture
def baku_coordinator(coordinator, regions):
    scope = CoordinatorScope.objects.create(user=coordinator)
    scope.regions.set([regions["baki"]])
    return coordinator


PAGES = [
    "",
    "protocols/",
    "quarantine/",
]


@pytest.mark.parametrize("path", PAGES)
def test_reading_pages_need_view_results(client, path, baku_protocol):
    assert client.get(BASE + path).status_code == 302  # to sign in
    client.force_login(make_staff(Role.DATA_CLERK))
    assert client.get(BASE + path).status_code == 403
    client.force_login(make_staff(Role.ANALYST))
    assert client.get(BASE + path).status_code == 200


def test_the_overview_counts_protocols_by_status_and_source(client, analyst, baku_protocol):
    client.force_login(analyst)
    response = client.get(BASE)
    assert response.status_code == 200
    summary = next(
        s for s in response.context["summaries"] if s["election"] == baku_protocol.election
    )
    assert summary["total"] == 1
    counts = {item["label"]: item["count"] for item in summary["by_status"]}
    assert counts["In quarantine"] == 1 and counts["Accepted"] == 0
    assert "Demo presidential election" in response.content.decode()


def test_the_overview_renders_in_azerbaijani(client, analyst, baku_protocol):
    client.force_login(analyst)
    assert client.get("/az/staff/results/").status_code == 200
    assert client.get(f"/az/staff/results/protocols/{baku_protocol.pk}/").status_code == 200
    assert client.get("/ru/staff/results/quarantine/").status_code == 200


def test_the_list_filters_and_a_coordinator_sees_only_their_regions(
    client, analyst, baku_coordinator, baku_protocol, shaki_protocol
):
    client.force_login(analyst)
    listed = client.get(BASE + "protocols/").context["page"].object_list
    assert {p.pk for p in listed} == {baku_protocol.pk, shaki_protocol.pk}
    listed = client.get(BASE + "protocols/", {"q": "113-"}).context["page"].object_list
    assert [p.pk for p in listed] == [shaki_protocol.pk]
    listed = client.get(BASE + "protocols/", {"status": "quarantined"}).context["page"].object_list
    assert [p.pk for p in listed] == [baku_protocol.pk]

    client.force_login(baku_coordinator)
    listed = client.get(BASE + "protocols/").context["page"].object_list
    assert [p.pk for p in listed] == [baku_protocol.pk]
    assert client.get(f"{BASE}protocols/{shaki_protocol.pk}/").status_code == 404
    assert client.get(f"{BASE}protocols/{baku_protocol.pk}/").status_code == 200


def test_the_quarantine_shows_the_reasons_in_the_users_language(client, analyst, baku_protocol):
    client.force_login(analyst)
    response = client.get(BASE + "quarantine/")
    assert (
        "The options&#x27; votes do not add up to the valid ballots." in response.content.decode()
    )
    response = client.get("/az/staff/results/quarantine/")
    assert "Namizədlərin səsləri cəmi" in response.content.decode()


@pytest.fixture
def reader(db):
    """Someone who may read results but not decide on them."""
    from django.contrib.auth.models import Permission

    user = make_staff(Role.PROGRAMME_OFFICER)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="results", codename="view_results"),
        Permission.objects.get(content_type__app_label="observation", codename="view_all_regions"),
    )
    return user


def test_a_protocol_page_shows_numbers_option_names_and_failed_checks(
    client, analyst, reader, baku_protocol
):
    client.force_login(analyst)
    page = client.get(f"{BASE}protocols/{baku_protocol.pk}/").content.decode()
    assert "Candidate A" in page and "600" in page
    assert "votes == valid" in page
    assert "/accept/" in page
    client.force_login(reader)
    page = client.get(f"{BASE}protocols/{baku_protocol.pk}/").content.decode()
    assert "Candidate A" in page
    assert "/accept/" not in page  # no decision forms without review_quarantine


def test_a_coordinator_accepts_with_a_note(client, baku_coordinator, baku_protocol):
    client.force_login(baku_coordinator)
    url = f"{BASE}protocols/{baku_protocol.pk}/accept/"
    response = client.post(url, {"accept-note": ""})
    assert response.status_code == 400
    baku_protocol.refresh_from_db()
    assert baku_protocol.status == Protocol.Status.QUARANTINED

    response = client.post(url, {"accept-note": "Checked the photo."})
    assert response.status_code == 302
    baku_protocol.refresh_from_db()
    assert baku_protocol.status == Protocol.Status.ACCEPTED
    assert baku_protocol.review_note == "Checked the photo."


def test_a_correction_through_the_form(client, baku_coordinator, baku_protocol):
    client.force_login(baku_coordinator)
    numbers = good_numbers()
    data = {f"correct-{line}": value for line, value in numbers.items() if line != "votes"}
    data |= {f"correct-option_{n}": v for n, v in numbers["votes"].items()}
    data["correct-note"] = "Misread."
    response = client.post(f"{BASE}protocols/{baku_protocol.pk}/correct/", data)
    assert response.status_code == 302
    baku_protocol.refresh_from_db()
    assert baku_protocol.status == Protocol.Status.ACCEPTED

    data["correct-registered"] = "-1"
    response = client.post(f"{BASE}protocols/{baku_protocol.pk}/correct/", data)
    assert response.status_code == 400
    baku_protocol.refresh_from_db()
    assert baku_protocol.registered == 1245


def test_deciding_needs_review_quarantine(client, reader, baku_protocol):
    client.force_login(reader)
    for action in ("accept", "reject", "correct"):
        response = client.post(f"{BASE}protocols/{baku_protocol.pk}/{action}/", {})
        assert response.status_code == 403
    baku_protocol.refresh_from_db()
    assert baku_protocol.status == Protocol.Status.QUARANTINED


def test_the_photo_is_served_only_to_those_who_see_the_protocol(
    client, election, contest, stations, observer, analyst, baku_coordinator, private_storage
):
    photo = SubmissionPhoto(id=uuid.uuid4(), observer=observer, content_type="image/jpeg", size=10)
    photo.file.save("p.jpg", ContentFile(JPEG_BYTES), save=False)
    photo.save()
    protocol = _save(election, contest, stations["113-034"], good_numbers(), photo=photo)
    url = f"{BASE}protocols/{protocol.pk}/photo/"

    client.force_login(analyst)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG_BYTES
    assert "photo/" in client.get(f"{BASE}protocols/{protocol.pk}/").content.decode()

    client.force_login(baku_coordinator)  # 113-034 is in Shaki
    assert client.get(url).status_code == 404
    client.force_login(make_staff(Role.DATA_CLERK))
    assert client.get(url).status_code == 403


# --- Checks and the results form ------------------------------------------------------------


def test_checks_are_configured_by_analysts_only(client, analyst, coordinator):
    client.force_login(coordinator)
    assert client.get(BASE + "checks/").status_code == 403
    assert client.post(BASE + "checks/new/?kind=presidential", {}).status_code == 403

    client.force_login(analyst)
    response = client.get(BASE + "checks/", {"kind": "presidential"})
    assert response.status_code == 200
    assert "votes == valid" in response.content.decode()
    assert client.get("/az/staff/results/checks/new/?kind=presidential").status_code == 200


def test_a_check_is_added_and_a_wrong_one_is_refused(client, analyst):
    client.force_login(analyst)
    data = {
        "code": "few-spoiled",
        "expression": "spoiled <= nonsense",
        "message_az": "Çox korlanmış bülleten.",
        "is_active": "on",
    }
    response = client.post(BASE + "checks/new/?kind=presidential", data)
    assert response.status_code == 400
    assert "Unknown protocol lines" in response.content.decode()
    assert not ProtocolCheck.objects.filter(code="few-spoiled").exists()

    data["expression"] = "spoiled <= 10"
    response = client.post(BASE + "checks/new/?kind=presidential", data)
    assert response.status_code == 302
    check = ProtocolCheck.objects.get(code="few-spoiled")
    assert check.election_kind == "presidential" and check.is_active

    response = client.post(f"{BASE}checks/{check.pk}/toggle/")
    assert response.status_code == 302
    check.refresh_from_db()
    assert not check.is_active


def test_an_analyst_opens_the_results_form_of_an_election(client, analyst, election, contest):
    client.force_login(analyst)
    response = client.post(BASE + "forms/create/", {"election": election.pk})
    assert response.status_code == 302
    form = ProtocolForm.objects.get(election=election).questionnaire
    assert form.kind == Questionnaire.Kind.RESULTS and form.code == "PR"


def test_the_results_form_needs_configure_checks(client, coordinator, election, contest):
    client.force_login(coordinator)
    assert client.post(BASE + "forms/create/", {"election": election.pk}).status_code == 403
    assert not ProtocolForm.objects.exists()


def test_an_election_without_a_ballot_gets_a_message_not_a_form(client, analyst, election):
    client.force_login(analyst)
    response = client.post(BASE + "forms/create/", {"election": election.pk}, follow=True)
    assert "has no contest" in response.content.decode()
    assert not ProtocolForm.objects.exists()
