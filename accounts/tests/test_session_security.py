"""Lockout after repeated failed sign-ins, the staff idle timeout, and password hashing."""

import ast
import time
from pathlib import Path

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from accounts.adapters import lockout_minutes
from accounts.middleware import LAST_SEEN_KEY
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory, make_staff
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def _per_account_limit() -> int:
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    return next(rate.amount for rate in rates if rate.per == "key")


def test_configured_lockout_is_five_failures_in_fifteen_minutes_per_account():
    assert _per_account_limit() == 5
    assert lockout_minutes() == 15


def test_account_is_locked_after_repeated_failed_sign_ins(client):
    citizen = UserFactory()
    limit = _per_account_limit()
    for _attempt in range(limit):
        response = client.post(LOGIN, {"login": citizen.email, "password": "wrong-password-1"})
        assert "Too many failed sign-in attempts" not in response.content.decode()

    # Even the right password is refused now, with a clear message.
    response = client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "Too many failed sign-in attempts" in html
    assert "15 minutes" in html
    locked = AuditEntry.objects.filter(action="sign_in_failed", changes__reason="locked_out")
    assert locked.count() == 1


def test_lockout_of_one_account_leaves_others_alone(client):
    victim, other = UserFactory(), UserFactory()
    for _attempt in range(_per_account_limit()):
        client.post(LOGIN, {"login": victim.email, "password": "wrong-password-1"})
    client.post(LOGIN, {"login": other.email, "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(other.pk)


def test_fewer_failures_than_the_limit_do_not_lock(client):
    citizen = UserFactory()
    for _attempt in range(_per_account_limit() - 1):
        client.post(LOGIN, {"login": citizen.email, "password": "wrong-password-1"})
    client.post(LOGIN, {"login": citizen.email, "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(citizen.pk)


def _set_last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_idle_staff_session_ends_after_the_timeout(client):
    lawyer = make_staff(Role.LAWYER)
    client.force_login(lawyer)
    assert client.get("/en/staff/").status_code == 200

    _set_last_seen(client, settings.STAFF_IDLE_TIMEOUT + 5)
    response = client.get("/en/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(action="sign_out", actor=lawyer)
    assert entry.changes == {"reason": "idle_timeout"}
    follow = client.get(response["Location"])
    assert "signed out after a period of inactivity" in follow.content.decode()


def test_active_staff_session_is_kept(client):
    lawyer = make_staff(Role.LAWYER)
    client.force_login(lawyer)
    _set_last_seen(client, settings.STAFF_IDLE_TIMEOUT - 60)
    assert client.get("/en/staff/").status_code == 200
    assert client.session[SESSION_KEY] == str(lawyer.pk)


def test_idle_timeout_does_not_apply_to_citizens(client):
    citizen = UserFactory()
    client.force_login(citizen)
    _set_last_seen(client, settings.STAFF_IDLE_TIMEOUT + 5)
    client.get("/en/accounts/2fa/")
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_argon2_is_the_first_password_hasher_outside_tests():
    # Tests put a fast hasher first; read what production gets from the settings module itself.
    source = Path(settings.BASE_DIR / "birlik" / "settings.py").read_text()
    tree = ast.parse(source)
    top_level = next(
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(target, "id", "") == "PASSWORD_HASHERS" for target in node.targets)
    )
    hashers = ast.literal_eval(top_level.value)
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert hashers.index("django.contrib.auth.hashers.PBKDF2PasswordHasher") > 0
    # The test override only adds a faster hasher in front; argon2 still precedes PBKDF2.
    assert settings.PASSWORD_HASHERS.index(hashers[0]) < settings.PASSWORD_HASHERS.index(hashers[1])


def test_argon2_hashes_and_checks_passwords():
    encoded = make_password(PASSWORD, hasher="argon2")
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password(PASSWORD, encoded)
    assert not check_password("something-else", encoded)
