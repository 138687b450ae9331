"""Synthetic demo elections on top of the demo geography (geo.demo).

A parliamentary election with a contest in every constituency and three to six invented
candidates each, and a presidential election with one national contest and five candidates.
Every election, candidate and party is invented and says so ("demo", "synthetic"). Deterministic,
and running it again changes nothing.
"""

import datetime
import random

from django.db import transaction

from audit.models import AuditEntry
from audit.services import audit_log
from elections.models import BallotOption, Contest, Election, ElectionStation
from geo.demo import SYNTHETIC_MARK
from geo.models import Constituency, PollingStation

SYNTHETIC_NOTE = "Synthetic demo elections: every election, candidate and party is invented."

PARLIAMENTARY = {
    "kind": Election.Kind.PARLIAMENTARY,
    "name_az": "2026 parlament seçkiləri (demo)",
    "name_en": "2026 parliamentary election (demo)",
    "name_ru": "Парламентские выборы 2026 года (демо)",
    "election_date": datetime.date(2026, 11, 1),
    "rounds": 1,
    "current_round": 1,
    "status": Election.Status.ACTIVE,
}
PRESIDENTIAL = {
    "kind": Election.Kind.PRESIDENTIAL,
    "name_az": "2028 prezident seçkisi (demo)",
    "name_en": "2028 presidential election (demo)",
    "name_ru": "Президентские выборы 2028 года (демо)",
    "election_date": datetime.date(2028, 4, 9),
    "rounds": 2,
    "current_round": 1,
    "status": Election.Status.DRAFT,
}

# (Azerbaijani, English, Russian); surnames take "a" for women in all three languages.
MEN = [
    ("Elvin", "Elvin", "Эльвин"),
    ("Rəşad", "Rashad", "Рашад"),
    ("Orxan", "Orkhan", "Орхан"),
    ("Tural", "Tural", "Турал"),
    ("Vüqar", "Vugar", "Вугар"),
    ("Kamran", "Kamran", "Камран"),
    ("Səbuhi", "Sabuhi", "Сабухи"),
    ("Fərid", "Farid", "Фарид"),
    ("Nicat", "Nijat", "Ниджат"),
    ("Ramil", "Ramil", "Рамиль"),
]
WOMEN = [
    ("Aynur", "Aynur", "Айнур"),
    ("Günel", "Gunel", "Гюнель"),
    ("Leyla", "Leyla", "Лейла"),
    ("Nərmin", "Narmin", "Нармин"),
    ("Səbinə", "Sabina", "Сабина"),
    ("Aysel", "Aysel", "Айсель"),
    ("Könül", "Konul", "Кёнуль"),
    ("Lamiyə", "Lamiya", "Ламия"),
]
SURNAMES = [
    ("Məmmədov", "Mammadov", "Мамедов"),
    ("Əliyev", "Aliyev", "Алиев"),
    ("Həsənov", "Hasanov", "Гасанов"),
    ("Hüseynov", "Huseynov", "Гусейнов"),
    ("Quliyev", "Guliyev", "Гулиев"),
    ("İsmayılov", "Ismayilov", "Исмайлов"),
    ("Babayev", "Babayev", "Бабаев"),
    ("Rəhimov", "Rahimov", "Рагимов"),
    ("Kərimov", "Karimov", "Керимов"),
    ("Süleymanov", "Suleymanov", "Сулейманов"),
    ("Nəsirov", "Nasirov", "Насиров"),
    ("Cəfərov", "Jafarov", "Джафаров"),
]
PARTIES = [f"Demo Party {letter}" for letter in "ABCDEF"]
MARKS = ("(sintetik)", "(synthetic)", "(синтетический)")


def _candidate(rng: random.Random) -> dict[str, str]:
    woman = rng.random() < 0.4
    first = rng.choice(WOMEN if woman else MEN)
    last = rng.choice(SURNAMES)
    suffix = "a" if woman else ""
    names = {}
    for index, code in enumerate(("az", "en", "ru")):
        names[f"name_{code}"] = f"{first[index]} {last[index]}{suffix} {MARKS[index]}"
    # About one candidate in five stands as an independent.
    names["party"] = "" if rng.random() < 0.2 else rng.choice(PARTIES)
    return names


def _ballot(rng: random.Random, count: int) -> list[dict]:
    options, seen = [], set()
    while len(options) < count:
        option = _candidate(rng)
        if option["name_az"] not in seen:
            seen.add(option["name_az"])
            options.append(option)
    return options


