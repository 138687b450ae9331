"""record_submission: the one door every submission goes through. It checks who may report on
which station with which form, stores each filled form exactly once (the client's idempotency
key), and raises alerts for critical answers."""

import threading
import uuid

import pytest
from django.db import connection, connections

from geo.tests.factories import PollingStationFactory
from observation.models import Alert, Submission, SubmissionPhoto
from observation.services import SubmissionRejected, record_submission
from observation.tests.phone_fixtures import *  # noqa: F403
from observation.tests.phone_fixtures import make_form, make_observer, valid_answers
from observers.models import MobileTeam, Observer
from questionnaires.models import Questionnaire

pytestmark = pytest.mark.django_db


def submit(observer, form, station, key="key-1", channel="web", **answers):
    return record_submission(
        observer=observer,
        questionnaire=form,
        station=station,
        answers=valid_answers(**answers),
        idempotency_key=key,
        channel=channel,
    )


def test_a_submission_is_stored_with_cleaned_answers(observer, open_form, station):
    outcome = submit(observer, open_form, station, B1="900", B5="  quiet morning ")
    assert outcome.created is True and outcome.alerts == 0
    submission = Submission.objects.get()
    assert submission.answers == {
        "A1": True,
        "A3": True,
        "B1": 900,
        "B2": 950,
        "B3": "sealed",
        "B5": "quiet morning",
    }
    assert submission.version_id == open_form.current_version_id
    assert submission.election_id == observer.election_id
    assert submission.channel == "web"


def test_a_replay_of_the_same_key_returns_the_stored_submission(observer, open_form, station):
    first = submit(observer, open_form, station)
    # Whatever the answers say this time: the first one counts.
    again = submit(observer, open_form, station, B1=1000)
    assert again.created is False
    assert again.submission.pk == first.submission.pk
    assert Submission.objects.count() == 1
    assert Submission.objects.get().answers["B1"] == 900


def test_a_key_used_by_another_observer_is_refused(election, observer, open_form, station):
    colleague = make_observer(election, station=station)
    submit(colleague, open_form, station, key="shared")
    with pytest.raises(SubmissionRejected) as rejected:
        submit(observer, open_form, station, key="shared")
    assert "someone else" in rejected.value.errors["__all__"][0]
    assert Submission.objects.get().observer == colleague


@pytest.mark.parametrize("key", ["", "   ", "k" * 101])
def test_a_missing_or_overlong_key_is_refused(observer, open_form, station, key):
    with pytest.raises(SubmissionRejected):
        submit(observer, open_form, station, key=key)
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "status",
    [Observer.Status.ACCREDITED, Observer.Status.TRAINED, Observer.Status.REJECTED],
)
def test_only_deployed_observers_may_report(observer, open_form, station, status):
    observer.status = status
    observer.save()
    with pytest.raises(SubmissionRejected, match="deployed"):
        submit(observer, open_form, station)
    assert not Submission.objects.exists()


def test_a_station_not_assigned_to_the_observer_is_refused(observer, open_form):
    elsewhere = PollingStationFactory()
    with pytest.raises(SubmissionRejected) as rejected:
        submit(observer, open_form, elsewhere)
    assert "station" in rejected.value.errors
    assert not Submission.objects.exists()


def test_a_mobile_team_member_reports_on_any_of_the_teams_stations(election, open_form):
    team = MobileTeam.objects.create(election=election, name="Team North")
    first, second = PollingStationFactory(), PollingStationFactory()
    team.stations.set([first, second])
    member = make_observer(election, mobile_team=team)
    submit(member, open_form, first, key="a")
    submit(member, open_form, second.pk, key="b")
    assert Submission.objects.filter(observer=member).count() == 2
    with pytest.raises(SubmissionRejected):
        submit(member, open_form, PollingStationFactory(), key="c")


