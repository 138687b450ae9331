"""The demo's invented "true" count at every polling station of a contest, shared by the demo
builders (observers' protocol copies, the quick count, the official results), so that they
tell one consistent story: the quick count converges on the truth, and the official results
differ from it where the demo says they were rewritten.

Nothing here is real: turnout and the candidates' support vary by region and station around
fixed national figures, drawn from a seeded generator so every run gives the same numbers.
"""

import random
from dataclasses import dataclass

from elections.models import Contest
from geo.models import PollingStation

#: Stations whose official figures the demo "rewrites" (every N-th station in code order).
REWRITTEN_EVERY = 40


@dataclass(frozen=True)
class TrueCount:
    station_id: int
    station_code: str
    region_id: int
    numbers: dict  # {line: int, "votes": {ballot number: int}} as results.services takes
    rewritten_numbers: dict  # what the demo's official results say (same as numbers mostly)
    is_rewritten: bool


def _support(rng: random.Random, k: int) -> list[float]:
    # The first candidate leads nationally; regional swings move everyone a little.
    base = [0.46, 0.27, 0.14, 0.08, 0.05, 0.04][:k] + [0.03] * max(0, k - 6)
    noisy = [max(0.005, b * rng.uniform(0.75, 1.25)) for b in base]
    total = sum(noisy)
    return [v / total for v in noisy]


def true_counts(contest: Contest, *, seed: int = 2026) -> list[TrueCount]:
    """One TrueCount per station voting in the contest, in station-code order."""
    ballot_numbers = sorted(contest.options.values_list("ballot_number", flat=True))
    stations = PollingStation.objects.filter(election_stations__election=contest.election_id)
    if contest.constituency_id:
        stations = stations.filter(constituency_id=contest.constituency_id)
    rows = stations.order_by("code").values_list(
        "pk", "code", "registered_voters", "constituency__district__region_id"
    )
    region_turnout: dict[int, float] = {}
    out: list[TrueCount] = []
    for index, (pk, code, registered, region_id) in enumerate(rows):
        region_rng = random.Random(seed * 7919 + region_id)
        turnout_mean = region_turnout.setdefault(region_id, region_rng.uniform(0.48, 0.66))
        rng = random.Random(seed * 1_000_003 + pk)
        registered = max(int(registered), 50)
        turnout = min(0.95, max(0.2, rng.gauss(turnout_mean, 0.07)))
        issued = round(registered * turnout)
        cast = issued - rng.randint(0, max(1, issued // 200))
        invalid = round(cast * rng.uniform(0.005, 0.03))
        valid = cast - invalid
        shares = _support(random.Random(seed * 31 + region_id * 17 + pk % 7), len(ballot_numbers))
        votes = [int(valid * s) for s in shares]
        votes[0] += valid - sum(votes)
        received = registered + rng.randint(0, 30)
        numbers = {
            "registered": registered,
            "received": received,
            "issued": issued,
            "cast": cast,
            "spoiled": rng.randint(0, 6),
            "invalid": invalid,
            "valid": valid,
            "votes": {str(n): v for n, v in zip(ballot_numbers, votes, strict=True)},
        }
        rewritten = index % REWRITTEN_EVERY == REWRITTEN_EVERY - 1 and len(ballot_numbers) > 1
        official = numbers
        if rewritten:
            # Ballot stuffing for the leader: turnout up to about 90%, the extra votes his.
            extra = max(0, int(registered * 0.9) - issued)
            moved = votes[1] // 2
            new_votes = [votes[0] + extra + moved, votes[1] - moved, *votes[2:]]
            official = numbers | {
                "issued": issued + extra,
                "cast": cast + extra,
                "valid": valid + extra,
                "votes": {str(n): v for n, v in zip(ballot_numbers, new_votes, strict=True)},
            }
        out.append(TrueCount(pk, code, region_id, numbers, official, rewritten))
    return out
