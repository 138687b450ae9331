"""Issuing, checking and revoking API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from audit.models import AuditEntry
from audit.services import audit_log

TOKEN_PREFIX = "brk_"  # noqa: S105  (a public prefix, not a secret)
# Writing last_used_at on every request would make each API call a write; once a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)

# A scope is only as good as the permission behind it: a token never lets its user do more
# than the user may do in the staff area, today (a role taken away takes the scope with it).
SCOPE_PERMISSIONS: dict[str, str] = {
    Scope.GEO_READ: "geo.view_pollingstation",
    Scope.GEO_WRITE: "geo.change_pollingstation",
    Scope.ELECTIONS_READ: "elections.view_election",
}


def hash_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is safe (no dictionary to attack).
    return hashlib.sha256(raw_token.encode()).hexdigest()


def scopes_allowed_for(user) -> set[str]:
    """The scopes whose permission this user holds now."""
    if not user.is_active:
        return set()
    return {scope for scope, permission in SCOPE_PERMISSIONS.items() if user.has_perm(permission)}


def api_token_effective_scopes(token: ApiToken) -> set[str]:
    """The token's scopes that its user still holds the permission for."""
    return set(token.scopes) & scopes_allowed_for(token.user)


@transaction.atomic
def api_token_create(
    *,
    user,
    name: str,
    scopes: list[str],
    created_by=None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the raw token, which is shown only this once.

    `created_by` None means the system (a management command run by an operator); otherwise
    it must be the user themself or someone allowed to manage API tokens.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long.")})
    requested = {str(scope) for scope in scopes}
    if not requested:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    unknown = sorted(requested - set(Scope.values))
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}}
        )
    not_permitted = sorted(requested - scopes_allowed_for(user))
    if not_permitted:
        raise ValidationError(
            {
                "scopes": _("This user may not hold these scopes: %(scopes)s.")
                % {"scopes": ", ".join(not_permitted)}
            }
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    if (
        created_by is not None
        and created_by.pk != user.pk
        and not created_by.has_perm("api.manage_api_tokens")
    ):
        raise PermissionDenied

    raw_token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw_token[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(raw_token),
        scopes=sorted(requested),
        created_by=created_by,
        expires_at=expires_at,
    )
    audit_log(
        actor=created_by or user,
        action=AuditEntry.Action.CREATE,
        obj=token,
        changes={
            "scopes": token.scopes,
            "user": user.pk,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw_token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once; revoking twice is harmless and logged once."""
    if (
        actor is not None
        and actor.pk != token.user_id
        and not actor.has_perm("api.manage_api_tokens")
    ):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor or "system",
            action=AuditEntry.Action.UPDATE,
            obj=token,
            changes={"revoked": True},
        )
    return token


def api_token_authenticate(raw_token: str) -> ApiToken | None:
    """The active token for this raw value, or None. Records when it was last used."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
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
        token.last_used_at = now
    return token
