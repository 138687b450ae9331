"""Issuing, checking and revoking API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, Scope
from audit.models import AuditEntry
from audit.services import audit_log

TOKEN_PREFIX = "brk_"  # noqa: S105  (a public prefix, not a secret)
# Writing last_used_at on every request would make each API call a write; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is safe (no dictionary to attack).
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user, name: str, scopes: list[str], created_by=None, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the raw token, which is shown only this once."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(unknown)}")
    raw_token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw_token[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(raw_token),
        scopes=sorted(set(scopes)),
        created_by=created_by,
        expires_at=expires_at,
    )
    audit_log(
        actor=created_by or user,
        action=AuditEntry.Action.CREATE,
        obj=token,
        changes={"scopes": token.scopes, "user": user.pk},
    )
    return token, raw_token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=token, changes={"revoked": True}
        )
    return token


def api_token_authenticate(raw_token: str) -> ApiToken | None:
    """The active token for this raw value, or None. Records when it was last used."""
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw_token))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