def _election(values: dict) -> tuple[Election, bool]:
    election = Election.objects.filter(name_en=values["name_en"]).first()
    if election is None:
        return Election.objects.create(**values), True
    changed = [name for name, value in values.items() if getattr(election, name) != value]
    for name in changed:
        setattr(election, name, values[name])
    if changed:
        election.save()
    return election, bool(changed)


def _contest(election: Election, constituency: Constituency | None) -> tuple[Contest, bool]:
    source = constituency or election
    contest, created = Contest.objects.get_or_create(
        election=election,
        constituency=constituency,
        round=1,
        kind=Contest.Kind.CONSTITUENCY if constituency else Contest.Kind.NATIONAL,
        defaults={
            "name_az": source.name_az,
            "name_en": source.name_en,
            "name_ru": source.name_ru,
        },
    )
    return contest, created


def _sync_options(wanted: dict[int, list[dict]]) -> int:
    """Make each contest's ballot (by contest id) exactly `wanted`; returns rows written."""
    existing = {
        (option.contest_id, option.ballot_number): option
        for option in BallotOption.objects.filter(contest_id__in=wanted)
    }
    fields = ["kind", "name_az", "name_en", "name_ru", "party"]
    to_create, to_update, keep = [], [], set()
    for contest_id, options in wanted.items():
        for number, values in enumerate(options, start=1):
            values = {"kind": BallotOption.Kind.CANDIDATE, **values}
            keep.add((contest_id, number))
            option = existing.get((contest_id, number))
            if option is None:
                to_create.append(
                    BallotOption(contest_id=contest_id, ballot_number=number, **values)
                )
            elif any(getattr(option, name) != values[name] for name in fields):
                for name in fields:
                    setattr(option, name, values[name])
                to_update.append(option)
    stale = [option.pk for key, option in existing.items() if key not in keep]
    BallotOption.objects.filter(pk__in=stale).delete()
    BallotOption.objects.bulk_create(to_create, batch_size=1000)
    BallotOption.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create) + len(to_update) + len(stale)


def _add_demo_stations(election: Election) -> int:
    already = ElectionStation.objects.filter(election=election).values("station_id")
    ids = PollingStation.objects.filter(name_en__endswith=SYNTHETIC_MARK).exclude(pk__in=already)
    rows = [
        ElectionStation(election=election, station_id=pk) for pk in ids.values_list("pk", flat=True)
    ]
    ElectionStation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def build_demo_elections(*, seed: int = 2026, actor=None) -> dict:
    """Create (or bring up to date) the demo elections; returns what it built."""
    parliamentary, changed_parliament = _election(PARLIAMENTARY)
    presidential, changed_president = _election(PRESIDENTIAL)

    existing = set(
        Contest.objects.filter(election=parliamentary, round=1).values_list(
            "constituency_id", flat=True
        )
    )
    new_contests = [
        Contest(
            election=parliamentary,
            kind=Contest.Kind.CONSTITUENCY,
            constituency=constituency,
            name_az=constituency.name_az,
            name_en=constituency.name_en,
            name_ru=constituency.name_ru,
            round=1,
        )
        for constituency in Constituency.objects.exclude(pk__in=existing).order_by("number")
    ]
    Contest.objects.bulk_create(new_contests, batch_size=1000)
    national, national_created = _contest(presidential, None)

    wanted = {}
    contests = Contest.objects.filter(election=parliamentary, round=1).select_related(
        "constituency"
    )
    for contest in contests.order_by("constituency__number"):
        rng = random.Random(seed * 1000 + contest.constituency.number)
        wanted[contest.pk] = _ballot(rng, rng.randint(3, 6))
    wanted[national.pk] = _ballot(random.Random(seed), 5)
    options_written = _sync_options(wanted)

    stations_added = _add_demo_stations(parliamentary) + _add_demo_stations(presidential)

    summary = {
        "elections": 2,
        "contests": len(wanted),
        "contests_created": len(new_contests) + int(national_created),
        "ballot_options": sum(len(options) for options in wanted.values()),
        "ballot_options_written": options_written,
        "stations_added": stations_added,
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if (
        changed_parliament
        or changed_president
        or summary["contests_created"]
        or options_written
        or stations_added
    ):
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Election,
            changes=summary,
            object_label="synthetic demo elections",
        )
    return summary
