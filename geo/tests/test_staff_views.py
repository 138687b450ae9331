"""Staff geography pages: who may see, edit and import, and what the pages do."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.tests.factories import UserFactory, make_staff
from audit.models import AuditEntry
from geo.models import PollingStation

pytestmark = pytest.mark.usefixtures("geography")

LIST = "/en/staff/geography/"
DETAIL = "/en/staff/geography/stations/12-034/"
EDIT = "/en/staff/geography/stations/12-034/edit/"
NEW = "/en/staff/geography/new/"
IMPORT = "/en/staff/geography/import/"
TEMPLATE = "/en/staff/geography/import/template.csv"
EXPORT = "/en/staff/geography/export.csv"

# role: (may view, may edit and add, may import), read from accounts/roles.py so the test
# follows the role table; the cases the brief fixes are asserted below.
ACCESS = {
    role: (
        "geo.view_pollingstation" in permissions,
        "geo.change_pollingstation" in permissions,
        "geo.import_geography" in permissions,
    )
    for role, permissions in ROLE_PERMISSIONS.items()
}


def test_the_role_table_gives_the_expected_geography_rights():
    assert ACCESS[Role.ADMINISTRATOR] == (True, True, True)
    assert ACCESS[Role.COORDINATOR] == (True, True, True)
    assert ACCESS[Role.ANALYST] == (True, False, False)
    assert ACCESS[Role.LAWYER] == (False, False, False)
    assert ACCESS[Role.DOCUMENTATION_OFFICER] == (False, False, False)
    assert not ACCESS[Role.PROGRAMME_OFFICER][1]


def as_role(client, role):
    client.force_login(make_staff(role))
    return client


@pytest.mark.parametrize("role", list(ACCESS))
def test_each_role_sees_exactly_the_pages_its_permissions_allow(client, role):
    may_view, may_edit, may_import = ACCESS[role]
    as_role(client, role)
    for url, allowed in [
        (LIST, may_view),
        (DETAIL, may_view),
        (EXPORT, may_view),
        (EDIT, may_edit),
        (NEW, may_edit),
        (IMPORT, may_import),
        (TEMPLATE, may_import),
    ]:
        assert client.get(url).status_code == (200 if allowed else 403), url


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PROGRAMME_OFFICER, Role.LAWYER])
def test_roles_without_the_change_permission_cannot_post_an_edit(client, role):
    as_role(client, role)
    response = client.post(EDIT, {"registered_voters": 1})
    assert response.status_code == 403
    assert PollingStation.objects.get(code="12-034").registered_voters == 1245


def test_a_citizen_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_staff_member_without_two_factor_is_sent_to_enrol(client):
    client.force_login(make_staff(Role.COORDINATOR, with_totp=False))
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/two-factor/" in response["Location"] or "totp" in response["Location"]


def listed(response) -> list[str]:
    return [station.code for station in response.context["page"].object_list]


def test_the_list_filters_by_region_district_constituency_and_search(client, geography):
    as_role(client, Role.ANALYST)
    assert len(listed(client.get(LIST))) == 5
    region = geography["regions"]["seki-zaqatala"].pk
    assert sorted(listed(client.get(LIST, {"region": region}))) == ["113-002", "113-034"]
    district = geography["districts"]["sebail"].pk
    assert listed(client.get(LIST, {"district": district})) == ["13-001"]
    constituency = geography["constituencies"][12].pk
    assert listed(client.get(LIST, {"constituency": constituency})) == ["12-034", "12-035"]
    assert listed(client.get(LIST, {"constituency": constituency, "q": "vurgun"})) == ["12-035"]


def test_the_list_shows_the_total_of_registered_voters(client):
    as_role(client, Role.ANALYST)
    assert client.get(LIST).context["total_voters"] == 1245 + 980 + 40 + 700 + 310


def test_the_list_answers_htmx_with_the_table_only(client):
    as_role(client, Role.ANALYST)
    response = client.get(LIST, {"q": "Kiş"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "113-002" in html


def test_the_list_is_paginated_by_fifty(client, geography):
    from geo.tests.factories import PollingStationFactory

    PollingStationFactory.create_batch(60, constituency=geography["constituencies"][13])
    as_role(client, Role.ANALYST)
    assert len(listed(client.get(LIST))) == 50
    assert len(listed(client.get(LIST, {"page": 2}))) == 15


def test_the_export_can_be_imported_again(client):
    as_role(client, Role.COORDINATOR)
    response = client.get(EXPORT)
    content = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["station_number"] for row in rows][:2] == ["34", "35"]
    assert rows[0]["region_code"] == "baki"
    upload = SimpleUploadedFile("export.csv", content, content_type="text/csv")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
        .get()
        .changes["stations_unchanged"]
        == 5
    )


def station_form_data(**changes):
    station = PollingStation.objects.get(code="12-034")
    data = {
        "constituency": station.constituency_id,
        "number": station.number,
        "name_az": station.name_az,
        "name_en": station.name_en,
        "name_ru": station.name_ru,
        "address": station.address,
        "settlement": station.settlement,
        "registered_voters": station.registered_voters,
        "latitude": station.latitude,
        "longitude": station.longitude,
    }
    data.update(changes)
    return data


def test_a_coordinator_edits_a_station_and_the_change_is_audited(client):
    as_role(client, Role.COORDINATOR)
    response = client.post(EDIT, station_form_data(registered_voters=1300))
    assert response.status_code == 302
    assert response["Location"] == DETAIL
    station = PollingStation.objects.get(code="12-034")
    assert station.registered_voters == 1300
    assert AuditEntry.objects.for_object(station).get().changes == {
        "registered_voters": [1245, 1300]
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registered_voters": -5}, "registered_voters"),
        ({"registered_voters": "many"}, "registered_voters"),
        ({"latitude": "55.0"}, "latitude"),
        ({"longitude": ""}, "longitude"),
        ({"number": 35}, None),
        ({"name_az": ""}, "name_az"),
    ],
)
def test_bad_input_in_the_edit_form_is_shown_and_nothing_is_saved(client, changes, field):
    as_role(client, Role.COORDINATOR)
    response = client.post(EDIT, station_form_data(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    station = PollingStation.objects.get(code="12-034")
    assert station.registered_voters == 1245
    assert not AuditEntry.objects.for_object(station).exists()


def test_a_coordinator_adds_a_station(client, geography):
    as_role(client, Role.COORDINATOR)
    data = station_form_data(number=36, name_az="36 saylı məntəqə")
    response = client.post(NEW, data)
    assert response.status_code == 302
    station = PollingStation.objects.get(code="12-036")
    assert AuditEntry.objects.for_object(station).get().action == AuditEntry.Action.CREATE


def test_the_detail_page_shows_the_history_to_those_who_may_read_the_audit_log(client):
    as_role(client, Role.ADMINISTRATOR)
    client.post(EDIT, station_form_data(registered_voters=1300))
    response = client.get(DETAIL)
    assert len(response.context["history"]) == 1
    as_role(client, Role.ANALYST)
    assert list(client.get(DETAIL).context["history"]) == []


GOOD_CSV = (
    "region_code,district_code,constituency_number,station_number,station_name_az,address,"
    "settlement,registered_voters\n"
    "baki,nesimi,12,40,40 saylı məntəqə,Nizami küçəsi 5,Bakı,800\n"
)


def test_an_import_adds_stations_and_says_what_it_did(client):
    as_role(client, Role.COORDINATOR)
    upload = SimpleUploadedFile("s.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = client.post(IMPORT, {"file": upload}, follow=True)
    assert PollingStation.objects.filter(code="12-040").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 polling stations added" in m or "1 rows" in m for m in messages), messages


def test_a_failed_import_shows_each_problem_and_writes_nothing(client):
    as_role(client, Role.COORDINATOR)
    bad = GOOD_CSV + "baki,nesimi,12,41,,Nizami küçəsi 6,Bakı,-2\n"
    upload = SimpleUploadedFile("s.csv", bad.encode(), content_type="text/csv")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert [(e.row, e.column) for e in response.context["result"].errors] == [
        (3, "registered_voters"),
        (3, "station_name_az"),
    ]
    assert "This number must not be negative." in html
    assert not PollingStation.objects.filter(code="12-040").exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


def test_an_import_of_another_file_type_is_refused_by_the_form(client):
    as_role(client, Role.COORDINATOR)
    upload = SimpleUploadedFile("s.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_the_import_messages_follow_the_page_language(client):
    as_role(client, Role.COORDINATOR)
    upload = SimpleUploadedFile("s.csv", b"foo,bar\n1,2\n", content_type="text/csv")
    response = client.post("/en/staff/geography/import/", {"file": upload})
    assert "This required column is missing." in response.content.decode()


def test_the_template_csv_has_every_column_and_an_example(client):
    as_role(client, Role.COORDINATOR)
    response = client.get(TEMPLATE)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("region_code,region_name_az")
    assert len(lines) == 2
