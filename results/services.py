"""Storing result protocols: the one door every copy goes through (an observer's submission,
a protocol entered twice from a photo, a correction in quarantine).

``save_protocol`` cleans the numbers, runs the election type's arithmetic checks and stores the
protocol as accepted, or in quarantine with the codes of the checks it fails, in one
transaction; nothing is half-written when the numbers are wrong.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import Contest, Election
from geo.models import PollingStation
from results.checks import active_checks, failed_checks
from results.models import PROTOCOL_LINES, Protocol

#: The largest count a protocol line may hold (no polling station has a million voters).
MAX_COUNT = 1_000_000


def clean_numbers(contest: Contest, numbers: dict[str, Any]) -> dict[str, Any]:
    """{line: int or None, "votes": {ballot number: int}} from what a person or a form gave.

    Raises ValidationError with every problem by field (``votes`` problems under
    ``option:<ballot number>``): a count is a whole number from 0 to MAX_COUNT, an option must
    be on the contest's ballot, and a protocol needs at least one number."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def as_count(field: str, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            errors.setdefault(field, []).append(_("Enter a whole number."))
            return None
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            errors.setdefault(field, []).append(_("Enter a whole number."))
            return None
        if not 0 <= number <= MAX_COUNT:
            errors.setdefault(field, []).append(
                _("Enter a number from 0 to %(max)s.") % {"max": f"{MAX_COUNT:,}"}
            )
            return None
        return number

    for line in PROTOCOL_LINES:
        clean[line] = as_count(line, numbers.get(line))
    ballot_numbers = {str(n) for n in contest.options.values_list("ballot_number", flat=True)}
    votes: dict[str, int] = {}
    for key, value in (numbers.get("votes") or {}).items():
        key = str(key)
        if key not in ballot_numbers:
            errors.setdefault(f"option:{key}", []).append(
                _("Ballot number %(number)s is not on this contest's ballot.") % {"number": key}
            )
            continue
        count = as_count(f"option:{key}", value)
        if count is not None:
            votes[key] = count
    clean["votes"] = votes
    if not errors and all(clean[line] is None for line in PROTOCOL_LINES) and not votes:
        errors.setdefault("__all__", []).append(_("The protocol has no numbers."))
    if errors:
        raise ValidationError(errors)
    return clean


def judge(protocol: Protocol, election_kind: str) -> list[str]:
    """Set the protocol's failed checks and status (accepted or quarantined); return the codes."""
    codes = [check.code for check in failed_checks(protocol.lines(), active_checks(election_kind))]
    protocol.failed_checks = codes
    protocol.status = Protocol.Status.QUARANTINED if codes else Protocol.Status.ACCEPTED
    return codes


def save_protocol(
    *,
    election: Election,
    contest: Contest,
    station: PollingStation,
    source: str,
    numbers: dict[str, Any],
    received_at: datetime | None = None,
    actor=None,
    **links: Any,
) -> Protocol:
    """Clean, check and store one protocol copy; ``links`` are submission, entry_task, photo.

    Raises ValidationError (nothing written) when the numbers are wrong or the contest is not
    the station's."""
    if contest.election_id != election.pk:
        raise ValidationError(_("This contest belongs to another election."))
    if contest.constituency_id and contest.constituency_id != station.constituency_id:
        raise ValidationError(_("This polling station does not vote in this contest."))
    clean = clean_numbers(contest, numbers)
    protocol = Protocol(
        election=election,
        contest=contest,
        station=station,
        source=source,
        votes=clean.pop("votes"),
        received_at=received_at or timezone.now(),
        **clean,
        **links,
    )
    judge(protocol, election.kind)
    with transaction.atomic():
        protocol.save()
        if actor is not None:
            audit_log(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=protocol,
                changes={"status": protocol.status, "failed_checks": protocol.failed_checks},
            )
    return protocol
