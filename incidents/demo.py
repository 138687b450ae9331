"""Synthetic demo incidents for the active demo election(s) (elections.demo).

Four dozen invented reports per election in every state of the workflow (new, verified,
rejected, published), from deployed observers where the demo has them and otherwise from
citizens, some anonymous. Every description, name and contact is invented and says so
("sintetik"); the published ones carry summaries in three languages. Deterministic, fast (bulk
inserts), and running it again changes nothing: an election that has incidents is left alone.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_log
from elections.demo import MARKS, MEN, PARLIAMENTARY, SURNAMES, WOMEN
from elections.models import Election, ElectionStation
from geo.models import PollingStation
from incidents.categories import ensure_default_categories
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentNote,
    IncidentStatusChange,
)
from observers.models import Observer

SYNTHETIC_NOTE = "Synthetic demo incidents: every report, name and contact is invented."

S = Incident.Status
STATUSES = [S.NEW] * 20 + [S.VERIFIED] * 10 + [S.REJECTED] * 6 + [S.PUBLISHED] * 12
SEVERITIES = (["low"] * 2) + (["medium"] * 4) + (["high"] * 3) + ["critical"]
# Things that happen on election day itself; the others during the campaign before it.
ELECTION_DAY = {
    "ballot_stuffing",
    "multiple_voting",
    "observer_obstruction",
    "procedural_violation",
}

# category code: (description (az), summary az, summary en, summary ru)
TEXTS = {
    "ballot_stuffing": (
        "Saat 11:40-da komissiya üzvü 2 nömrəli qutuya bir dəstə bülleten atdı. Yanımda "
        "{witness} də bunu gördü.",
        "Komissiya üzvünün qutuya bir dəstə bülleten atdığı görülüb.",
        "A commission member was seen putting a bundle of ballots into a ballot box.",
        "Член комиссии был замечен за вбросом пачки бюллетеней в урну.",
    ),
    "multiple_voting": (
        "Eyni şəxslər avtobusla gətirilərək bir neçə məntəqədə səs verdilər. Avtobusun nömrəsini "
        "{witness} yazıb.",
        "Bir qrup seçicinin avtobusla bir neçə məntəqəyə aparıldığı bildirilir (karusel).",
        "A group of voters was reportedly driven by bus to vote at several stations (carousel).",
        "Группу избирателей, по сообщениям, возили на автобусе голосовать на нескольких участках.",
    ),
    "pressure": (
        "İdarə rəhbəri işçilərə səs verdikdən sonra bülletenin şəklini göndərməyi tapşırdı. "
        "Bunu {witness} danışdı.",
        "İşçilərə səs verdikləri bülletenin şəklini rəhbərə göndərmək tapşırılıb.",
        "Employees were told to send their manager a photo of their marked ballot.",
        "Сотрудникам велели отправить руководителю фото заполненного бюллетеня.",
    ),
    "observer_obstruction": (
        "Komissiya sədri müşahidəçini masadan 10 metr aralı oturtdu və sayımı görməyə "
        "icazə vermədi. Müşahidəçi: {witness}.",
        "Müşahidəçinin səslərin sayılmasını izləməsinə icazə verilməyib.",
        "An observer was kept away from the table and not allowed to watch the count.",
        "Наблюдателю не позволили следить за подсчётом голосов.",
    ),
    "vote_buying": (
        "Məktəbin qapısında iki nəfər seçicilərə 20 manat paylayırdı. {witness} pulu "
        "götürməkdən imtina etdi.",
        "Məntəqənin yaxınlığında seçicilərə pul təklif edildiyi bildirilir.",
        "Money was reportedly offered to voters near the polling station.",
        "По сообщениям, возле участка избирателям предлагали деньги.",
    ),
    "campaign_violation": (
        "Namizədin plakatları məktəbin və xəstəxananın divarlarına yapışdırılıb. Şəkilləri "
        "{witness} çəkib.",
        "Təşviqat plakatları məktəb və xəstəxana binalarında asılıb.",
        "Campaign posters were put up on a school and a hospital.",
        "Агитационные плакаты были размещены на зданиях школы и больницы.",
    ),
    "procedural_violation": (
        "Səsvermə başlamazdan əvvəl qutular seçicilərə boş göstərilmədi, qeydiyyat siyahısı "
        "möhürlənməmişdi. {witness} protokola qeyd yazdırmaq istədi.",
        "Səsvermə başlamazdan əvvəl qutuların boş olduğu göstərilməyib.",
        "The ballot boxes were not shown to be empty before voting began.",
        "Перед началом голосования не показали, что урны пусты.",
    ),
    "other": (
        "Məntəqənin girişində polis əməkdaşları seçicilərin şəxsiyyət vəsiqələrinin şəklini "
        "çəkirdi. {witness} bunu soruşanda cavab verilmədi.",
        "Məntəqənin girişində seçicilərin sənədlərinin şəklinin çəkildiyi bildirilir.",
        "Voters' identity documents were reportedly photographed at the entrance.",
        "У входа на участок, по сообщениям, фотографировали документы избирателей.",
    ),
}
NOTES = [
    "Reporter called back; the account matches (synthetic note).",
    "Two other reports from the same station say the same (synthetic note).",
    "Photo checked: the time and place fit (synthetic note).",
]
REJECTION_NOTES = [
    "Could not be confirmed; the station was closed at that hour (synthetic note).",
    "Duplicate of an earlier report (synthetic note).",
]


def _person(rng: random.Random) -> str:
    woman = rng.random() < 0.5
    first = rng.choice(WOMEN if woman else MEN)[0]
    last = rng.choice(SURNAMES)[0]
    return f"{first} {last}{'a' if woman else ''} {MARKS[0]}"


def _elections() -> list[Election]:
    return list(
        Election.objects.filter(
            kind=PARLIAMENTARY["kind"],
            name_az=PARLIAMENTARY["name_az"],
            status=Election.Status.ACTIVE,
        )
    )


def _station_ids(election: Election) -> list[int]:
    """The election's stations that are on the map (any station, if it lists none)."""
    ids = list(
        ElectionStation.objects.filter(election=election, station__latitude__isnull=False)
        .order_by("station_id")
        .values_list("station_id", flat=True)
    )
    if not ids:
        ids = list(
            PollingStation.objects.with_coordinates().order_by("pk").values_list("pk", flat=True)
        )
    return ids


