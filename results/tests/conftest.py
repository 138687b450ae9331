"""Shared fixtures of the results tests: the small named geography (geo tests), an active
presidential election with its national contest and three candidates, every station of the
geography taking part, a deployed observer at 12-034, staff of each kind involved, and a
private storage in a temporary directory."""

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.roles import Role
from accounts.tests.factories import make_staff
from elections.models import Contest, Election, ElectionStation
from elections.tests.factories import BallotOptionFactory, ContestFactory, ElectionFactory
from geo.tests.conftest import geography  # noqa: F401
from observers.models import Observer
from observers.tests.factories import ObserverFactory
from results.checks import ensure_default_checks


@pytest.fixture(autouse=True)
def _default_checks(request):
    """The migration's checks: gone when a transactional test in the same process has emptied
    the database (pytest-xdist's loadfile runs such tests early)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_default_checks()


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    """Every private FileField of results and observation writes under tmp_path."""
    from observation.models import SubmissionPhoto
    from results.models import DataEntryTask, OfficialResultImport

    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (SubmissionPhoto, DataEntryTask, OfficialResultImport):
        field = model._meta.get_field("upload" if model is DataEntryTask else "file")
        monkeypatch.setattr(field, "storage", storage)
    return storage


@pytest.fixture
def stations(geography):  # noqa: F811
    return geography["stations"]


@pytest.fixture
def regions(geography):  # noqa: F811
    return geography["regions"]


@pytest.fixture
def election(db, stations):
    election = ElectionFactory(
        kind=Election.Kind.PRESIDENTIAL,
        status=Election.Status.ACTIVE,
        name_en="Demo presidential election",
    )
    ElectionStation.objects.bulk_create(
        ElectionStation(election=election, station=station) for station in stations.values()
    )
    return election


@pytest.fixture
def contest(election):
    contest = ContestFactory(election=election, kind=Contest.Kind.NATIONAL)
    for number, (az, en) in enumerate(
        [("Namizəd A", "Candidate A"), ("Namizəd B", "Candidate B"), ("Namizəd C", "Candidate C")],
        start=1,
    ):
        BallotOptionFactory(contest=contest, ballot_number=number, name_az=az, name_en=en)
    return contest


@pytest.fixture
def observer(election, stations, regions):
    return ObserverFactory(
        election=election,
        region=regions["baki"],
        status=Observer.Status.DEPLOYED,
        station=stations["12-034"],
        full_name="Kamran Əliyev",
        phone="+994501112233",
    )


def good_numbers() -> dict:
    """A protocol that passes every default check (1245 registered at 12-034)."""
    return {
        "registered": 1245,
        "received": 1300,
        "issued": 800,
        "cast": 790,
        "spoiled": 5,
        "invalid": 10,
        "valid": 780,
        "votes": {"1": 500, "2": 200, "3": 80},
    }


@pytest.fixture
def administrator(db):
    return make_staff(Role.ADMINISTRATOR)


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


@pytest.fixture
def analyst(db):
    return make_staff(Role.ANALYST)


@pytest.fixture
def clerks(db):
    """Three data-entry clerks: two to enter, one to settle."""
    return [make_staff(Role.DATA_CLERK) for _ in range(3)]
