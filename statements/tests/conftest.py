"""Fixtures of the statement tests: the results tests' election (presidential, five stations,
a national contest with three candidates, an observer deployed at 12-034) with a little of
everything a statement counts: station reports, an alert, protocols (one in quarantine),
incidents, a quick-count snapshot built by hand in QuickCountResult.to_dict()'s shape, and an
official results import."""

import datetime

import pytest
from django.utils import timezone

from incidents.categories import ensure_default_categories
from incidents.models import Incident
from incidents.tests.factories import IncidentFactory, category, published
from observation.models import Alert, StationReport, Submission
from questionnaires.models import Questionnaire
from questionnaires.tests.factories import published_questionnaire
from quickcount.models import EstimateSnapshot, SampleDesign
from results.models import OfficialResultImport, Protocol
from results.tests.conftest import (  # noqa: F401
    _default_checks,
    administrator,
    analyst,
    clerks,
    contest,
    coordinator,
    election,
    geography,
    observer,
    private_storage,
    regions,
    stations,
)


@pytest.fixture(autouse=True)
def _default_categories(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("db")
    ensure_default_categories()


def _estimate(quantity: str, estimate: float, margin: float, n: int = 4) -> dict:
    return {
        "quantity": quantity,
        "estimate": estimate,
        "se": margin / 1.96,
        "df": n - 1,
        "margin95": margin,
        "margin99": margin * 1.3,
        "low95": estimate - margin,
        "high95": estimate + margin,
        "low99": estimate - margin * 1.3,
        "high99": estimate + margin * 1.3,
        "n": n,
        "population": 5,
        "strata_reported": 2,
        "fallback": "few_reports",
    }


def snapshot_result(*, leader: float = 0.62) -> dict:
    overall = {
        "turnout": _estimate("turnout", 0.64, 0.03),
        "invalid": _estimate("invalid", 0.012, 0.004),
        "option:1": _estimate("option:1", leader, 0.04),
        "option:2": _estimate("option:2", 0.25, 0.03),
        "option:3": _estimate("option:3", 0.10, 0.02),
    }
    return {
        "quantities": list(overall),
        "overall": overall,
        "by_stratum": {},
        "by_group": {},
        "warnings": [{"code": "few_reports", "message": "Few reports.", "items": []}],
        "n_reported": 4,
        "n_population": 5,
        "min_reports": 30,
        "labels": {
            "turnout": {"az": "Fəallıq", "en": "Turnout", "ru": "Явка"},
            "invalid": {"az": "Etibarsız", "en": "Invalid", "ru": "Недействительные"},
            "option:1": {"az": "Namizəd A", "en": "Candidate A", "ru": "Кандидат А"},
            "option:2": {"az": "Namizəd B", "en": "Candidate B", "ru": "Кандидат Б"},
            "option:3": {"az": "Namizəd C", "en": "Candidate C", "ru": "Кандидат В"},
        },
    }


@pytest.fixture
def built(election, contest, stations, regions, observer):  # noqa: F811
    """The election with one of everything; returns a dict of what was made."""
    now = timezone.now()
    form = published_questionnaire(election=election, kind=Questionnaire.Kind.OPENING, code="OP")
    for code in ("12-034", "12-035"):
        StationReport.objects.create(
            election=election,
            questionnaire=form,
            station=stations[code],
            region=regions["baki"],
            status=StationReport.Status.REPORTED,
            last_received_at=now,
        )
    submission = Submission.objects.create(
        election=election,
        questionnaire=form,
        version=form.current_version,
        observer=observer,
        station=stations["12-034"],
        answers={},
        idempotency_key="statements-test-1",
        channel="web",
        received_at=now,
    )
    Alert.objects.create(
        election=election,
        submission=submission,
        station=stations["12-034"],
        region=regions["baki"],
        question="q1",
        value=True,
        created_at=now,
    )
    numbers = {"registered": 1245, "issued": 800, "cast": 790, "invalid": 10, "valid": 780}
    Protocol.objects.create(
        election=election,
        contest=contest,
        station=stations["12-034"],
        source=Protocol.Source.OBSERVER,
        status=Protocol.Status.ACCEPTED,
        votes={"1": 500, "2": 200, "3": 80},
        received_at=now,
        **numbers,
    )
    Protocol.objects.create(
        election=election,
        contest=contest,
        station=stations["12-035"],
        source=Protocol.Source.OBSERVER,
        status=Protocol.Status.QUARANTINED,
        failed_checks=["votes-equal-valid"],
        votes={"1": 600, "2": 200, "3": 80},
        received_at=now,
        **numbers,
    )
    IncidentFactory(election=election, station=stations["12-034"], status=Incident.Status.VERIFIED)
    published(election=election, station=stations["12-035"], category=category("vote_buying"))
    IncidentFactory(election=election, station=stations["12-035"])  # new: not counted
    design = SampleDesign.objects.create(
        election=election, contest=contest, name="National sample", sample_size=5
    )
    snap = EstimateSnapshot.objects.create(
        design=design,
        taken_at=now - datetime.timedelta(minutes=5),
        n_reported=4,
        result=snapshot_result(),
        is_published=True,
        published_at=now,
    )
    options = {o.ballot_number: o.pk for o in contest.options.all()}
    official = OfficialResultImport.objects.create(
        election=election,
        contest=contest,
        name="CEC results",
        layout=OfficialResultImport.Layout.MAPPED,
        original_name="cec.csv",
        option_names=["A", "B", "C"],
        option_map={"0": options[1], "1": options[2], "2": options[3]},
        row_count=5,
        failed_row_count=1,
        totals={
            "stations": 5,
            "registered": 3275,
            "issued": 2100,
            "cast": 2000,
            "invalid": 20,
            "valid": 1980,
            "turnout": 2100 / 3275,
            "invalid_share": 0.01,
            # A's official share (0.75) is outside the estimate 0.62 ± 0.04.
            "votes": {"A": 1500, "B": 380, "C": 100},
            "shares": {"A": 0.75, "B": 0.19, "C": 0.05},
        },
    )
    return {"form": form, "design": design, "snapshot": snap, "official": official}
