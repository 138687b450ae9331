"""How observers sign in on a phone: a one-time code by SMS, or an access code a coordinator
gives them. Either way the phone gets a device token (observation.devices) and keeps it.

Guessing is bounded: a one-time code dies after five wrong tries; requests for codes are
limited per phone number and per client address; wrong access codes are limited per address.
Nothing tells a stranger whether a phone number belongs to an observer.

Address limits are generous on purpose: Azerbaijani mobile networks put many phones behind one
address (carrier-grade NAT), and on election day thousands of observers sign in at once.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import Election
from messaging.gateways import get_gateway
from observation.devices import ACTIVE_OBSERVER_STATUSES, issue_device_token, revoke_device
from observation.models import ObserverDevice, SignInCode
from observers.models import Observer, normalise_phone

ONE_TIME_CODE_DIGITS = 6
ONE_TIME_CODE_LIFETIME = datetime.timedelta(minutes=10)
ONE_TIME_CODE_MAX_ATTEMPTS = 5
# Letters and digits nobody confuses when reading them aloud or off paper: no 0/O, 1/I/L.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 8
ACCESS_CODE_DAYS_AFTER_ELECTION = 2


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


# (how many, per how many seconds)
CODE_REQUESTS_PER_PHONE = Limit(3, 15 * 60)
CODE_REQUESTS_PER_ADDRESS = Limit(30, 15 * 60)
WRONG_CODES_PER_ADDRESS = Limit(30, 15 * 60)
WRONG_ACCESS_CODES_PER_ADDRESS = Limit(10, 15 * 60)


class SignInFailed(Exception):
    """The code was wrong, used up or expired; the message (translated) says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SignInThrottled(Exception):
    """Too many tries from this address or for this phone; try again after `retry_after`."""

    def __init__(self, retry_after: int):
        super().__init__("throttled")
        self.retry_after = retry_after
        self.message = _("Too many attempts. Wait a few minutes and try again.")


# --- Rate limits ----------------------------------------------------------------------------


def _limit_key(kind: str, value: str) -> str:
    return f"observation:signin:{kind}:{value}"


def _count(key: str, limit: Limit) -> int:
    """Count one try in a fixed window; returns the number of tries in the window so far."""
    if cache.add(key, 1, limit.seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, limit.seconds)
        return 1


def _is_over(key: str, limit: Limit) -> bool:
    return (cache.get(key) or 0) >= limit.count


def _address(client_ip: str | None) -> str:
    return client_ip or "unknown"


# --- Hashing --------------------------------------------------------------------------------


def _hash(kind: str, code: str) -> str:
    """A keyed SHA-256 of the code: it can be looked up, but a copy of the database alone is
    not enough to try every code offline."""
    return salted_hmac(f"observation.signin.{kind}", code, algorithm="sha256").hexdigest()


def normalise_access_code(code: str) -> str:
    """As typed: any case, with spaces or dashes ("abcd-efgh") → "ABCDEFGH"."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -")


# --- One-time codes by SMS --------------------------------------------------------------------


def _observers_with_phone(phone: str):
    return Observer.objects.filter(
        phone=phone,
        status__in=ACTIVE_OBSERVER_STATUSES,
        election__status=Election.Status.ACTIVE,
    )


def request_one_time_code(phone: str, *, client_ip: str | None) -> None:
    """Send a six-digit code to the phone if it belongs to an accredited or deployed observer
    of an active election. Returns the same (nothing) whether it does or not.

    Raises ValidationError when the number is not a phone number, SignInThrottled when this
    phone or this address asked too often."""
    phone = normalise_phone(phone)
    address_key = _limit_key("request:address", _address(client_ip))
    phone_key = _limit_key("request:phone", phone)
    over_address = _count(address_key, CODE_REQUESTS_PER_ADDRESS) > CODE_REQUESTS_PER_ADDRESS.count
    over_phone = _count(phone_key, CODE_REQUESTS_PER_PHONE) > CODE_REQUESTS_PER_PHONE.count
    if over_address or over_phone:
        raise SignInThrottled(
            max(CODE_REQUESTS_PER_ADDRESS.seconds, CODE_REQUESTS_PER_PHONE.seconds)
        )
    observer = (
        _observers_with_phone(phone)
        .select_related("election")
        .order_by("election__election_date", "pk")
        .first()
    )
    if observer is None:
        return
    code = f"{secrets.randbelow(10**ONE_TIME_CODE_DIGITS):0{ONE_TIME_CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        # Only the newest code counts: an earlier one still on its way is no longer good.
        SignInCode.objects.filter(
            observer=observer,
            kind=SignInCode.Kind.ONE_TIME,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        SignInCode.objects.create(
            observer=observer,
            kind=SignInCode.Kind.ONE_TIME,
            code_hash=_hash("one_time", f"{observer.pk}:{code}"),
            expires_at=now + ONE_TIME_CODE_LIFETIME,
        )
    with translation.override(observer.language):
        text = _(
            "Birlik: your sign-in code is %(code)s. It is valid for %(minutes)s minutes. "
            "Do not give it to anyone."
        ) % {"code": code, "minutes": int(ONE_TIME_CODE_LIFETIME.total_seconds() // 60)}
    get_gateway().send(observer.phone, text)


def verify_one_time_code(
    phone: str, code: str, *, device_name: str, client_ip: str | None = None
) -> str:
    """The raw token of a new device for the observer whose newest code this is.

    Raises SignInFailed when the code is wrong or expired (the fifth wrong try burns it), and
    SignInThrottled when this address has typed too many wrong codes."""
    address_key = _limit_key("verify:address", _address(client_ip))
    if _is_over(address_key, WRONG_CODES_PER_ADDRESS):
        raise SignInThrottled(WRONG_CODES_PER_ADDRESS.seconds)
    wrong = _("The code is wrong or has expired. Check it, or ask for a new one.")
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        _count(address_key, WRONG_CODES_PER_ADDRESS)
        raise SignInFailed(wrong) from None
    code = "".join((code or "").split())
    now = timezone.now()
    failure: str | None = None
    raw = ""
    with transaction.atomic():
        sign_in_code = (
            SignInCode.objects.select_for_update()
            .filter(
                observer__in=_observers_with_phone(phone),
                kind=SignInCode.Kind.ONE_TIME,
                used_at__isnull=True,
                expires_at__gt=now,
            )
            .select_related("observer")
            .order_by("-created_at", "-pk")
            .first()
        )
        if sign_in_code is None:
            failure = wrong
        elif not constant_time_compare(
            sign_in_code.code_hash, _hash("one_time", f"{sign_in_code.observer_id}:{code}")
        ):
            sign_in_code.failed_attempts += 1
            fields = ["failed_attempts"]
            failure = wrong
            if sign_in_code.failed_attempts >= ONE_TIME_CODE_MAX_ATTEMPTS:
                sign_in_code.expires_at = now
                fields.append("expires_at")
                failure = _("The code was typed wrongly too many times. Ask for a new one.")
            sign_in_code.save(update_fields=fields)
        else:
            sign_in_code.used_at = now
            sign_in_code.save(update_fields=["used_at"])
            raw = _start_device(sign_in_code.observer, device_name, "one_time_code")
    # Outside the transaction, so that the count of wrong tries is kept.
    if failure is not None:
        _count(address_key, WRONG_CODES_PER_ADDRESS)
        raise SignInFailed(failure)
    return raw


# --- Access codes from a coordinator -------------------------------------------------------------


def access_code_expiry(election: Election) -> datetime.datetime:
    """The end of the second day after election day, in the site's time zone."""
    last_day = election.election_date + datetime.timedelta(days=ACCESS_CODE_DAYS_AFTER_ELECTION)
    return datetime.datetime.combine(
        last_day + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )


