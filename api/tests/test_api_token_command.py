import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import make_staff
from api.models import ApiToken
from api.services import api_token_authenticate
from api.tests.factories import make_token

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_issue_prints_a_token_that_works_once_and_is_never_stored():
    coordinator = make_staff(Role.COORDINATOR)
    output = run(
        "issue", "--user", coordinator.email.upper(), "--name", "Tablet 7",
        "--scope", "geo:read", "geo:write",
    )  # fmt: skip
    raw = re.search(r"^(brk_\S+)$", output, re.MULTILINE).group(1)
    token = api_token_authenticate(raw)
    assert token.user == coordinator
    assert token.scopes == ["geo:read", "geo:write"]
    assert token.expires_at is not None
    assert raw not in run("list")


def test_issue_with_expires_days_zero_gives_a_token_that_does_not_expire():
    analyst = make_staff(Role.ANALYST)
    run("issue", "--user", analyst.email, "--name", "Kiosk", "--scope", "geo:read",
        "--expires-days", "0")  # fmt: skip
    assert ApiToken.objects.get().expires_at is None


def test_issue_refuses_a_scope_the_user_may_not_hold():
    lawyer = make_staff(Role.LAWYER)
    with pytest.raises(CommandError):
        run("issue", "--user", lawyer.email, "--name", "Phone", "--scope", "geo:read")
    assert not ApiToken.objects.exists()


def test_issue_refuses_an_unknown_user():
    with pytest.raises(CommandError):
        run("issue", "--user", "nobody@example.org", "--name", "Phone", "--scope", "geo:read")


def test_list_shows_each_token_and_its_state():
    active, _raw = make_token(name="Tablet A")
    revoked, _raw = make_token(name="Tablet B")
    run("revoke", revoked.prefix)
    lines = run("list").splitlines()
    assert any(active.prefix in line and "Tablet A" in line and "active" in line for line in lines)
    assert any(revoked.prefix in line and "revoked" in line for line in lines)


def test_revoke_by_prefix_stops_the_token_working():
    token, raw = make_token()
    output = run("revoke", token.prefix)
    assert token.prefix in output
    assert api_token_authenticate(raw) is None


def test_revoke_accepts_the_whole_token():
    _token, raw = make_token()
    run("revoke", raw)
    assert api_token_authenticate(raw) is None


def test_revoke_refuses_an_unknown_or_ambiguous_prefix():
    first, _raw = make_token()
    second, _raw = make_token()
    ApiToken.objects.filter(pk=second.pk).update(prefix=first.prefix)
    with pytest.raises(CommandError):
        run("revoke", "brk_nope00")
    with pytest.raises(CommandError):
        run("revoke", first.prefix)
    run("revoke", first.prefix, "--user", second.user.email)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.revoked_at is not None and first.revoked_at is None
