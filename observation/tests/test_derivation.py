"""Several observers, one station: every submission is kept, the station's answer per form is
derived from each observer's latest one, and disagreements wait for a coordinator."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from observation.models import StationReport, Submission
from observation.services import derive_station_reports, resolve_conflict
from observation.tests.dashboard_fixtures import *  # noqa: F403  (fixtures)
from observation.tests.dashboard_fixtures import send

pytestmark = pytest.mark.django_db


def report_of(day, code="12-034", form="opening") -> StationReport:
    return StationReport.objects.get(station=day["stations"][code], questionnaire=day[form])


def test_two_observers_who_agree_make_a_reported_station(day):
    first, second = day["observers"]["12-034"], day["second"]
    send(first, day["opening"], {"A1": "yes", "A3": 7})
    send(second, day["opening"], {"A1": "bəli", "A3": "7"})  # the same answers, spelt otherwise
    assert derive_station_reports() == 2

    report = report_of(day)
    assert report.status == StationReport.Status.REPORTED
    assert report.answers == {"A1": True, "A3": 7}
    assert report.conflicts == {}
    assert (report.observer_count, report.submission_count) == (2, 2)
    assert report.region == day["regions"]["baki"]


def test_observers_who_disagree_make_a_conflict_holding_both_values(day):
    first, second = day["observers"]["12-034"], day["second"]
    send(first, day["opening"], {"A1": "yes", "A3": 7, "A5": ["ink"]})
    send(second, day["opening"], {"A1": "no", "A3": 7, "A5": ["ink", "lists"]})
    derive_station_reports()

    report = report_of(day)
    assert report.status == StationReport.Status.CONFLICT
    assert report.conflicts == {
        "A1": {str(first.pk): True, str(second.pk): False},
        "A5": {str(first.pk): ["ink"], str(second.pk): ["ink", "lists"]},
    }
    # What they agree on is the station's answer; the disputed questions are left out.
    assert report.answers == {"A3": 7}


def test_every_submission_is_kept_and_a_later_one_replaces_the_same_observers_earlier_one(day):
    first, second = day["observers"]["12-034"], day["second"]
    send(first, day["opening"], {"A1": "no"})
    send(second, day["opening"], {"A1": "yes"})
    derive_station_reports()
    assert report_of(day).status == StationReport.Status.CONFLICT

    send(first, day["opening"], {"A1": "yes"})  # the first observer corrects themselves
    derive_station_reports()

    report = report_of(day)
    assert report.status == StationReport.Status.REPORTED
    assert report.answers == {"A1": True}
    assert (report.observer_count, report.submission_count) == (2, 3)
    assert Submission.objects.filter(station=day["stations"]["12-034"]).count() == 3


def test_a_coordinators_resolution_wins_and_is_audited(day):
    first, second = day["observers"]["12-034"], day["second"]
    send(first, day["opening"], {"A1": "yes"})
    send(second, day["opening"], {"A1": "no"})
    derive_station_reports()
    coordinator = day["baku_coordinator"]

    report = resolve_conflict(report_of(day), "A1", False, actor=coordinator)

    assert report.status == StationReport.Status.REPORTED
    assert report.answers == {"A1": False}
    assert report.resolutions == {"A1": False}
    entry = AuditEntry.objects.get(
        content_type__model="stationreport",
        action=AuditEntry.Action.UPDATE,
        object_id=str(report.pk),
    )
    assert entry.actor == coordinator
    assert entry.changes["question"] == "A1"
    assert entry.changes["chosen"] is False
    assert entry.changes["observers"] == {str(first.pk): True, str(second.pk): False}

    # A later submission does not undo the coordinator's choice.
    send(first, day["opening"], {"A1": "yes", "A3": 4})
    derive_station_reports()
    assert report_of(day).answers == {"A1": False, "A3": 4}


def test_resolving_a_question_nobody_disputes_is_refused(day):
    send(day["observers"]["12-034"], day["opening"], {"A1": "yes"})
    derive_station_reports()
    with pytest.raises(ValidationError):
        resolve_conflict(report_of(day), "A1", False, actor=day["baku_coordinator"])
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_derivation_is_idempotent_and_picks_up_new_submissions(day):
    send(day["observers"]["12-034"], day["opening"], {"A1": "yes"})
    assert derive_station_reports() == 1
    first = report_of(day)

    assert derive_station_reports() == 0  # nothing new: nothing changes
    again = report_of(day)
    assert (again.pk, again.answers, again.updated_at) == (
        first.pk,
        first.answers,
        first.updated_at,
    )
    assert not Submission.objects.filter(derived=False).exists()

    send(day["observers"]["113-034"], day["opening"], {"A1": "no"})
    assert derive_station_reports() == 1
    assert StationReport.objects.count() == 2
    assert report_of(day, "113-034").region == day["regions"]["seki-zaqatala"]


def test_rebuilding_from_scratch_gives_the_same_reports(day):
    send(day["observers"]["12-034"], day["opening"], {"A1": "yes", "A3": 7})
    send(day["second"], day["opening"], {"A1": "no", "A3": 7})
    derive_station_reports()
    before = {
        (r.station_id, r.status, str(r.answers), str(r.conflicts))
        for r in StationReport.objects.all()
    }
    StationReport.objects.all().delete()
    Submission.objects.update(derived=False)
    derive_station_reports()
    after = {
        (r.station_id, r.status, str(r.answers), str(r.conflicts))
        for r in StationReport.objects.all()
    }
    assert after == before


def test_each_form_has_its_own_report(day):
    observer = day["observers"]["12-035"]
    send(observer, day["opening"], {"A1": "yes"})
    send(observer, day["closing"], {"C1": 300})
    derive_station_reports()
    assert report_of(day, "12-035", "opening").answers == {"A1": True}
    assert report_of(day, "12-035", "closing").answers == {"C1": 300}
