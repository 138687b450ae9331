"""Demo quick count (filled in by the quick-count work)."""


def build_demo_quickcount(*, actor=None, seed: int = 2026) -> dict:
    return {}
