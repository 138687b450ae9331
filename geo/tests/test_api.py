"""The geography endpoints of the JSON API, /api/v1/geo/."""

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from accounts.tests.factories import make_staff
from api.models import Scope
from api.services import api_token_create, api_token_revoke
from audit.models import AuditEntry
from geo.models import Constituency, District, PollingStation, Region

pytestmark = pytest.mark.usefixtures("geography")

BASE = "/api/v1/geo"


def token_for(role=Role.COORDINATOR, scopes=(Scope.GEO_READ, Scope.GEO_WRITE)):
    user = make_staff(role)
    token, raw = api_token_create(user=user, name="test", scopes=list(scopes))
    return token, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def reader():
    return token_for(Role.ANALYST, scopes=(Scope.GEO_READ,))[1]


@pytest.fixture
def writer():
    return token_for()[1]


def counts():
    return (
        Region.objects.count(),
        District.objects.count(),
        Constituency.objects.count(),
        PollingStation.objects.count(),
        AuditEntry.objects.filter(action__in=["create", "update", "import"])
        .exclude(content_type__model="apitoken")
        .count(),
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/regions"),
        ("get", "/districts"),
        ("get", "/constituencies"),
        ("get", "/stations"),
        ("get", "/stations/12-034"),
        ("post", "/stations"),
        ("patch", "/stations/12-034"),
        ("post", "/stations/import"),
    ],
)
def test_every_endpoint_needs_a_token(client, method, path):
    response = getattr(client, method)(BASE + path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_made_up_token_is_refused(client):
    response = client.get(f"{BASE}/stations", HTTP_AUTHORIZATION="Bearer brk_nonsense")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(client):
    token, headers = token_for(Role.ANALYST, scopes=(Scope.GEO_READ,))
    assert client.get(f"{BASE}/stations", **headers).status_code == 200
    api_token_revoke(token=token, actor=None)
    assert client.get(f"{BASE}/stations", **headers).status_code == 401


def test_a_read_only_token_cannot_write(client, reader):
    before = counts()
    response = client.patch(
        f"{BASE}/stations/12-034",
        {"registered_voters": 1},
        content_type="application/json",
        **reader,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert counts() == before


def test_regions_districts_and_constituencies_are_listed_with_names_in_three_languages(
    client, reader
):
    regions = client.get(f"{BASE}/regions", **reader).json()
    assert regions["count"] == 2
    baku = next(r for r in regions["items"] if r["code"] == "baki")
    assert (baku["name_az"], baku["name_en"], baku["name_ru"]) == ("Bakı", "Baku", "Баку")
    districts = client.get(f"{BASE}/districts", {"region": "baki"}, **reader).json()
    assert [d["code"] for d in districts["items"]] == ["nesimi", "sebail"]
    constituencies = client.get(
        f"{BASE}/constituencies", {"region": "seki-zaqatala"}, **reader
    ).json()
    assert [(c["number"], c["district"]) for c in constituencies["items"]] == [(113, "seki")]


def test_name_follows_the_language_the_client_asks_for(client, reader):
    russian = client.get(f"{BASE}/stations/12-034", HTTP_ACCEPT_LANGUAGE="ru", **reader).json()
    assert russian["name"] == "Избирательный участок № 34"
    english = client.get(f"{BASE}/stations/12-034", HTTP_ACCEPT_LANGUAGE="en", **reader).json()
    assert english["name"] == "Polling station No. 34"


def test_a_station_is_given_with_its_places_and_position(client, reader):
    station = client.get(f"{BASE}/stations/113-034", **reader).json()
    assert station["constituency"] == 113
    assert station["district"] == "seki"
    assert station["region"] == "seki-zaqatala"
    assert station["registered_voters"] == 700
    assert station["latitude"] == pytest.approx(41.1987)


def test_an_unknown_station_is_a_json_404(client, reader):
    response = client.get(f"{BASE}/stations/999-001", **reader)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_stations_are_paginated(client, reader):
    first = client.get(f"{BASE}/stations", {"page_size": 2}, **reader).json()
    assert first["count"] == 5
    assert [s["code"] for s in first["items"]] == ["12-034", "12-035"]
    third = client.get(f"{BASE}/stations", {"page_size": 2, "page": 3}, **reader).json()
    assert [s["code"] for s in third["items"]] == ["113-034"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "baki"}, ["12-034", "12-035", "13-001"]),
        ({"district": "sebail"}, ["13-001"]),
        ({"constituency": 113}, ["113-002", "113-034"]),
        ({"q": "Sheki"}, ["113-002", "113-034"]),
        ({"q": "füzuli"}, ["12-034"]),
        ({"region": "baki", "q": "34"}, ["12-034"]),
    ],
)
def test_stations_can_be_filtered(client, reader, params, expected):
    response = client.get(f"{BASE}/stations", params, **reader).json()
    assert sorted(s["code"] for s in response["items"]) == sorted(expected)


def test_a_bad_filter_value_is_a_422(client, reader):
    response = client.get(f"{BASE}/stations", {"constituency": "twelve"}, **reader)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


NEW_STATION = {
    "constituency": 13,
    "number": 2,
    "name_az": "2 saylı məntəqə",
    "address": "Bayıl qəsəbəsi, Şıxov yolu 4",
    "settlement": "Bayıl",
    "registered_voters": 400,
    "latitude": 40.33,
    "longitude": 49.82,
}


