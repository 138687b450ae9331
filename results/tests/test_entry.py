"""Double entry from photos: tasks from uploads and observers' photos, blind second entry,
agreement into a protocol (accepted or quarantined), disagreement into arbitration by a third
clerk, and two clerks asking for work at once."""

import io
import threading
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from audit.models import AuditEntry
from elections.models import Contest
from elections.tests.factories import ContestFactory
from observation.models import SubmissionPhoto
from results import entry
from results.models import DataEntryTask, Protocol, ProtocolEntry
from results.services import save_protocol
from results.tests.conftest import good_numbers

Status = DataEntryTask.Status


@pytest.fixture(autouse=True)
def _no_claims_left_over():
    """Claims live in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


def png_upload(name="protocol.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_task(election, contest, station, actor=None) -> DataEntryTask:
    return entry.create_task_from_upload(
        election=election, contest=contest, station=station, uploaded_file=png_upload(), actor=actor
    )


def different_numbers() -> dict:
    return good_numbers() | {"valid": 790, "votes": {"1": 510, "2": 200, "3": 80}}


# --- Tasks -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_photo_becomes_a_task_in_private_storage(
    election, contest, stations, analyst, private_storage
):
    task = make_task(election, contest, stations["12-034"], analyst)
    assert task.status == Status.FIRST_ENTRY
    assert task.upload_content_type == "image/png"
    assert task.upload.name.startswith("results/protocols/")
    assert "12-034" in task.upload.name and "protocol" not in task.upload.name.rsplit("/", 1)[1]
    assert private_storage.exists(task.upload.name)
    assert AuditEntry.objects.filter(
        content_type__model="dataentrytask", object_id=str(task.pk), actor=analyst
    ).exists()


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(
    election, contest, stations, analyst, private_storage, tmp_path
):
    pdf = SimpleUploadedFile("protocol.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        entry.create_task_from_upload(
            election=election,
            contest=contest,
            station=stations["12-034"],
            uploaded_file=pdf,
            actor=analyst,
        )
    assert "JPEG, PNG or WebP" in caught.value.message_dict["photo"][0]
    assert not DataEntryTask.objects.exists()
    assert not (tmp_path / "private").exists() or not any((tmp_path / "private").rglob("*.*"))


@pytest.mark.django_db
def test_a_contest_the_station_does_not_vote_in_is_refused(election, stations, analyst):
    from geo.models import Constituency

    other = ContestFactory(
        election=election,
        kind=Contest.Kind.CONSTITUENCY,
        constituency=Constituency.objects.get(number=113),
    )
    with pytest.raises(ValidationError) as caught:
        make_task(election, other, stations["12-034"], analyst)
    assert "contest" in caught.value.message_dict
    assert not DataEntryTask.objects.exists()


@pytest.mark.django_db
def test_the_contest_of_a_station_is_found_for_it(election, contest, stations):
    assert entry.contest_for_station(election, stations["113-034"]) == contest


def _observer_protocol(election, contest, observer, station):
    photo = SubmissionPhoto(id=uuid.uuid4(), observer=observer, content_type="image/png", size=10)
    photo.file.save("p.png", ContentFile(b"\x89PNG\r\n\x1a\n00"), save=False)
    photo.save()
    return save_protocol(
        election=election,
        contest=contest,
        station=station,
        source=Protocol.Source.OBSERVER,
        numbers=good_numbers(),
        photo=photo,
    )


@pytest.mark.django_db
def test_observers_photos_become_tasks_once(election, contest, observer, stations):
    protocol = _observer_protocol(election, contest, observer, stations["12-034"])
    save_protocol(  # no photo: nothing to enter
        election=election,
        contest=contest,
        station=stations["12-035"],
        source=Protocol.Source.OBSERVER,
        numbers=good_numbers(),
    )
    assert entry.tasks_from_observer_photos(election) == 1
    assert entry.tasks_from_observer_photos(election) == 0
    task = DataEntryTask.objects.get()
    assert task.submission_photo_id == protocol.photo_id
    assert task.station == stations["12-034"] and task.contest == contest


# --- Entering --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_entry_waits_for_a_second_clerk(election, contest, stations, clerks):
    task = make_task(election, contest, stations["12-034"])
    first, second, _third = clerks
    assert entry.next_task(first, election) == task
    outcome = entry.submit_entry(task, first, good_numbers())
    assert outcome.status == Status.SECOND_ENTRY
    task.refresh_from_db()
    assert task.status == Status.SECOND_ENTRY
    # Blind: the first clerk is not offered it again; another clerk is.
    assert entry.next_task(first, election) is None
    assert entry.stage_for(task, first) is None
    assert entry.next_task(second, election) == task
    assert entry.stage_for(task, second) == ProtocolEntry.Stage.SECOND


@pytest.mark.django_db
def test_the_same_clerk_cannot_enter_a_protocol_twice(election, contest, stations, clerks):
    task = make_task(election, contest, stations["12-034"])
    entry.submit_entry(task, clerks[0], good_numbers())
    with pytest.raises(ValidationError) as caught:
        entry.submit_entry(task, clerks[0], good_numbers())
    assert caught.value.code == "same_clerk"
    assert ProtocolEntry.objects.count() == 1
    task.refresh_from_db()
    assert task.status == Status.SECOND_ENTRY


@pytest.mark.django_db
def test_two_entries_that_agree_become_an_accepted_protocol(election, contest, stations, clerks):
    task = make_task(election, contest, stations["12-034"])
    entry.submit_entry(task, clerks[0], good_numbers())
    outcome = entry.submit_entry(task, clerks[1], good_numbers())
    assert outcome.status == Status.DONE and outcome.differences == []
    protocol = Protocol.objects.get(entry_task=task)
    assert protocol.source == Protocol.Source.DATA_ENTRY
    assert protocol.status == Protocol.Status.ACCEPTED
    assert protocol.votes == {"1": 500, "2": 200, "3": 80}
    assert protocol.station == stations["12-034"]


@pytest.mark.django_db
def test_two_entries_that_agree_on_wrong_arithmetic_wait_in_quarantine(
    election, contest, stations, clerks
):
    numbers = good_numbers() | {"votes": {"1": 600, "2": 200, "3": 80}}
    task = make_task(election, contest, stations["12-034"])
    entry.submit_entry(task, clerks[0], numbers)
    outcome = entry.submit_entry(task, clerks[1], numbers)
    assert outcome.protocol.status == Protocol.Status.QUARANTINED
    assert "votes-equal-valid" in outcome.protocol.failed_checks


@pytest.mark.django_db
def test_entries_that_differ_go_to_arbitration(election, contest, stations, clerks):
    task = make_task(election, contest, stations["12-034"])
    entry.submit_entry(task, clerks[0], good_numbers())
    outcome = entry.submit_entry(task, clerks[1], different_numbers())
    assert outcome.status == Status.ARBITRATION
    assert outcome.differences == ["valid", "option:1"]
    assert not Protocol.objects.exists()
    assert list(entry.arbitration_tasks(clerks[2])) == [task]
    assert list(entry.arbitration_tasks(clerks[0])) == []


@pytest.mark.django_db
def test_the_arbiter_must_be_a_third_clerk_and_their_numbers_are_final(
    election, contest, stations, clerks
):
    task = make_task(election, contest, stations["12-034"])
    entry.submit_entry(task, clerks[0], good_numbers())
    entry.submit_entry(task, clerks[1], different_numbers())
    for clerk in clerks[:2]:
        with pytest.raises(ValidationError) as caught:
            entry.arbitrate(task, clerk, good_numbers())
        assert caught.value.code == "same_clerk"
    assert not Protocol.objects.exists()
    outcome = entry.arbitrate(task, clerks[2], good_numbers())
    assert outcome.status == Status.DONE
    protocol = Protocol.objects.get(entry_task=task)
    assert protocol.status == Protocol.Status.ACCEPTED and protocol.valid == 780
    assert task.entries.get(stage=ProtocolEntry.Stage.ARBITRATION).clerk == clerks[2]
    with pytest.raises(ValidationError):  # settled once only
        entry.arbitrate(task, clerks[2], good_numbers())


@pytest.mark.django_db
def test_only_arbiters_may_settle_and_only_clerks_may_enter(
    election, contest, stations, clerks, coordinator
):
    task = make_task(election, contest, stations["12-034"])
    with pytest.raises(PermissionDenied):
        entry.submit_entry(task, coordinator, good_numbers())
    with pytest.raises(PermissionDenied):
        entry.next_task(coordinator)
    entry.submit_entry(task, clerks[0], good_numbers())
    entry.submit_entry(task, clerks[1], different_numbers())
    with pytest.raises(PermissionDenied):
        entry.arbitrate(task, coordinator, good_numbers())


@pytest.mark.django_db
def test_wrong_numbers_are_refused_and_nothing_is_written(election, contest, stations, clerks):
    task = make_task(election, contest, stations["12-034"])
    with pytest.raises(ValidationError) as caught:
        entry.submit_entry(task, clerks[0], good_numbers() | {"cast": "many", "votes": {"9": 1}})
    assert set(caught.value.message_dict) == {"cast", "option:9"}
    assert not ProtocolEntry.objects.exists()
    task.refresh_from_db()
    assert task.status == Status.FIRST_ENTRY


@pytest.mark.django_db
def test_a_claimed_task_is_not_given_to_another_clerk(election, contest, stations, clerks):
    older = make_task(election, contest, stations["12-034"])
    newer = make_task(election, contest, stations["12-035"])
    assert entry.next_task(clerks[0], election) == older
    assert entry.next_task(clerks[1], election) == newer
    assert entry.next_task(clerks[2], election) is None
    # Asking again gives the clerk back the task they hold.
    assert entry.next_task(clerks[0], election) == older


@pytest.mark.django_db
def test_progress_counts_statuses_clerks_and_agreement(election, contest, stations, clerks):
    agreed = make_task(election, contest, stations["12-034"])
    differed = make_task(election, contest, stations["12-035"])
    make_task(election, contest, stations["13-001"])
    for task, second in ((agreed, good_numbers()), (differed, different_numbers())):
        entry.submit_entry(task, clerks[0], good_numbers())
        entry.submit_entry(task, clerks[1], second)
    stats = entry.entry_stats(election)
    assert stats.by_status == {"first": 1, "second": 0, "arbitration": 1, "done": 1}
    assert stats.total == 3
    assert (stats.compared, stats.agreed, stats.agreement_rate) == (2, 1, 0.5)
    per_clerk = {row["clerk_id"]: row for row in stats.per_clerk}
    assert per_clerk[clerks[0].pk]["first"] == 2 and per_clerk[clerks[1].pk]["second"] == 2
    counts = entry.clerk_counts(clerks[2], election)
    assert counts == {"first": 1, "second": 0, "arbitration": 1, "entered": 0}


# --- Two clerks at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_clerks_asking_at_once_get_different_tasks(election, contest, stations, clerks):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database locks whole tables; run on PostgreSQL.")
    tasks = [make_task(election, contest, stations[code]) for code in ("12-034", "12-035")]
    barrier = threading.Barrier(2)
    got: dict[int, int | None] = {}
    errors: list[BaseException] = []

    def ask(clerk):
        try:
            barrier.wait(timeout=10)
            task = entry.next_task(clerk, election)
            got[clerk.pk] = task.pk if task else None
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(clerk,)) for clerk in clerks[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(got.values()) == sorted(task.pk for task in tasks)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_entering_one_task_at_once_never_make_two_first_entries(
    election, contest, stations, clerks
):
    """Without the claim (no shared cache), two clerks may type the same protocol at once.
    The task's row lock (PostgreSQL) turns the later one into the second entry; where there
    is no lock, the unique constraint refuses it and the clerk takes the next protocol."""
    task = make_task(election, contest, stations["12-034"])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def enter(clerk):
        try:
            barrier.wait(timeout=10)
            entry.submit_entry(DataEntryTask.objects.get(pk=task.pk), clerk, good_numbers())
            results.append("ok")
        except ValidationError as error:
            results.append(error.code)
        except Exception as error:  # SQLite may refuse a second writer
            results.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(clerk,)) for clerk in clerks[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stored = list(ProtocolEntry.objects.filter(task=task).values_list("stage", flat=True))
    assert results.count("ok") == len(stored) >= 1
    assert len(set(stored)) == len(stored)  # never two entries of one stage
    task.refresh_from_db()
    if connection.vendor == "postgresql":
        assert sorted(stored) == ["first", "second"]
        assert task.status == Status.DONE
    else:
        assert task.status == (Status.DONE if len(stored) == 2 else Status.SECOND_ENTRY)


# --- Demo ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_draws_protocol_photos_and_leaves_work_at_every_stage(
    election, contest, private_storage
):
    from accounts.roles import Role
    from accounts.tests.factories import make_staff
    from elections.demo import PRESIDENTIAL
    from results.entry_demo import build_demo_entry_tasks

    election.name_en = PRESIDENTIAL["name_en"]
    election.save()
    make_staff(Role.DATA_CLERK, email="data-clerk@demo.birlik.az")
    make_staff(Role.DATA_CLERK, email="data-clerk-2@demo.birlik.az")
    result = build_demo_entry_tasks()
    stations = election.stations.count()
    assert result["tasks"] == result["created"] == min(12, stations)
    statuses = sorted(DataEntryTask.objects.values_list("status", flat=True))
    assert statuses.count(Status.SECOND_ENTRY) == 1
    assert statuses.count(Status.ARBITRATION) == 1
    task = DataEntryTask.objects.first()
    assert task.upload_content_type == "image/jpeg"
    with private_storage.open(task.upload.name) as photo:
        assert Image.open(photo).size == (1000, 1320)
    again = build_demo_entry_tasks()
    assert again["created"] == 0 and again["second_entry"] == again["arbitration"] == 0
    assert DataEntryTask.objects.count() == result["tasks"]
