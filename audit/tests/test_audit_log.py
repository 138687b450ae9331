"""The audit log is append-only, and records who, what, which record, the change and from where."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory, enrol_totp, make_staff
from audit.models import AuditEntry, AuditLogIsAppendOnly
from audit.services import audit_log, model_changes, snapshot
from core import request_context

pytestmark = pytest.mark.django_db


def _entry() -> AuditEntry:
    user = UserFactory()
    return audit_log(actor=user, action=AuditEntry.Action.UPDATE, obj=user, changes={"a": [1, 2]})


def test_an_entry_cannot_be_changed():
    entry = _entry()
    entry.object_label = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(object_label="forged")
    assert AuditEntry.objects.get(pk=entry.pk).object_label != "forged"


def test_an_entry_cannot_be_deleted():
    entry = _entry()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_person_keeps_their_entries_under_the_recorded_name():
    user = UserFactory(email="gone@example.org")
    entry = audit_log(actor=user, action=AuditEntry.Action.READ, obj=user)
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None
    assert entry.actor_label == "gone@example.org"


def test_audit_log_records_who_what_record_change_and_address():
    actor = UserFactory(email="actor@example.org")
    target = UserFactory(full_name="Target Person")
    token = request_context.set_current(
        request_context.RequestInfo(ip_address="198.51.100.4", user_agent="TestBrowser/1")
    )
    try:
        entry = audit_log(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=target, changes={"x": [1, 2]}
        )
    finally:
        request_context.reset_current(token)
    assert entry.actor == actor
    assert entry.actor_label == "actor@example.org"
    assert entry.action == "update"
    assert entry.content_type == ContentType.objects.get_for_model(User)
    assert entry.object_id == str(target.pk)
    assert entry.object_label == "Target Person"
    assert entry.changes == {"x": [1, 2]}
    assert entry.ip_address == "198.51.100.4"
    assert entry.user_agent == "TestBrowser/1"


def test_a_write_through_the_site_records_the_client_address(client):
    administrator = make_staff(Role.ADMINISTRATOR)
    client.force_login(administrator)
    response = client.post(
        "/en/staff/users/new/",
        {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "preferred_language": "az",
            "roles": [Role.ANALYST],
        },
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Birlik test client",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="create", actor=administrator)
    assert entry.ip_address == "203.0.113.7"
    assert entry.user_agent == "Birlik test client"
    assert entry.object_label == "New Person"


def test_forwarded_address_is_ignored_unless_behind_our_proxy(client):
    client.post(
        "/en/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong-password-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert AuditEntry.objects.get(action="sign_in_failed").ip_address == "10.0.0.1"


@override_settings(HTTPS=True, SECURE_SSL_REDIRECT=False)
def test_forwarded_address_is_used_behind_our_proxy(client):
    client.post(
        "/en/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong-password-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 10.0.0.1",
    )
    assert AuditEntry.objects.get(action="sign_in_failed").ip_address == "192.0.2.99"


def test_model_changes_lists_only_what_changed():
    user = UserFactory(full_name="Old Name", phone="")
    before = snapshot(user, ["full_name", "phone"])
    user.full_name = "New Name"
    assert model_changes(before, snapshot(user, ["full_name", "phone"])) == {
        "full_name": ["Old Name", "New Name"]
    }


def test_change_rows_read_updates_as_before_and_after():
    entry = _entry()
    assert entry.change_rows() == [{"field": "a", "before": 1, "after": 2, "has_before": True}]
    created = audit_log(actor=None, action=AuditEntry.Action.CREATE, changes={"scopes": ["a", "b"]})
    assert created.change_rows() == [
        {"field": "scopes", "before": None, "after": ["a", "b"], "has_before": False}
    ]


def test_audit_entries_are_read_only_in_the_django_admin(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    enrol_totp(root)
    client.force_login(root)
    entry = _entry()
    assert client.get("/django-admin/audit/auditentry/").status_code == 200
    assert client.get(f"/django-admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/django-admin/audit/auditentry/{entry.pk}/change/", {}).status_code == 403
    assert client.get(f"/django-admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/django-admin/audit/auditentry/add/").status_code == 403
