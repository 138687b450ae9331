"""Staff pages of official results: upload → mapping → import, errors, reports, comparison."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from observation.models import CoordinatorScope
from results.models import OfficialResult, OfficialResultImport, Protocol
from results.official_views import SESSION_KEY

pytestmark = pytest.mark.django_db

BASE = "/en/staff/results/"
CSV = (
    "Məntəqə;Seçicilərin sayı;Etibarlı bülletenlər;Etibarsız bülletenlər;Namizəd A;Candidate B;3\n"
    "12-034;1245;780;10;500;200;80\n"
    "12-035;980;590;5;300;200;80\n"
    "113-034;700;390;0;390;0;0\n"
)


def _files(storage) -> list[str]:
    return [n for _root, _dirs, names in os.walk(storage.location) for n in names]


def upload(client, election, contest, content=None, name="cec.csv", layout="mapped"):
    content = CSV.encode() if content is None else content
    return client.post(
        f"{BASE}official/upload/",
        {
            "election": election.pk,
            "contest": contest.pk,
            "name": "CEC final",
            "layout": layout,
            "file": SimpleUploadedFile(name, content),
        },
    )


MAPPING_POST = {
    "station": "Məntəqə",
    "registered": "Seçicilərin sayı",
    "valid": "Etibarlı bülletenlər",
    "invalid": "Etibarsız bülletenlər",
    "options": ["Namizəd A", "Candidate B", "3"],
}


@pytest.fixture
def imported(client, analyst, election, contest):
    client.force_login(analyst)
    response = upload(client, election, contest)
    client.post(response.url, MAPPING_POST)
    return OfficialResultImport.objects.get()


def test_upload_then_mapping_then_import(client, analyst, election, contest, private_storage):
    client.force_login(analyst)
    response = upload(client, election, contest)
    assert response.status_code == 302 and "/official/upload/" in response.url
    assert not OfficialResultImport.objects.exists()
    assert len(_files(private_storage)) == 1  # the pending file, under a random name
    token = next(iter(client.session[SESSION_KEY]))
    assert token in response.url

    page = client.get(response.url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["station"] == "Məntəqə"
    assert form.initial["registered"] == "Seçicilərin sayı"
    assert form.initial["options"] == ["Namizəd A", "Candidate B", "3"]

    done = client.post(response.url, MAPPING_POST)
    result = OfficialResultImport.objects.get()
    assert done.status_code == 302 and done.url.endswith(f"/official/{result.pk}/")
    assert result.name == "CEC final" and result.row_count == 3
    assert result.matched_station_count == 3
    assert None not in result.option_map.values()
    assert client.session[SESSION_KEY] == {}
    assert _files(private_storage) == [os.path.basename(result.file.name)]
    detail = client.get(done.url)
    assert detail.status_code == 200
    assert "Candidate A" in detail.content.decode()


def test_a_wrong_mapping_shows_the_error_and_writes_nothing(client, analyst, election, contest):
    client.force_login(analyst)
    response = upload(client, election, contest)
    wrong = {**MAPPING_POST, "options": ["Namizəd A", "Seçicilərin sayı"]}
    page = client.post(response.url, wrong)
    assert page.status_code == 200
    assert "Seçicilərin sayı" in str(page.context["form"].non_field_errors())
    assert not OfficialResultImport.objects.exists() and not OfficialResult.objects.exists()
    assert token_of(response) in client.session[SESSION_KEY]  # the file waits for a new try


def token_of(response) -> str:
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def test_cancel_deletes_the_pending_file(client, analyst, election, contest, private_storage):
    client.force_login(analyst)
    response = upload(client, election, contest)
    client.post(response.url, {"cancel": "1"})
    assert _files(private_storage) == []
    assert client.get(response.url).status_code == 404


def test_another_session_cannot_use_the_pending_file(client, analyst, election, contest):
    client.force_login(analyst)
    response = upload(client, election, contest)
    client.logout()
    client.force_login(make_staff(Role.ANALYST))
    assert client.get(response.url).status_code == 404


def test_a_bad_file_type_is_refused(client, analyst, election, contest, private_storage):
    client.force_login(analyst)
    page = upload(client, election, contest, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cec.csv")
    assert page.status_code == 200
    assert "CSV" in str(page.context["form"].errors["file"])
    assert _files(private_storage) == []


def test_a_known_layout_with_wrong_columns_is_refused(client, analyst, election, contest):
    client.force_login(analyst)
    page = upload(client, election, contest, layout="albania")
    assert page.status_code == 200
    assert "prefectures" in str(page.context["form"].errors)
    assert not OfficialResultImport.objects.exists()


def test_a_known_layout_is_imported_at_once(client, analyst, election, contest):
    client.force_login(analyst)
    content = (
        b",Prefectures,Communes,Precincts,Ballots,Registered,C1,C2\n"
        b"1,TIRANE,TIRANE_1,1,300,500,200,90\n"
        b"2,TIRANE,TIRANE_1,2,300,0,200,150\n"
    )
    response = upload(client, election, contest, content, layout="albania")
    result = OfficialResultImport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/official/{result.pk}/")
    assert result.failed_row_count == 1


def test_the_failures_csv_lists_every_failure_with_its_text(client, analyst, election, contest):
    client.force_login(analyst)
    content = CSV.replace("12-035;980;590", "12-035;980;600").encode()
    response = upload(client, election, contest, content)
    client.post(response.url, MAPPING_POST)
    result = OfficialResultImport.objects.get()
    page = client.get(f"{BASE}official/{result.pk}/")
    assert "do not add up to the valid ballots" in page.content.decode()
    download = client.get(f"{BASE}official/{result.pk}/failures.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    text = download.content.decode("utf-8-sig")
    assert "votes_ne_valid" in text and "do not add up to the valid ballots" in text
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_the_comparison_pages(client, imported, election, contest, stations):
    Protocol.objects.create(
        election=election,
        contest=contest,
        station=stations["12-034"],
        source=Protocol.Source.OBSERVER,
        status=Protocol.Status.ACCEPTED,
        registered=1245,
        invalid=10,
        valid=780,
        votes={"1": 400, "2": 300, "3": 80},
        received_at=timezone.now(),
    )
    page = client.get(f"{BASE}comparison/{contest.pk}/")
    assert page.status_code == 200
    assert page.context["result"].compared == 1
    assert "12-034" in page.content.decode()
    station = client.get(f"{BASE}comparison/{contest.pk}/station/{stations['12-034'].pk}/")
    assert station.status_code == 200
    assert "+100" in station.content.decode()
    export = client.get(f"{BASE}comparison/{contest.pk}/export.csv")
    assert export.status_code == 200 and "12-034" in export.content.decode("utf-8-sig")


def test_a_coordinator_sees_only_their_regions(
    client, imported, coordinator, regions, contest, stations
):
    scope = CoordinatorScope.objects.create(user=coordinator)
    scope.regions.set([regions["seki-zaqatala"]])
    client.force_login(coordinator)
    assert client.get(f"{BASE}official/{imported.pk}/").status_code == 200
    assert client.get(f"{BASE}comparison/{contest.pk}/").status_code == 200
    other = client.get(f"{BASE}comparison/{contest.pk}/station/{stations['12-034'].pk}/")
    assert other.status_code == 404
    own = client.get(f"{BASE}comparison/{contest.pk}/station/{stations['113-034'].pk}/")
    assert own.status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DATA_CLERK])
def test_only_analysts_and_administrators_import(client, role, election, contest):
    client.force_login(make_staff(role))
    assert client.get(f"{BASE}official/upload/").status_code == 403
    assert upload(client, election, contest).status_code == 403
    assert not OfficialResultImport.objects.exists()


def test_data_clerks_cannot_read_results(client, imported, contest):
    client.force_login(make_staff(Role.DATA_CLERK))
    for url in (
        f"{BASE}official/",
        f"{BASE}official/{imported.pk}/",
        f"{BASE}official/{imported.pk}/failures.csv",
        f"{BASE}comparison/{contest.pk}/",
        f"{BASE}comparison/{contest.pk}/export.csv",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(f"{BASE}official/")
    assert response.status_code == 302 and "login" in response.url


def test_the_azerbaijani_pages_render(client, imported, contest):
    for url in (
        "/az/staff/results/official/",
        "/az/staff/results/official/upload/",
        f"/az/staff/results/official/{imported.pk}/",
        f"/az/staff/results/comparison/{contest.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="az"' in response.content.decode()


def test_an_xlsx_goes_through_the_mapping(client, analyst, election, contest):
    from openpyxl import Workbook

    workbook = Workbook()
    for line in CSV.strip().splitlines():
        cells = line.split(";")
        workbook.active.append([int(c) if c.isdigit() else c for c in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(analyst)
    response = upload(client, election, contest, buffer.getvalue(), "cec.xlsx")
    assert response.status_code == 302
    done = client.post(response.url, MAPPING_POST)
    assert done.status_code == 302
    assert OfficialResultImport.objects.get().row_count == 3
