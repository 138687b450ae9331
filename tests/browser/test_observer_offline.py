"""An observer on a phone with a bad connection: signs in, fills a form offline, reloads the
page (the service worker opens it without a connection), and the form is sent — once — when
the connection comes back."""

import copy
import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import make_staff
from observation import signin
from observation.models import Submission, SubmissionPhoto
from observation.tests.phone_fixtures import *  # noqa: F403
from observation.tests.phone_fixtures import JPEG_BYTES, make_observer
from tests.browser.conftest import describe, horizontal_overflow, run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# While offline the page's requests fail on purpose; anything else is a problem.
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "net::ERR_FAILED")


@pytest.fixture
def private_media(monkeypatch, tmp_path):
    from django.core.files.storage import FileSystemStorage

    field = SubmissionPhoto._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    return tmp_path / "private"


@pytest.fixture
def access_code(live_server, observer):
    return signin.issue_access_code(observer, actor=make_staff(Role.COORDINATOR))


def real_problems(page) -> list[str]:
    return [problem for problem in page.problems if not any(n in problem for n in OFFLINE_NOISE)]


def sign_in_with_access_code(page, base_url: str, code: str, language: str = "en") -> None:
    page.goto(f"{base_url}/{language}/observer/")
    expect(page.locator("#sign-in-title")).to_be_visible()
    page.fill("#access-code", code)
    page.click("#access-sign-in")
    expect(page.locator("#home-title")).to_be_visible()


def wait_for_service_worker(page) -> None:
    page.wait_for_function(
        "async () => { await navigator.serviceWorker.ready;"
        " return navigator.serviceWorker.controller !== null; }"
    )


def fill_opening_form(page) -> None:
    page.get_by_label("No", exact=True).first.check()  # A1: not on time, so A2 is asked
    page.fill("#q-A2-input", "07:45")
    page.locator("#q-A3").get_by_label("Yes", exact=True).check()
    page.fill("#q-B1-input", "900")
    page.fill("#q-B2-input", "950")
    page.locator("#q-B3").get_by_label("Sealed").check()
    page.locator("#q-B4").get_by_label("Ink").check()
    page.fill("#q-B5-input", "The door opened late.")


def test_an_observer_fills_a_form_offline_and_it_is_sent_once_back_online(
    live_server, phone_page, observer, station, open_form, access_code, private_media
):
    page = phone_page
    sign_in_with_access_code(page, live_server.url, access_code)
    expect(page.locator("#home-title")).to_have_text("Aysel Məmmədova")
    expect(page.locator("#stations")).to_contain_text(station.code)
    wait_for_service_worker(page)
    # The service worker now controls the page: /me goes through it and is kept.
    page.reload()
    expect(page.locator("#home-title")).to_have_text("Aysel Məmmədova")

    page.context.set_offline(True)
    expect(page.locator("#connection")).to_contain_text("No connection")
    page.click(f"a[href='#/form/{open_form.pk}/{station.pk}']")
    expect(page.locator("#form-title")).to_contain_text("OP")
    expect(page.locator("#q-A2")).to_be_hidden()
    fill_opening_form(page)
    page.set_input_files(
        "#q-B6-input",
        files=[{"name": "protocol.jpg", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}],
    )
    expect(page.locator("#q-B6-photo")).to_contain_text("protocol.jpg")
    screenshot(page, "observer-form-offline")
    page.click("#send")

    expect(page.locator("#notice")).to_contain_text("Saved on this phone")
    expect(page.locator("#queue-title")).to_have_text("Waiting to be sent: 1")
    assert not Submission.objects.exists()
    screenshot(page, "observer-queued-offline")

    # A reload without a connection: the service worker opens the page, the queue is kept.
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("#home-title")).to_have_text("Aysel Məmmədova")
    expect(page.locator("#queue-title")).to_have_text("Waiting to be sent: 1")
    expect(page.locator("#queue-items [data-state='waiting']")).to_have_count(1)
    assert not Submission.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#queue-title")).to_have_text("Everything you filled in has been sent.")
    expect(page.locator("#queue-items [data-state='sent']")).to_have_count(1)
    screenshot(page, "observer-sent")

    submission = Submission.objects.get()
    assert submission.observer == observer and submission.station == station
    assert submission.channel == "web"
    assert submission.answers["A1"] is False and submission.answers["A2"] == "07:45"
    assert submission.answers["B4"] == ["ink"] and submission.answers["B1"] == 900
    photo = SubmissionPhoto.objects.get()
    assert submission.answers["B6"] == photo.id.hex

    # The phone sends the same form again (a lost answer, another tab): still one row.
    page.evaluate(
        """async () => {
            const [item] = await BirlikStore.queue.all();
            item.state = "waiting";
            await BirlikStore.queue.put(item);
        }"""
    )
    page.reload()
    expect(page.locator("#queue-items [data-state='sent']")).to_have_count(1)
    assert Submission.objects.count() == 1
    assert SubmissionPhoto.objects.count() == 1
    assert not real_problems(page), real_problems(page)


