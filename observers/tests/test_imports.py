"""Importing observers and deployments: the references checked against the database, all rows
or none, the history and the audit log."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.models import Election
from elections.tests.factories import ElectionFactory
from observers import services
from observers.importing import read_text_table
from observers.models import Observer, ObserverStatusChange
from observers.tests.factories import MobileTeamFactory, ObserverFactory

S = Observer.Status
HEADER = "full_name,phone,email,date_of_birth,region,language,status,station"


def table(text: str, name: str = "observers.csv"):
    return read_text_table(("\ufeff" + text).encode("utf-8"), name)


def run(election, text, *, dry_run=False, actor=None):
    return services.observer_import(
        actor=actor or make_staff(Role.COORDINATOR),
        election=election,
        table=table(text),
        source="observers.csv",
        dry_run=dry_run,
    )


def errors_of(outcome):
    return [(error.row, error.column, str(error.message)) for error in outcome.errors]


GOOD = (
    f"{HEADER}\n"
    "Gülnarə Şükürova,050 123 45 67,g@example.org,1990-05-17,Şəki-Zaqatala,az,,\n"
    "Ələsgər Qədirli,055 765 43 21,,17.05.1985,Baku,ru,trained,\n"
    "İlkin Həsənli,070 111 22 33,,1999-12-31,baki,en,accredited,12-034\n"
)


def test_a_dry_run_previews_and_writes_nothing(election):
    audited = AuditEntry.objects.count()
    outcome = run(election, GOOD, dry_run=True)
    assert outcome.ok and outcome.dry_run and outcome.written == 0
    assert [row["full_name"] for row in outcome.preview] == [
        "Gülnarə Şükürova",
        "Ələsgər Qədirli",
        "İlkin Həsənli",
    ]
    assert outcome.preview[0]["region"] == "Shaki-Zagatala"  # shown in the page's language
    assert outcome.preview[2]["station"] == "12-034"
    assert not Observer.objects.exists() and AuditEntry.objects.count() == audited


def test_an_import_creates_observers_with_their_steps_numbers_and_one_audit_entry(election):
    coordinator = make_staff(Role.COORDINATOR)
    outcome = run(election, GOOD, actor=coordinator)
    assert outcome.ok and outcome.written == 3
    applied = Observer.objects.get(phone="+994501234567")
    trained = Observer.objects.get(phone="+994557654321")
    accredited = Observer.objects.get(phone="+994701112233")
    assert applied.status == S.APPLIED and applied.region.code == "seki-zaqatala"
    assert trained.status == S.TRAINED and trained.region.code == "baki"
    assert trained.number is None and trained.badge_code is None
    assert accredited.status == S.ACCREDITED and accredited.number == 1
    assert accredited.badge_code and len(accredited.badge_code) <= 32
    assert accredited.station.code == "12-034" and accredited.language == "en"

    steps = list(accredited.status_changes.values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("", S.APPLIED, coordinator.pk),
        (S.APPLIED, S.VETTED, coordinator.pk),
        (S.VETTED, S.TRAINED, coordinator.pk),
        (S.TRAINED, S.ACCREDITED, coordinator.pk),
    ]
    assert "Imported from observers.csv" in accredited.status_changes.first().note
    assert applied.status_changes.count() == 1

    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor == coordinator
    assert entry.changes["rows"] == 3 and entry.changes["statuses"]["trained"] == 1
    assert sorted(entry.changes["observer_ids"]) == sorted(
        Observer.objects.values_list("pk", flat=True)
    )
    assert "+99450" not in str(entry.changes)  # no personal details in the log


def test_accredited_imports_continue_the_election_numbering(election):
    ObserverFactory(election=election, accredited=True, number=41)
    run(election, GOOD)
    assert Observer.objects.get(phone="+994701112233").number == 42


def test_references_are_checked_and_any_error_means_nothing_is_written(election):
    ObserverFactory(election=election, phone="+994501234567")
    audited = AuditEntry.objects.count()
    outcome = run(
        election,
        f"{HEADER}\n"
        "A,050 123 45 67,,1990-01-01,baki,,,\n"
        "B,050 000 00 02,,1990-01-01,Atlantis,,,\n"
        "C,050 000 00 03,,1990-01-01,baki,,accredited,99-001\n"
        "D,050 000 00 04,,1990-01-01,baki,,accredited,13-001\n"
        "E,050 000 00 05,,1990-01-01,baki,,,\n",
    )
    assert not outcome.ok and outcome.written == 0
    assert [(row, column) for row, column, _m in errors_of(outcome)] == [
        (2, "phone"),
        (3, "region"),
        (4, "station"),
        (5, "station"),
    ]
    messages = [message for _r, _c, message in errors_of(outcome)]
    assert "already has the phone number +994501234567" in messages[0]
    assert 'Unknown region "Atlantis"' in messages[1]
    assert "There is no polling station 99-001" in messages[2]
    assert "13-001 does not take part in this election" in messages[3]
    assert Observer.objects.count() == 1 and not ObserverStatusChange.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_the_same_phone_may_be_imported_into_another_election(election):
    ObserverFactory(election=ElectionFactory(status=Election.Status.ACTIVE), phone="+994501234567")
    assert run(election, GOOD).written == 3


def test_a_closed_election_takes_no_imports(election):
    election.status = Election.Status.CLOSED
    election.save()
    outcome = run(election, GOOD)
    assert errors_of(outcome) == [(0, "", "This election is closed.")]
    assert not Observer.objects.exists()


# --- Deployments ----------------------------------------------------------------------------


def deploy(election, text, *, dry_run=False, mark_deployed=True, actor=None):
    return services.observers_deploy_import(
        actor=actor or make_staff(Role.COORDINATOR),
        election=election,
        table=table(text, "deployments.csv"),
        source="deployments.csv",
        dry_run=dry_run,
        mark_deployed=mark_deployed,
    )


@pytest.fixture
def team(election, geography):
    stations = [geography["stations"][code] for code in ("12-035", "113-034")]
    return MobileTeamFactory(election=election, name="Mobil qrup 1", stations=stations)


def test_a_deployment_file_deploys_by_number_or_phone_to_stations_and_teams(election, team):
    coordinator = make_staff(Role.COORDINATOR)
    first = ObserverFactory(election=election, accredited=True, number=7)
    second = ObserverFactory(election=election, accredited=True, phone="+994551112233")
    preview = deploy(
        election,
        "observer,station,team\n7,12-34,\n055 111 22 33,,mobil QRUP 1\n",
        dry_run=True,
    )
    assert preview.ok and [row["after"] for row in preview.preview] == [
        "Station 12-034",
        "Mobile team Mobil qrup 1",
    ]
    first.refresh_from_db()
    assert first.station is None and first.status == S.ACCREDITED

    outcome = deploy(
        election,
        "observer,station,team\n7,12-34,\n055 111 22 33,,mobil QRUP 1\n",
        actor=coordinator,
    )
    assert outcome.ok and outcome.written == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.station.code == "12-034" and first.status == S.DEPLOYED
    assert second.mobile_team == team and second.status == S.DEPLOYED
    change = first.status_changes.get(to_status=S.DEPLOYED)
    assert change.actor == coordinator and "deployments.csv" in change.note
    updates = (
        AuditEntry.objects.for_object(first)
        .filter(action=AuditEntry.Action.UPDATE)
        .values_list("changes", flat=True)
    )
    assert any(changes.get("station") == [None, "12-034"] for changes in updates)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_an_unknown_team_is_reported(election, team):
    ObserverFactory(election=election, accredited=True, number=7)
    outcome = deploy(election, "observer,team\n7,Nobody's team\n")
    assert errors_of(outcome) == [
        (2, "team", 'This election has no mobile team named "Nobody\'s team".')
    ]


def test_a_deployment_file_can_leave_the_status_alone(election):
    observer = ObserverFactory(election=election, accredited=True, number=7)
    assert deploy(election, "observer,station\n7,12-034\n", mark_deployed=False).ok
    observer.refresh_from_db()
    assert observer.station.code == "12-034" and observer.status == S.ACCREDITED


def test_every_wrong_deployment_row_is_reported_and_nothing_changes(election, team):
    ObserverFactory(election=election, accredited=True, number=7)
    ObserverFactory(election=election, status=S.TRAINED, phone="+994551112233")
    ObserverFactory(election=ElectionFactory(), accredited=True, number=9)
    audited = AuditEntry.objects.count()
    outcome = deploy(
        election,
        "observer,station,team\n"
        "7,13-001,\n"
        "055 111 22 33,12-034,\n"
        "9,12-034,\n"
        "7,,Mobil qrup 1\n"
        "050 999 99 99,99-001,\n",
    )
    assert not outcome.ok
    assert [(row, column) for row, column, _m in errors_of(outcome)] == [
        (2, "station"),
        (3, "observer"),
        (4, "observer"),
        (5, "observer"),
        (6, "observer"),
        (6, "station"),
    ]
    messages = [message for _r, _c, message in errors_of(outcome)]
    assert "does not take part" in messages[0]
    assert "only accredited or deployed observers can be deployed" in messages[1]
    assert "No observer of this election has the number 9" in messages[2]
    assert "also in row 2" in messages[3]
    assert "phone number +994509999999" in messages[4]
    assert not Observer.objects.filter(station__isnull=False).exists()
    assert not Observer.objects.filter(status=S.DEPLOYED).exists()
    assert AuditEntry.objects.count() == audited
