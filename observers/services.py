"""Writes to observers: the public application, and each step of an observer's way
(applied → vetted → trained → accredited → deployed, or rejected).

Every function takes keyword arguments only, runs in one transaction, records the step in the
observer's history and leaves an audit entry; a rule broken raises a ValidationError with a
translated message and writes nothing.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from elections.models import Election
from geo.models import Region
from observers.models import (
    MINIMUM_AGE,
    TRANSITIONS,
    Observer,
    ObserverStatusChange,
    age_on,
    normalise_phone,
)

# Personal details (phone, email, birth date) stay out of the audit log; the record has them.
AUDIT_FIELDS = ["election_id", "region_id", "language", "status"]


def _check_transition(observer: Observer, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(observer.status, ()):
        raise ValidationError(
            _("%(name)s cannot go from “%(current)s” to “%(next)s”.")
            % {
                "name": observer.full_name,
                "current": Observer.Status(observer.status).label,
                "next": (
                    Observer.Status(to_status).label
                    if to_status in Observer.Status.values
                    else to_status
                ),
            },
            code="transition",
        )


@transaction.atomic
def observer_apply(
    *,
    election: Election,
    full_name: str,
    phone: str,
    email: str,
    date_of_birth,
    region: Region,
    language: str,
) -> Observer:
    """A member of the public applies to observe an election; only active elections take
    applications, each phone number once per election, and observers are 18 or older on
    election day."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.ACTIVE:
        raise ValidationError(_("This election does not take applications from observers."))
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    if date_of_birth is not None and age_on(date_of_birth, election.election_date) < MINIMUM_AGE:
        raise ValidationError(
            {
                "date_of_birth": _("Observers must be at least %(age)d years old on election day.")
                % {"age": MINIMUM_AGE}
            }
        )
    if Observer.objects.filter(election=election, phone=phone).exists():
        raise ValidationError(
            {
                "phone": _(
                    "Someone has already applied to observe this election with this phone number."
                )
            }
        )
    observer = Observer(
        election=election,
        full_name=(full_name or "").strip(),
        phone=phone,
        email=(email or "").strip(),
        date_of_birth=date_of_birth,
        region=region,
        language=language,
        status=Observer.Status.APPLIED,
    )
    observer.full_clean()
    observer.save()
    ObserverStatusChange.objects.create(
        observer=observer, from_status="", to_status=Observer.Status.APPLIED, actor=None
    )
    audit_log(
        actor=None,
        action=AuditEntry.Action.CREATE,
        obj=observer,
        changes=model_changes({}, snapshot(observer, AUDIT_FIELDS)),
    )
    return observer


def _move(*, actor, observer: Observer, to_status: str, note: str) -> Observer:
    before = observer.status
    observer.status = to_status
    observer.save(update_fields=["status"])
    ObserverStatusChange.objects.create(
        observer=observer, from_status=before, to_status=to_status, actor=actor, note=note
    )
    changes = {"status": [before, to_status]}
    if note:
        changes["note"] = note
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=observer, changes=changes)
    return observer


@transaction.atomic
def observer_transition(*, actor, observer: Observer, to_status: str, note: str = "") -> Observer:
    """Move an observer one step on; only the steps in TRANSITIONS are allowed."""
    observer = Observer.objects.select_for_update().get(pk=observer.pk)
    _check_transition(observer, to_status)
    return _move(actor=actor, observer=observer, to_status=to_status, note=note.strip())


@transaction.atomic
def observers_transition_bulk(
    *, actor, observers: Iterable[Observer], to_status: str, note: str = ""
) -> int:
    """Move several observers to the same status: all of them, or none if any one of them may
    not make that step. Returns how many were moved."""
    ids = sorted({observer.pk for observer in observers})
    if not ids:
        raise ValidationError(_("Choose at least one observer."))
    locked = list(Observer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    refused = []
    for observer in locked:
        try:
            _check_transition(observer, to_status)
        except ValidationError as error:
            refused.extend(error.messages)
    if refused:
        raise ValidationError(
            [
                _("Nobody was moved, because not every observer chosen can make this step."),
                *refused,
            ]
        )
    for observer in locked:
        _move(actor=actor, observer=observer, to_status=to_status, note=note.strip())
    return len(locked)
