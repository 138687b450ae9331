"""The quarantine of result protocols and the arithmetic checks that fill it.

A protocol that fails a check waits in quarantine until someone with
``results.review_quarantine`` accepts it as it is (the commission really wrote it so), corrects
a misread number (the protocol is judged again; the old numbers stay in the audit log) or
rejects it (not a protocol of this station, unreadable, a duplicate). Each decision needs a note.

Staff with ``results.configure_checks`` write the checks of each type of election; when checks
change, the protocols nobody has decided on yet (quarantined, or accepted without review) are
judged again. Every function runs in one transaction, leaves an audit entry and raises a
ValidationError with a translated message when a rule is broken, writing nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from elections.models import Election
from results.checks import active_checks, expression_errors, failed_checks
from results.models import PROTOCOL_LINES, Protocol, ProtocolCheck
from results.services import clean_numbers, judge

NOTE_MAX = 2000
CHECK_FIELDS = [
    "election_kind",
    "code",
    "expression",
    "message_az",
    "message_en",
    "message_ru",
    "is_active",
    "position",
]
EDITABLE_CHECK_FIELDS = set(CHECK_FIELDS) - {"election_kind"}


# --- Deciding on a protocol -----------------------------------------------------------------


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why: a note is required.")})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Write at most %(count)s characters.") % {"count": NOTE_MAX}}
        )
    return note


def _lock(protocol: Protocol) -> Protocol:
    return Protocol.objects.select_for_update().select_related("election").get(pk=protocol.pk)


def numbers_of(protocol: Protocol) -> dict[str, Any]:
    """The protocol's numbers as results.services takes them."""
    return {
        **{line: getattr(protocol, line) for line in PROTOCOL_LINES},
        "votes": dict(protocol.votes or {}),
    }


def _reviewed(protocol: Protocol, actor, note: str) -> None:
    protocol.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    protocol.reviewed_at = timezone.now()
    protocol.review_note = note


@transaction.atomic
def accept_protocol(protocol: Protocol, *, actor, note: str) -> Protocol:
    """Accept a quarantined (or rejected) protocol as it is, despite the checks it fails."""
    note = _note(note)
    protocol = _lock(protocol)
    if protocol.status == Protocol.Status.ACCEPTED:
        raise ValidationError(_("This protocol has already been accepted."))
    old = protocol.status
    protocol.status = Protocol.Status.ACCEPTED
    _reviewed(protocol, actor, note)
    protocol.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=protocol,
        changes={
            "status": [old, protocol.status],
            "failed_checks": protocol.failed_checks,
            "note": note,
        },
    )
    return protocol


@transaction.atomic
def reject_protocol(protocol: Protocol, *, actor, note: str) -> Protocol:
    """Set a protocol aside: it counts nowhere, and stays on record with the reason."""
    note = _note(note)
    protocol = _lock(protocol)
    if protocol.status == Protocol.Status.REJECTED:
        raise ValidationError(_("This protocol has already been rejected."))
    old = protocol.status
    protocol.status = Protocol.Status.REJECTED
    _reviewed(protocol, actor, note)
    protocol.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=protocol,
        changes={"status": [old, protocol.status], "note": note},
    )
    return protocol


@transaction.atomic
def correct_protocol(protocol: Protocol, numbers: dict[str, Any], *, actor, note: str) -> Protocol:
    """Replace the protocol's numbers with what the photo or the commission really says and
    judge it again: accepted if it now passes, still quarantined with its new reasons if not.
    The original numbers are kept in the audit entry."""
    note = _note(note)
    protocol = _lock(protocol)
    if protocol.status == Protocol.Status.REJECTED:
        raise ValidationError(_("This protocol was rejected; accept it before correcting it."))
    clean = clean_numbers(protocol.contest, numbers)
    before = numbers_of(protocol)
    before_status, before_failed = protocol.status, list(protocol.failed_checks)
    protocol.votes = clean.pop("votes")
    for line, value in clean.items():
        setattr(protocol, line, value)
    after = numbers_of(protocol)
    if after == before:
        raise ValidationError(_("These are the numbers the protocol already has."))
    judge(protocol, protocol.election.kind)
    _reviewed(protocol, actor, note)
    protocol.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=protocol,
        changes={
            "numbers": [before, after],
            "status": [before_status, protocol.status],
            "failed_checks": [before_failed, protocol.failed_checks],
            "note": note,
        },
    )
    return protocol


# --- Judging again when the checks change ---------------------------------------------------


def _undecided(election: Election):
    """Protocols no person has decided on: quarantined, or accepted by the checks alone."""
    return Protocol.objects.filter(election=election).filter(
        Q(status=Protocol.Status.QUARANTINED)
        | Q(status=Protocol.Status.ACCEPTED, reviewed_at__isnull=True)
    )


