"""Synthetic demo observers for the demo parliamentary election (elections.demo).

Invented applicants in every status, each with the history of the steps that brought them
there. Accredited and deployed observers (and those rejected after accreditation, whose badges
are revoked) have observer numbers and badge codes; deployed ones are at a polling station
taking part (the first two at the same one) or in one of three mobile teams. Every name is
invented and says so ("(sintetik)"), and the phone numbers are in one synthetic block.
Deterministic, and running it again changes nothing.
"""

import base64
import datetime
import itertools
import random

from django.db import transaction
from django.db.models import Max

from audit.models import AuditEntry
from audit.services import audit_log
from elections.demo import MARKS, MEN, PARLIAMENTARY, SURNAMES, WOMEN
from elections.models import Election
from geo.models import PollingStation, Region
from observers.models import MobileTeam, Observer, ObserverStatusChange

SYNTHETIC_NOTE = "Synthetic demo observers: every name and phone number is invented."
PHONE_BLOCK = "+99470000"  # followed by four digits: +994 70 000 NNNN

S = Observer.Status
PATH = [S.APPLIED, S.VETTED, S.TRAINED, S.ACCREDITED, S.DEPLOYED]
# How far along the way the applicants are, and how many of them were turned down.
WEIGHTS = {
    S.APPLIED: 30,
    S.VETTED: 20,
    S.TRAINED: 15,
    S.ACCREDITED: 15,
    S.DEPLOYED: 10,
    S.REJECTED: 10,
}
TEAMS = ["Mobil qrup 1 (sintetik)", "Mobil qrup 2 (sintetik)", "Mobil qrup 3 (sintetik)"]
STATIONS_PER_TEAM = 5
TEAM_EVERY = 6  # every sixth deployed observer is in a mobile team
NOTES = [
    "Phone interview done.",
    "Attended the Saturday training.",
    "Papers sent to the commission.",
]


def _steps(rng: random.Random, status: str) -> list[str]:
    """The statuses an observer went through, from the application to `status`."""
    if status != S.REJECTED:
        return PATH[: PATH.index(status) + 1]
    return [*PATH[: rng.randint(1, 4)], S.REJECTED]


def _applicant(rng: random.Random, index: int, election: Election, regions: list) -> Observer:
    woman = rng.random() < 0.45
    first = rng.choice(WOMEN if woman else MEN)
    last = rng.choice(SURNAMES)
    age = rng.randint(18, 65)
    born = election.election_date - datetime.timedelta(days=age * 365 + rng.randint(10, 300))
    return Observer(
        election=election,
        full_name=f"{first[0]} {last[0]}{'a' if woman else ''} {MARKS[0]}",
        phone=f"{PHONE_BLOCK}{index:04d}",
        email=f"observer{index:04d}@demo.invalid" if rng.random() < 0.6 else "",
        date_of_birth=born,
        region=rng.choice(regions),
        language=rng.choices(["az", "ru", "en"], weights=[80, 15, 5])[0],
    )


@transaction.atomic
def build_demo_observers(*, count: int = 300, seed: int = 2026, actor=None) -> dict:
    """Create the demo applicants that do not exist yet; returns what it built."""
    election = Election.objects.filter(
        kind=PARLIAMENTARY["kind"], name_az=PARLIAMENTARY["name_az"]
    ).first()
    regions = list(Region.objects.order_by("code"))
    if election is None or not regions or count > 10000:
        return {"observers": 0, "observers_created": 0, "synthetic": True, "note": SYNTHETIC_NOTE}

    existing = set(
        Observer.objects.filter(election=election, phone__startswith=PHONE_BLOCK).values_list(
            "phone", flat=True
        )
    )
    statuses, weights = list(WEIGHTS), list(WEIGHTS.values())
    new, paths = [], []
    for index in range(count):
        rng = random.Random(seed * 100000 + index)
        observer = _applicant(rng, index, election, regions)
        steps = _steps(rng, rng.choices(statuses, weights=weights)[0])
        if observer.phone in existing:
            continue
        observer.status = steps[-1]
        new.append(observer)
        paths.append((steps, rng.choice(NOTES)))
    Observer.objects.bulk_create(new, batch_size=1000)

    history = []
    for observer, (steps, note) in zip(new, paths, strict=True):
        history.append(ObserverStatusChange(observer=observer, to_status=S.APPLIED))
        for before, after in itertools.pairwise(steps):
            history.append(
                ObserverStatusChange(
                    observer=observer,
                    from_status=before,
                    to_status=after,
                    actor=actor if getattr(actor, "pk", None) else None,
                    note=note if after == S.VETTED else "",
                )
            )
    ObserverStatusChange.objects.bulk_create(history, batch_size=1000)

    deployment = _number_and_deploy(election, seed)
    summary = {
        "observers": len(existing) + len(new),
        "observers_created": len(new),
        "status_changes_created": len(history),
        **deployment,
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if new or deployment["numbers_given"] or deployment["deployments_made"]:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Observer,
            changes=summary,
            object_label="synthetic demo observers",
        )
    return summary


def _badge_code(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(24)).decode()


def _number_and_deploy(election: Election, seed: int) -> dict:
    """Numbers and badge codes for the demo observers that were accredited, then stations or
    teams for the deployed ones; only what is missing, in phone order, so it is repeatable."""
    rng = random.Random(seed * 7 + 1)
    ours = Observer.objects.filter(election=election, phone__startswith=PHONE_BLOCK)
    accredited_once = ours.filter(status=S.REJECTED, status_changes__to_status=S.ACCREDITED)
    to_number = list(
        (ours.filter(status__in=[S.ACCREDITED, S.DEPLOYED]) | accredited_once)
        .distinct()
        .filter(number__isnull=True)
        .order_by("phone")
    )
    number = Observer.objects.filter(election=election).aggregate(top=Max("number"))["top"] or 0
    for observer in to_number:
        number += 1
        observer.number, observer.badge_code = number, _badge_code(rng)
    Observer.objects.bulk_update(to_number, ["number", "badge_code"], batch_size=500)

    stations = list(
        PollingStation.objects.filter(election_stations__election=election).order_by("code")
    )
    teams_created = 0
    teams = []
    if len(stations) >= STATIONS_PER_TEAM:
        for index, name in enumerate(TEAMS):
            team, created = MobileTeam.objects.get_or_create(election=election, name=name)
            if created:
                teams_created += 1
                start = index * STATIONS_PER_TEAM
                team.stations.set(stations[start : start + STATIONS_PER_TEAM])
            teams.append(team)
    to_deploy = list(
        ours.filter(status=S.DEPLOYED, station__isnull=True, mobile_team__isnull=True).order_by(
            "phone"
        )
    )
    if stations:
        # A small pool, so that several observers watch the same station.
        pool = stations[: max(2, len(to_deploy) // 2)]
        for index, observer in enumerate(to_deploy):
            if index < 2:
                observer.station = pool[0]  # two observers of one station, always
            elif teams and index % TEAM_EVERY == 0:
                observer.mobile_team = teams[(index // TEAM_EVERY) % len(teams)]
            else:
                observer.station = rng.choice(pool)
        Observer.objects.bulk_update(to_deploy, ["station", "mobile_team"], batch_size=500)
    else:
        to_deploy = []
    example = ours.filter(status=S.DEPLOYED, badge_code__isnull=False).order_by("phone").first()
    return {
        "numbers_given": len(to_number),
        "deployments_made": len(to_deploy),
        "mobile_teams_created": teams_created,
        "badge_check": example.badge_url("az") if example else "",
    }