def test_the_phone_checks_answers_and_shows_the_servers_errors(
    live_server, phone_page, election, observer, station, open_form, access_code
):
    page = phone_page
    sign_in_with_access_code(page, live_server.url, access_code)
    page.click(f"a[href='#/form/{open_form.pk}/{station.pk}']")
    expect(page.locator("#form-title")).to_be_visible()

    # Nothing answered: every required question says so, and nothing is queued.
    page.click("#send")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#q-A1-error")).to_have_text("This question needs an answer.")
    expect(page.locator("#q-A2")).to_be_hidden()  # skipped: A1 not answered
    page.fill("#q-B1-input", "5000")
    page.click("#send")
    expect(page.locator("#q-B1-error")).to_have_text("Enter a number from 0 to 3000.")
    assert page.evaluate("async () => (await BirlikStore.queue.all()).length") == 0
    screenshot(page, "observer-form-errors")
    violations = run_axe(page)
    assert not violations, describe(violations)

    # A rule across answers is checked on the phone too.
    fill_opening_form(page)
    page.fill("#q-B1-input", "100")
    page.fill("#q-B2-input", "500")
    page.click("#send")
    expect(page.locator("#form-errors")).to_contain_text("More ballots than voters")

    # The form changed on the server since the phone loaded it: the server's own error is
    # shown under its question.
    schema = copy.deepcopy(open_form.current_version.schema)
    schema["sections"][1]["questions"][0]["max"] = 50
    make_new_version(open_form, schema)
    page.fill("#q-B1-input", "900")
    page.fill("#q-B2-input", "950")
    page.click("#send")
    expect(page.locator("#q-B1-error")).to_have_text("Enter a number from 0 to 50.")
    expect(page.locator("#form-errors")).to_be_visible()
    assert not Submission.objects.exists()
    # The refusal itself is the only request that failed.
    assert all("422" in problem for problem in page.problems), page.problems


def make_new_version(form, schema):
    from questionnaires.models import QuestionnaireVersion

    version = QuestionnaireVersion.objects.create(questionnaire=form, number=2, schema=schema)
    form.current_version = version
    form.save(update_fields=["current_version"])


def test_one_question_at_a_time(live_server, phone_page, station, open_form, access_code):
    page = phone_page
    sign_in_with_access_code(page, live_server.url, access_code)
    page.click(f"a[href='#/form/{open_form.pk}/{station.pk}']")
    page.click("#mode-steps")
    expect(page.locator("#form-progress")).to_have_text("Question 1 of 8")
    page.click("#next")
    expect(page.locator("#q-A1-error")).to_have_text("This question needs an answer.")
    page.locator("#q-A1").get_by_label("No", exact=True).check()
    page.click("#next")
    # Answering "no" brings in the question about the time.
    expect(page.locator("#form-progress")).to_have_text("Question 2 of 9")
    expect(page.locator("#q-A2-input")).to_be_focused()
    screenshot(page, "observer-form-steps")
    violations = run_axe(page)
    assert not violations, describe(violations)

    # The browser closed the tab: the unsent answers come back, at the same kind of view.
    page.fill("#q-A2-input", "07:45")
    page.wait_for_function(
        """async (key) => {
            const draft = await BirlikStore.get(key);
            return Boolean(draft && draft.values.A2 === "07:45");
        }""",
        arg=f"draft:{open_form.pk}:{station.pk}",
    )
    page.reload()
    expect(page.locator("#notice")).to_have_text("Your unsent answers were restored.")
    expect(page.locator("#q-A1").get_by_label("No", exact=True)).to_be_checked()
    expect(page.locator("#mode-steps")).to_have_attribute("aria-pressed", "true")


def test_sign_in_with_a_code_by_sms(live_server, phone_page, observer):
    from messaging.gateways import ConsoleGateway

    ConsoleGateway.outbox.clear()
    page = phone_page
    page.goto(f"{live_server.url}/en/observer/")
    page.fill("#phone-number", "050 111 22 33")
    page.click("#request-code")
    expect(page.locator("#code-sent-to")).to_contain_text("a code is on its way")
    # The SMS is in the observer's language; the code is its only run of six digits.
    code = re.search(r"\b\d{6}\b", ConsoleGateway.outbox[-1].text).group(0)
    page.fill("#sms-code", "000000" if code != "000000" else "111111")
    page.click("#verify-code")
    expect(page.locator("#sign-in-error")).to_contain_text("wrong or has expired")
    page.fill("#sms-code", code)
    page.click("#verify-code")
    expect(page.locator("#home-title")).to_have_text("Aysel Məmmədova")
    assert observer.devices.count() == 1


def test_sign_in_screen_fits_a_phone_and_is_accessible(live_server, phone_page, db):
    page = phone_page
    page.goto(f"{live_server.url}/az/observer/")
    expect(page.locator("#sign-in-title")).to_be_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "observer-sign-in-az")
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.fill("#access-code", "WRONG123")
    page.click("#access-sign-in")
    expect(page.locator("#sign-in-error")).to_be_visible()
    expect(page.locator("#access-code")).to_have_attribute("aria-invalid", "true")
    assert all("400" in problem for problem in page.problems), page.problems


def test_home_and_form_fit_a_360_px_phone(
    live_server, phone_page, election, station, open_form, access_code
):
    page = phone_page
    sign_in_with_access_code(page, live_server.url, access_code, language="ru")
    assert horizontal_overflow(page) == 0
    screenshot(page, "observer-home-ru")
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.click(f"a[href='#/form/{open_form.pk}/{station.pk}']")
    expect(page.locator("#form-title")).to_be_visible()
    assert horizontal_overflow(page) == 0
    violations = run_axe(page)
    assert not violations, describe(violations)
    screenshot(page, "observer-form-ru")
    assert not page.problems, page.problems


def test_a_second_observer_on_the_same_phone_never_sees_the_first(
    live_server, phone_page, election, station, open_form, access_code
):
    page = phone_page
    sign_in_with_access_code(page, live_server.url, access_code)
    page.click("#sign-out")
    expect(page.locator("#sign-in-title")).to_be_visible()
    other = make_observer(election, station=station, full_name="Tural Həsənov")
    other_code = signin.issue_access_code(other, actor=None)
    page.fill("#access-code", other_code)
    page.click("#access-sign-in")
    expect(page.locator("#home-title")).to_have_text("Tural Həsənov")
    expect(page.locator("main")).not_to_contain_text("Aysel")
