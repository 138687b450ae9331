"""Factories for incidents: `IncidentFactory()` builds a new citizen's report at a station of an
active election; `media_file("jpg")` gives a small upload of a real type."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from elections.models import Election
from elections.tests.factories import ElectionFactory
from geo.models import Region
from geo.tests.factories import PollingStationFactory
from incidents.models import Incident, IncidentCategory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200
HEADS = {"jpg": (JPEG, "image/jpeg"), "png": (PNG, "image/png"), "mp4": (MP4, "video/mp4")}


def media_file(kind: str = "jpg", *, name: str | None = None, size: int | None = None):
    """An upload whose first bytes are a real JPEG/PNG/MP4 head (or "exe" for a program)."""
    head, content_type = HEADS.get(kind, (EXE, "image/jpeg"))
    data = head if size is None else (head + b"\x00" * size)[:size]
    return SimpleUploadedFile(name or f"Rəşad Quliyev.{kind}", data, content_type=content_type)


def category(code: str = "vote_buying") -> IncidentCategory:
    return IncidentCategory.objects.get(code=code)


def _region_of(station) -> Region:
    return station.constituency.district.region


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    election = factory.SubFactory(ElectionFactory, status=Election.Status.ACTIVE)
    category = factory.LazyFunction(category)
    severity = Incident.Severity.MEDIUM
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    station = factory.SubFactory(PollingStationFactory)
    region = factory.LazyAttribute(lambda o: _region_of(o.station))
    description = factory.Sequence(
        lambda n: f"Secret description {n}: Anar Məmmədov handed out money at the door."
    )
    reporter_kind = Incident.ReporterKind.CITIZEN
    citizen_name = "Leyla Həsənova"
    citizen_contact = "+994 50 765 43 21"
    status = Incident.Status.NEW


def published(**fields) -> Incident:
    fields.setdefault("public_summary_en", "Money was offered to voters near the station.")
    fields.setdefault("published_at", timezone.now())
    return IncidentFactory(status=Incident.Status.PUBLISHED, **fields)
