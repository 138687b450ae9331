"""Observation endpoints of the JSON API, /api/v1/observation/.

Observers' phones and apps authenticate with a device token (`Bearer obs_...`). Submitting is
idempotent: send the same `idempotency_key` again (after a timeout, from the offline queue) and
the answer is the submission already stored, with `created: false`.
"""

import datetime
import time
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from api.errors import ApiError
from observation.auth import device_auth
from observation.services import SubmissionRejected, record_submission
from questionnaires.models import Questionnaire

router = Router(tags=["observation"])

_QUESTIONNAIRE_TTL_SECONDS = 5.0
_questionnaires: dict[int, tuple[float, Questionnaire | None]] = {}


def open_questionnaire(pk: int) -> Questionnaire | None:
    """The form, kept in this process for a few seconds (election day reads it thousands of
    times a second; a form closed by staff is refused within the TTL)."""
    now = time.monotonic()
    cached = _questionnaires.get(pk)
    if cached is not None and now - cached[0] < _QUESTIONNAIRE_TTL_SECONDS:
        return cached[1]
    questionnaire = Questionnaire.objects.filter(pk=pk).first()
    _questionnaires[pk] = (now, questionnaire)
    return questionnaire


class SubmissionIn(Schema):
    form_id: int = Field(description="The form (see GET /observation/me)")
    station_id: int = Field(description="One of the observer's assigned stations")
    answers: dict[str, Any] = Field(description="Question code → value")
    idempotency_key: str = Field(
        min_length=1,
        max_length=100,
        description="Made by the client once per filled form (a UUID); retries reuse it",
    )
    submitted_at: datetime.datetime | None = Field(
        None, description="When the observer pressed send, by the device's clock"
    )


class SubmissionOut(Schema):
    id: int
    created: bool = Field(description="False when this key had been received before")
    alerts: int = Field(description="Critical answers raised as alerts")
    received_at: datetime.datetime


@router.post(
    "/submissions",
    auth=device_auth,
    response={200: SubmissionOut, 201: SubmissionOut},
    summary="Send a filled form",
)
def submit(request, payload: SubmissionIn):
    questionnaire = open_questionnaire(payload.form_id)
    if questionnaire is None:
        raise ApiError(404, "not_found", _("There is no such form."))
    try:
        outcome = record_submission(
            observer=request.observer,
            questionnaire=questionnaire,
            station=payload.station_id,
            answers=payload.answers,
            idempotency_key=payload.idempotency_key,
            channel="api" if not request.headers.get("X-Birlik-Client") else "web",
            submitted_at=payload.submitted_at,
        )
    except SubmissionRejected as rejected:
        raise ApiError(
            422,
            "invalid_submission",
            _("The form was not accepted; see what is wrong with each answer."),
            details=rejected.errors,
        ) from None
    submission = outcome.submission
    body = {
        "id": submission.pk,
        "created": outcome.created,
        "alerts": outcome.alerts,
        "received_at": submission.received_at,
    }
    return (201 if outcome.created else 200), body
