"""The results pages of issue 4 in headless Chromium: the quick count (estimates with their
charts, the design page's calculator, the sample stations), a forensics run, official results
and the comparison, quarantine, double entry up to arbitration, and the public results page
with a published statement. Each page keeps to the Content-Security-Policy, logs no console
error, loads every resource, passes axe and fits a phone."""

import csv

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from electionstats.layouts import read_csv_mapped
from forensics import services as forensics_services
from forensics.models import ForensicsRun
from forensics.tests.conftest import MAPPING, OPTIONS, store_table, synthetic_rows
from incidents.categories import ensure_default_categories
from quickcount import services as quickcount_services
from quickcount.tests.conftest import design, frame_stations, report  # noqa: F401  (fixtures)
from results.models import DataEntryTask, Protocol
from results.tests.conftest import (  # noqa: F401  (fixtures; two autouse)
    _default_checks,
    analyst,
    clerks,
    contest,
    coordinator,
    election,
    geography,
    good_numbers,
    observer,
    private_storage,
    regions,
    stations,
)
from results.tests.test_comparison import import_rows, protocol
from results.tests.test_entry import different_numbers, make_task
from results.tests.test_protocol_views import baku_coordinator, baku_protocol  # noqa: F401
from statements import services as statement_services
from statements.tests.conftest import built  # noqa: F401  (fixture)
from tests.browser.conftest import describe, horizontal_overflow, run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "/staff"


def signed_in(page, live_server, user):
    """The browser carries a session of `user` (and no other)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def duplicate_ids(tab) -> set[str]:
    return set(
        tab.evaluate(
            """() => [...document.querySelectorAll("[id]")].map((el) => el.id)
                .filter((id, i, ids) => ids.indexOf(id) !== i)"""
        )
    )


def clean(tab, name: str, *, known_duplicate_ids: frozenset = frozenset()) -> None:
    """The page open in `tab` had no problem, has no id twice (a label would name the wrong
    field) and passes axe."""
    assert not tab.problems, tab.problems
    assert duplicate_ids(tab) <= known_duplicate_ids, duplicate_ids(tab)
    violations = run_axe(tab)
    assert not violations, f"{tab.url}\n{describe(violations)}"
    screenshot(tab, name)


# The innermost elements reaching past the window's right edge (and not clipped by a scrolling
# box that fits), for the failure message.
_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const past = (el) => el.getBoundingClientRect().right > width + 0.5;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible" && !past(up)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((el) => past(el) && !clipped(el))
    .filter((el) => ![...el.children].some((child) => past(child) && !clipped(child)))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
      + `(right ${Math.round(el.getBoundingClientRect().right)})`);
}"""


def fits_a_phone(phone, live_server, paths: list[str]) -> None:
    for path in paths:
        phone.goto(f"{live_server.url}{path}")
        overflow = horizontal_overflow(phone)
        assert overflow <= 0, f"{path}: {overflow} px too wide: {phone.evaluate(_TOO_WIDE)}"
    assert not phone.problems, phone.problems


# --- Data ---------------------------------------------------------------------------------------


@pytest.fixture
def drawn(design, analyst):  # noqa: F811
    """The quick-count design drawn, with 12 of its sample stations reported (10 needed)."""
    quickcount_services.draw_sample(design, actor=analyst, seed=11)
    design.refresh_from_db()
    report(design, 12)
    return design


@pytest.fixture
def forensics_run(tmp_path, contest):  # noqa: F811
    """A done forensics run on a small official import (the forensics tests' synthetic rows)."""
    path = tmp_path / "synthetic.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Region", "Station", "Registered", "Issued", "Invalid", *OPTIONS])
        writer.writerows(synthetic_rows(120))
    result_import = store_table(read_csv_mapped(path, MAPPING, options=OPTIONS), contest)
    run = forensics_services.run_now(ForensicsRun.objects.create(result_import=result_import))
    assert run.status == ForensicsRun.Status.DONE, run.error
    return run


@pytest.fixture
def official(election, contest, stations, analyst):  # noqa: F811
    """An official import of three stations; the observers' copy of one of them differs."""
    result_import = import_rows(
        election,
        contest,
        [
            "12-034,1245,900,890,10,880,650,150,80",
            "12-035,980,500,490,10,480,300,100,80",
            "113-034,700,400,390,0,390,390,0,0",
        ],
        actor=analyst,
    )
    protocol(election, contest, stations["12-034"], {1: 500, 2: 200, 3: 80})
    protocol(
        election,
        contest,
        stations["12-035"],
        {1: 300, 2: 100, 3: 80},
        registered=980,
        issued=500,
        cast=490,
        valid=480,
    )
    return result_import


@pytest.fixture
def task(election, contest, stations):  # noqa: F811
    cache.clear()  # no clerk's claim left over from another test
    yield make_task(election, contest, stations["12-034"])
    cache.clear()


@pytest.fixture
def published(request, analyst):  # noqa: F811
    """A preliminary statement drafted from the statement tests' election and published."""
    ensure_default_categories()  # `built` files an incident in one of them
    built_data = request.getfixturevalue("built")
    statement = statement_services.draft_statement(
        actor=analyst, election=built_data["design"].election
    )
    return statement_services.publish_statement(actor=analyst, statement=statement)


