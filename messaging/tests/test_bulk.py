"""Bulk messages: choosing observers by filter, checking the message, and sending it in
batches by SMS (console and HTTP gateways) or email, with each recipient's status."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from messaging import services, tasks
from messaging.gateways import ConsoleGateway
from messaging.models import BulkMessage, Channel, OutboundMessage
from messaging.tests.fixtures import *  # noqa: F403
from observers.models import Observer
from observers.tests.factories import ObserverFactory

Status = OutboundMessage.Status
NO_FILTER: dict = {}
TOO_LONG = "Write at most 480 characters (this text has 481)."


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


def names(observers) -> set[str]:
    return {observer.full_name for observer in observers}


def create(actor, election, *, channel=Channel.SMS, subject="", filters=None, **bodies):
    return services.bulk_message_create(
        actor=actor,
        election=election,
        channel=channel,
        subject=subject,
        bodies=bodies or {"az": "Salam"},
        filters=filters if filters is not None else NO_FILTER,
    )


# --- Choosing observers -------------------------------------------------------------------


def test_without_a_status_everyone_but_rejected_applicants_is_chosen(election_day):
    election = election_day["election"]
    ObserverFactory(election=election, full_name="Rejected", status=Observer.Status.REJECTED)
    ObserverFactory(full_name="Another election")
    chosen = services.observers_matching(election, {})
    assert names(chosen) == {"Aysel Əliyeva", "Ivan Petrov", "John Smith"}
    assert names(services.observers_matching(election, {"status": "rejected"})) == {"Rejected"}


def test_the_filters_choose_by_status_region_deployment_station_team_and_language(
    election_day, geography
):
    election = election_day["election"]
    shaki = geography["regions"]["seki-zaqatala"]
    ObserverFactory(
        election=election, full_name="Trained", status=Observer.Status.TRAINED, region=shaki
    )
    match = lambda **filters: names(services.observers_matching(election, filters))  # noqa: E731
    assert match(status="trained") == {"Trained"}
    assert match(region=shaki.pk) == {"Trained"}
    assert match(deployment="not_deployed") == {"Trained"}
    assert match(deployment="deployed") == {"Aysel Əliyeva", "Ivan Petrov", "John Smith"}
    assert match(station="12-034") == {"Aysel Əliyeva"}
    assert match(station="13-001") == {"Ivan Petrov"}  # through the mobile team
    assert match(mobile_team=election_day["team"].pk) == {"Ivan Petrov"}
    assert match(language="ru") == {"Ivan Petrov"}
    assert match(language="en", deployment="deployed") == {"John Smith"}


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"status": "asleep"}, "status"),
        ({"region": 999_999}, "region"),
        ({"deployment": "abroad"}, "deployment"),
        ({"station": "99-999"}, "station"),
        ({"mobile_team": 999_999}, "mobile_team"),
        ({"language": "de"}, "language"),
    ],
)
def test_a_filter_naming_what_does_not_exist_is_refused(election_day, filters, field):
    with pytest.raises(ValidationError) as caught:
        services.observers_matching(election_day["election"], filters)
    assert field in caught.value.message_dict


# --- Checking a message -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"bodies": {"az": " "}}, "body_az", "Write the message in at least one language."),
        ({"bodies": {"en": "x" * 481}}, "body_en", TOO_LONG),
        ({"channel": "email", "subject": ""}, "subject", "An email needs a subject."),
        ({"channel": "fax"}, "channel", "Choose SMS or email."),
    ],
)  # fmt: skip
def test_a_message_that_breaks_a_rule_is_refused_and_nothing_is_written(
    election_day, coordinator, arguments, field, message
):
    values = {"channel": Channel.SMS, "subject": "", "bodies": {"az": "Salam"}, **arguments}
    with pytest.raises(ValidationError) as caught:
        services.bulk_message_create(
            actor=coordinator, election=election_day["election"], filters={}, **values
        )
    assert caught.value.message_dict[field] == [message]
    assert not BulkMessage.objects.exists() and not OutboundMessage.objects.exists()


def test_a_message_nobody_would_get_is_refused(election_day, coordinator):
    with pytest.raises(ValidationError) as caught:
        create(
            coordinator, election_day["election"], filters={"language": "ru", "status": "applied"}
        )
    assert caught.value.messages == ["No observer matches these choices."]
    Observer.objects.update(email="")
    with pytest.raises(ValidationError) as caught:
        create(coordinator, election_day["election"], channel=Channel.EMAIL, subject="Hi")
    assert caught.value.messages == ["None of the 3 observers chosen has an email address."]
    assert not BulkMessage.objects.exists()


def test_the_plan_shows_which_text_each_language_gets(election_day):
    plan = services.bulk_message_plan(
        election=election_day["election"],
        channel=Channel.SMS,
        subject="",
        bodies={"az": "Salam", "en": "", "ru": "Привет"},
        filters={},
    )
    assert plan.count == 3 and plan.skipped == 0
    assert plan.versions() == [
        {"language": "az", "body": "Salam", "count": 2, "languages": ["az", "en"]},
        {"language": "ru", "body": "Привет", "count": 1, "languages": ["ru"]},
    ]
    assert not BulkMessage.objects.exists()


# --- Sending --------------------------------------------------------------------------------


def test_a_bulk_sms_goes_to_each_observer_in_their_language_falling_back_to_azerbaijani(
    election_day, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulk = create(
            coordinator,
            election_day["election"],
            filters={"deployment": "deployed"},
            az="Sabah saat 7-də məntəqədə olun.",
            ru="Будьте на участке в 7 утра.",
        )

    sent = {(sms.to, sms.text) for sms in ConsoleGateway.outbox}
    assert sent == {
        (election_day["aysel"].phone, "Sabah saat 7-də məntəqədə olun."),
        (election_day["john"].phone, "Sabah saat 7-də məntəqədə olun."),  # no English text
        (election_day["ivan"].phone, "Будьте на участке в 7 утра."),
    }
    rows = bulk.messages.all()
    assert {row.status for row in rows} == {Status.SENT}
    assert all(row.provider_id and row.sent_at for row in rows)
    assert (bulk.recipient_count, bulk.skipped_count) == (3, 0)
    assert bulk.filters == {"deployment": "deployed"}
    counts = BulkMessage.objects.with_counts().get()
    assert (counts.queued_count, counts.sent_count, counts.failed_count) == (0, 3, 0)
    entry = AuditEntry.objects.for_object(bulk).get(action="create")
    assert entry.actor == coordinator
    assert entry.changes["recipients"] == 3 and entry.changes["channel"] == "sms"


def test_without_a_worker_the_rows_wait_queued(election_day, coordinator):
    bulk = create(coordinator, election_day["election"], az="Salam")  # never committed here
    assert set(bulk.messages.values_list("status", flat=True)) == {Status.QUEUED}
    assert ConsoleGateway.outbox == []


def test_a_large_message_is_sent_in_batches(
    election_day, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    ObserverFactory.create_batch(4, election=election_day["election"])
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    with django_capture_on_commit_callbacks(execute=True):
        bulk = create(coordinator, election_day["election"], az="Salam")
    assert bulk.recipient_count == 7
    assert set(bulk.messages.values_list("status", flat=True)) == {Status.SENT}
    assert len(ConsoleGateway.outbox) == 7


def test_a_batch_leaves_the_rest_queued_for_the_next(election_day, coordinator):
    bulk = create(coordinator, election_day["election"], az="Salam")
    handled, more = services.deliver_bulk_batch(bulk_id=bulk.pk, size=2)
    assert (handled, more) == (2, True)
    assert bulk.messages.filter(status=Status.QUEUED).count() == 1
    assert services.deliver_bulk_batch(bulk_id=bulk.pk, size=2) == (1, False)
    assert services.deliver_bulk_batch(bulk_id=bulk.pk, size=2) == (0, False)
    assert len(ConsoleGateway.outbox) == 3  # nobody twice


def test_a_bulk_sms_through_the_http_gateway_records_ids_and_failures(
    election_day, coordinator, settings, gateway_server, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = "http"
    settings.SMS_GATEWAY_URL = gateway_server.url
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    # The gateway takes the first message and refuses the others.
    gateway_server.answer = lambda n: (200, {"id": "gw-ok"}) if n == 1 else (500, {"e": "x"})
    with django_capture_on_commit_callbacks(execute=True):
        bulk = create(coordinator, election_day["election"], az="Salam")

    rows = list(bulk.messages.order_by("pk"))
    assert [row.status for row in rows] == [Status.SENT, Status.FAILED, Status.FAILED]
    assert rows[0].provider_id == "gw-ok"
    assert all("500" in row.error for row in rows[1:])
    assert len(gateway_server.requests) == 3
    assert {r["authorization"] for r in gateway_server.requests} == {"Bearer t0ken"}
    counts = BulkMessage.objects.with_counts().get()
    assert (counts.sent_count, counts.failed_count) == (1, 2)


def test_a_bulk_email_skips_observers_without_an_address(
    election_day, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulk = create(
            coordinator,
            election_day["election"],
            channel=Channel.EMAIL,
            subject="Təlim",
            az="Təlim şənbə günüdür.",
        )
    assert (bulk.recipient_count, bulk.skipped_count) == (1, 2)
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["aysel@example.org"], "Təlim", "Təlim şənbə günüdür.")
    ]
    assert bulk.messages.get().status == Status.SENT
    assert ConsoleGateway.outbox == []


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"aysel@example.org": (550, b"No such user")})


def test_an_email_the_server_refuses_is_failed_with_the_error(
    election_day, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        bulk = create(coordinator, election_day["election"], channel=Channel.EMAIL, subject="S")
    row = bulk.messages.get()
    assert row.status == Status.FAILED
    assert "No such user" in row.error
