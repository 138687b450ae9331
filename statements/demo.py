"""Demo statement (filled in by the statements work)."""


def build_demo_statements(*, actor=None) -> dict:
    return {}
