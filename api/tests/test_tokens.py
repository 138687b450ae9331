"""Tokens: hashed at rest, scoped by what their user may do, revocable, expiring."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory, make_staff
from api.models import ApiToken, Scope
from api.services import (
    api_token_authenticate,
    api_token_create,
    api_token_effective_scopes,
    api_token_revoke,
)
from api.tests.factories import make_token
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_sha256_hash():
    token, raw = make_token()
    assert raw.startswith("brk_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in stored.__dict__.values()}
    assert raw.startswith(stored.prefix)


def test_a_token_authenticates_and_records_when_it_was_used():
    token, raw = make_token()
    assert api_token_authenticate(raw) == token
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    token, raw = make_token()
    api_token_authenticate(raw)
    with django_assert_num_queries(1):  # the lookup only, no UPDATE
        api_token_authenticate(raw)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=5))
    with django_assert_num_queries(2):
        api_token_authenticate(raw)


@pytest.mark.parametrize("raw", ["", "brk_", "brk_wrong", "not-a-token", "brk_" + "x" * 500])
def test_a_wrong_token_does_not_authenticate(raw):
    make_token()
    assert api_token_authenticate(raw) is None


def test_a_revoked_token_no_longer_authenticates():
    token, raw = make_token()
    api_token_revoke(token=token, actor=token.user)
    assert api_token_authenticate(raw) is None


def test_an_expired_token_no_longer_authenticates():
    token, raw = make_token(expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(raw) is None


def test_the_token_of_a_deactivated_user_no_longer_authenticates():
    token, raw = make_token()
    token.user.is_active = False
    token.user.save()
    assert api_token_authenticate(raw) is None


def test_a_scope_lapses_when_its_user_loses_the_role_behind_it():
    token, _raw = make_token(scopes=[Scope.GEO_READ])
    assert api_token_effective_scopes(token) == {"geo:read"}
    token.user.groups.remove(Group.objects.get(name=Role.ANALYST))
    token = ApiToken.objects.select_related("user").get(pk=token.pk)  # fresh permission cache
    assert api_token_effective_scopes(token) == set()


def test_a_scope_the_user_may_not_hold_cannot_be_issued():
    lawyer = make_staff(Role.LAWYER)
    with pytest.raises(ValidationError):
        api_token_create(user=lawyer, name="Phone", scopes=[Scope.GEO_READ])
    citizen = UserFactory()
    with pytest.raises(ValidationError):
        api_token_create(user=citizen, name="Phone", scopes=[Scope.GEO_READ])


@pytest.mark.parametrize(
    "fields",
    [
        {"scopes": ["geo:everything"]},
        {"scopes": []},
        {"name": "  "},
        {"expires_at": timezone.now() - timedelta(days=1)},
    ],
)
def test_a_malformed_request_for_a_token_is_refused(fields):
    analyst = make_staff(Role.ANALYST)
    arguments = {"user": analyst, "name": "Phone", "scopes": [Scope.GEO_READ], **fields}
    with pytest.raises(ValidationError):
        api_token_create(**arguments)
    assert not ApiToken.objects.exists()


def test_only_token_managers_may_issue_or_revoke_tokens_for_someone_else():
    analyst = make_staff(Role.ANALYST)
    coordinator = make_staff(Role.COORDINATOR)
    administrator = make_staff(Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        api_token_create(user=analyst, name="x", scopes=["geo:read"], created_by=coordinator)
    token, _raw = api_token_create(
        user=analyst, name="x", scopes=["geo:read"], created_by=administrator
    )
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=coordinator)
    api_token_revoke(token=token, actor=administrator)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_issuing_and_revoking_leave_audit_entries_and_never_the_token():
    administrator = make_staff(Role.ADMINISTRATOR)
    token, raw = make_token(created_by=administrator)
    api_token_revoke(token=token, actor=administrator)
    api_token_revoke(token=token, actor=administrator)  # a second revoke changes nothing
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiToken), object_id=str(token.pk)
    ).order_by("pk")
    assert [entry.action for entry in entries] == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.UPDATE,
    ]
    assert all(entry.actor == administrator for entry in entries)
    assert not any(raw in str(entry.changes) for entry in entries)
