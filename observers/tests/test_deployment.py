"""Deployment: one station taking part in the election, or a mobile team; the rule that a
deployed observer has one; mobile teams themselves."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.tests.factories import ElectionFactory
from observers import services
from observers.models import MobileTeam, Observer
from observers.tests.factories import MobileTeamFactory, ObserverFactory

S = Observer.Status


@pytest.fixture
def coordinator():
    return make_staff(Role.COORDINATOR)


@pytest.fixture
def stations(geography):
    return geography["stations"]


@pytest.fixture
def team(election, stations):
    return MobileTeamFactory(
        election=election, name="Mobil qrup 1", stations=[stations["12-035"], stations["113-034"]]
    )


def test_an_accredited_observer_is_sent_to_a_station_and_it_is_audited(
    election, stations, coordinator
):
    observer = ObserverFactory(election=election, accredited=True)
    services.observer_deploy(actor=coordinator, observer=observer, station=stations["12-034"])
    observer.refresh_from_db()
    assert observer.station.code == "12-034" and observer.mobile_team is None
    assert list(observer.assigned_stations()) == [stations["12-034"]]
    entry = AuditEntry.objects.for_object(observer).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == coordinator and entry.changes == {"station": [None, "12-034"]}


def test_moving_to_a_team_clears_the_station_and_is_audited(election, stations, team, coordinator):
    observer = ObserverFactory(election=election, accredited=True, station=stations["12-034"])
    services.observer_deploy(actor=coordinator, observer=observer, mobile_team=team)
    observer.refresh_from_db()
    assert observer.station is None and observer.mobile_team == team
    assert set(observer.assigned_stations()) == {stations["12-035"], stations["113-034"]}
    entry = AuditEntry.objects.for_object(observer).latest("pk")
    assert entry.changes == {"station": ["12-034", None], "mobile_team": [None, "Mobil qrup 1"]}


def test_the_same_deployment_again_changes_and_logs_nothing(election, stations, coordinator):
    observer = ObserverFactory(election=election, accredited=True, station=stations["12-034"])
    before = AuditEntry.objects.count()
    services.observer_deploy(actor=coordinator, observer=observer, station=stations["12-034"])
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("status", "where", "message"),
    [
        (S.TRAINED, "12-034", "Only accredited or deployed observers"),
        (S.ACCREDITED, "13-001", "does not take part in this election"),
        (S.ACCREDITED, "both", "not both"),
        (S.DEPLOYED, "nowhere", "needs a polling station or a mobile team"),
        (S.ACCREDITED, "other team", "belongs to another election"),
    ],
)
def test_deployments_breaking_a_rule_are_refused(
    election, stations, team, coordinator, status, where, message
):
    observer = ObserverFactory(
        election=election,
        status=status,
        station=stations["12-035"] if status == S.DEPLOYED else None,
    )
    station, mobile_team = None, None
    if where == "both":
        station, mobile_team = stations["12-034"], team
    elif where == "other team":
        mobile_team = MobileTeamFactory(election=ElectionFactory())
    elif where != "nowhere":
        station = stations[where]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.observer_deploy(
            actor=coordinator, observer=observer, station=station, mobile_team=mobile_team
        )
    observer.refresh_from_db()
    assert observer.mobile_team is None
    assert AuditEntry.objects.count() == before


def test_an_accredited_observers_deployment_can_be_removed(election, stations, coordinator):
    observer = ObserverFactory(election=election, accredited=True, station=stations["12-034"])
    services.observer_deploy(actor=coordinator, observer=observer)
    observer.refresh_from_db()
    assert observer.station is None


def test_moving_to_deployed_needs_a_station_or_a_team(election, stations, team, coordinator):
    observer = ObserverFactory(election=election, accredited=True)
    with pytest.raises(ValidationError, match="no polling station or mobile team yet"):
        services.observer_transition(actor=coordinator, observer=observer, to_status=S.DEPLOYED)
    with pytest.raises(ValidationError, match="no polling station or mobile team yet"):
        services.observers_transition_bulk(
            actor=coordinator, observers=[observer], to_status=S.DEPLOYED
        )
    services.observer_deploy(actor=coordinator, observer=observer, mobile_team=team)
    services.observer_transition(actor=coordinator, observer=observer, to_status=S.DEPLOYED)
    observer.refresh_from_db()
    assert observer.status == S.DEPLOYED


def test_a_rejected_observer_loses_the_deployment(election, stations, coordinator):
    observer = ObserverFactory(election=election, accredited=True, station=stations["12-034"])
    services.observer_transition(actor=coordinator, observer=observer, to_status=S.REJECTED)
    observer.refresh_from_db()
    assert observer.station is None and observer.number is not None
    entry = AuditEntry.objects.for_object(observer).latest("pk")
    assert entry.changes["station"] == ["12-034", None]


# --- Mobile teams ---------------------------------------------------------------------------


def test_a_team_is_created_with_stations_of_the_election_and_audited(
    election, stations, coordinator
):
    team = services.mobile_team_create(
        actor=coordinator,
        election=election,
        name="  Mobil   qrup  2 ",
        stations=[stations["113-034"], stations["12-034"]],
    )
    assert team.name == "Mobil qrup 2"
    assert set(team.stations.values_list("code", flat=True)) == {"12-034", "113-034"}
    entry = AuditEntry.objects.for_object(team).get(action=AuditEntry.Action.CREATE)
    assert sorted(entry.changes["stations"]) == ["113-034", "12-034"]


@pytest.mark.parametrize(
    ("name", "codes", "field", "message"),
    [
        ("", ["12-034"], "name", "Give the team a name"),
        ("mobil QRUP 1", ["12-034"], "name", "already has a mobile team of this name"),
        ("Mobil qrup 9", [], "stations", "at least one polling station"),
        ("Mobil qrup 9", ["12-034", "13-001"], "stations", "13-001"),
    ],
)
def test_a_team_breaking_a_rule_is_refused(
    election, stations, team, coordinator, name, codes, field, message
):
    with pytest.raises(ValidationError) as error:
        services.mobile_team_create(
            actor=coordinator,
            election=election,
            name=name,
            stations=[stations[code] for code in codes],
        )
    assert message in " ".join(error.value.message_dict[field])
    assert MobileTeam.objects.count() == 1


def test_a_team_is_renamed_and_its_stations_changed(election, stations, team, coordinator):
    services.mobile_team_update(
        actor=coordinator, team=team, name="Mobil qrup A", stations=[stations["12-034"]]
    )
    team.refresh_from_db()
    assert team.name == "Mobil qrup A"
    assert list(team.stations.values_list("code", flat=True)) == ["12-034"]
    entry = AuditEntry.objects.for_object(team).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes["name"] == ["Mobil qrup 1", "Mobil qrup A"]
    assert entry.changes["stations"] == [["113-034", "12-035"], ["12-034"]]
    # Keeping its own name is not a clash.
    services.mobile_team_update(
        actor=coordinator, team=team, name="Mobil qrup A", stations=[stations["12-035"]]
    )
