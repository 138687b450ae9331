"""Observation endpoints of the JSON API, /api/v1/observation/.

Observers sign in on a phone with a one-time code by SMS or an access code from their
coordinator (`/sign-in/...`, no token needed) and get a device token; everything else needs
it (`Authorization: Bearer obs_...`). An observer sees only their own assignments and
submissions. Submitting is idempotent: send the same `idempotency_key` again (after a timeout,
from the offline queue) and the answer is the submission already stored, with `created: false`.
Photos are uploaded first (`POST /photos`) and named in the answers by their id.
"""

import datetime
import time
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from api.errors import ApiError, ErrorOut, error_body
from api.pagination import BirlikPagination
from core.request_context import client_ip
from core.uploads import check_upload
from elections.models import Election
from observation import signin
from observation.auth import device_auth
from observation.models import Submission, SubmissionPhoto
from observation.services import REPORTING_STATUSES, SubmissionRejected, record_submission
from observers.models import Observer
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
    return Status(201 if outcome.created else 200, body)


# --- Signing in ---------------------------------------------------------------------------------


class RequestCodeIn(Schema):
    phone: str = Field(max_length=40, description="The observer's mobile number, +994…")


class VerifyCodeIn(Schema):
    phone: str = Field(max_length=40)
    code: str = Field(max_length=20, description="The six digits received by SMS")
    device_name: str = Field("", max_length=200, description="Shown to coordinators")


class AccessCodeIn(Schema):
    code: str = Field(max_length=40, description="Eight letters and digits from a coordinator")
    device_name: str = Field("", max_length=200, description="Shown to coordinators")


class CodeSentOut(Schema):
    detail: str


class TokenOut(Schema):
    token: str = Field(description="The device token (`obs_…`); shown once, keep it on the device")


def _device_name(request, given: str) -> str:
    return (given or "").strip() or request.headers.get("User-Agent", "")[:200]


