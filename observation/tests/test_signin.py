"""Observers sign in on a phone with a one-time code by SMS, or with an access code from a
coordinator; both give the phone a device token."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.models import Election
from messaging.gateways import ConsoleGateway
from observation import signin
from observation.devices import authenticate_device
from observation.models import ObserverDevice, SignInCode
from observation.tests.phone_fixtures import *  # noqa: F403
from observation.tests.phone_fixtures import make_observer
from observers.models import Observer

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def outbox():
    ConsoleGateway.outbox.clear()
    yield ConsoleGateway.outbox
    ConsoleGateway.outbox.clear()


def sent_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- One-time codes ---------------------------------------------------------------------------


def test_a_code_is_sent_by_sms_in_the_observers_language_and_stored_hashed(observer, outbox):
    observer.language = Observer.Language.EN
    observer.save()
    signin.request_one_time_code("050 111 22 33", client_ip=IP)

    assert len(outbox) == 1
    assert outbox[0].to == "+994501112233"
    assert "sign-in code" in outbox[0].text
    code = sent_code(outbox)
    stored = SignInCode.objects.get(observer=observer)
    assert stored.kind == SignInCode.Kind.ONE_TIME
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    lifetime = stored.expires_at - stored.created_at
    assert datetime.timedelta(minutes=9) < lifetime <= datetime.timedelta(minutes=10)


def test_the_right_code_gives_a_device_token(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    raw = signin.verify_one_time_code(observer.phone, sent_code(outbox), device_name="Redmi 9")

    device = authenticate_device(raw)
    assert device.observer == observer and device.name == "Redmi 9"
    assert SignInCode.objects.get(observer=observer).used_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN)
    assert entry.object_id == str(device.pk)
    assert entry.changes["method"] == "one_time_code"


def test_a_code_works_only_once(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    code = sent_code(outbox)
    signin.verify_one_time_code(observer.phone, code, device_name="")
    with pytest.raises(signin.SignInFailed):
        signin.verify_one_time_code(observer.phone, code, device_name="")
    assert ObserverDevice.objects.count() == 1


def test_an_expired_code_is_refused(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    SignInCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(signin.SignInFailed, match="wrong or has expired"):
        signin.verify_one_time_code(observer.phone, sent_code(outbox), device_name="")
    assert not ObserverDevice.objects.exists()


def test_a_new_code_ends_the_one_before(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    first = sent_code(outbox)
    signin.request_one_time_code(observer.phone, client_ip=IP)
    second = sent_code(outbox)
    if first != second:
        with pytest.raises(signin.SignInFailed):
            signin.verify_one_time_code(observer.phone, first, device_name="")
    assert signin.verify_one_time_code(observer.phone, second, device_name="").startswith("obs_")


def test_five_wrong_codes_burn_the_code(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    code = sent_code(outbox)
    for attempt in range(1, 6):
        with pytest.raises(signin.SignInFailed) as failure:
            signin.verify_one_time_code(observer.phone, other_code(code), device_name="")
        assert SignInCode.objects.get().failed_attempts == attempt
    assert "too many times" in failure.value.message
    # Even the right code no longer works.
    with pytest.raises(signin.SignInFailed):
        signin.verify_one_time_code(observer.phone, code, device_name="")
    assert not ObserverDevice.objects.exists()


def test_four_wrong_codes_leave_the_right_one_working(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    code = sent_code(outbox)
    for _attempt in range(4):
        with pytest.raises(signin.SignInFailed):
            signin.verify_one_time_code(observer.phone, other_code(code), device_name="")
    assert signin.verify_one_time_code(observer.phone, code, device_name="")


@pytest.mark.parametrize(
    "change",
    [
        {"status": Observer.Status.TRAINED},
        {"status": Observer.Status.REJECTED},
        {"election_status": Election.Status.CLOSED},
    ],
    ids=["not-accredited", "rejected", "election-closed"],
)
def test_no_code_for_observers_who_may_not_sign_in(observer, outbox, change):
    if "status" in change:
        observer.status = change["status"]
        observer.save()
    else:
        Election.objects.update(status=change["election_status"])
    signin.request_one_time_code(observer.phone, client_ip=IP)
    assert outbox == []
    assert not SignInCode.objects.exists()


def test_accredited_observers_not_yet_deployed_get_a_code(election, outbox):
    accredited = make_observer(election, status=Observer.Status.ACCREDITED)
    signin.request_one_time_code(accredited.phone, client_ip=IP)
    assert len(outbox) == 1


def test_an_unknown_phone_gets_the_same_answer_and_no_sms(observer, outbox):
    assert signin.request_one_time_code("+994709998877", client_ip=IP) is None
    assert signin.request_one_time_code(observer.phone, client_ip=IP) is None
    assert [sms.to for sms in outbox] == [observer.phone]
    with pytest.raises(signin.SignInFailed) as unknown:
        signin.verify_one_time_code("+994709998877", "123456", device_name="")
    with pytest.raises(signin.SignInFailed) as wrong:
        signin.verify_one_time_code(observer.phone, other_code(sent_code(outbox)), device_name="")
    assert unknown.value.message == wrong.value.message


def test_a_phone_that_is_not_a_phone_number_is_refused(db):
    with pytest.raises(ValidationError):
        signin.request_one_time_code("call me", client_ip=IP)


def test_code_requests_are_limited_per_phone(observer, outbox):
    limit = signin.CODE_REQUESTS_PER_PHONE.count
    for _request in range(limit):
        signin.request_one_time_code(observer.phone, client_ip=f"198.51.100.{_request}")
    with pytest.raises(signin.SignInThrottled):
        signin.request_one_time_code(observer.phone, client_ip="198.51.100.200")
    assert len(outbox) == limit


def test_code_requests_for_unknown_phones_are_limited_alike(db):
    # Otherwise the limit itself would tell known numbers from unknown ones.
    for _request in range(signin.CODE_REQUESTS_PER_PHONE.count):
        signin.request_one_time_code("+994709998877", client_ip=IP)
    with pytest.raises(signin.SignInThrottled):
        signin.request_one_time_code("+994709998877", client_ip=IP)


def test_code_requests_are_limited_per_address(observer, outbox):
    for number in range(signin.CODE_REQUESTS_PER_ADDRESS.count):
        signin.request_one_time_code(f"+99455{number:07d}", client_ip=IP)
    with pytest.raises(signin.SignInThrottled):
        signin.request_one_time_code(observer.phone, client_ip=IP)
    assert outbox == []
    # Another address is not affected.
    signin.request_one_time_code(observer.phone, client_ip="198.51.100.1")
    assert len(outbox) == 1


def test_wrong_codes_are_limited_per_address(observer, outbox):
    signin.request_one_time_code(observer.phone, client_ip=IP)
    code = sent_code(outbox)
    for _attempt in range(signin.WRONG_CODES_PER_ADDRESS.count):
        with pytest.raises(signin.SignInFailed):
            signin.verify_one_time_code("+994709998877", "000000", device_name="", client_ip=IP)
    with pytest.raises(signin.SignInThrottled):
        signin.verify_one_time_code(observer.phone, code, device_name="", client_ip=IP)
    assert not ObserverDevice.objects.exists()


# --- Access codes ----------------------------------------------------------------------------


@pytest.fixture
def coordinator(db):
    return make_staff(Role.COORDINATOR)


def test_an_access_code_is_eight_unambiguous_characters_stored_hashed(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    assert re.fullmatch(f"[{signin.ACCESS_CODE_ALPHABET}]{{8}}", code)
    assert not set(code) & set("01OIL")
    stored = SignInCode.objects.get(observer=observer, kind=SignInCode.Kind.ACCESS)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.created_by == coordinator


def test_an_access_code_lasts_until_two_days_after_election_day(observer, coordinator):
    signin.issue_access_code(observer, actor=coordinator)
    expires = timezone.localtime(SignInCode.objects.get().expires_at)
    assert expires.date() == observer.election.election_date + datetime.timedelta(days=3)
    assert expires.time() == datetime.time.min


def test_issuing_an_access_code_is_audited_without_the_code(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SECURITY)
    assert entry.actor == coordinator
    assert entry.object_id == str(observer.pk)
    assert entry.changes["access_code"] == "issued"
    assert code not in str(entry.changes)


def test_an_access_code_signs_in_as_typed(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    typed = f" {code[:4].lower()}-{code[4:]} "
    raw = signin.sign_in_with_access_code(typed, device_name="Nokia", client_ip=IP)
    assert authenticate_device(raw).observer == observer
    assert SignInCode.objects.get().used_at is not None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN).count() == 1


def test_an_access_code_works_on_a_second_phone(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    signin.sign_in_with_access_code(code, device_name="first", client_ip=IP)
    signin.sign_in_with_access_code(code, device_name="second", client_ip=IP)
    assert observer.devices.count() == 2


def test_a_new_access_code_replaces_the_old_one(observer, coordinator):
    old = signin.issue_access_code(observer, actor=coordinator)
    new = signin.issue_access_code(observer, actor=coordinator)
    with pytest.raises(signin.SignInFailed):
        signin.sign_in_with_access_code(old, device_name="", client_ip=IP)
    assert signin.sign_in_with_access_code(new, device_name="", client_ip=IP)
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).first().changes["replaced"]
        == 1
    )


def test_an_expired_access_code_is_refused(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    SignInCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(signin.SignInFailed, match="no longer valid"):
        signin.sign_in_with_access_code(code, device_name="", client_ip=IP)


def test_an_access_code_of_a_rejected_observer_is_refused(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    observer.status = Observer.Status.REJECTED
    observer.save()
    with pytest.raises(signin.SignInFailed):
        signin.sign_in_with_access_code(code, device_name="", client_ip=IP)
    assert not ObserverDevice.objects.exists()


@pytest.mark.parametrize(
    "status", [Observer.Status.APPLIED, Observer.Status.TRAINED, Observer.Status.REJECTED]
)
def test_no_access_code_for_observers_who_may_not_sign_in(election, coordinator, status):
    applicant = make_observer(election, status=status)
    with pytest.raises(ValidationError, match="accredited or deployed"):
        signin.issue_access_code(applicant, actor=coordinator)
    assert not SignInCode.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).exists()


def test_no_access_code_once_the_election_is_long_over(observer, coordinator):
    Election.objects.update(election_date=timezone.localdate() - datetime.timedelta(days=3))
    observer.refresh_from_db()
    with pytest.raises(ValidationError, match="over"):
        signin.issue_access_code(observer, actor=coordinator)


def test_wrong_access_codes_are_limited_per_address(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    for _attempt in range(signin.WRONG_ACCESS_CODES_PER_ADDRESS.count):
        with pytest.raises(signin.SignInFailed):
            signin.sign_in_with_access_code("ABCDEFGH", device_name="", client_ip=IP)
    with pytest.raises(signin.SignInThrottled):
        signin.sign_in_with_access_code(code, device_name="", client_ip=IP)
    # Another address still signs in.
    assert signin.sign_in_with_access_code(code, device_name="", client_ip="198.51.100.1")


def test_right_access_codes_do_not_count_against_the_address(observer, coordinator):
    code = signin.issue_access_code(observer, actor=coordinator)
    for _sign_in in range(signin.WRONG_ACCESS_CODES_PER_ADDRESS.count + 2):
        signin.sign_in_with_access_code(code, device_name="", client_ip=IP)


# --- Signing out ------------------------------------------------------------------------------


def test_signing_out_ends_the_token_and_is_audited(device):
    phone, raw = device
    signin.sign_out(phone)
    assert authenticate_device(raw) is None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_OUT).count() == 1
    signin.sign_out(phone)  # twice is harmless
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_OUT).count() == 1
