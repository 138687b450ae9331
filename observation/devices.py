"""Observer devices: the bearer tokens that phones and apps send submissions with.

A token is `obs_` and 40 random characters; only its SHA-256 is stored. It is made when an
observer signs in on a phone (observation.signin) and ends when they sign out, when a
coordinator revokes it, or when the observer is no longer deployed or accredited."""

import functools
import secrets

from django.db import connections, router
from django.db.models.query import get_related_populators
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
    device = _device_lookup(ObserverDevice.objects.db).run(hash_token(raw_token))
    if device is None:
        return None
    now = timezone.now()
    if (
        device.last_used_at is None
        or (now - device.last_used_at).total_seconds() > LAST_USED_GRANULARITY_SECONDS
    ):
        _touch(device, now)
    return device


def _touch(device: ObserverDevice, now) -> None:
    """`.filter(pk=device.pk).update(last_used_at=now)`, without building a queryset: on
    election day most submissions come more than five minutes after the device's last one."""
    connection = connections[router.db_for_write(ObserverDevice, instance=device)]
    quote, meta = connection.ops.quote_name, ObserverDevice._meta
    field = meta.get_field("last_used_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {quote(field.column)} = %s "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s",
            [field.get_db_prep_save(now, connection), device.pk],
        )


_KEY_HASH_PLACEHOLDER = "\x00key_hash\x00"


class _DeviceLookup:
    """The device lookup, compiled by Django once per process and then only executed.

    It runs on every election-day request, and building and compiling a queryset with two joins
    costs more CPU than running it (about as much as the INSERT of the submission itself). The
    SQL, the converters and the row-to-objects mapping all come from Django's compiler, as for
    `.select_related(...).first()`, so they follow the models; each call runs through the
    connection's cursor (counted by assertNumQueries, wrapped by execute_wrapper)."""

    def __init__(self, using: str):
        queryset = (
            ObserverDevice.objects.using(using)
            .active()
            .select_related("observer", "observer__mobile_team")
            .filter(key_hash=_KEY_HASH_PLACEHOLDER, observer__status__in=ACTIVE_OBSERVER_STATUSES)
            .order_by()[:1]  # key_hash is unique
        )
        compiler = queryset.query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.key_position = self.params.index(_KEY_HASH_PLACEHOLDER)
        self.using, self.compiler = using, compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.converters = compiler.get_converters([column[0] for column in select])
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, using)

    def run(self, key_hash: str) -> ObserverDevice | None:
        params = list(self.params)
        params[self.key_position] = key_hash
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        device = ObserverDevice.from_db(self.using, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, device)
        return device


@functools.cache
def _device_lookup(using: str) -> _DeviceLookup:
    return _DeviceLookup(using)


def revoke_device(device: ObserverDevice) -> None:
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
