"""Writes to incidents: a report (from a citizen or an observer, with its photos and videos),
the verification workflow (new → verified or rejected → published, and back), notes,
corrections of the category and severity, and the categories themselves.

Every function takes keyword arguments only and runs in one transaction; a broken rule raises a
ValidationError with a translated message and writes nothing, neither rows nor files. The audit
log records who did what but never the reporter's name, contact or description, and an anonymous
report's entry does not even keep the address it came from. Functions that hold a report's
text are marked with sensitive_variables, so that an error report never shows it.
"""

import contextlib
import datetime
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from audit.models import AuditEntry
from audit.services import audit_log, model_changes, snapshot
from core import request_context
from core.uploads import check_upload
from elections.models import Election, ElectionStation
from geo.models import PollingStation, Region
from incidents.models import (
    SUMMARY_LANGUAGES,
    TRANSITIONS,
    Incident,
    IncidentCategory,
    IncidentMedia,
    IncidentNote,
    IncidentStatusChange,
    check_coordinates,
    step_permission,
)
from observers.models import Observer

MAX_FILES = 5
MAX_TOTAL_BYTES = 100 * 1024 * 1024
DESCRIPTION_MIN = 20
DESCRIPTION_MAX = 5000
SUMMARY_MAX = 2000
NOTE_MAX = 5000
REPORTER_FIELD_MAX = 200
MAX_LINKS = 2
# Clocks on phones drift; a report a few minutes "from the future" is still accepted.
FUTURE_TOLERANCE = datetime.timedelta(minutes=15)
OLDEST_REPORT = datetime.timedelta(days=366)

REPORTING_STATUSES = (Observer.Status.ACCREDITED, Observer.Status.DEPLOYED)

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)

# What the audit log keeps of an incident: nothing personal, nothing the reporter wrote.
AUDIT_FIELDS = [
    "election_id",
    "category_id",
    "severity",
    "station_id",
    "region_id",
    "reporter_kind",
    "observer_id",
    "status",
]
CATEGORY_FIELDS = ["code", "name_az", "name_en", "name_ru", "position", "active"]


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


@contextlib.contextmanager
def _without_client_address() -> Iterator[None]:
    """Audit entries written inside leave out the client's address and browser: an anonymous
    reporter must not be traceable through the audit log either."""
    token = request_context.set_current(None)
    try:
        yield
    finally:
        request_context.reset_current(token)


@dataclass(frozen=True)
class _Checked:
    upload: UploadedFile
    content_type: str
    size: int
    extension: str


def check_files(files: Sequence[UploadedFile]) -> list[_Checked]:
    """Every file an allowed photo or video within its limit; at most MAX_FILES of them."""
    files = [upload for upload in files if upload is not None]
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": _("Send at most %(count)d files.") % {"count": MAX_FILES}},
            code="too_many_files",
        )
    checked, errors = [], []
    for number, upload in enumerate(files, start=1):
        try:
            result = check_upload(upload, allow_video=True)
        except ValidationError as error:
            # Numbered, not named: an uploaded file's name may name a person.
            errors.extend(
                _("File %(number)d: %(problem)s") % {"number": number, "problem": message}
                for message in error.messages
            )
        else:
            checked.append(_Checked(upload, result.content_type, result.size, result.extension))
    if errors:
        raise ValidationError({"files": errors})
    if sum(item.size for item in checked) > MAX_TOTAL_BYTES:
        raise ValidationError(
            {
                "files": _("The files together are too large: at most %(limit)s.")
                % {"limit": filesizeformat(MAX_TOTAL_BYTES)}
            },
            code="files_too_large",
        )
    return checked


def forget_upload_names(files) -> None:
    """Replace the names uploaded files came with ("Leyla at the station.jpg"): they are never
    used (files are stored under random names), and an error report lists the request's files
    by name."""
    for key in list(files):
        for number, upload in enumerate(files.getlist(key), start=1):
            upload.name = f"upload-{number}"


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _store_media(incident: Incident, checked: list[_Checked], stored: list[str]) -> int:
    """Save each file under a random name in the private storage; `stored` collects the names
    so that the caller can remove them if anything later fails."""
    for item in checked:
        media = IncidentMedia(
            incident=incident,
            content_type=item.content_type,
            size=item.size,
            sha256=_sha256(item.upload),
        )
        media.file.save(f"evidence.{item.extension}", item.upload, save=False)
        stored.append(media.file.name)
        media.save()
    return len(checked)


