"""Real-data fixtures: the shared election files, read once per test session.

The files live outside the repository (``../shared/data``, or ``$BIRLIK_SHARED_DATA``); tests that
need one are skipped, with the path in the reason, where it is absent.
"""

import pytest

from electionstats import layouts


def _load(name: str) -> layouts.ResultsTable:
    path = layouts.dataset_path(name)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (set BIRLIK_SHARED_DATA to the data folder)")
    return layouts.read_layout(path, layouts.DATASETS[name][1])


@pytest.fixture(scope="session")
def russia2011() -> layouts.ResultsTable:
    return _load("russia2011")


@pytest.fixture(scope="session")
def russia2012() -> layouts.ResultsTable:
    return _load("russia2012")


@pytest.fixture(scope="session")
def albania2013() -> layouts.ResultsTable:
    return _load("albania2013")


@pytest.fixture(scope="session")
def georgia2013() -> layouts.ResultsTable:
    return _load("georgia2013")
