"""Reports by SMS: the inbound webhook (/hooks/sms/inbound) turns a text into a submission and
answers the observer in their language; everything it was sent is logged."""

import json

import pytest

from elections.models import Election
from messaging.gateways import ConsoleGateway
from messaging.models import InboundSms, OutboundMessage
from messaging.tests.fixtures import *  # noqa: F403
from messaging.tests.fixtures import SECRET
from observation.models import Alert, Submission
from observers.models import Observer
from observers.tests.factories import ObserverFactory

URL = "/hooks/sms/inbound"
Outcome = InboundSms.Outcome


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post an inbound SMS as the gateway would; replies queued are sent when it commits."""
    counter = iter(range(1, 10_000))

    def send(sender, text, *, gateway_id=None, secret=SECRET, as_json=True):
        payload = {"from": sender, "text": text, "id": gateway_id or f"in-{next(counter)}"}
        headers = {} if secret is None else {"HTTP_X_BIRLIK_SECRET": secret}
        with django_capture_on_commit_callbacks(execute=True):
            if as_json:
                return client.post(
                    URL, json.dumps(payload), content_type="application/json", **headers
                )
            return client.post(URL, payload, **headers)

    return send


def replies():
    return [(sms.to, sms.text) for sms in ConsoleGateway.outbox]


# --- The shared secret ----------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_without_the_right_secret_nothing_is_logged_or_stored(election_day, send, secret):
    response = send(election_day["john"].phone, "CL 15 A1 Y B1 900 B2 450", secret=secret)
    assert response.status_code == 403
    assert response.json() == {"error": "forbidden"}
    assert not InboundSms.objects.exists()
    assert not Submission.objects.exists()
    assert replies() == []


def test_with_no_secret_configured_every_call_is_refused(election_day, send, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    for secret in (None, "", "anything"):
        assert send(election_day["john"].phone, "CL 15 A1 Y", secret=secret).status_code == 403
    assert not InboundSms.objects.exists()


def test_only_post_is_accepted(client, election_day):
    assert client.get(URL, HTTP_X_BIRLIK_SECRET=SECRET).status_code == 405


# --- Accepted reports -------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [True, False])
def test_a_valid_sms_becomes_a_submission_by_sms_and_is_confirmed(election_day, send, as_json):
    john = election_day["john"]
    response = send(john.phone, "CL 15 A1 Y B1 900 B2 450", gateway_id="gw-1", as_json=as_json)

    assert response.status_code == 200
    assert response.json() == {"outcome": "accepted", "reply": "CL accepted: 3 answers."}
    submission = Submission.objects.get()
    assert submission.channel == "sms"
    assert submission.observer == john
    assert submission.station == election_day["stations"]["113-034"]
    assert submission.questionnaire == election_day["form"]
    assert submission.answers == {"A1": True, "B1": 900, "B2": 450}
    assert submission.idempotency_key == "sms:gw-1"
    logged = InboundSms.objects.get()
    assert (logged.outcome, logged.observer, logged.submission) == (
        Outcome.ACCEPTED,
        john,
        submission,
    )
    assert (logged.sender, logged.gateway_id) == (john.phone, "gw-1")
    assert replies() == [(john.phone, "CL accepted: 3 answers.")]
    assert logged.reply.status == OutboundMessage.Status.SENT


def test_the_sender_may_write_their_number_as_the_gateway_gives_it(election_day, send):
    response = send("994701234567", "cl15 a1y, b1=900; b2:450 -- John")
    assert response.json()["outcome"] == "accepted"
    assert InboundSms.objects.get().sender == "+994701234567"


def test_a_phone_with_a_cyrillic_keyboard_is_understood(election_day, send):
    # С, А and В below are Cyrillic; "да" is a Russian yes.
    assert send(election_day["john"].phone, "СL 15 А1 да В1 900 В2 450").status_code == 200
    assert Submission.objects.get().answers == {"A1": True, "B1": 900, "B2": 450}


def test_times_and_choices_may_be_written_the_short_way_and_alerts_are_reported(election_day, send):
    response = send(election_day["john"].phone, "CL 15 A1 N A2 0715 B1 900 B2 450 B4 12")
    assert response.json()["reply"] == "CL accepted: 5 answers. 2 alerts raised."
    submission = Submission.objects.get()
    assert submission.answers["A2"] == "07:15"
    assert submission.answers["B4"] == ["1", "2"]
    assert Alert.objects.filter(submission=submission).count() == 2


def test_one_alert_is_named_as_one(election_day, send):
    response = send(election_day["john"].phone, "CL 15 A1 N A2 7:15 B1 900 B2 450")
    assert response.json()["reply"] == "CL accepted: 4 answers. Alert raised."


def test_the_same_gateway_id_twice_counts_once_and_is_answered_once(election_day, send):
    john = election_day["john"]
    first = send(john.phone, "CL 15 A1 Y B1 900 B2 450", gateway_id="gw-7")
    again = send(john.phone, "CL 15 A1 Y B1 900 B2 450", gateway_id="gw-7")

    assert first.json()["outcome"] == "accepted"
    assert again.json() == {"outcome": "duplicate", "reply": ""}
    assert Submission.objects.count() == 1
    assert list(InboundSms.objects.values_list("outcome", flat=True).order_by("pk")) == [
        Outcome.ACCEPTED,
        Outcome.DUPLICATE,
    ]
    assert len(replies()) == 1


def test_a_second_report_with_a_new_id_is_a_new_submission(election_day, send):
    john = election_day["john"]
    send(john.phone, "CL 15 A1 Y B1 900 B2 450")
    send(john.phone, "CL 15 A1 Y B1 900 B2 460")
    assert Submission.objects.count() == 2


# --- Mobile teams -------------------------------------------------------------------------------


def test_a_mobile_team_member_names_the_station_with_an_at_sign(election_day, send):
    ivan = election_day["ivan"]
    assert send(ivan.phone, "CL 7 @13-001 A1 Y B1 900 B2 450").json()["outcome"] == "accepted"
    assert send(ivan.phone, "CL 7 A1 Y B1 900 B2 450 @12-35").json()["outcome"] == "accepted"
    stations = {s.station.code for s in Submission.objects.select_related("station")}
    assert stations == {"13-001", "12-035"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("CL 7 A1 Y B1 900 B2 450", "Add the polling station after @, for example @12-034."),
        ("CL 7 @12-034 A1 Y B1 900 B2 450", "Polling station 12-034 is not one of your team's."),
    ],
)
def test_a_mobile_team_member_without_one_of_the_teams_stations_is_told(
    election_day, send, text, problem
):
    ivan = election_day["ivan"]
    type(ivan).objects.filter(pk=ivan.pk).update(language="en")  # the reply in English
    response = send(ivan.phone, text)
    assert response.json() == {"outcome": "rejected", "reply": f"Not accepted. {problem}"}
    assert not Submission.objects.exists()
    assert InboundSms.objects.get().errors == {"station": [problem]}


def test_an_observer_at_a_station_cannot_report_on_another(election_day, send):
    response = send(election_day["john"].phone, "CL 15 @12-034 A1 Y B1 900 B2 450")
    assert response.json()["reply"] == (
        "Not accepted. You are not assigned to polling station 12-034."
    )
    assert send(election_day["john"].phone, "CL 15 @113-34 A1 Y B1 900 B2 450").json()[
        "outcome"
    ] == ("accepted")


# --- Who is writing ---------------------------------------------------------------------------


def test_the_number_alone_is_not_enough_the_phone_must_match(election_day, send):
    john, aysel = election_day["john"], election_day["aysel"]
    response = send(john.phone, "CL 1042 A1 Y B1 900 B2 450")  # Aysel's number

    assert response.json() == {
        "outcome": "unknown_sender",
        "reply": "Not accepted. Observer number 1042 is not the one given to this phone.",
    }
    assert not Submission.objects.exists()
    assert replies() == [(john.phone, response.json()["reply"])]
    assert not aysel.submissions.exists()


@pytest.mark.parametrize("sender", ["+994559998877", "not a phone", "+12025550123"])
def test_a_stranger_gets_no_reply_and_learns_nothing(election_day, send, sender):
    response = send(sender, "CL 1042 A1 Y B1 900 B2 450")
    assert response.json() == {"outcome": "unknown_sender", "reply": ""}
    assert not Submission.objects.exists()
    assert replies() == []
    assert InboundSms.objects.get().outcome == Outcome.UNKNOWN_SENDER


def test_an_observer_of_a_closed_election_is_a_stranger(election_day, send):
    Election.objects.update(status=Election.Status.CLOSED)
    response = send(election_day["john"].phone, "CL 15 A1 Y B1 900 B2 450")
    assert response.json()["outcome"] == "unknown_sender"
    assert replies() == []


def test_an_observer_not_deployed_is_told_so(election_day, send):
    ObserverFactory(
        election=election_day["election"],
        phone="+994503334455",
        number=99,
        language="en",
        status=Observer.Status.ACCREDITED,
    )
    response = send("+994503334455", "CL 99 A1 Y B1 900 B2 450")
    assert response.json()["reply"] == (
        "Not accepted. You are not assigned to a polling station yet."
    )
    assert not Submission.objects.exists()


# --- What was wrong ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("XY 15 A1 Y", "Not accepted. There is no form XY."),
        (
            "CL 15 A1 Y B1900",
            "Not accepted. Put a space between the question code and the number in B1900.",
        ),
        ("CL 15 A1 Y A1 N", "Not accepted. A1 is answered twice."),
        ("CL 15", "Not accepted. There are no answers. Write e.g. OP 1042 A1 Y B1 350."),
        ("hi", "Not accepted. Write your observer number after the form code."),
        ("hello", "Not accepted. Start with the form code and your number, e.g. OP 1042."),
        ("CL 15 A1", "Not accepted. A1 has no answer."),
        ("", "Not accepted. The message is empty. Write e.g. OP 1042 A1 Y B1 350."),
    ],
)
def test_an_unreadable_or_unknown_form_gets_a_short_explanation(election_day, send, text, reply):
    response = send(election_day["john"].phone, text)
    assert response.status_code == 200
    assert response.json()["reply"] == reply
    assert not Submission.objects.exists()
    assert replies() == [(election_day["john"].phone, reply)]


def test_wrong_answers_are_named_question_by_question(election_day, send):
    response = send(election_day["john"].phone, "CL 15 A1 maybe B1 abc B2 450 Z9 1")
    reply = response.json()["reply"]
    assert response.json()["outcome"] == "rejected"
    assert reply.startswith("CL not accepted. ")
    assert "Z9" in reply and "This form has no question Z9." in reply
    assert "A1: Answer yes or no." in reply
    assert "B1: " in reply
    logged = InboundSms.objects.get()
    assert set(logged.errors) >= {"A1", "B1", "Z9"}
    assert not Submission.objects.exists()


def test_a_broken_rule_is_explained(election_day, send):
    response = send(election_day["john"].phone, "CL 15 A1 Y B1 100 B2 450")
    assert response.json()["reply"] == (
        "CL not accepted. Ballots cast cannot exceed registered voters."
    )


def test_many_problems_are_summarised_to_stay_short(election_day, send):
    response = send(election_day["john"].phone, "CL 15 A1 x1 B1 a B2 b B3 c B6 9")
    reply = response.json()["reply"]
    assert reply.endswith("(and 2 more problems)")
    assert len(reply) <= 300


# --- Language, limits, malformed calls ----------------------------------------------------------


def test_each_observer_is_answered_in_their_own_language(election_day, send, translated):
    send(election_day["aysel"].phone, "CL 1042 A1 Y B1 900 B2 450")
    send(election_day["ivan"].phone, "CL 7 @13-001 A1 Y B1 900 B2 450")
    send(election_day["john"].phone, "CL 15 A1 Y B1 900 B2 450")
    send(election_day["ivan"].phone, "QQ 7 A1 Y")
    send(election_day["aysel"].phone, "QQ 1042 A1 Y")
    assert replies() == [
        (election_day["aysel"].phone, "CL qəbul edildi: 3 cavab."),
        (election_day["ivan"].phone, "CL принят: ответов 3."),
        (election_day["john"].phone, "CL accepted: 3 answers."),
        (election_day["ivan"].phone, "Не принято. Формы QQ нет."),
        (election_day["aysel"].phone, "Qəbul edilmədi. QQ adlı forma yoxdur."),
    ]


def test_too_many_messages_from_one_phone_are_logged_but_not_acted_on(election_day, send, settings):
    settings.SMS_INBOUND_LIMIT = 2
    john = election_day["john"]
    outcomes = [
        send(john.phone, f"CL 15 A1 Y B1 900 B2 {400 + n}").json()["outcome"] for n in range(3)
    ]
    assert outcomes == ["accepted", "accepted", "rate_limited"]
    assert Submission.objects.count() == 2
    assert len(replies()) == 2
    assert InboundSms.objects.filter(outcome=Outcome.RATE_LIMITED).count() == 1


@pytest.mark.parametrize(
    "payload", [{"text": "CL 15 A1 Y"}, {"from": "+994701234567", "text": "CL 15 A1 Y"}]
)
def test_a_call_without_sender_or_id_is_refused_and_logged(client, election_day, payload):
    response = client.post(
        URL, json.dumps(payload), content_type="application/json", HTTP_X_BIRLIK_SECRET=SECRET
    )
    assert response.status_code == 400
    assert InboundSms.objects.get().outcome == Outcome.INVALID
    assert not Submission.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_refused(client, election_day, body):
    response = client.post(URL, body, content_type="application/json", HTTP_X_BIRLIK_SECRET=SECRET)
    assert response.status_code == 400
    assert not InboundSms.objects.exists()


def test_a_redelivery_after_a_failed_or_refused_attempt_is_acted_on(election_day, send):
    john = election_day["john"]
    for gateway_id, outcome in [("gw-8", Outcome.ERROR), ("gw-9", Outcome.RATE_LIMITED)]:
        InboundSms.objects.create(
            sender=john.phone, text="CL 15 A1 Y", gateway_id=gateway_id, outcome=outcome
        )
        response = send(john.phone, "CL 15 A1 Y B1 900 B2 450", gateway_id=gateway_id)
        assert response.json()["outcome"] == "accepted"
    assert Submission.objects.count() == 2


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"A1": "Х"}, {"A1": "X"}),  # a Cyrillic Ха read as the Latin X (no)
        ({"A1": "НЕТ"}, {"A1": "НЕТ"}),  # a Russian no stays as it is
        ({"A1": "Y."}, {"A1": "Y"}),
        ({"A2": "0715", "B1": "900."}, {"A2": "07:15", "B1": "900"}),
        ({"B4": "13"}, {"B4": "1,3"}),
        ({"B4": "1+2"}, {"B4": "1,2"}),
        ({"B4": "19"}, {"B4": "19"}),  # no option 9: left for the form to refuse
        ({"B6": "З"}, {"B6": "З"}),
        ({"Z9": "1"}, {"Z9": "1"}),  # not a question of the form: left as typed
    ],
)
def test_values_are_adapted_to_the_question_only_where_the_typed_value_does_not_fit(
    answers, expected
):
    from messaging.inbound import adapt_answers
    from questionnaires.tests.factories import closing_schema

    assert adapt_answers(closing_schema(), answers) == expected