def _remove_files(names: list[str]) -> None:
    storage = IncidentMedia._meta.get_field("file").storage
    for name in names:
        with contextlib.suppress(OSError):
            storage.delete(name)


def _check_time(occurred_at: datetime.datetime | None) -> datetime.datetime:
    if occurred_at is None:
        raise ValidationError({"occurred_at": _("Say when it happened.")})
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    now = timezone.now()
    if occurred_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("This time is in the future.")})
    if occurred_at < now - OLDEST_REPORT:
        raise ValidationError({"occurred_at": _("This is more than a year ago.")})
    return occurred_at


def _check_text(text: str, *, field: str, minimum: int, maximum: int) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise ValidationError(
            {
                field: _("Describe what happened in at least %(count)d characters.")
                % {"count": minimum}
            }
        )
    if len(text) > maximum:
        raise ValidationError(
            {field: _("Write at most %(count)d characters.") % {"count": maximum}}
        )
    return text


def _check_station_in_election(station: PollingStation, election: Election) -> None:
    """A station of the election, when the election lists its stations."""
    listed = ElectionStation.objects.filter(election=election)
    if listed.exists() and not listed.filter(station=station).exists():
        raise ValidationError(
            {"station": _("This polling station does not take part in this election.")}
        )


def _region_of(station: PollingStation) -> Region:
    return Region.objects.get(districts__constituencies__stations=station)


def _check_common(
    *,
    election: Election,
    category: IncidentCategory,
    severity: str,
    occurred_at,
    latitude,
    longitude,
) -> datetime.datetime:
    if election.status != Election.Status.ACTIVE:
        raise ValidationError({"election": _("This election does not take reports.")})
    if category is None or not category.active:
        raise ValidationError({"category": _("Choose one of the categories offered.")})
    if severity not in Incident.Severity.values:
        raise ValidationError({"severity": _("Choose one of the levels offered.")})
    occurred_at = _check_time(occurred_at)
    check_coordinates(latitude, longitude)
    return occurred_at


