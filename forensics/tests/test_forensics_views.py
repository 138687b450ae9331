"""The forensics staff pages: who may see them, the run pages, polling, the JSON download."""

import json
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from forensics import services
from forensics.models import ForensicsRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_run(synthetic_import):
    return services.run_now(ForensicsRun.objects.create(result_import=synthetic_import))


@pytest.fixture
def analyst_client(client):
    client.force_login(make_staff(Role.ANALYST))
    return client


def url(name, *args, lang="en"):
    return f"/{lang}" + reverse(f"forensics_staff:{name}", args=args)[3:]


def all_urls(run):
    return [
        ("get", url("home")),
        ("post", url("run_start", run.result_import_id)),
        ("get", url("run_detail", run.pk)),
        ("get", url("run_regions", run.pk)),
        ("get", url("run_outliers", run.pk)),
        ("get", url("run_json", run.pk)),
    ]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.DATA_CLERK])
def test_coordinators_and_data_clerks_are_refused(client, done_run, role):
    client.force_login(make_staff(role))
    for method, address in all_urls(done_run):
        assert getattr(client, method)(address).status_code == 403, address
    assert ForensicsRun.objects.count() == 1  # the refused POST started nothing


def test_anonymous_visitors_are_sent_to_sign_in(client, done_run):
    for method, address in all_urls(done_run):
        response = getattr(client, method)(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_analysts_and_administrators_see_the_pages(client, done_run, role):
    client.force_login(make_staff(role))
    for method, address in all_urls(done_run):
        if method == "get":
            assert client.get(address).status_code == 200, address


def test_home_lists_each_election_s_imports_with_a_run_button(analyst_client, synthetic_import):
    response = analyst_client.get(url("home"))
    page = response.content.decode()
    assert "Demo presidential election" in page
    assert "Synthetic official results" in page
    assert "Run the analysis" in page
    assert url("run_start", synthetic_import.pk) in page


def test_home_says_when_nothing_is_imported(analyst_client):
    assert (
        "No official results have been imported yet"
        in analyst_client.get(url("home")).content.decode()
    )


def test_starting_a_run_queues_it_and_shows_its_progress(analyst_client, synthetic_import):
    response = analyst_client.post(url("run_start", synthetic_import.pk))
    run = ForensicsRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("run_detail", run.pk)
    page = analyst_client.get(response["Location"]).content.decode()
    assert f'hx-get="{url("run_detail", run.pk)}"' in page
    assert "Waiting" in page
    # A second click while it waits starts nothing new.
    analyst_client.post(url("run_start", synthetic_import.pk))
    assert ForensicsRun.objects.count() == 1


def test_starting_needs_a_post(analyst_client, synthetic_import):
    assert analyst_client.get(url("run_start", synthetic_import.pk)).status_code == 405
    assert not ForensicsRun.objects.exists()


def test_starting_an_unknown_import_is_a_404(analyst_client):
    assert analyst_client.post(url("run_start", 999999)).status_code == 404


def test_polling_returns_the_status_until_done_then_reloads(analyst_client, synthetic_import):
    run = ForensicsRun.objects.create(result_import=synthetic_import)
    address = url("run_detail", run.pk)
    fragment = analyst_client.get(address, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"hx-trigger" in fragment.content
    services.run_now(run)
    done = analyst_client.get(address, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_run_page_shows_every_test_with_plot_note_and_numbers(analyst_client, done_run):
    page = analyst_client.get(url("run_detail", done_run.pk)).content.decode()
    for title in (
        "Turnout and the leader&#x27;s share",
        "Election fingerprint",
        "Whole-number percentages",
        "Last digits of vote counts",
        "Second digits of vote counts",
        "Counts and percentages ending in 0 or 5",
        "Shape of the turnout distribution",
        "Region by region",
        "Stations that stand out",
    ):
        assert title in page, title
    assert page.count("<svg") >= 8
    assert page.count("What this can and cannot show:") == 9
    assert "305 of 305 stations analysed" in page
    assert "report a whole-number turnout; about" in page
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    # The strict Content-Security-Policy: no inline styles or scripts.
    assert not re.search(r"\sstyle=", page)
    assert "<script>" not in page


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_the_run_page_renders_in_azerbaijani_and_russian(analyst_client, done_run, lang):
    response = analyst_client.get(url("run_detail", done_run.pk, lang=lang))
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()
    assert analyst_client.get(url("run_regions", done_run.pk, lang=lang)).status_code == 200
    assert analyst_client.get(url("home", lang=lang)).status_code == 200


def test_a_failed_run_shows_its_error(analyst_client, synthetic_import):
    run = ForensicsRun.objects.create(
        result_import=synthetic_import, status=ForensicsRun.Status.FAILED, error="ValueError: x"
    )
    page = analyst_client.get(url("run_detail", run.pk)).content.decode()
    assert "The analysis could not be done." in page
    assert "ValueError: x" in page
    for name in ("run_regions", "run_outliers", "run_json"):
        assert analyst_client.get(url(name, run.pk)).status_code == 404


def region_order(page: str) -> list[str]:
    return re.findall(r'<th scope="row">(Region \d)</th>', page)


def test_the_region_table_sorts_by_any_column(analyst_client, done_run):
    base = url("run_regions", done_run.pk)
    page = analyst_client.get(base).content.decode()
    assert region_order(page) == ["Region 1", "Region 2", "Region 3"]
    rows = {r["region"]: r["turnout"] for r in done_run.result["regions"]["rows"]}
    by_turnout = sorted(rows, key=rows.get, reverse=True)
    page = analyst_client.get(base + "?sort=turnout&order=desc").content.decode()
    assert region_order(page) == by_turnout
    assert 'aria-sort="descending"' in page
    page = analyst_client.get(base + "?sort=turnout&order=asc").content.decode()
    assert region_order(page) == by_turnout[::-1]
    # An unknown column falls back to the region names.
    page = analyst_client.get(base + "?sort=nonsense").content.decode()
    assert region_order(page) == ["Region 1", "Region 2", "Region 3"]


def test_the_outliers_list_shows_the_official_rows(analyst_client, done_run):
    page = analyst_client.get(url("run_outliers", done_run.pk)).content.decode()
    assert "Region 1 / 900" in page
    assert "Turnout and the leader&#x27;s share are both very high." in page
    assert "Row 302: registered 1000, issued 1000" in page
    assert "leader 950" in page


def test_the_json_download_is_the_stored_result_and_is_audited(analyst_client, done_run):
    response = analyst_client.get(url("run_json", done_run.pk))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == done_run.result
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(done_run.pk)
    ).exists()