@transaction.atomic
def issue_access_code(observer: Observer, *, actor) -> str:
    """A new access code for the observer (shown once to the coordinator, who passes it on).

    It works until the end of the second day after election day, for as many sign-ins as the
    observer needs (a second phone, a phone wiped by mistake), and ends every earlier access
    code of the observer. Raises ValidationError when the observer may not sign in."""
    observer = Observer.objects.select_for_update().select_related("election").get(pk=observer.pk)
    if observer.status not in ACTIVE_OBSERVER_STATUSES:
        raise ValidationError(_("Only accredited or deployed observers can get an access code."))
    expires_at = access_code_expiry(observer.election)
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError(_("This election is over; access codes are no longer given."))
    replaced = SignInCode.objects.filter(
        observer=observer, kind=SignInCode.Kind.ACCESS, expires_at__gt=now
    ).update(expires_at=now)
    while True:
        code = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _i in range(ACCESS_CODE_LENGTH))
        code_hash = _hash("access", code)
        if not SignInCode.objects.filter(kind=SignInCode.Kind.ACCESS, code_hash=code_hash).exists():
            break
    sign_in_code = SignInCode.objects.create(
        observer=observer,
        kind=SignInCode.Kind.ACCESS,
        code_hash=code_hash,
        expires_at=expires_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.SECURITY,
        obj=observer,
        changes={
            "access_code": "issued",
            "code_id": sign_in_code.pk,
            "expires_at": expires_at.isoformat(),
            "replaced": replaced,
        },
    )
    return code


def sign_in_with_access_code(code: str, *, device_name: str, client_ip: str | None) -> str:
    """The raw token of a new device for the observer the access code belongs to.

    Raises SignInFailed for a wrong or expired code, SignInThrottled when this address has
    typed too many wrong ones."""
    address_key = _limit_key("access:address", _address(client_ip))
    if _is_over(address_key, WRONG_ACCESS_CODES_PER_ADDRESS):
        raise SignInThrottled(WRONG_ACCESS_CODES_PER_ADDRESS.seconds)
    code = normalise_access_code(code)
    sign_in_code = None
    if len(code) == ACCESS_CODE_LENGTH and all(ch in ACCESS_CODE_ALPHABET for ch in code):
        sign_in_code = (
            SignInCode.objects.filter(
                kind=SignInCode.Kind.ACCESS,
                code_hash=_hash("access", code),
                expires_at__gt=timezone.now(),
                observer__status__in=ACTIVE_OBSERVER_STATUSES,
            )
            .select_related("observer")
            .first()
        )
    if sign_in_code is None:
        _count(address_key, WRONG_ACCESS_CODES_PER_ADDRESS)
        raise SignInFailed(
            _("This access code is wrong or no longer valid. Check it with your coordinator.")
        )
    with transaction.atomic():
        SignInCode.objects.filter(pk=sign_in_code.pk).update(used_at=timezone.now())
        return _start_device(sign_in_code.observer, device_name, "access_code")


# --- Devices ----------------------------------------------------------------------------------


def _start_device(observer: Observer, device_name: str, method: str) -> str:
    device, raw = issue_device_token(observer, name=(device_name or "").strip())
    audit_log(
        actor=observer,
        action=AuditEntry.Action.SIGN_IN,
        obj=device,
        changes={"method": method, "device": device.name},
    )
    return raw


def sign_out(device: ObserverDevice) -> None:
    """End the device's token (the phone forgets it too)."""
    if device.revoked_at is not None:
        return
    revoke_device(device)
    audit_log(actor=device.observer, action=AuditEntry.Action.SIGN_OUT, obj=device)
