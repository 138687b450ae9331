"""The double-entry pages: who may open them, the blind entry form, arbitration side by side,
the photo behind permission checks, and uploads that are checked before anything is stored."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import make_staff
from results import entry
from results.models import DataEntryTask, Protocol
from results.tests.conftest import good_numbers
from results.tests.test_entry import different_numbers, make_task, png_upload

pytestmark = pytest.mark.django_db
Status = DataEntryTask.Status


@pytest.fixture(autouse=True)
def _no_claims_left_over():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def task(election, contest, stations):
    return make_task(election, contest, stations["12-034"])


def url(name, *args):
    return reverse(f"results_staff:{name}", args=args)


def form_data(numbers: dict) -> dict:
    data = {line: value for line, value in numbers.items() if line != "votes"}
    data.update({f"option_{n}": v for n, v in numbers["votes"].items()})
    return data


# --- Permissions -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, task):
    response = client.get(url("entry_queue"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(url("task_photo", task.pk)).status_code == 302


def test_a_coordinator_cannot_enter_or_settle_protocols(client, task, coordinator):
    client.force_login(coordinator)
    assert client.post(url("entry_next")).status_code == 403
    assert client.get(url("entry_form", task.pk)).status_code == 403
    assert client.get(url("arbitration_list")).status_code == 403
    assert client.get(url("arbitrate", task.pk)).status_code == 403
    # …but sees the progress and may upload photos.
    page = client.get(url("entry_queue"))
    assert page.status_code == 200
    assert "Enter the next protocol" not in page.content.decode()
    assert "Upload a protocol photo" in page.content.decode()
    assert client.get(url("entry_progress")).status_code == 200


def test_a_clerk_cannot_see_results_pages_or_upload(client, clerks, task):
    client.force_login(clerks[0])
    assert client.get(url("task_upload")).status_code == 403
    assert client.get(url("entry_progress")).status_code == 403
    assert client.get(reverse("observation_staff:election_list")).status_code == 403


@pytest.mark.parametrize("role", [Role.LAWYER, Role.PROGRAMME_OFFICER])
def test_other_staff_cannot_open_the_photo(client, task, role):
    client.force_login(make_staff(role))
    assert client.get(url("task_photo", task.pk)).status_code == 403
    assert client.get(url("entry_queue")).status_code == 403


# --- The clerk's work ------------------------------------------------------------------------


def test_the_queue_offers_the_next_protocol(client, clerks, task, election):
    client.force_login(clerks[0])
    page = client.get(url("entry_queue"), {"election": election.pk})
    assert page.status_code == 200
    assert "Enter the next protocol" in page.content.decode()
    response = client.post(url("entry_next"), {"election": election.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(url("entry_form", task.pk))


def test_the_queue_page_renders_in_azerbaijani(client, clerks, task):
    client.force_login(clerks[0])
    response = client.get("/az/staff/results/entry/")
    assert response.status_code == 200
    assert 'lang="az"' in response.content.decode()


def test_nothing_to_enter_brings_the_clerk_back_to_the_queue(client, clerks):
    client.force_login(clerks[0])
    response = client.get(url("entry_next"), follow=True)
    assert "There is no protocol for you to enter now." in response.content.decode()


def test_the_entry_form_shows_the_photo_and_every_line_and_option(client, clerks, task):
    client.force_login(clerks[0])
    html = client.get(url("entry_form", task.pk)).content.decode()
    assert url("task_photo", task.pk) in html
    assert html.count('inputmode="numeric"') == 7 + 3
    for label in ("Registered voters", "Valid ballots", "1. Candidate A", "3. Candidate C"):
        assert label in html
    assert "style=" not in html and "<script>" not in html


def test_the_second_clerk_does_not_see_the_first_entry(client, clerks, task):
    first = good_numbers() | {"registered": 98765}
    client.force_login(clerks[0])
    response = client.post(url("entry_form", task.pk), form_data(first))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.SECOND_ENTRY
    # The first clerk is not let in again.
    again = client.get(url("entry_form", task.pk))
    assert again.status_code == 302
    client.force_login(clerks[1])
    html = client.get(url("entry_form", task.pk)).content.decode()
    assert "Second entry" in html
    form = html.split('class="entry-form"', 1)[1].split("</form>", 1)[0]
    assert "98765" not in html
    assert form.count('value="') == 1  # the CSRF token; every number field is empty


def test_agreeing_entries_through_the_pages_store_the_protocol(client, clerks, task):
    for clerk in clerks[:2]:
        client.force_login(clerk)
        client.post(url("entry_form", task.pk), form_data(good_numbers()))
    task.refresh_from_db()
    assert task.status == Status.DONE
    assert Protocol.objects.get(entry_task=task).source == Protocol.Source.DATA_ENTRY


def test_wrong_numbers_are_shown_on_their_fields_and_nothing_is_stored(client, clerks, task):
    client.force_login(clerks[0])
    data = form_data(good_numbers()) | {"cast": "7x", "option_2": "-4"}
    response = client.post(url("entry_form", task.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a whole number." in html
    assert not task.entries.exists()


# --- Arbitration -----------------------------------------------------------------------------


@pytest.fixture
def disputed(task, clerks):
    entry.submit_entry(task, clerks[0], good_numbers())
    entry.submit_entry(task, clerks[1], different_numbers())
    return task


def test_the_clerks_who_entered_cannot_open_the_arbitration(client, clerks, disputed):
    for clerk in clerks[:2]:
        client.force_login(clerk)
        assert client.get(url("arbitrate", disputed.pk)).status_code == 403
        assert (
            str(disputed.station.code) not in client.get(url("arbitration_list")).content.decode()
        )


def test_the_arbiter_sees_both_entries_and_settles(client, clerks, disputed):
    client.force_login(clerks[2])
    assert disputed.station.code in client.get(url("arbitration_list")).content.decode()
    html = client.get(url("arbitrate", disputed.pk)).content.decode()
    assert html.count("entry-compare__differs") == 2
    assert "780" in html and "790" in html
    # Prefilled only where both agree: registered yes, valid not.
    assert 'name="registered" value="1245"' in html
    assert 'name="valid" value=' not in html
    response = client.post(url("arbitrate", disputed.pk), form_data(good_numbers()))
    assert response.status_code == 302
    disputed.refresh_from_db()
    assert disputed.status == Status.DONE
    assert Protocol.objects.get(entry_task=disputed).valid == 780


# --- The photo -------------------------------------------------------------------------------


def test_the_photo_opens_for_clerks_and_results_staff_who_see_its_region(
    client, clerks, task, analyst, coordinator
):
    client.force_login(clerks[0])
    response = client.get(url("task_photo", task.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(analyst)
    assert client.get(url("task_photo", task.pk)).status_code == 200
    # A coordinator with no regions given sees no station's photo.
    client.force_login(coordinator)
    assert client.get(url("task_photo", task.pk)).status_code == 404


# --- Upload ----------------------------------------------------------------------------------


def test_an_analyst_uploads_a_photo(client, analyst, election, contest):
    client.force_login(analyst)
    response = client.post(
        url("task_upload"),
        {"election": election.pk, "station_code": "12-035", "photo": png_upload()},
    )
    assert response.status_code == 302
    task = DataEntryTask.objects.get()
    assert task.contest == contest and task.station.code == "12-035"


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(
    client, analyst, election, contest, tmp_path
):
    client.force_login(analyst)
    fake = SimpleUploadedFile("protocol.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = client.post(
        url("task_upload"),
        {"election": election.pk, "contest": contest.pk, "station_code": "12-034", "photo": fake},
    )
    assert response.status_code == 200
    assert "Send a photo as JPEG, PNG or WebP." in response.content.decode()
    assert not DataEntryTask.objects.exists()
    assert not any(p.is_file() for p in (tmp_path / "private").rglob("*"))


def test_an_unknown_station_code_is_refused(client, analyst, election):
    client.force_login(analyst)
    response = client.post(
        url("task_upload"),
        {"election": election.pk, "station_code": "99-999", "photo": png_upload()},
    )
    assert "No polling station has this code." in response.content.decode()
    assert not DataEntryTask.objects.exists()


def test_a_coordinator_uploads_only_for_their_regions(client, coordinator, election):
    client.force_login(coordinator)
    response = client.post(
        url("task_upload"),
        {"election": election.pk, "station_code": "12-034", "photo": png_upload()},
    )
    assert "outside the regions given to you" in response.content.decode()
    assert not DataEntryTask.objects.exists()


def test_progress_shows_the_election(client, analyst, task, election):
    client.force_login(analyst)
    html = client.get(url("entry_progress"), {"election": election.pk}).content.decode()
    assert "Waiting for the first entry" in html and "entry-bar--first" in html


def test_observers_photos_are_queued_from_the_progress_page(
    client, analyst, clerks, election, contest, observer, stations
):
    from results.tests.test_entry import _observer_protocol

    _observer_protocol(election, contest, observer, stations["12-034"])
    client.force_login(clerks[0])
    assert client.post(url("entry_from_observers"), {"election": election.pk}).status_code == 403
    client.force_login(analyst)
    page = client.get(url("entry_progress")).content.decode()
    assert "protocol photos to the queue" in page
    response = client.post(url("entry_from_observers"), {"election": election.pk}, follow=True)
    assert "1 new protocol photo from an observer" in response.content.decode()
    assert DataEntryTask.objects.get().submission_photo is not None
    # The photo of an observer's protocol opens from the task too.
    client.force_login(clerks[0])
    assert client.get(url("task_photo", DataEntryTask.objects.get().pk)).status_code == 200
