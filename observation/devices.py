"""Observer devices: the bearer tokens that phones and apps send submissions with.

A token is `obs_` and 40 random characters; only its SHA-256 is stored. It is made when an
observer signs in on a phone (observation.signin) and ends when they sign out, when a
coordinator revokes it, or when the observer is no longer deployed or accredited."""

import secrets

from django.utils import timezone

from api.services import hash_token
from observation.models import ObserverDevice
from observers.models import Observer

TOKEN_PREFIX = "obs_"  # noqa: S105 — a public prefix, not a secret
ACTIVE_OBSERVER_STATUSES = (Observer.Status.ACCREDITED, Observer.Status.DEPLOYED)
LAST_USED_GRANULARITY_SECONDS = 300  # write last_used_at at most every five minutes


def issue_device_token(observer: Observer, *, name: str = "") -> tuple[ObserverDevice, str]:
    """A new device for the observer; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    device = ObserverDevice.objects.create(
        observer=observer, prefix=raw[:10], key_hash=hash_token(raw), name=name[:200]
    )
    return device, raw


def authenticate_device(raw_token: str) -> ObserverDevice | None:
    """The active device for a token, with its observer (and the observer's team) loaded."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 100:
        return None
    device = (
        ObserverDevice.objects.active()
        .select_related("observer", "observer__mobile_team")
        .filter(key_hash=hash_token(raw_token), observer__status__in=ACTIVE_OBSERVER_STATUSES)
        .first()
    )
    if device is None:
        return None
    now = timezone.now()
    if (
        device.last_used_at is None
        or (now - device.last_used_at).total_seconds() > LAST_USED_GRANULARITY_SECONDS
    ):
        ObserverDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    return device


def revoke_device(device: ObserverDevice) -> None:
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