def _throttled(error: signin.SignInThrottled) -> JsonResponse:
    response = JsonResponse(error_body("throttled", error.message), status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@router.post(
    "/sign-in/request-code",
    response={202: CodeSentOut, 429: ErrorOut},
    summary="Ask for a one-time code by SMS",
)
def request_code(request, payload: RequestCodeIn):
    """Sends a six-digit code (valid ten minutes) to the number if it belongs to an accredited
    or deployed observer of an active election. The answer is the same either way."""
    try:
        signin.request_one_time_code(payload.phone, client_ip=client_ip(request.META))
    except ValidationError as error:
        raise ApiError(
            422,
            "validation_error",
            error.messages[0],
            details=[{"location": "body", "field": "phone", "message": error.messages[0]}],
        ) from None
    except signin.SignInThrottled as error:
        return _throttled(error)
    return Status(
        202, {"detail": _("If this number belongs to an observer, a code is on its way by SMS.")}
    )


@router.post(
    "/sign-in/verify-code",
    response={200: TokenOut, 400: ErrorOut, 429: ErrorOut},
    summary="Sign in with the one-time code",
)
def verify_code(request, payload: VerifyCodeIn):
    """The fifth wrong try ends the code; ask for a new one then."""
    try:
        token = signin.verify_one_time_code(
            payload.phone,
            payload.code,
            device_name=_device_name(request, payload.device_name),
            client_ip=client_ip(request.META),
        )
    except signin.SignInFailed as error:
        raise ApiError(400, "invalid_code", error.message) from None
    except signin.SignInThrottled as error:
        return _throttled(error)
    return Status(200, {"token": token})


@router.post(
    "/sign-in/access-code",
    response={200: TokenOut, 400: ErrorOut, 429: ErrorOut},
    summary="Sign in with an access code from a coordinator",
)
def access_code(request, payload: AccessCodeIn):
    try:
        token = signin.sign_in_with_access_code(
            payload.code,
            device_name=_device_name(request, payload.device_name),
            client_ip=client_ip(request.META),
        )
    except signin.SignInFailed as error:
        raise ApiError(400, "invalid_code", error.message) from None
    except signin.SignInThrottled as error:
        return _throttled(error)
    return Status(200, {"token": token})


@router.post("/sign-out", auth=device_auth, response={204: None}, summary="End this device's token")
def sign_out(request):
    signin.sign_out(request.observer_device)
    return Status(204, None)


# --- What the observer sees ---------------------------------------------------------------------


class ElectionOut(Schema):
    id: int
    name: str = Field(description="In the language of the request")
    election_date: datetime.date


class ObserverOut(Schema):
    id: int
    full_name: str
    number: int | None = Field(description="Given at accreditation")
    status: str
    language: str = Field(description="The observer's preferred language: az, en or ru")
    may_submit: bool = Field(description="True once the observer is deployed")
    election: ElectionOut


class AssignedStationOut(Schema):
    id: int
    code: str = Field(description='"<constituency>-<number>", e.g. "12-034"')
    name: str = Field(description="In the language of the request")
    address: str
    settlement: str
    in_sample: bool = Field(
        False,
        description="In a drawn quick-count sample: the results protocol is wanted first",
    )


class FormOut(Schema):
    id: int
    code: str = Field(description="Short code, as in SMS reports (OP, VT, ...)")
    kind: str
    name: str = Field(description="In the language of the request")
    version_id: int
    schema_: dict[str, Any] = Field(
        alias="schema", description="The questions (see questionnaires.engine)"
    )


class OwnSubmissionOut(Schema):
    id: int
    form_id: int
    form_code: str
    station_id: int
    station_code: str
    idempotency_key: str
    channel: str
    has_alert: bool
    submitted_at: datetime.datetime | None
    received_at: datetime.datetime

    @staticmethod
    def resolve_form_id(obj: Submission) -> int:
        return obj.questionnaire_id

    @staticmethod
    def resolve_form_code(obj: Submission) -> str:
        return obj.questionnaire.code

    @staticmethod
    def resolve_station_code(obj: Submission) -> str:
        return obj.station.code


class OwnSubmissionDetailOut(OwnSubmissionOut):
    answers: dict[str, Any]


class MeOut(Schema):
    observer: ObserverOut
    assignments: list[AssignedStationOut] = Field(description="The stations to report on")
    forms: list[FormOut] = Field(description="The open forms of the observer's election")
    submissions: list[OwnSubmissionOut] = Field(description="The observer's latest submissions")


RECENT_SUBMISSIONS = 20


def _own_submissions(observer: Observer):
    return Submission.objects.filter(observer=observer).order_by("-received_at", "-pk")


def _open_forms(observer: Observer):
    return (
        Questionnaire.objects.filter(
            election_id=observer.election_id,
            status=Questionnaire.Status.ACTIVE,
            current_version__isnull=False,
        )
        .select_related("current_version")
        .order_by("position", "pk")
    )


def _sample_station_ids(election_id: int, stations) -> set[int]:
    """Which of these stations are in a drawn quick-count sample of the election (not on a
    reserve list)."""
    from quickcount.models import SampleDesign, SampleStation

    return set(
        SampleStation.objects.filter(
            design__election_id=election_id,
            design__status=SampleDesign.Status.DRAWN,
            reserve_rank=0,
            station__in=stations,
        ).values_list("station_id", flat=True)
    )


@router.get(
    "/me",
    auth=device_auth,
    response=MeOut,
    by_alias=True,
    summary="The observer's assignments and forms",
)
def me(request):
    """Everything the phone page needs to work offline: who the observer is, the stations they
    report on, the open forms of their election with their questions, and what they sent
    lately. Names come in the language of the request (Accept-Language)."""
    observer: Observer = request.observer
    election = Election.objects.get(pk=observer.election_id)
    stations = observer.assigned_stations().order_by("code")
    forms = _open_forms(observer)
    recent = _own_submissions(observer).select_related("questionnaire", "station")[
        :RECENT_SUBMISSIONS
    ]
    in_sample = _sample_station_ids(observer.election_id, stations)
    return {
        "observer": {
            "id": observer.pk,
            "full_name": observer.full_name,
            "number": observer.number,
            "status": observer.status,
            "language": observer.language,
            "may_submit": observer.status in REPORTING_STATUSES,
            "election": {
                "id": election.pk,
                "name": election.name,
                "election_date": election.election_date,
            },
        },
        "assignments": [
            {
                "id": station.pk,
                "code": station.code,
                "name": station.name,
                "address": station.address,
                "settlement": station.settlement,
                "in_sample": station.pk in in_sample,
            }
            for station in stations
        ],
        "forms": [
            {
                "id": form.pk,
                "code": form.code,
                "kind": form.kind,
                "name": form.name,
                "version_id": form.current_version_id,
                "schema": form.current_version.schema,
            }
            for form in forms
        ],
        "submissions": list(recent),
    }


class SubmissionFilters(Schema):
    form_id: int | None = Field(None, description="Only this form's")
    station_id: int | None = Field(None, description="Only this station's")


@router.get(
    "/submissions",
    auth=device_auth,
    response=list[OwnSubmissionDetailOut],
    summary="The observer's own submissions, newest first",
)
@paginate(BirlikPagination)
def submission_list(request, filters: Query[SubmissionFilters]):
    submissions = _own_submissions(request.observer).select_related("questionnaire", "station")
    if filters.form_id is not None:
        submissions = submissions.filter(questionnaire_id=filters.form_id)
    if filters.station_id is not None:
        submissions = submissions.filter(station_id=filters.station_id)
    return submissions


# --- Photos -------------------------------------------------------------------------------------


class PhotoOut(Schema):
    id: str = Field(description="Name the photo by this id in the answer to a photo question")
    size: int
    content_type: str


@router.post(
    "/photos",
    auth=device_auth,
    response={200: PhotoOut, 201: PhotoOut},
    summary="Upload a photo for a form about to be sent",
)
def upload_photo(
    request,
    file: File[UploadedFile],
    id: Form[uuid.UUID | None] = None,
):
    """A JPEG, PNG or WebP photo of at most 10 MB (checked by its bytes, not its name).

    Send your own `id` (a UUID made on the device) to make the upload safe to retry: a photo
    already received with that id answers 200 instead of being stored twice."""
    observer: Observer = request.observer
    if observer.status not in REPORTING_STATUSES:
        raise ApiError(403, "permission_denied", _("Only deployed observers can send reports."))
    if id is not None:
        existing = SubmissionPhoto.objects.filter(pk=id).first()
        if existing is not None:
            if existing.observer_id != observer.pk:
                raise ApiError(
                    409, "conflict", _("This photo id was already used; make a new one.")
                )
            return Status(200, _photo_row(existing))
    try:
        checked = check_upload(file)
    except ValidationError as error:
        message = error.messages[0]
        raise ApiError(
            422,
            "invalid_file",
            message,
            details=[{"location": "form", "field": "file", "message": message}],
        ) from None
    photo = SubmissionPhoto(
        id=id or uuid.uuid4(),
        observer=observer,
        content_type=checked.content_type,
        size=checked.size,
    )
    photo.file.save(f"{photo.id.hex}.{checked.extension}", file, save=False)
    try:
        with transaction.atomic():
            photo.save(force_insert=True)
    except IntegrityError:
        # The same id arrived twice at once; the other request stored it.
        photo.file.delete(save=False)
        existing = SubmissionPhoto.objects.filter(pk=photo.pk, observer=observer).first()
        if existing is None:
            raise ApiError(
                409, "conflict", _("This photo id was already used; make a new one.")
            ) from None
        return Status(200, _photo_row(existing))
    return Status(201, _photo_row(photo))


def _photo_row(photo: SubmissionPhoto) -> dict[str, Any]:
    return {"id": photo.id.hex, "size": photo.size, "content_type": photo.content_type}
