"""Staff message pages: who may open them, writing and sending a bulk message through the
preview, the live recipient count, delivery counts that refresh while sending, and the log of
inbound SMS."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from elections.tests.factories import ElectionFactory
from messaging.gateways import ConsoleGateway
from messaging.inbound import receive_sms
from messaging.models import BulkMessage, Channel, InboundSms, OutboundMessage
from messaging.services import bulk_message_create, deliver_bulk_batch
from messaging.tests.fixtures import *  # noqa: F403
from observers.models import MobileTeam

BASE = "/en/staff/messages/"
Status = OutboundMessage.Status
SENDERS = {Role.ADMINISTRATOR, Role.COORDINATOR}


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


@pytest.fixture
def bulk(election_day, coordinator):
    return bulk_message_create(
        actor=coordinator,
        election=election_day["election"],
        channel=Channel.SMS,
        subject="",
        bodies={"az": "Salam", "ru": "Привет"},
        filters={"deployment": "deployed"},
    )


def compose_data(election, **extra):
    return {
        "election": election.pk,
        "channel": "sms",
        "body_az": "Sabah saat 7-də məntəqədə olun.",
        "body_ru": "Будьте на участке в 7 утра.",
        "deployment": "deployed",
        **extra,
    }


# --- Who may open the pages ---------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_and_coordinators_open_and_send_messages(
    client, election_day, bulk, role
):
    client.force_login(make_staff(role))
    allowed = role in SENDERS
    pages = [
        BASE,
        f"{BASE}new/",
        f"{BASE}new/recipients/?election={election_day['election'].pk}",
        f"{BASE}{bulk.pk}/",
    ]
    for url in pages:
        assert client.get(url).status_code == (200 if allowed else 403), url
    response = client.post(f"{BASE}new/", compose_data(election_day["election"], action="send"))
    assert response.status_code == (200 if allowed else 403)  # a preview: the count is unknown
    response = client.post(
        f"{BASE}new/", compose_data(election_day["election"], action="send", expected=3)
    )
    assert response.status_code == (302 if allowed else 403)
    assert BulkMessage.objects.count() == (2 if allowed else 1)


@pytest.mark.parametrize("role", list(Role))
def test_the_inbound_log_is_for_those_who_handle_election_day_reports(client, db, role):
    client.force_login(make_staff(role))
    allowed = role in SENDERS
    assert client.get(f"{BASE}inbound/").status_code == (200 if allowed else 403)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_a_citizen_refused(client, election_day):
    for url in [BASE, f"{BASE}new/", f"{BASE}inbound/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"{BASE}new/", compose_data(election_day["election"], action="send"))
    assert response.status_code == 302
    client.force_login(UserFactory())
    for url in [BASE, f"{BASE}new/", f"{BASE}inbound/"]:
        assert client.get(url).status_code == 403
    assert not BulkMessage.objects.exists()


def test_the_navigation_links_to_messages_for_those_who_send_them(client, coordinator):
    client.force_login(coordinator)
    assert f'href="{BASE}"' in client.get("/en/staff/").content.decode()
    client.force_login(make_staff(Role.ANALYST))
    assert f'href="{BASE}"' not in client.get("/en/staff/").content.decode()


# --- Writing and sending --------------------------------------------------------------------


def test_the_preview_shows_recipients_and_texts_and_writes_nothing(
    client, election_day, coordinator
):
    client.force_login(coordinator)
    response = client.post(f"{BASE}new/", compose_data(election_day["election"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check and send" in html
    assert 'id="preview-count">3<' in html
    assert "Sabah saat 7-də məntəqədə olun." in html and "Будьте на участке в 7 утра." in html
    assert 'name="expected" value="3"' in html
    assert "Send to 3 observers" in html
    assert not BulkMessage.objects.exists()


def test_confirming_sends_the_message_and_shows_its_page(
    client, election_day, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}new/", compose_data(election_day["election"], action="send", expected=3)
        )
    bulk = BulkMessage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{bulk.pk}/"
    assert bulk.created_by == coordinator
    assert bulk.filters["deployment"] == "deployed"
    assert len(ConsoleGateway.outbox) == 3
    html = client.get(response["Location"]).content.decode()
    assert "The message is being sent to 3 observers." in html
    assert "Sent: 3" in html and "Ivan Petrov" in html
    assert 'hx-trigger="every 3s"' not in html  # nothing left to wait for


def test_if_the_recipients_changed_since_the_preview_it_asks_again(
    client, election_day, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        f"{BASE}new/", compose_data(election_day["election"], action="send", expected=2)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The observers chosen have changed since the preview." in html
    assert 'name="expected" value="3"' in html
    assert not BulkMessage.objects.exists()


def test_a_message_without_an_election_is_refused(client, election_day, coordinator):
    client.force_login(coordinator)
    data = compose_data(election_day["election"], action="send", expected=3)
    data["election"] = ""
    response = client.post(f"{BASE}new/", data)
    assert "This field is required." in response.content.decode()
    assert not BulkMessage.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"body_az": "", "body_ru": ""}, "Write the message in at least one language."),
        ({"channel": "email"}, "An email needs a subject."),
        ({"station": "99-999"}, "There is no polling station with the code 99-999."),
        ({"language": "ru", "status": "applied"}, "No observer matches these choices."),
        ({"status": "asleep"}, "Select a valid choice."),
    ],
)
def test_what_is_wrong_is_shown_on_the_form_and_nothing_is_sent(
    client, election_day, coordinator, changes, error
):
    client.force_login(coordinator)
    data = compose_data(election_day["election"], action="send", expected=3, **changes)
    response = client.post(f"{BASE}new/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert 'id="bulk-form"' in response.content.decode()
    assert not BulkMessage.objects.exists() and not OutboundMessage.objects.exists()


def test_a_mobile_team_of_another_election_is_refused(client, election_day, coordinator):
    foreign = MobileTeam.objects.create(election=ElectionFactory(), name="Foreign")
    client.force_login(coordinator)
    data = compose_data(election_day["election"], mobile_team=foreign.pk)
    html = client.post(f"{BASE}new/", data).content.decode()
    assert "This mobile team does not belong to the election." in html
    assert not BulkMessage.objects.exists()


def test_changing_the_message_after_the_preview_keeps_what_was_written(
    client, election_day, coordinator
):
    client.force_login(coordinator)
    data = compose_data(election_day["election"], action="edit", expected=3)
    html = client.post(f"{BASE}new/", data).content.decode()
    assert 'id="bulk-form"' in html and "Будьте на участке в 7 утра." in html
    assert not BulkMessage.objects.exists()


def test_the_live_count_says_how_many_get_it_and_who_is_skipped(client, election_day, coordinator):
    client.force_login(coordinator)
    url = f"{BASE}new/recipients/"
    election = election_day["election"].pk
    html = client.get(url, {"election": election}, HTTP_HX_REQUEST="true").content.decode()
    assert "3 observers will get this message." in html
    html = client.get(url, {"election": election, "channel": "email"}).content.decode()
    assert "1 observer will get this message." in html
    assert "2 more are chosen but have no email address and will be skipped." in html
    html = client.get(url, {"election": election, "language": "ru"}).content.decode()
    assert "1 observer will get this message." in html
    html = client.get(url, {}).content.decode()
    assert "This field is required." in html
    html = client.get(url, {"election": election, "station": "99-1"}).content.decode()
    assert "There is no polling station with the code 99-1." in html


# --- Following delivery ---------------------------------------------------------------------


def test_the_list_shows_delivery_counts_and_refreshes_only_while_sending(client, bulk):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    html = client.get(BASE).content.decode()
    assert 'hx-trigger="every 3s"' in html
    assert '<td class="num">3</td>' in html  # queued
    deliver_bulk_batch(bulk_id=bulk.pk, size=10)
    OutboundMessage.objects.filter(pk=bulk.messages.first().pk).update(status=Status.DELIVERED)
    fragment = client.get(BASE, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<div") or 'id="bulk-table"' in fragment
    assert "<h1>" not in fragment
    assert 'hx-trigger="every 3s"' not in fragment


def test_a_messages_page_lists_each_recipient_with_status_and_filters_them(client, bulk):
    client.force_login(make_staff(Role.COORDINATOR))
    url = f"{BASE}{bulk.pk}/"
    html = client.get(url).content.decode()
    assert "Queued: 3" in html and 'hx-trigger="every 3s"' in html
    assert "Aysel Əliyeva" in html and "Привет" in html
    row = bulk.messages.get(observer__full_name="John Smith")
    row.status, row.error = Status.FAILED, "absent subscriber"
    row.save()
    html = client.get(url, {"status": "failed"}).content.decode()
    assert "John Smith" in html and "absent subscriber" in html and "Aysel Əliyeva" not in html
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="bulk-progress"' in fragment and "<h1>" not in fragment
    assert client.get(f"{BASE}999999/").status_code == 404


def test_the_inbound_log_lists_messages_with_their_outcome_and_reply(
    client, election_day, coordinator
):
    receive_sms(sender=election_day["john"].phone, text="CL 15 A1 Y B1 900 B2 450", gateway_id="a")
    receive_sms(sender=election_day["john"].phone, text="CL 15 A1 maybe", gateway_id="b")
    receive_sms(sender="+994559998877", text="spam", gateway_id="c")
    client.force_login(coordinator)
    html = client.get(f"{BASE}inbound/").content.decode()
    assert "3 messages." in html
    assert "CL accepted: 3 answers." in html and "John Smith" in html
    assert "A1: Answer yes or no." in html
    html = client.get(f"{BASE}inbound/", {"outcome": InboundSms.Outcome.ACCEPTED}).content
    assert "1 message." in html.decode()
    html = client.get(f"{BASE}inbound/", {"q": "9998877"}).content.decode()
    assert "1 message." in html and "spam" in html