# --- Quick count --------------------------------------------------------------------------------


def test_quick_count_estimates_draw_their_charts(live_server, request, analyst, drawn):  # noqa: F811
    tab = signed_in(request.getfixturevalue("page"), live_server, analyst)
    tab.goto(f"{live_server.url}/en{STAFF}/quick-count/{drawn.pk}/estimates/")
    expect(tab.locator(".qc-reported")).to_contain_text("12 of")
    expect(tab.locator(".qc-chart svg").first).to_be_visible()
    assert tab.locator(".qc-chart svg polyline.qc-line").count() >= 3  # turnout, options…
    clean(tab, "results-quickcount-estimates")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, analyst)
    base = f"/az{STAFF}/quick-count/{drawn.pk}/"
    fits_a_phone(phone, live_server, [f"{base}estimates/", base, f"{base}stations/"])
    screenshot(phone, "results-quickcount-estimates-phone")


def test_the_design_page_calculator_updates_as_you_type(live_server, request, analyst, drawn):  # noqa: F811
    tab = signed_in(request.getfixturevalue("page"), live_server, analyst)
    tab.goto(f"{live_server.url}/en{STAFF}/quick-count/new/")
    calculator = tab.locator("form.qc-calculator")
    calculator.get_by_label("Margin of error (± percentage points)").fill("3")
    # z = 1.96, p = 0.5: n₀ = 1.96² · 0.25 / 0.03² = 1067.1, rounded up.
    expect(tab.locator("#qc-calc-result .qc-calc-result__n")).to_contain_text("1,068")
    calculator.get_by_label("Margin of error (± percentage points)").fill("2")
    expect(tab.locator("#qc-calc-result .qc-calc-result__n")).to_contain_text("2,401")
    clean(tab, "results-quickcount-design-form")

    tab.goto(f"{live_server.url}/az{STAFF}/quick-count/calculator/")  # the calculator alone
    tab.locator("#id_margin").fill("3")
    expect(tab.locator("#qc-calc-result .qc-calc-result__n")).to_contain_text("068")
    clean(tab, "results-quickcount-calculator")

    tab.goto(f"{live_server.url}/en{STAFF}/quick-count/{drawn.pk}/")
    expect(tab.locator("h1")).to_contain_text("Test sample")
    clean(tab, "results-quickcount-design")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, analyst)
    fits_a_phone(
        phone, live_server, [f"/az{STAFF}/quick-count/new/", f"/az{STAFF}/quick-count/calculator/"]
    )


def test_the_sample_stations_page(live_server, request, analyst, drawn):  # noqa: F811
    tab = signed_in(request.getfixturevalue("page"), live_server, analyst)
    tab.goto(f"{live_server.url}/en{STAFF}/quick-count/{drawn.pk}/stations/")
    expect(tab.locator("table tbody tr").first).to_be_visible()
    clean(tab, "results-quickcount-stations")


# --- Forensics ----------------------------------------------------------------------------------


def test_a_forensics_run_shows_its_plots(live_server, request, analyst, forensics_run):  # noqa: F811
    tab = signed_in(request.getfixturevalue("page"), live_server, analyst)
    tab.goto(f"{live_server.url}/en{STAFF}/forensics/runs/{forensics_run.pk}/")
    expect(tab.locator(".fx-summary")).to_be_visible()
    assert tab.locator(".fx-figure svg").count() >= 2
    clean(tab, "results-forensics-run")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, analyst)
    base = f"/az{STAFF}/forensics/runs/{forensics_run.pk}/"
    fits_a_phone(phone, live_server, [base, f"{base}regions/", f"{base}outliers/"])
    screenshot(phone, "results-forensics-run-phone")


# --- Official results ---------------------------------------------------------------------------


def test_official_results_and_the_comparison(
    live_server,
    request,
    analyst,  # noqa: F811
    contest,  # noqa: F811
    official,
):
    tab = signed_in(request.getfixturevalue("page"), live_server, analyst)
    tab.goto(f"{live_server.url}/en{STAFF}/results/official/{official.pk}/")
    expect(tab.locator("h1")).to_contain_text("CEC")
    clean(tab, "results-official-detail")

    tab.goto(f"{live_server.url}/en{STAFF}/results/comparison/{contest.pk}/")
    expect(tab.locator("main")).to_contain_text("12-034")
    clean(tab, "results-comparison")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, analyst)
    fits_a_phone(
        phone,
        live_server,
        [
            f"/az{STAFF}/results/official/{official.pk}/",
            f"/az{STAFF}/results/comparison/{contest.pk}/",
        ],
    )
    screenshot(phone, "results-comparison-phone")


# --- Quarantine ---------------------------------------------------------------------------------


