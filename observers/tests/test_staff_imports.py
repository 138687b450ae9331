"""The staff import pages: upload, check, preview, confirm; and who may use them."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from observers.models import Observer
from observers.tests.factories import ObserverFactory

BASE = "/en/staff/observers/"
S = Observer.Status
HEADER = "full_name,phone,email,date_of_birth,region,language,status,station"
GOOD = (
    f"{HEADER}\r\n"
    "Gülnarə Şükürova,050 123 45 67,,1990-05-17,Şəki-Zaqatala,az,,\r\n"
    "İlkin Həsənli,070 111 22 33,,1999-12-31,baki,en,accredited,12-034\r\n"
)


def csv_file(text: str, name: str = "könüllülər.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


def payload_of(html: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', html).group(1)


@pytest.fixture
def coordinator(client, db):
    user = make_staff(Role.COORDINATOR)
    client.force_login(user)
    return user


def test_the_page_documents_the_columns_and_offers_a_template(client, coordinator):
    html = client.get(f"{BASE}import/").content.decode()
    for column in ("full_name", "phone", "date_of_birth", "region", "status", "station"):
        assert f"<code>{column}</code>" in html
    assert f"{BASE}import/template.csv" in html
    response = client.get(f"{BASE}import/template.csv")
    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert text.startswith("\ufefffull_name,phone,") and "Aynur Həsənova" in text


def test_a_csv_is_checked_previewed_and_only_written_on_confirmation(client, election, coordinator):
    response = client.post(f"{BASE}import/", {"election": election.pk, "file": csv_file(GOOD)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been written yet" in html and "Gülnarə Şükürova" in html
    assert "könüllülər.csv" in html
    assert not Observer.objects.exists()

    response = client.post(f"{BASE}import/", {"payload": payload_of(html)})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}?election={election.pk}"
    assert Observer.objects.count() == 2
    accredited = Observer.objects.get(status=S.ACCREDITED)
    assert accredited.number == 1 and accredited.station.code == "12-034"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor == coordinator and entry.changes["source"] == "könüllülər.csv"
    html = client.get(response["Location"]).content.decode()
    assert "2 observers were imported." in html


def test_an_xlsx_is_imported_too(client, election, coordinator):
    workbook = Workbook()
    workbook.active.append(["full_name", "phone", "date_of_birth", "region"])
    workbook.active.append(["Şəhla Məmmədova", "055 222 33 44", "03.02.1991", "Bakı"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("observers.xlsx", buffer.getvalue())
    html = client.post(f"{BASE}import/", {"election": election.pk, "file": upload}).content.decode()
    client.post(f"{BASE}import/", {"payload": payload_of(html)})
    assert Observer.objects.get().full_name == "Şəhla Məmmədova"


def test_problems_are_listed_by_row_and_column_and_nothing_is_written(
    client, election, coordinator
):
    ObserverFactory(election=election, phone="+994501234567")
    text = (
        f"{HEADER}\r\n"
        "Gülnarə Şükürova,050 123 45 67,,1990-05-17,baki,,,\r\n"
        "Nigar,12345,,2015-01-01,Atlantis,,,13-001\r\n"
    )
    response = client.post(f"{BASE}import/", {"election": election.pk, "file": csv_file(text)})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in html and 'name="payload"' not in html
    assert re.search(r'<td class="num">2</td><td><code>phone</code></td><td>An observer', html)
    assert re.search(r'<td class="num">3</td><td><code>date_of_birth</code></td>', html)
    assert re.search(r'<td class="num">3</td><td><code>phone</code></td>', html)
    assert Observer.objects.count() == 1


def test_a_file_that_cannot_be_read_is_explained(client, election, coordinator):
    upload = SimpleUploadedFile("observers.csv", b"\xff\xfe\x00bad")
    response = client.post(f"{BASE}import/", {"election": election.pk, "file": upload})
    assert response.status_code == 422 and "not UTF-8" in response.content.decode()
    response = client.post(f"{BASE}import/", {"election": election.pk})
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_a_tampered_or_foreign_preview_is_refused(client, election, coordinator):
    html = client.post(
        f"{BASE}import/", {"election": election.pk, "file": csv_file(GOOD)}
    ).content.decode()
    payload = payload_of(html)
    response = client.post(f"{BASE}import/", {"payload": payload[:-3] + "abc"}, follow=True)
    assert "The preview has expired" in response.content.decode()
    client.force_login(make_staff(Role.COORDINATOR))  # someone else
    response = client.post(f"{BASE}import/", {"payload": payload}, follow=True)
    assert "The preview has expired" in response.content.decode()
    assert not Observer.objects.exists()


def test_a_confirmation_rechecks_what_changed_since_the_preview(client, election, coordinator):
    html = client.post(
        f"{BASE}import/", {"election": election.pk, "file": csv_file(GOOD)}
    ).content.decode()
    ObserverFactory(election=election, phone="+994701112233")  # applied meanwhile
    response = client.post(f"{BASE}import/", {"payload": payload_of(html)})
    assert response.status_code == 422
    assert "already has the phone number +994701112233" in response.content.decode()
    assert Observer.objects.count() == 1


def test_a_deployment_file_is_previewed_and_confirmed(client, election, coordinator):
    observer = ObserverFactory(election=election, accredited=True, number=17)
    response = client.post(
        f"{BASE}deploy/",
        {
            "election": election.pk,
            "file": csv_file("observer,station\r\n17,12-034\r\n", "deploy.csv"),
            "mark_deployed": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Station 12-034" in html
    client.post(f"{BASE}deploy/", {"payload": payload_of(html)})
    observer.refresh_from_db()
    assert observer.station.code == "12-034" and observer.status == S.DEPLOYED
    response = client.post(
        f"{BASE}deploy/",
        {"election": election.pk, "file": csv_file("observer,station\r\n99,12-034\r\n")},
    )
    assert response.status_code == 422
    assert "No observer of this election has the number 99" in response.content.decode()
    assert client.get(f"{BASE}deploy/template.csv").status_code == 200


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LAWYER, Role.DOCUMENTATION_OFFICER])
def test_only_those_who_change_observers_may_import(client, election, role):
    client.force_login(make_staff(role))
    for url in ("import/", "deploy/", "import/template.csv", "deploy/template.csv"):
        assert client.get(f"{BASE}{url}").status_code == 403, url
    response = client.post(f"{BASE}import/", {"election": election.pk, "file": csv_file(GOOD)})
    assert response.status_code == 403
    assert not Observer.objects.exists()


def test_an_anonymous_visitor_cannot_import(client, election):
    response = client.post(f"{BASE}import/", {"election": election.pk, "file": csv_file(GOOD)})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Observer.objects.exists()
