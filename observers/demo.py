"""Synthetic demo observers for the demo parliamentary election (elections.demo).

Invented applicants in every status, each with the history of the steps that brought them
there. Every name is invented and says so ("(sintetik)"), and the phone numbers are in one
synthetic block. Deterministic, and running it again changes nothing.
"""

import datetime
import itertools
import random

from django.db import transaction

from audit.models import AuditEntry
from audit.services import audit_log
from elections.demo import MARKS, MEN, PARLIAMENTARY, SURNAMES, WOMEN
from elections.models import Election
from geo.models import Region
from observers.models import Observer, ObserverStatusChange

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

    summary = {
        "observers": len(existing) + len(new),
        "observers_created": len(new),
        "status_changes_created": len(history),
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
    }
    if new:
        audit_log(
            actor=actor or "demo data",
            action=AuditEntry.Action.IMPORT,
            model=Observer,
            changes=summary,
            object_label="synthetic demo observers",
        )
    return summary
