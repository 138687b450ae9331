"""Writing to the audit log. Every service that changes a record calls `audit_log`.

`changes` convention, which the audit browser's before/after table relies on: an update records
{field: [old, new]} (build it with `model_changes(snapshot(before), snapshot(after))`); a
creation records the new values {field: value}; a deletion the old ones.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditEntry
from core import request_context


def _json_safe(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(item) for item in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        field: [_json_safe(before.get(field)), _json_safe(after.get(field))]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a record, for `model_changes`."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


def actor_label(actor) -> str:
    """How the actor is written in the log: the email address people know them by."""
    if actor is None:
        return ""
    if getattr(actor, "is_authenticated", False):
        return (getattr(actor, "email", "") or actor.get_username())[:254]
    return str(actor)[:254]


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_label: str = "",
    model: type[models.Model] | None = None,
) -> AuditEntry:
    """Record one action. The client's address comes from the request being served, if any.

    `model` names the record type when the action concerns many records rather than one
    (an import, an export) and there is no `obj`.
    """
    info = request_context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj)
    elif model is not None:
        content_type = ContentType.objects.get_for_model(model)
    else:
        content_type = None
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=actor_label(actor),
        action=action,
        content_type=content_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(object_label or (str(obj) if obj is not None else ""))[:300],
        changes=_json_safe(changes or {}),
        ip_address=info.ip_address if info else None,
        user_agent=info.user_agent if info else "",
    )


def audit_export_record(*, actor, entries, filters: dict[str, str]) -> AuditEntry:
    """Record that `actor` exported these entries (reading the audit log is itself logged)."""
    return audit_log(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        model=AuditEntry,
        object_label="audit log (CSV)",
        changes={"filters": filters, "rows": entries.count()},
    )


CSV_HEADER = [
    "id",
    "when",
    "who",
    "action",
    "record_type",
    "record_id",
    "record",
    "change",
    "address",
    "browser",
]


def audit_csv_rows(entries):
    """The header, then one row per entry (times in UTC, ISO 8601; the change as JSON)."""
    import json

    yield CSV_HEADER
    for entry in entries.select_related("content_type").iterator(chunk_size=2000):
        content_type = entry.content_type
        yield [
            entry.pk,
            entry.created_at.isoformat(),
            _csv_safe(entry.actor_label),
            entry.action,
            f"{content_type.app_label}.{content_type.model}" if content_type else "",
            _csv_safe(entry.object_id),
            _csv_safe(entry.object_label),
            json.dumps(entry.changes, ensure_ascii=False, sort_keys=True),
            entry.ip_address or "",
            _csv_safe(entry.user_agent),
        ]


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
