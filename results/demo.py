"""Demo result protocols and official results, built by each area's demo builder:

- observers' protocol copies for the demo parliamentary election (results.protocol_demo),
  some with mistakes so the quarantine has content;
- protocol photos waiting for double entry for the demo presidential election
  (results.entry_demo);
- official results of the demo presidential election, imported from a CSV through the real
  import (results.official_demo); a few stations' figures are "rewritten" (results.demo_truth)
  so that the comparison, the quick count and the forensics have something to find.
"""


def build_demo_results(*, actor=None, seed: int = 2026) -> dict:
    from results.entry_demo import build_demo_entry_tasks
    from results.official_demo import build_demo_official_results
    from results.protocol_demo import build_demo_observer_protocols

    return {
        "observer_protocols": build_demo_observer_protocols(actor=actor, seed=seed),
        "entry_tasks": build_demo_entry_tasks(actor=actor, seed=seed),
        "official_results": build_demo_official_results(actor=actor, seed=seed),
    }
