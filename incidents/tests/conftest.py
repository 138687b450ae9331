"""Shared fixtures of the incident tests: the small named geography (geo tests), an active
election, a deployed observer at 12-034, staff of each kind, and a private storage in a
temporary directory (so that tests can see every file written, and that none is left)."""

from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.roles import Role
from accounts.tests.factories import make_staff
from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.tests.conftest import geography  # noqa: F401
from incidents.categories import ensure_default_categories
from incidents.models import IncidentMedia
from observation.models import CoordinatorScope
from observers.models import Observer
from observers.tests.factories import ObserverFactory


@pytest.fixture(autouse=True)
def _default_categories(request):
    """The migration's categories: gone when a transactional test in the same process has
    emptied the database (pytest-xdist's loadfile runs such tests early)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_default_categories()


@pytest.fixture(autouse=True)
def private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(IncidentMedia._meta.get_field("file"), "storage", storage)
    return storage


def stored_files(storage) -> list[str]:
    root = Path(storage.location)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def election(db):
    return ElectionFactory(status=Election.Status.ACTIVE, name_en="Demo parliamentary election")


@pytest.fixture
def stations(geography):  # noqa: F811
    return geography["stations"]


@pytest.fixture
def regions(geography):  # noqa: F811
    return geography["regions"]


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


@pytest.fixture
def administrator(db):
    return make_staff(Role.ADMINISTRATOR)


@pytest.fixture
def baku_coordinator(regions):
    user = make_staff(Role.COORDINATOR)
    CoordinatorScope.objects.create(user=user).regions.add(regions["baki"])
    return user


@pytest.fixture
def sheki_coordinator(regions):
    user = make_staff(Role.COORDINATOR)
    CoordinatorScope.objects.create(user=user).regions.add(regions["seki-zaqatala"])
    return user


@pytest.fixture
def analyst(db):
    return make_staff(Role.ANALYST)
