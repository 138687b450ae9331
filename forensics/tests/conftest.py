"""Fixtures of the forensics tests: an election with a national contest, official results
stored straight into OfficialResultImport / OfficialResult rows (not through the results
import service), from a small synthetic table or the real Georgia 2013 file, and a CSV of the
synthetic table for the command."""

import csv

import numpy as np
import pytest

from elections.models import Contest, Election
from elections.tests.factories import ContestFactory, ElectionFactory
from electionstats.layouts import ResultsTable, dataset_path, read_csv_mapped, read_layout
from results.models import OfficialResult, OfficialResultImport

MAPPING = {
    "region": "Region",
    "station": "Station",
    "registered": "Registered",
    "issued": "Issued",
    "invalid": "Invalid",
}
OPTIONS = ["Party A", "Party B", "Party C"]


def synthetic_rows(n: int = 300, seed: int = 1) -> list[list]:
    """Stations in three regions with binomial-looking counts, and a few 'stuffed' ones at
    the end (turnout and the leader's share both very high, whole percentages)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        registered = int(rng.integers(600, 1600))
        issued = int(rng.binomial(registered, rng.uniform(0.4, 0.65)))
        invalid = int(rng.binomial(issued, 0.02))
        valid = issued - invalid
        a = int(rng.binomial(valid, 0.5))
        b = int(rng.binomial(valid - a, 0.6))
        rows.append(
            [
                f"Region {i % 3 + 1}",
                f"{i + 1:03d}",
                registered,
                issued,
                invalid,
                a,
                b,
                valid - a - b,
            ]
        )
    for k in range(5):
        registered = 1000
        rows.append([f"Region {k % 3 + 1}", f"9{k:02d}", registered, 1000, 0, 950, 30, 20])
    return rows


@pytest.fixture
def synthetic_csv(tmp_path):
    path = tmp_path / "synthetic.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Region", "Station", "Registered", "Issued", "Invalid", *OPTIONS])
        writer.writerows(synthetic_rows())
    return path


@pytest.fixture
def synthetic_table(synthetic_csv) -> ResultsTable:
    return read_csv_mapped(synthetic_csv, MAPPING, options=OPTIONS)


@pytest.fixture
def contest(db):
    election = ElectionFactory(
        kind=Election.Kind.PRESIDENTIAL, name_en="Demo presidential election"
    )
    return ContestFactory(election=election, kind=Contest.Kind.NATIONAL)


def store_table(
    table: ResultsTable, contest, *, name: str = "Official results"
) -> OfficialResultImport:
    """The table as an import with one OfficialResult per row (what the results import
    service would leave), written with bulk_create."""
    failed: dict[int, list[str]] = {}
    for failure in table.failures:
        failed.setdefault(int(failure.row), []).append(failure.rule)
    result_import = OfficialResultImport.objects.create(
        election=contest.election,
        contest=contest,
        name=name,
        layout=table.layout if table.layout in OfficialResultImport.Layout.values else "mapped",
        original_name=str(table.source).rsplit("/", 1)[-1],
        option_names=list(table.options),
        row_count=len(table),
        failed_row_count=len(failed),
        totals=table.totals(),
    )
    votes = table.votes.tolist()
    OfficialResult.objects.bulk_create(
        (
            OfficialResult(
                result_import=result_import,
                row=int(table.rows[i]),
                region=table.region_names[table.region[i]],
                district=table.district_names[table.district[i]],
                station_code=table.station[i],
                registered=int(table.registered[i]),
                issued=int(table.issued[i]),
                cast=int(table.cast[i]),
                invalid=int(table.invalid[i]),
                valid=int(table.valid[i]),
                votes=votes[i],
                failed_rules=failed.get(int(table.rows[i]), []),
            )
            for i in range(len(table))
        ),
        batch_size=2000,
    )
    return result_import


@pytest.fixture
def synthetic_import(synthetic_table, contest):
    return store_table(synthetic_table, contest, name="Synthetic official results")


def real_path(name: str):
    path = dataset_path(name)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared real data, /work/shared/data, is not here)")
    return path


@pytest.fixture
def georgia_table():
    return read_layout(real_path("georgia2013"), "georgia")
