"""The benchmark's yardstick: the least a Django endpoint can do to take in a submission.

POST /bench/yardstick/submissions with the same JSON as the real endpoint plus `observer_id`:
no authentication, no form engine, no idempotency handling beyond the unique key; it parses the
body, checks the field types, and inserts the same Submission row the full path inserts. It runs
in the same server, behind the same middleware, so `full path / yardstick` is what Birlik's own
work costs on top of Django + PostgreSQL.

Mounted by birlik/urls.py only when BIRLIK_BENCH_YARDSTICK=1 (settings.BENCH_YARDSTICK):
bench/election_day.py sets it for the server it starts; it never exists otherwise.
"""

import json

from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from observation.models import Submission
from questionnaires.models import Questionnaire

# form id → (election id, current version id), read once per process: the yardstick does no
# per-request lookups.
_forms: dict[int, tuple[int, int]] = {}


def _form(form_id: int) -> tuple[int, int] | None:
    if form_id not in _forms:
        row = (
            Questionnaire.objects.filter(pk=form_id)
            .values_list("election_id", "current_version_id")
            .first()
        )
        if row is None:
            return None
        _forms[form_id] = row
    return _forms[form_id]


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=422)


@csrf_exempt
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body)
    except ValueError:
        return _bad("not JSON")
    if not isinstance(body, dict):
        return _bad("not an object")
    form_id, station_id, observer_id = (
        body.get("form_id"),
        body.get("station_id"),
        body.get("observer_id"),
    )
    answers, key = body.get("answers"), body.get("idempotency_key")
    if not all(isinstance(value, int) for value in (form_id, station_id, observer_id)):
        return _bad("form_id, station_id and observer_id must be integers")
    if not isinstance(answers, dict) or not isinstance(key, str) or not 0 < len(key) <= 100:
        return _bad("answers must be an object and idempotency_key a string")
    submitted_at = body.get("submitted_at")
    submitted_at = parse_datetime(submitted_at) if isinstance(submitted_at, str) else None
    form = _form(form_id)
    if form is None:
        return _bad("no such form")
    submission = Submission(
        election_id=form[0],
        questionnaire_id=form_id,
        version_id=form[1],
        observer_id=observer_id,
        station_id=station_id,
        answers=answers,
        idempotency_key=key,
        channel="api",
        submitted_at=submitted_at,
        received_at=timezone.now(),
    )
    try:
        submission.save(force_insert=True)
    except IntegrityError:
        return _bad("key already used, or no such observer or station")
    return JsonResponse({"id": submission.pk, "created": True}, status=201)


urlpatterns = [path("bench/yardstick/submissions", submit, name="bench_yardstick")]