def test_a_station_is_created_and_audited(client, writer):
    response = client.post(
        f"{BASE}/stations", NEW_STATION, content_type="application/json", **writer
    )
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "13-002"
    station = PollingStation.objects.get(code="13-002")
    assert AuditEntry.objects.for_object(station).get().action == AuditEntry.Action.CREATE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"constituency": 999}, "constituency"),
        ({"number": 1}, "__all__"),
        ({"registered_voters": -3}, "registered_voters"),
        ({"latitude": 55.0}, "latitude"),
        ({"name_az": ""}, "name_az"),
        ({"registered_voters": "many"}, "registered_voters"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_on_create_is_a_422_and_nothing_is_written(client, writer, changes, field):
    before = counts()
    response = client.post(
        f"{BASE}/stations",
        {**NEW_STATION, **changes},
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 422, response.json()
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(field in detail["field"] for detail in error["details"]), error
    assert counts() == before


def test_a_patch_changes_only_the_fields_given_and_is_audited(client, writer):
    response = client.patch(
        f"{BASE}/stations/12-034",
        {"registered_voters": 1300},
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 200
    assert response.json()["registered_voters"] == 1300
    station = PollingStation.objects.get(code="12-034")
    assert station.address == "Füzuli küçəsi 45, 132 nömrəli məktəb"
    assert AuditEntry.objects.for_object(station).get().changes == {
        "registered_voters": [1245, 1300]
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"registered_voters": -1},
        {"longitude": 20.0},
        {"number": 35},
        {"constituency": None},
        {"constituency": 999},
        {"address": None},
        {"code": "1-001"},
    ],
)
def test_bad_input_on_patch_is_a_422_and_nothing_is_written(client, writer, changes):
    before = counts()
    response = client.patch(
        f"{BASE}/stations/12-034", changes, content_type="application/json", **writer
    )
    assert response.status_code == 422, response.json()
    assert counts() == before
    assert PollingStation.objects.get(code="12-034").registered_voters == 1245


def test_a_user_without_the_add_permission_cannot_create_even_with_the_write_scope(client):
    # The write scope stands for the change permission; adding needs its own permission.
    token, headers = token_for(Role.COORDINATOR)
    group = token.user.groups.get()
    group.permissions.remove(Permission.objects.get(codename="add_pollingstation"))
    response = client.post(
        f"{BASE}/stations", NEW_STATION, content_type="application/json", **headers
    )
    assert response.status_code == 403


IMPORT_ROWS = [
    {
        "region_code": "baki",
        "district_code": "nesimi",
        "constituency_number": 12,
        "station_number": 40,
        "station_name_az": "40 saylı məntəqə",
        "address": "Nizami küçəsi 5",
        "settlement": "Bakı",
        "registered_voters": 800,
    },
    {
        "region_code": "abseron-xizi",
        "region_name_az": "Abşeron-Xızı",
        "district_code": "sumqayit",
        "district_name_az": "Sumqayıt",
        "constituency_number": 40,
        "constituency_name_az": "Sumqayıt seçki dairəsi",
        "station_number": 1,
        "station_name_az": "1 saylı məntəqə",
        "address": "Sülh küçəsi 3",
        "settlement": "Sumqayıt",
        "registered_voters": "1200",
        "latitude": "40.59",
        "longitude": 49.65,
    },
]


def test_a_bulk_import_creates_places_and_stations(client, writer):
    response = client.post(
        f"{BASE}/stations/import",
        {"rows": IMPORT_ROWS},
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rows"] == 2
    assert body["counts"]["stations_created"] == 2
    assert body["counts"]["regions_created"] == 1
    assert PollingStation.objects.get(code="40-001").constituency.district.code == "sumqayit"


def test_a_bulk_import_with_bad_rows_reports_each_and_writes_nothing(client, writer):
    rows = [
        IMPORT_ROWS[0],
        {**IMPORT_ROWS[1], "registered_voters": -5, "latitude": 60},
        {**IMPORT_ROWS[0], "station_number": 41, "district_code": "nowhere"},
    ]
    before = counts()
    response = client.post(
        f"{BASE}/stations/import",
        {"rows": rows},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **writer,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_failed"
    assert [(d["row"], d["column"]) for d in error["details"]] == [
        (2, "latitude"),
        (2, "registered_voters"),
        (3, "district_code"),
    ]
    assert error["details"][1]["message"] == "This number must not be negative."
    assert "Constituency 12 belongs to nesimi in row 1" in error["details"][2]["message"]
    assert counts() == before


def test_a_bulk_import_checks_references_after_the_rows(client, writer):
    rows = [{**IMPORT_ROWS[0], "district_code": "nowhere", "region_code": "baki"}]
    before = counts()
    response = client.post(
        f"{BASE}/stations/import", {"rows": rows}, content_type="application/json", **writer
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["row"], d["column"]) for d in details] == [(1, "district_code")]
    assert counts() == before


@pytest.mark.parametrize(
    "body",
    [
        {"rows": []},
        {"rows": [{"region_code": "baki", "lattitude": 40.1}]},
        {"stations": IMPORT_ROWS},
        {"rows": "baki"},
    ],
)
def test_a_malformed_import_body_is_a_422(client, writer, body):
    before = counts()
    response = client.post(
        f"{BASE}/stations/import", body, content_type="application/json", **writer
    )
    assert response.status_code == 422
    assert counts() == before


def test_an_analyst_token_cannot_import(client):
    _token, headers = token_for(Role.ANALYST, scopes=(Scope.GEO_READ,))
    response = client.post(
        f"{BASE}/stations/import", {"rows": IMPORT_ROWS}, content_type="application/json",
        **headers,
    )  # fmt: skip
    assert response.status_code == 403
