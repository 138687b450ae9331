"""Demo result protocols and official results (filled in by the results work)."""


def build_demo_results(*, actor=None, seed: int = 2026) -> dict:
    return {}