def _when(rng: random.Random, election: Election, code: str) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    day = datetime.datetime.combine(election.election_date, datetime.time(8), tzinfo=zone)
    if code in ELECTION_DAY:
        moment = day + datetime.timedelta(minutes=rng.randint(0, 12 * 60))
    else:
        moment = day - datetime.timedelta(days=rng.randint(1, 21), minutes=rng.randint(0, 600))
    return min(moment, timezone.now() - datetime.timedelta(hours=1))


@transaction.atomic
def build_demo_incidents(*, seed: int = 2026, actor=None) -> dict:
    """Create the demo incidents of each active demo election that has none yet."""
    actor_user = actor if getattr(actor, "pk", None) else None
    ensure_default_categories()
    categories = {c.code: c for c in IncidentCategory.objects.filter(code__in=TEXTS)}
    built = {"incidents": 0, "incidents_created": 0, "published": 0}
    for election in _elections():
        existing = Incident.objects.filter(election=election).count()
        built["incidents"] += existing
        station_ids = _station_ids(election)
        if existing or not station_ids or len(categories) < len(TEXTS):
            continue
        observers = list(
            Observer.objects.filter(
                election=election,
                station__isnull=False,
                status__in=(Observer.Status.ACCREDITED, Observer.Status.DEPLOYED),
            ).order_by("pk")[:50]
        )
        stations = PollingStation.objects.with_places().in_bulk(
            {*station_ids, *(observer.station_id for observer in observers)}
        )
        rng = random.Random(seed * 31 + election.pk)
        incidents, plans = [], []
        codes = list(TEXTS)
        for index, status in enumerate(STATUSES):
            code = codes[index % len(codes)]
            description, summary_az, summary_en, summary_ru = TEXTS[code]
            observer = observers[index % len(observers)] if observers and index % 3 == 0 else None
            station = stations[observer.station_id if observer else rng.choice(station_ids)]
            anonymous = observer is None and rng.random() < 0.5
            occurred_at = _when(rng, election, code)
            incident = Incident(
                election=election,
                category=categories[code],
                severity=rng.choice(SEVERITIES),
                occurred_at=occurred_at,
                station=station,
                region=station.constituency.district.region,
                description=description.format(witness=_person(rng)),
                reporter_kind="observer" if observer else "citizen",
                observer=observer,
                citizen_name="" if observer or anonymous else _person(rng),
                citizen_contact=(
                    "" if observer or anonymous else f"+99470999{rng.randint(0, 9999):04d}"
                ),
                status=status,
            )
            if status == S.PUBLISHED:
                incident.public_summary_az = summary_az
                incident.public_summary_en = summary_en
                incident.public_summary_ru = summary_ru
                incident.published_at = occurred_at + datetime.timedelta(hours=rng.randint(3, 30))
            incidents.append(incident)
            plans.append(status)
        Incident.objects.bulk_create(incidents, batch_size=500)

        history, notes = [], []
        for incident, status in zip(incidents, plans, strict=True):
            history.append(IncidentStatusChange(incident=incident, to_status=S.NEW))
            path = {
                S.NEW: [],
                S.VERIFIED: [S.VERIFIED],
                S.REJECTED: [S.REJECTED],
                S.PUBLISHED: [S.VERIFIED, S.PUBLISHED],
            }[status]
            before = S.NEW
            for step in path:
                history.append(
                    IncidentStatusChange(
                        incident=incident, from_status=before, to_status=step, actor=actor_user
                    )
                )
                before = step
            if status in (S.VERIFIED, S.PUBLISHED):
                notes.append(
                    IncidentNote(incident=incident, author=actor_user, text=rng.choice(NOTES))
                )
            elif status == S.REJECTED:
                notes.append(
                    IncidentNote(
                        incident=incident, author=actor_user, text=rng.choice(REJECTION_NOTES)
                    )
                )
        IncidentStatusChange.objects.bulk_create(history, batch_size=1000)
        IncidentNote.objects.bulk_create(notes, batch_size=1000)
        built["incidents"] += len(incidents)
        built["incidents_created"] += len(incidents)
        built["published"] += plans.count(S.PUBLISHED)

    summary = {**built, "synthetic": True, "note": SYNTHETIC_NOTE}
    if built["incidents_created"]:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Incident,
            changes=summary,
            object_label="synthetic demo incidents",
        )
    return summary
