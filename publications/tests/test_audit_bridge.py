"""Wagtail's log actions map onto the audit log's actions."""

import pytest

from audit.models import AuditEntry
from publications.services import audit_action_for


@pytest.mark.parametrize(
    ("wagtail_action", "audit_action"),
    [
        ("wagtail.publish", AuditEntry.Action.PUBLISH),
        ("wagtail.publish.scheduled", AuditEntry.Action.PUBLISH),
        ("wagtail.create", AuditEntry.Action.CREATE),
        ("wagtail.copy_for_translation", AuditEntry.Action.CREATE),
        ("wagtail.delete", AuditEntry.Action.DELETE),
        ("wagtail.edit", AuditEntry.Action.UPDATE),
        ("wagtail.unpublish", AuditEntry.Action.UPDATE),
        ("wagtail.move", AuditEntry.Action.UPDATE),
        ("wagtail.lock", AuditEntry.Action.UPDATE),
    ],
)
def test_each_wagtail_action_becomes_an_audit_action(wagtail_action, audit_action):
    assert audit_action_for(wagtail_action) == audit_action