@pytest.mark.parametrize("status", [Questionnaire.Status.DRAFT, Questionnaire.Status.ARCHIVED])
def test_a_form_that_is_not_open_is_refused(election, observer, station, status):
    closed = make_form(election, "CL", status=status)
    with pytest.raises(SubmissionRejected, match="not open"):
        submit(observer, closed, station)
    assert not Submission.objects.exists()


def test_a_form_of_another_election_is_refused(observer, station):
    from elections.tests.factories import ElectionFactory

    foreign = make_form(ElectionFactory(), "OP")
    with pytest.raises(SubmissionRejected, match="another election"):
        submit(observer, foreign, station)


def test_wrong_answers_are_refused_per_question_and_nothing_is_written(
    observer, open_form, station
):
    answers = valid_answers(B1=-1, B3="maybe", A2="25:00")
    del answers["A3"]
    with pytest.raises(SubmissionRejected) as rejected:
        record_submission(
            observer=observer,
            questionnaire=open_form,
            station=station,
            answers={**answers, "Z9": 1},
            idempotency_key="bad",
            channel="api",
        )
    errors = rejected.value.errors
    assert errors["A3"] == ["This question needs an answer."]
    assert errors["B1"] == ["Enter a number from 0 to 3000."]
    assert errors["B3"] == ["Choose one of the options given."]
    assert "Z9" in errors
    assert "A2" not in errors  # skipped: A1 is yes
    assert not Submission.objects.exists()


def test_a_broken_rule_is_refused(observer, open_form, station):
    with pytest.raises(SubmissionRejected) as rejected:
        submit(observer, open_form, station, B1=100, B2=500)
    assert rejected.value.errors["R1"] == ["More ballots than voters (with the reserve)."]


def test_answers_to_skipped_questions_are_dropped(observer, open_form, station):
    submit(observer, open_form, station, A2="07:45")
    assert "A2" not in Submission.objects.get().answers


def test_a_critical_answer_writes_an_alert(observer, open_form, station):
    outcome = submit(observer, open_form, station, A3=False)
    assert outcome.alerts == 1
    alert = Alert.objects.get()
    assert alert.question == "A3" and alert.value is False
    assert alert.station == station
    assert alert.region_id == station.constituency.district.region_id
    assert alert.submission == outcome.submission
    assert outcome.submission.has_alert


def test_a_replay_raises_no_second_alert(observer, open_form, station):
    submit(observer, open_form, station, A3=False)
    assert submit(observer, open_form, station, A3=False).alerts == 0
    assert Alert.objects.count() == 1


def test_a_photo_must_have_been_received_from_the_same_observer(
    election, observer, open_form, station
):
    colleague = make_observer(election, station=station)
    theirs = SubmissionPhoto.objects.create(
        id=uuid.uuid4(), observer=colleague, file="x.jpg", content_type="image/jpeg", size=1
    )
    mine = SubmissionPhoto.objects.create(
        id=uuid.uuid4(), observer=observer, file="y.jpg", content_type="image/jpeg", size=1
    )
    with pytest.raises(SubmissionRejected) as rejected:
        submit(observer, open_form, station, key="a", B6=theirs.id.hex)
    assert "B6" in rejected.value.errors
    submit(observer, open_form, station, key="b", B6=str(mine.id))
    assert Submission.objects.get().answers["B6"] == mine.id.hex


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_submission_store_exactly_one_row(observer, open_form, station):
    """A phone on a bad connection sends the same form several times at once (timeouts,
    two tabs): each request has its own database connection, one row is stored."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...) for real concurrency")
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes, errors = [], []

    def send():
        try:
            barrier.wait()
            outcomes.append(submit(observer, open_form, station, key="same-key", A3=False))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _thread in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(outcomes) == threads_count
    assert Submission.objects.count() == 1
    assert sum(outcome.created for outcome in outcomes) == 1
    assert {outcome.submission.pk for outcome in outcomes} == {Submission.objects.get().pk}
    assert Alert.objects.count() == 1