@sensitive_variables()
def _create(*, incident: Incident, files: Sequence[UploadedFile], actor) -> Incident:
    """Save the incident, its files, its first history step and the audit entry together; on
    any failure remove the files already written and write nothing."""
    checked = check_files(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            incident.full_clean()
            incident.save()
            media_count = _store_media(incident, checked, stored)
            IncidentStatusChange.objects.create(
                incident=incident, from_status="", to_status=Incident.Status.NEW
            )
            changes = snapshot(incident, AUDIT_FIELDS) | {"media": media_count}
            if incident.reporter_kind == Incident.ReporterKind.CITIZEN:
                with _without_client_address():
                    audit_log(
                        actor=None, action=AuditEntry.Action.CREATE, obj=incident, changes=changes
                    )
            else:
                audit_log(
                    actor=actor, action=AuditEntry.Action.CREATE, obj=incident, changes=changes
                )
    except BaseException:
        _remove_files(stored)
        raise
    return incident


@sensitive_variables()
def incident_report_citizen(
    *,
    election: Election,
    category: IncidentCategory,
    occurred_at: datetime.datetime,
    description: str,
    severity: str = Incident.Severity.MEDIUM,
    station: PollingStation | None = None,
    region: Region | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    name: str = "",
    contact: str = "",
    files: Sequence[UploadedFile] = (),
) -> Incident:
    """A member of the public reports an incident, anonymously if they give no name or
    contact. The place is a station (its region follows) or a region, with an optional point.
    """
    occurred_at = _check_common(
        election=election,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        latitude=latitude,
        longitude=longitude,
    )
    description = _check_text(
        description, field="description", minimum=DESCRIPTION_MIN, maximum=DESCRIPTION_MAX
    )
    if count_links(description) > MAX_LINKS:
        raise ValidationError(
            {
                "description": _("Include at most %(count)d links, or describe it in words.")
                % {"count": MAX_LINKS}
            }
        )
    name, contact = (name or "").strip(), (contact or "").strip()
    for field, value in (("name", name), ("contact", contact)):
        if len(value) > REPORTER_FIELD_MAX:
            raise ValidationError(
                {field: _("Write at most %(count)d characters.") % {"count": REPORTER_FIELD_MAX}}
            )
    if station is not None:
        _check_station_in_election(station, election)
        station_region = _region_of(station)
        if region is not None and region.pk != station_region.pk:
            raise ValidationError(
                {
                    "station": _(
                        "This polling station is in %(region)s, not in the region you chose."
                    )
                    % {"region": station_region.name}
                }
            )
        region = station_region
    if region is None:
        raise ValidationError({"region": _("Choose the region, or give the station's code.")})
    incident = Incident(
        election=election,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        station=station,
        region=region,
        latitude=latitude,
        longitude=longitude,
        description=description,
        reporter_kind=Incident.ReporterKind.CITIZEN,
        citizen_name=name,
        citizen_contact=contact,
        status=Incident.Status.NEW,
    )
    return _create(incident=incident, files=files, actor=None)


@sensitive_variables()
def incident_report_observer(
    *,
    observer: Observer,
    category: IncidentCategory,
    severity: str,
    occurred_at: datetime.datetime,
    station: PollingStation | int,
    description: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    files: Sequence[UploadedFile] = (),
) -> Incident:
    """An observer reports an incident at one of their assigned stations, for their election."""
    if observer.status not in REPORTING_STATUSES:
        raise ValidationError(_("Only accredited or deployed observers can report incidents."))
    station_id = station if isinstance(station, int) else station.pk
    assigned = observer.assigned_stations().filter(pk=station_id).first()
    if assigned is None:
        raise ValidationError({"station": _("You are not assigned to this polling station.")})
    occurred_at = _check_common(
        election=observer.election,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        latitude=latitude,
        longitude=longitude,
    )
    description = _check_text(
        description, field="description", minimum=DESCRIPTION_MIN, maximum=DESCRIPTION_MAX
    )
    incident = Incident(
        election=observer.election,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        station=assigned,
        region=_region_of(assigned),
        latitude=latitude,
        longitude=longitude,
        description=description,
        reporter_kind=Incident.ReporterKind.OBSERVER,
        observer=observer,
        status=Incident.Status.NEW,
    )
    return _create(incident=incident, files=files, actor=observer)


# --- Verification workflow ------------------------------------------------------------------


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("observer", "category")
        .get(pk=incident.pk)
    )


def summary_names_reporter(incident: Incident, summary: str) -> bool:
    """Whether the summary repeats the reporter's name, contact or phone (a slip to stop
    before it is published)."""
    folded = summary.casefold()
    values = [incident.citizen_name, incident.citizen_contact]
    if incident.observer_id:
        values += [incident.observer.full_name, incident.observer.phone]
    return any(len(value.strip()) >= 3 and value.strip().casefold() in folded for value in values)


@sensitive_variables()
def _check_summaries(incident: Incident, summaries: dict[str, str] | None) -> dict[str, str]:
    """The summaries to publish with, stripped: at least one, none too long, none naming the
    reporter. Errors are on public_summary_<language>."""
    given = incident.summaries | {
        code: text for code, text in (summaries or {}).items() if code in SUMMARY_LANGUAGES
    }
    given = {code: (text or "").strip() for code, text in given.items()}
    if not any(given.values()):
        raise ValidationError(
            {"public_summary_az": _("Write the public summary before publishing.")}
        )
    errors = {}
    for code, text in given.items():
        if len(text) > SUMMARY_MAX:
            errors[f"public_summary_{code}"] = _("Write at most %(count)d characters.") % {
                "count": SUMMARY_MAX
            }
        elif summary_names_reporter(incident, text):
            errors[f"public_summary_{code}"] = _(
                "The summary names the reporter or gives their contact. Remove it before "
                "publishing."
            )
    if errors:
        raise ValidationError(errors)
    return given


@sensitive_variables()
def _add_note(*, actor, incident: Incident, text: str) -> IncidentNote:
    return IncidentNote.objects.create(incident=incident, author=actor, text=text)