def test_a_coordinator_accepts_a_quarantined_protocol_with_a_note(
    live_server,
    request,
    baku_coordinator,  # noqa: F811
    baku_protocol,  # noqa: F811
):
    assert baku_protocol.status == Protocol.Status.QUARANTINED
    tab = signed_in(request.getfixturevalue("page"), live_server, baku_coordinator)
    tab.goto(f"{live_server.url}/en{STAFF}/results/quarantine/")
    expect(tab.locator("main")).to_contain_text("1 protocol in quarantine.")
    clean(tab, "results-quarantine")

    tab.click("text=12-034")
    expect(tab.locator("h1")).to_contain_text("Protocol of station 12-034")
    expect(tab.locator(".tag").first).to_have_text("In quarantine")
    clean(tab, "results-protocol-quarantined")

    form = tab.locator("form", has_text="Accept as it is")
    form.get_by_label("Note").fill("Checked against the photo: the commission wrote this.")
    with tab.expect_navigation():
        form.get_by_role("button", name="Accept").click()
    expect(tab.locator(".messages")).to_contain_text("The protocol was accepted.")
    expect(tab.locator(".details .tag")).to_have_text("Accepted")
    expect(tab.locator(".details")).to_contain_text("Checked against the photo")
    baku_protocol.refresh_from_db()
    assert baku_protocol.status == Protocol.Status.ACCEPTED
    clean(tab, "results-protocol-accepted")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, baku_coordinator)
    fits_a_phone(
        phone,
        live_server,
        [f"/az{STAFF}/results/quarantine/", f"/az{STAFF}/results/protocols/{baku_protocol.pk}/"],
    )


# --- Double entry -------------------------------------------------------------------------------


def enter(tab, numbers: dict) -> None:
    form = tab.locator("form.entry-form")
    for line, value in numbers.items():
        if line == "votes":
            for number, votes in value.items():
                form.locator(f"[name=option_{number}]").fill(str(votes))
        else:
            form.locator(f"[name={line}]").fill(str(value))
    with tab.expect_navigation():
        form.get_by_role("button", name="Save and take the next").click()


def test_two_clerks_disagree_and_a_third_settles(live_server, request, clerks, task):  # noqa: F811
    tab = request.getfixturevalue("page")
    form_url = f"{live_server.url}/en{STAFF}/results/entry/tasks/{task.pk}/"

    signed_in(tab, live_server, clerks[0])
    tab.goto(form_url)
    expect(tab.locator("h1")).to_contain_text("12-034")
    expect(tab.locator(".entry-photo img")).to_have_js_property("complete", True)
    assert tab.locator(".entry-photo img").evaluate("img => img.naturalWidth") == 40
    clean(tab, "results-entry-form")
    enter(tab, good_numbers())
    task.refresh_from_db()
    assert task.status == DataEntryTask.Status.SECOND_ENTRY

    signed_in(tab, live_server, clerks[1])
    tab.goto(form_url)
    expect(tab.locator("form.entry-form [name=registered]")).to_have_value("")  # blind
    enter(tab, different_numbers())
    task.refresh_from_db()
    assert task.status == DataEntryTask.Status.ARBITRATION

    signed_in(tab, live_server, clerks[2])
    tab.goto(f"{live_server.url}/en{STAFF}/results/entry/arbitration/")
    clean(tab, "results-arbitration-list")
    tab.goto(f"{live_server.url}/en{STAFF}/results/entry/arbitration/{task.pk}/")
    differing = tab.locator("tr.entry-compare__differs")
    expect(differing).to_have_count(2)  # valid ballots and candidate 1
    expect(differing.first).to_contain_text("differs")
    clean(tab, "results-arbitration")

    phone = signed_in(request.getfixturevalue("phone_page"), live_server, clerks[2])
    fits_a_phone(phone, live_server, [f"/az{STAFF}/results/entry/arbitration/{task.pk}/"])
    screenshot(phone, "results-arbitration-phone")


def test_the_entry_form_fits_a_phone(live_server, request, clerks, task):  # noqa: F811
    phone = signed_in(request.getfixturevalue("phone_page"), live_server, clerks[0])
    fits_a_phone(
        phone,
        live_server,
        [f"/az{STAFF}/results/entry/", f"/az{STAFF}/results/entry/tasks/{task.pk}/"],
    )
    screenshot(phone, "results-entry-form-phone")


# --- Public -------------------------------------------------------------------------------------


def test_the_public_results_page_and_a_statement(live_server, request, published):
    tab = request.getfixturevalue("page")
    phone = request.getfixturevalue("phone_page")
    for language in ("az", "ru"):
        tab.goto(f"{live_server.url}/{language}/results/")
        expect(tab.locator("html")).to_have_attribute("lang", language)
        expect(tab.locator(".statements-list li")).to_have_count(1)
        expect(tab.locator(".statements-bar").first).to_be_attached()  # the quick count
        clean(tab, f"results-public-{language}")

        tab.locator(".statements-list a").first.click()
        expect(tab.locator("h1")).not_to_be_empty()
        assert f"/{language}/results/{published.slug}/" in tab.url
        clean(tab, f"results-statement-{language}")

        fits_a_phone(
            phone,
            live_server,
            [f"/{language}/results/", f"/{language}/results/{published.slug}/"],
        )
    screenshot(phone, "results-statement-phone")
