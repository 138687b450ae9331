"""An observer's copy of a station's protocol, arriving as a submission of a results form.

observation.services.record_submission calls ``record_observer_protocol`` inside the
transaction that stores the submission: the answers become a Protocol through the one door
(results.services.save_protocol), and a protocol that cannot be stored (no contest at the
station, a ballot number the station's ballot does not have, a count out of range) refuses
the whole submission with SubmissionRejected, so nothing is written. A protocol that is
stored but does not add up waits in quarantine.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from elections.models import Contest
from geo.models import PollingStation
from observation.models import Submission, SubmissionPhoto
from observation.services import SubmissionRejected
from questionnaires.models import Questionnaire
from results.models import Protocol, ProtocolForm
from results.services import save_protocol

OPTION_PREFIX = "option:"


def contest_for_station(protocol_form: ProtocolForm, station: PollingStation) -> Contest | None:
    """The form's contest, or the station's constituency contest in the form's round."""
    if protocol_form.contest_id is not None:
        return protocol_form.contest
    return (
        Contest.objects.select_related("election")
        .filter(
            election_id=protocol_form.election_id,
            round=protocol_form.round,
            constituency_id=station.constituency_id,
        )
        .first()
    )


def record_observer_protocol(submission: Submission, *, questionnaire: Questionnaire) -> Protocol:
    """Store the protocol a results-form submission carries; raises SubmissionRejected with
    messages per question (in the active language) when it cannot be stored."""
    protocol_form = (
        ProtocolForm.objects.select_related("election", "contest__election")
        .filter(questionnaire_id=questionnaire.pk)
        .first()
    )
    if protocol_form is None:
        raise SubmissionRejected(
            {"__all__": [_("This results form is not linked to an election's ballot yet.")]}
        )
    station = PollingStation.objects.only("pk", "constituency_id").get(pk=submission.station_id)
    contest = contest_for_station(protocol_form, station)
    if contest is None:
        raise SubmissionRejected(
            {"station": [_("No contest of this election is held at this polling station.")]}
        )
    ballot = set(contest.options.values_list("ballot_number", flat=True))
    numbers: dict[str, Any] = {"votes": {}}
    code_of: dict[str, str] = {}  # the service's field name → the question code
    errors: dict[str, list[str]] = {}
    photo_id = None
    for code, value in submission.answers.items():
        target = protocol_form.question_map.get(code)
        if target is None:
            continue
        if target == "photo":
            photo_id = value
        elif target.startswith(OPTION_PREFIX):
            number = target[len(OPTION_PREFIX) :]
            if not number.isdigit() or int(number) not in ballot:
                errors.setdefault(code, []).append(
                    _(
                        "Number %(number)s is not on this station's ballot: it has "
                        "%(count)s options. Leave this question empty."
                    )
                    % {"number": number, "count": len(ballot)}
                )
                continue
            numbers["votes"][number] = value
            code_of[target] = code
        else:
            numbers[target] = value
            code_of[target] = code
    if errors:
        raise SubmissionRejected(errors)
    photo = None
    if photo_id:
        photo = SubmissionPhoto.objects.filter(
            pk=uuid.UUID(str(photo_id)), observer_id=submission.observer_id
        ).first()
    try:
        return save_protocol(
            election=contest.election,
            contest=contest,
            station=station,
            source=Protocol.Source.OBSERVER,
            numbers=numbers,
            received_at=submission.received_at,
            submission=submission,
            photo=photo,
        )
    except ValidationError as error:
        raise SubmissionRejected(_by_question(error, code_of)) from None


def _by_question(error: ValidationError, code_of: dict[str, str]) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {"__all__": list(error.messages)}
    return {
        code_of.get(field, "__all__" if field == "__all__" else field): list(messages)
        for field, messages in error.message_dict.items()
    }
