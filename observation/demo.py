"""Demo data (the helper building this app replaces this placeholder)."""


def build_demo_observation(*, actor=None) -> dict:
    return {}
