"""incidents.services: reports with their files (all or nothing), the workflow and its audit."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from core.request_context import RequestInfo, reset_current, set_current
from elections.models import Election, ElectionStation
from geo.tests.factories import PollingStationFactory
from incidents import services
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentMedia,
    IncidentNote,
    IncidentStatusChange,
)
from incidents.tests.conftest import stored_files
from incidents.tests.factories import IncidentFactory, category, media_file
from observers.models import Observer

pytestmark = pytest.mark.django_db

NOW = timezone.now


def citizen_report(election, **overrides):
    arguments = {
        "election": election,
        "category": category("vote_buying"),
        "severity": Incident.Severity.HIGH,
        "occurred_at": NOW() - datetime.timedelta(hours=1),
        "description": "Two men were handing out 20 manat to voters at the school gate.",
        "region": None,
        "station": None,
    }
    return services.incident_report_citizen(**(arguments | overrides))


def audit_entries():
    """The entries about incidents (migrations leave entries of their own)."""
    return AuditEntry.objects.filter(content_type__app_label="incidents")


def error_fields(error: ValidationError) -> set[str]:
    return set(error.message_dict)


# --- Citizens' reports ------------------------------------------------------------------------


def test_a_citizen_report_at_a_station_takes_the_station_region(election, stations, regions):
    incident = citizen_report(election, station=stations["113-034"], name="Aynur", contact="x@y.z")
    assert incident.region == regions["seki-zaqatala"]
    assert incident.status == Incident.Status.NEW
    assert incident.reporter_kind == Incident.ReporterKind.CITIZEN
    assert not incident.is_anonymous
    assert incident.status_changes.get().to_status == Incident.Status.NEW


def test_an_anonymous_report_needs_only_a_region(election, regions):
    incident = citizen_report(election, region=regions["baki"])
    assert incident.is_anonymous and incident.station is None


def test_a_report_needs_a_region_or_a_station(election):
    with pytest.raises(ValidationError) as caught:
        citizen_report(election)
    assert error_fields(caught.value) == {"region"}


def test_a_station_in_another_region_than_the_one_chosen_is_refused(election, stations, regions):
    with pytest.raises(ValidationError) as caught:
        citizen_report(election, station=stations["113-034"], region=regions["baki"])
    assert "station" in caught.value.message_dict
    assert not Incident.objects.exists()


def test_a_station_not_in_the_election_is_refused_when_the_election_lists_stations(
    election, stations, regions
):
    ElectionStation.objects.create(election=election, station=stations["12-035"])
    with pytest.raises(ValidationError) as caught:
        citizen_report(election, station=stations["12-034"])
    assert "take part" in caught.value.message_dict["station"][0]
    assert citizen_report(election, station=stations["12-035"]).station == stations["12-035"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "Too short"}, "description"),
        ({"description": "x" * 5001}, "description"),
        (
            {"description": "See http://a.example, https://b.example and www.c.example now"},
            "description",
        ),
        ({"occurred_at": None}, "occurred_at"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"latitude": Decimal("40.4")}, "longitude"),
        ({"latitude": Decimal("55.75"), "longitude": Decimal("37.61")}, "latitude"),
        ({"latitude": Decimal("40.4"), "longitude": Decimal("60.0")}, "longitude"),
        ({"name": "n" * 201}, "name"),
        ({"contact": "c" * 201}, "contact"),
    ],
)
def test_each_bad_field_is_named_and_nothing_is_saved(election, regions, overrides, field):
    with pytest.raises(ValidationError) as caught:
        citizen_report(election, region=regions["baki"], **overrides)
    assert field in caught.value.message_dict
    assert not Incident.objects.exists()


def test_times_in_the_future_or_long_ago_are_refused(election, regions):
    for when in (NOW() + datetime.timedelta(hours=2), NOW() - datetime.timedelta(days=400)):
        with pytest.raises(ValidationError) as caught:
            citizen_report(election, region=regions["baki"], occurred_at=when)
        assert error_fields(caught.value) == {"occurred_at"}
    # A phone clock a few minutes ahead is fine.
    citizen_report(
        election, region=regions["baki"], occurred_at=NOW() + datetime.timedelta(minutes=5)
    )


def test_only_active_elections_and_active_categories_take_reports(election, regions):
    closed = Election.objects.create(
        kind=election.kind, name_az="Köhnə", election_date=election.election_date, status="closed"
    )
    with pytest.raises(ValidationError) as caught:
        citizen_report(closed, region=regions["baki"])
    assert "election" in caught.value.message_dict
    retired = IncidentCategory.objects.create(code="retired", name_az="Köhnə", active=False)
    with pytest.raises(ValidationError) as caught:
        citizen_report(election, region=regions["baki"], category=retired)
    assert "category" in caught.value.message_dict


def test_a_reported_point_inside_the_country_is_kept(election, regions):
    incident = citizen_report(
        election,
        region=regions["baki"],
        latitude=Decimal("40.41234"),
        longitude=Decimal("49.86789"),
    )
    assert (incident.latitude, incident.longitude) == (Decimal("40.41234"), Decimal("49.86789"))


# --- Files ----------------------------------------------------------------------------------


def test_files_are_stored_privately_under_random_names_with_their_checksum(
    election, regions, private_storage
):
    incident = citizen_report(
        election, region=regions["baki"], files=[media_file("jpg"), media_file("mp4")]
    )
    media = list(incident.media.order_by("content_type"))
    assert [m.content_type for m in media] == ["image/jpeg", "video/mp4"]
    names = stored_files(private_storage)
    assert len(names) == 2
    assert all("Rəşad" not in name and "Quliyev" not in name for name in names)
    assert media[0].file.name.startswith("incidents/") and media[0].file.name.endswith(".jpg")
    assert len(media[0].sha256) == 64 and media[0].size == media_file("jpg").size


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([media_file("exe", name="photo.jpg")], "File 1:"),
        ([media_file("jpg"), media_file("png", size=10 * 1024 * 1024 + 1)], "File 2:"),
        ([media_file("jpg") for _ in range(6)], "at most 5 files"),
        ([media_file("jpg", size=0)], "File 1:"),
    ],
)
def test_a_bad_file_refuses_the_whole_report_and_writes_nothing(
    election, regions, private_storage, files, message
):
    with pytest.raises(ValidationError) as caught:
        citizen_report(election, region=regions["baki"], files=files)
    assert message in " ".join(caught.value.message_dict["files"])
    assert "Rəşad" not in str(caught.value.message_dict)  # file names are not repeated
    assert not Incident.objects.exists() and not IncidentMedia.objects.exists()
    assert stored_files(private_storage) == []
    assert not audit_entries().exists()


def test_files_too_large_together_are_refused(election, regions, private_storage, monkeypatch):
    monkeypatch.setattr(services, "MAX_TOTAL_BYTES", 300)
    with pytest.raises(ValidationError) as caught:
        citizen_report(
            election, region=regions["baki"], files=[media_file("jpg"), media_file("png")]
        )
    assert "together" in caught.value.message_dict["files"][0]
    assert stored_files(private_storage) == []


def test_a_failure_after_some_files_were_written_removes_them_and_the_incident(
    election, regions, private_storage
):
    original = IncidentMedia.save
    calls = {"count": 0}

    def failing_save(self, *args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    with mock.patch.object(IncidentMedia, "save", failing_save), pytest.raises(OSError):
        citizen_report(
            election, region=regions["baki"], files=[media_file("jpg"), media_file("png")]
        )
    assert not Incident.objects.exists() and not IncidentMedia.objects.exists()
    assert stored_files(private_storage) == []
    assert not IncidentStatusChange.objects.exists() and not audit_entries().exists()


# --- Encryption and the audit log -------------------------------------------------------------


def test_the_reporter_and_the_description_are_encrypted_at_rest(election, regions):
    from django.db import connection

    incident = citizen_report(
        election,
        region=regions["baki"],
        name="Leyla Həsənova",
        contact="+994 50 765 43 21",
        description="Anar Məmmədov was handing out money to voters at the gate.",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT citizen_name, citizen_contact, description FROM incidents_incident "
            "WHERE id = %s",
            [incident.pk],
        )
        raw = cursor.fetchone()
    assert all(value.startswith("enc1:") for value in raw)
    assert "Leyla" not in "".join(raw) and "765" not in "".join(raw) and "Anar" not in "".join(raw)
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.citizen_name == "Leyla Həsənova" and fresh.citizen_contact == "+994 50 765 43 21"


def test_an_anonymous_report_leaves_no_address_or_personal_data_in_the_audit_log(election, regions):
    token = set_current(RequestInfo(ip_address="203.0.113.9", user_agent="Reporter's phone"))
    try:
        incident = citizen_report(
            election, region=regions["baki"], name="Leyla Həsənova", contact="leyla@example.org"
        )
    finally:
        reset_current(token)
    entry = audit_entries().get()
    assert entry.action == AuditEntry.Action.CREATE and entry.object_id == str(incident.pk)
    assert entry.ip_address is None and entry.user_agent == ""
    recorded = f"{entry.changes} {entry.object_label} {entry.actor_label}"
    assert "Leyla" not in recorded and "leyla@" not in recorded and "money" not in recorded
    assert entry.changes["reporter_kind"] == "citizen"


# --- Observers' reports -----------------------------------------------------------------------


def observer_report(observer, station, **overrides):
    arguments = {
        "observer": observer,
        "category": category("ballot_stuffing"),
        "severity": Incident.Severity.CRITICAL,
        "occurred_at": NOW() - datetime.timedelta(minutes=30),
        "station": station,
        "description": "A bundle of ballots was put into box 2 by a commission member.",
    }
    return services.incident_report_observer(**(arguments | overrides))


def test_an_observer_reports_at_their_station_for_their_election(observer, stations, regions):
    incident = observer_report(observer, stations["12-034"], files=[media_file("png")])
    assert incident.election == observer.election and incident.observer == observer
    assert incident.region == regions["baki"] and incident.media.count() == 1
    entry = audit_entries().get()
    assert entry.actor_label == "Kamran Əliyev"


def test_an_observer_cannot_report_at_a_station_they_are_not_assigned_to(observer, stations):
    with pytest.raises(ValidationError) as caught:
        observer_report(observer, stations["12-035"])
    assert "not assigned" in caught.value.message_dict["station"][0]
    assert not Incident.objects.exists()


def test_an_observer_who_is_not_accredited_cannot_report(observer, stations):
    Observer.objects.filter(pk=observer.pk).update(status=Observer.Status.TRAINED)
    observer.refresh_from_db()
    with pytest.raises(ValidationError):
        observer_report(observer, stations["12-034"])


def test_a_mobile_team_member_reports_at_any_station_of_the_team(observer, stations):
    from observers.models import MobileTeam

    team = MobileTeam.objects.create(election=observer.election, name="Team 1")
    team.stations.add(stations["13-001"], stations["12-035"])
    Observer.objects.filter(pk=observer.pk).update(station=None, mobile_team=team)
    observer.refresh_from_db()
    assert observer_report(observer, stations["13-001"].pk).station == stations["13-001"]
    with pytest.raises(ValidationError):
        observer_report(observer, stations["12-034"])


# --- Workflow ---------------------------------------------------------------------------------


def test_the_workflow_records_each_step_in_history_and_audit(administrator, stations):
    incident = IncidentFactory(station=stations["12-034"])
    services.incident_transition(
        actor=administrator, incident=incident, to_status="verified", note="Called two witnesses."
    )
    incident = services.incident_transition(
        actor=administrator,
        incident=incident,
        to_status="published",
        summaries={"en": "Money was offered to voters at the entrance."},
    )
    assert incident.status == "published" and incident.published_at is not None
    steps = list(incident.status_changes.values_list("from_status", "to_status"))
    assert steps == [("new", "verified"), ("verified", "published")]
    note = IncidentNote.objects.get()
    assert note.text == "Called two witnesses." and note.author == administrator
    entries = AuditEntry.objects.filter(
        object_id=str(incident.pk), content_type__model="incident"
    ).order_by("pk")  # other records may share the id
    assert [e.action for e in entries] == ["update", "publish"]
    assert entries[0].changes["status"] == ["new", "verified"]
    assert "Called two witnesses" not in str(entries[0].changes)  # the note stays out of the log
    assert entries[1].changes["public_summary_en"][1].startswith("Money was offered")

    incident = services.incident_transition(
        actor=administrator, incident=incident, to_status="verified"
    )
    assert incident.status == "verified" and incident.published_at is None


def test_publishing_needs_a_summary(administrator):
    incident = IncidentFactory(status=Incident.Status.VERIFIED)
    with pytest.raises(ValidationError) as caught:
        services.incident_transition(
            actor=administrator, incident=incident, to_status="published", summaries={"en": "  "}
        )
    assert "public_summary_az" in caught.value.message_dict
    incident.refresh_from_db()
    assert incident.status == "verified" and not audit_entries().exists()


def test_a_summary_naming_the_reporter_is_refused(administrator, observer, stations):
    citizen = IncidentFactory(status=Incident.Status.VERIFIED)
    for summary in ("Leyla Həsənova saw money change hands.", "Call +994 50 765 43 21."):
        with pytest.raises(ValidationError) as caught:
            services.incident_transition(
                actor=administrator,
                incident=citizen,
                to_status="published",
                summaries={"en": summary},
            )
        assert "names the reporter" in caught.value.message_dict["public_summary_en"][0]
    observed = IncidentFactory(
        status=Incident.Status.VERIFIED,
        reporter_kind="observer",
        observer=observer,
        citizen_name="",
        citizen_contact="",
        station=stations["12-034"],
    )
    with pytest.raises(ValidationError):
        services.incident_transition(
            actor=administrator,
            incident=observed,
            to_status="published",
            summaries={"ru": "Our observer kamran əliyev was pushed out."},
        )


@pytest.mark.parametrize(
    ("status", "to_status"),
    [("new", "published"), ("rejected", "published"), ("published", "rejected"), ("new", "new")],
)
def test_steps_outside_the_workflow_are_refused(administrator, status, to_status):
    incident = IncidentFactory(status=status, public_summary_en="Summary")
    with pytest.raises(ValidationError):
        services.incident_transition(
            actor=administrator, incident=incident, to_status=to_status, summaries={"en": "Summary"}
        )


def test_a_rejected_report_can_be_reopened(administrator):
    incident = IncidentFactory(status=Incident.Status.REJECTED)
    assert (
        services.incident_transition(actor=administrator, incident=incident, to_status="new").status
        == "new"
    )


def test_publishing_needs_the_publish_permission(analyst):
    incident = IncidentFactory(status=Incident.Status.VERIFIED)
    with pytest.raises(PermissionDenied):
        services.incident_transition(
            actor=analyst, incident=incident, to_status="published", summaries={"en": "Summary"}
        )


def test_notes_are_encrypted_and_audited_without_their_text(administrator):
    from django.db import connection

    incident = IncidentFactory()
    note = services.incident_note_add(
        actor=administrator, incident=incident, text="Witness: Orxan, 050 111 22 33"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM incidents_incidentnote WHERE id = %s", [note.pk])
        assert cursor.fetchone()[0].startswith("enc1:")
    entry = audit_entries().get()
    assert entry.changes == {"note_id": note.pk}
    with pytest.raises(ValidationError):
        services.incident_note_add(actor=administrator, incident=incident, text="   ")


def test_classification_is_corrected_and_audited_until_published(administrator):
    incident = IncidentFactory()
    services.incident_classify(
        actor=administrator, incident=incident, category=category("pressure"), severity="high"
    )
    incident.refresh_from_db()
    assert incident.category.code == "pressure" and incident.severity == "high"
    assert set(audit_entries().get().changes) == {"category_id", "severity"}
    published = IncidentFactory(status="published", public_summary_en="Summary")
    with pytest.raises(ValidationError):
        services.incident_classify(
            actor=administrator, incident=published, category=category("other"), severity="low"
        )


def test_categories_are_created_and_changed_with_audit(administrator):
    created = services.category_create(
        actor=administrator, code="media_bias", name_az="Media", position=90, active=True
    )
    services.category_update(actor=administrator, category=created, active=False)
    created.refresh_from_db()
    assert not created.active
    assert list(audit_entries().values_list("action", flat=True).order_by("pk")) == [
        "create",
        "update",
    ]
    with pytest.raises(ValidationError) as caught:
        services.category_create(actor=administrator, code="media_bias", name_az="Again")
    assert "code" in caught.value.message_dict


def test_the_eight_default_categories_exist():
    assert list(IncidentCategory.objects.values_list("code", flat=True)) == [
        "ballot_stuffing",
        "multiple_voting",
        "pressure",
        "observer_obstruction",
        "vote_buying",
        "campaign_violation",
        "procedural_violation",
        "other",
    ]
    assert IncidentCategory.objects.get(code="vote_buying").name_en == "Vote buying"


def test_a_station_without_coordinates_in_another_election_is_still_a_place(election, regions):
    station = PollingStationFactory(latitude=None, longitude=None)
    incident = citizen_report(election, station=station)
    assert incident.public_point() is None
