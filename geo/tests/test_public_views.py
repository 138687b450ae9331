"""The public "find my polling station" page and the station pages."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.usefixtures("geography")

FIND = "/en/stations/"


def codes(response) -> list[str]:
    return [station.code for station in response.context["stations"]]


def points(response) -> list[dict]:
    html = response.content.decode()
    start = html.index('<script id="station-points" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_find_page_is_at_stations_and_named_find_station(client):
    with translation.override("az"):
        assert reverse("geo:find_station") == "/az/stations/"
    response = client.get(FIND)
    assert response.status_code == 200
    assert response.context["searched"] is False


def test_without_a_search_the_map_shows_one_point_per_constituency(client):
    response = client.get(FIND)
    assert [p["title"].split(".")[0] for p in points(response)] == ["12", "13", "113"]
    assert all(p["kind"] == "area" for p in points(response))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("12-034", ["12-034"]),
        ("12-34", ["12-034"]),
        ("113-2", ["113-002"]),
        ("Kiş", ["113-002"]),
        ("kis", ["113-002"]),
        ("Sheki", ["113-002", "113-034"]),
        ("ŞƏKİ", ["113-002", "113-034"]),
        ("bayil", ["13-001"]),
        ("Füzuli küçəsi", ["12-034"]),
        ("fuzuli kucesi 45", ["12-034"]),
        ("SƏMƏD VURĞUN", ["12-035"]),
        ("no such place", []),
        ("--", []),
    ],
)
def test_search_finds_stations_by_code_settlement_or_address(client, query, expected):
    response = client.get(FIND, {"q": query})
    assert response.status_code == 200
    assert sorted(codes(response)) == sorted(expected)


def test_a_bare_number_lists_stations_with_that_number_first(client):
    response = client.get(FIND, {"q": "34"})
    assert codes(response)[:2] == ["12-034", "113-034"]


def test_search_can_be_narrowed_to_a_constituency(client, geography):
    constituency = geography["constituencies"][113]
    response = client.get(FIND, {"q": "34", "constituency": constituency.pk})
    assert codes(response) == ["113-034"]


def test_results_show_address_constituency_and_registered_voters(client):
    response = client.get("/az/stations/", {"q": "12-034"})
    html = response.content.decode()
    assert "Füzuli küçəsi 45, 132 nömrəli məktəb" in html
    assert "12. Nəsimi seçki dairəsi" in html
    assert "1\xa0245" in html or "1 245" in html or "1245" in html


def test_results_give_the_map_only_stations_with_coordinates(client):
    response = client.get(FIND, {"q": "Şəki"})
    assert [p["url"] for p in points(response)] == ["/en/stations/113-034/"]


def test_an_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(FIND, {"q": "Kiş"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="station-points"' in html
    assert "113-002" in html
    assert response["Vary"].lower().count("hx-request") == 1


def test_an_htmx_history_restore_gets_the_whole_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(FIND, {"q": "Kiş"}, headers=headers)
    assert "<html" in response.content.decode()


def test_the_page_works_without_javascript_as_a_plain_get_form(client):
    html = client.get(FIND).content.decode()
    assert 'method="get"' in html
    assert 'name="q"' in html
    assert 'type="submit"' in html


def test_the_page_loads_leaflet_and_no_inline_script_or_style(client):
    html = client.get(FIND).content.decode()
    assert "vendor/leaflet-1.9.4/leaflet.js" in html
    assert "js/geo-map.js" in html
    assert "style=" not in html
    assert "<script>" not in html
    assert " onclick=" not in html


def test_results_are_paginated(client, geography):
    from geo.tests.factories import PollingStationFactory

    for number in range(100, 130):
        PollingStationFactory(constituency=geography["constituencies"][13], number=number)
    first = client.get(FIND, {"constituency": geography["constituencies"][13].pk})
    assert len(codes(first)) == 20
    assert first.context["page"].paginator.count == 31
    second = client.get(FIND, {"constituency": geography["constituencies"][13].pk, "page": 2})
    assert len(codes(second)) == 11


def test_stations_near_a_point_are_listed_nearest_first(client):
    response = client.get(FIND, {"near": "40.3460,49.8370"})
    assert codes(response)[:3] == ["13-001", "12-034", "12-035"]
    # The search box widens until it finds enough stations, but stays within about 100 km.
    assert "113-034" not in codes(response)
    assert codes(client.get(FIND, {"near": "41.5,47.5"})) == ["113-034"]


def test_a_point_outside_the_country_is_explained(client):
    response = client.get(FIND, {"near": "48.85,2.35"})
    assert response.context["searched"] is False
    assert "outside the country" in response.content.decode()


def test_the_station_page_shows_its_details_and_a_map_point(client):
    response = client.get("/en/stations/113-034/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shaki City Constituency" in html
    assert "M.F. Axundzadə küçəsi 12" in html
    assert "mlat=41.19870&amp;mlon=47.17050" in html
    assert points(response)[0]["lat"] == pytest.approx(41.1987)


def test_a_station_without_coordinates_has_no_map(client):
    response = client.get("/az/stations/113-002/")
    assert response.status_code == 200
    assert "leaflet.js" not in response.content.decode()


def test_an_unknown_station_is_not_found(client):
    assert client.get("/az/stations/999-999/").status_code == 404


def test_names_follow_the_page_language(client):
    response = client.get("/ru/stations/", {"q": "12-034"})
    assert "Избирательный участок № 34" in response.content.decode()