@sensitive_variables()
@transaction.atomic
def incident_transition(
    *,
    actor,
    incident: Incident,
    to_status: str,
    note: str = "",
    summaries: dict[str, str] | None = None,
) -> Incident:
    """Move an incident one step: verify or reject a new report, publish a verified one (with
    a public summary in at least one language: `summaries` {"az": ..., "en": ..., "ru": ...},
    or the ones it already has), unpublish, or reopen a rejected one. An optional note is kept
    with the incident."""
    incident = _lock(incident)
    before = incident.status
    if to_status not in TRANSITIONS.get(before, ()):
        raise ValidationError(
            _("An incident cannot go from “%(current)s” to “%(next)s”.")
            % {
                "current": Incident.Status(before).label,
                "next": (
                    Incident.Status(to_status).label
                    if to_status in Incident.Status.values
                    else to_status
                ),
            },
            code="transition",
        )
    if not actor.has_perm(step_permission(before, to_status)):
        raise PermissionDenied
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Write at most %(count)d characters.") % {"count": NOTE_MAX}}
        )
    changes: dict = {"status": [before, to_status]}
    action = AuditEntry.Action.UPDATE
    fields = ["status", "updated_at"]
    if to_status == Incident.Status.PUBLISHED:
        summaries = _check_summaries(incident, summaries)
        for code, summary in summaries.items():
            field = f"public_summary_{code}"
            if summary != getattr(incident, field):
                changes[field] = [getattr(incident, field), summary]
            setattr(incident, field, summary)
            fields.append(field)
        incident.published_at = timezone.now()
        fields.append("published_at")
        action = AuditEntry.Action.PUBLISH
    elif before == Incident.Status.PUBLISHED:
        incident.published_at = None
        fields.append("published_at")
    incident.status = to_status
    incident.save(update_fields=fields)
    IncidentStatusChange.objects.create(
        incident=incident, from_status=before, to_status=to_status, actor=actor
    )
    if note:
        changes["note_id"] = _add_note(actor=actor, incident=incident, text=note).pk
    audit_log(actor=actor, action=action, obj=incident, changes=changes)
    return incident


@sensitive_variables()
@transaction.atomic
def incident_note_add(*, actor, incident: Incident, text: str) -> IncidentNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX:
        raise ValidationError(
            {"text": _("Write at most %(count)d characters.") % {"count": NOTE_MAX}}
        )
    incident = _lock(incident)
    note = _add_note(actor=actor, incident=incident, text=text)
    # The note's text stays out of the log; the log says that one was added.
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=incident,
        changes={"note_id": note.pk},
    )
    return note


@transaction.atomic
def incident_classify(
    *, actor, incident: Incident, category: IncidentCategory, severity: str
) -> Incident:
    """Correct the category and severity of a report that is not published."""
    incident = _lock(incident)
    if incident.status == Incident.Status.PUBLISHED:
        raise ValidationError(_("Unpublish the incident before changing how it is classified."))
    if severity not in Incident.Severity.values:
        raise ValidationError({"severity": _("Choose one of the levels offered.")})
    before = snapshot(incident, ["category_id", "severity"])
    incident.category = category
    incident.severity = severity
    changes = model_changes(before, snapshot(incident, ["category_id", "severity"]))
    if changes:
        incident.save(update_fields=["category", "severity", "updated_at"])
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=incident, changes=changes)
    return incident


def incident_record_read(*, actor, incident: Incident, media: IncidentMedia | None = None) -> None:
    """Reading a report (or opening one of its files) is logged: it is confidential."""
    audit_log(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=incident,
        changes={"media": str(media.pk)} if media is not None else {},
    )


# --- Categories -----------------------------------------------------------------------------


def _save_category(category: IncidentCategory) -> None:
    category.code = (category.code or "").strip()
    category.full_clean()
    category.save()


@transaction.atomic
def category_create(*, actor, **fields) -> IncidentCategory:
    category = IncidentCategory(
        **{name: fields[name] for name in CATEGORY_FIELDS if name in fields}
    )
    _save_category(category)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=category,
        changes=model_changes({}, snapshot(category, CATEGORY_FIELDS)),
    )
    return category


@transaction.atomic
def category_update(*, actor, category: IncidentCategory, **fields) -> IncidentCategory:
    category = IncidentCategory.objects.select_for_update().get(pk=category.pk)
    before = snapshot(category, CATEGORY_FIELDS)
    for name in CATEGORY_FIELDS:
        if name in fields:
            setattr(category, name, fields[name])
    _save_category(category)
    changes = model_changes(before, snapshot(category, CATEGORY_FIELDS))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=category, changes=changes)
    return category
