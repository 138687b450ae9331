"""Demo official results for the demo presidential election: the demo's true counts
(results.demo_truth) with a few stations "rewritten", written to a CSV with Azerbaijani
headers and imported through the real mapped import, so the demo exercises the real path."""

import csv
import tempfile
from pathlib import Path

from elections.demo import PRESIDENTIAL
from elections.models import Contest, Election
from geo.models import PollingStation, Region
from results.demo_truth import true_counts
from results.models import OfficialResultImport
from results.official import import_official_results

#: The CSV's columns (as an Azerbaijani CEC file might name them) → mapping field.
HEADERS = {
    "region": "Region",
    "district": "Seçki dairəsi",
    "station": "Məntəqə",
    "registered": "Seçicilərin sayı",
    "issued": "Verilmiş bülletenlər",
    "cast": "Qutulardakı bülletenlər",
    "invalid": "Etibarsız bülletenlər",
    "valid": "Etibarlı bülletenlər",
}


def build_demo_official_results(*, actor=None, seed: int = 2026) -> dict:
    election = Election.objects.filter(name_en=PRESIDENTIAL["name_en"]).first()
    if election is None:
        return {"skipped": "no demo presidential election"}
    contest = (
        Contest.objects.filter(election=election, kind=Contest.Kind.NATIONAL)
        .order_by("round", "pk")
        .first()
    )
    if contest is None:
        return {"skipped": "the demo presidential election has no national contest"}
    existing = OfficialResultImport.objects.filter(contest=contest).first()
    if existing is not None:
        return {"imports": 0, "rows": existing.row_count, "skipped": "already imported"}
    counts = true_counts(contest, seed=seed)
    if not counts:
        return {"imports": 0, "rows": 0, "skipped": "no stations"}
    options = list(contest.options.order_by("ballot_number"))
    places = {
        pk: (constituency, region_id)
        for pk, constituency, region_id in PollingStation.objects.filter(
            pk__in=[c.station_id for c in counts]
        ).values_list("pk", "constituency__number", "constituency__district__region_id")
    }
    regions = dict(Region.objects.values_list("pk", "name_az"))
    with tempfile.TemporaryDirectory(prefix="birlik-demo-official-") as folder:
        path = Path(folder) / "msk-2028-prezident.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([*HEADERS.values(), *(o.name_az for o in options)])
            for count in counts:
                numbers = count.rewritten_numbers
                constituency, region_id = places[count.station_id]
                writer.writerow(
                    [
                        regions.get(region_id, ""),
                        f"{constituency} saylı dairə",
                        count.station_code,
                        numbers["registered"],
                        numbers["issued"],
                        numbers["cast"],
                        numbers["invalid"],
                        numbers["valid"],
                        *(numbers["votes"].get(str(o.ballot_number), 0) for o in options),
                    ]
                )
        result = import_official_results(
            election=election,
            contest=contest,
            layout=OfficialResultImport.Layout.MAPPED,
            path=path,
            mapping=dict(HEADERS),
            options=[o.name_az for o in options],
            name="MSK: 2028 prezident seçkisinin nəticələri (demo)",
            actor=actor,
        )
    return {
        "imports": 1,
        "rows": result.row_count,
        "stations_matched": result.matched_station_count,
        "rows_failing": result.failed_row_count,
        "rewritten": sum(1 for c in counts if c.is_rewritten),
    }
