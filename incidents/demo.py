"""Demo data (the helper building this app replaces this placeholder)."""


def build_demo_incidents(*, actor=None) -> dict:
    return {}