@transaction.atomic
def rejudge_protocols(election: Election, *, actor=None) -> dict[str, int]:
    """Run the election type's active checks again over the undecided protocols; returns how
    many were judged, newly quarantined and released."""
    checks = active_checks(election.kind)
    changed: list[Protocol] = []
    quarantined = released = judged = 0
    fields = [*PROTOCOL_LINES, "votes", "status", "failed_checks", "election_id"]
    for protocol in _undecided(election).only(*fields).iterator(chunk_size=2000):
        judged += 1
        codes = [check.code for check in failed_checks(protocol.lines(), checks)]
        status = Protocol.Status.QUARANTINED if codes else Protocol.Status.ACCEPTED
        if codes == protocol.failed_checks and status == protocol.status:
            continue
        if status != protocol.status:
            quarantined += status == Protocol.Status.QUARANTINED
            released += status == Protocol.Status.ACCEPTED
        protocol.failed_checks, protocol.status = codes, status
        protocol.updated_at = timezone.now()
        changed.append(protocol)
    Protocol.objects.bulk_update(
        changed, ["failed_checks", "status", "updated_at"], batch_size=1000
    )
    summary = {
        "judged": judged,
        "changed": len(changed),
        "quarantined": quarantined,
        "released": released,
    }
    if changed:
        audit_log(
            actor=actor or "results",
            action=AuditEntry.Action.UPDATE,
            model=Protocol,
            changes={"election": election.pk, **summary},
            object_label=f"protocols of {election} judged again",
        )
    return summary


def _rejudge_kind(election_kind: str, actor) -> dict[str, int]:
    total = {"judged": 0, "changed": 0, "quarantined": 0, "released": 0}
    elections = Election.objects.filter(kind=election_kind, protocols__isnull=False).distinct()
    for election in elections:
        for key, value in rejudge_protocols(election, actor=actor).items():
            total[key] += value
    return total


# --- Configuring the checks -----------------------------------------------------------------


def _validate_check(check: ProtocolCheck) -> None:
    check.code = (check.code or "").strip().lower()
    check.expression = (check.expression or "").strip()
    for field in ("message_az", "message_en", "message_ru"):
        setattr(check, field, (getattr(check, field) or "").strip())
    errors: dict[str, list[str]] = {}
    try:
        check.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if check.expression:
        problems = expression_errors(check.expression)
        if problems:
            errors.setdefault("expression", []).extend(problems)
    if not check.message_az:
        errors["message_az"] = [_("Write the message in Azerbaijani.")]
    taken = ProtocolCheck.objects.filter(election_kind=check.election_kind, code=check.code)
    if check.pk is not None:
        taken = taken.exclude(pk=check.pk)
    if check.code and taken.exists():
        errors.setdefault("code", []).append(
            _("This type of election already has a check with this code.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_check(
    *,
    actor,
    election_kind: str,
    code: str,
    expression: str,
    message_az: str,
    message_en: str = "",
    message_ru: str = "",
    is_active: bool = True,
    position: int | None = None,
) -> ProtocolCheck:
    """A new check for one type of election; the undecided protocols are judged again."""
    if position is None:
        last = ProtocolCheck.objects.filter(election_kind=election_kind).order_by("-position")
        position = (last.values_list("position", flat=True).first() or 0) + 1
    check = ProtocolCheck(
        election_kind=election_kind,
        code=code,
        expression=expression,
        message_az=message_az,
        message_en=message_en,
        message_ru=message_ru,
        is_active=is_active,
        position=position,
    )
    _validate_check(check)
    check.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=check,
        changes=snapshot(check, CHECK_FIELDS),
    )
    _rejudge_kind(check.election_kind, actor)
    return check


@transaction.atomic
def update_check(check: ProtocolCheck, *, actor, **changes: Any) -> ProtocolCheck:
    """Change a check's code, expression, messages, order or whether it is in use."""
    unknown = set(changes) - EDITABLE_CHECK_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    check = ProtocolCheck.objects.select_for_update().get(pk=check.pk)
    before = snapshot(check, CHECK_FIELDS)
    for name, value in changes.items():
        setattr(check, name, value)
    _validate_check(check)
    diff = model_changes(before, snapshot(check, CHECK_FIELDS))
    if not diff:
        return check
    check.save()
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=check, changes=diff)
    if {"expression", "is_active", "code"} & set(diff):
        _rejudge_kind(check.election_kind, actor)
    return check


def set_check_active(check: ProtocolCheck, *, actor, is_active: bool) -> ProtocolCheck:
    """Put a check in use or out of use."""
    return update_check(check, actor=actor, is_active=is_active)


def toggle_check(check: ProtocolCheck, *, actor) -> ProtocolCheck:
    return set_check_active(check, actor=actor, is_active=not check.is_active)
