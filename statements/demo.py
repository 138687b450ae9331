"""Demo statement: the preliminary statement on the demo presidential election, drafted from its
figures (after the demo quick count) and published. Running it again changes nothing."""

from elections.models import Election
from statements.models import Statement
from statements.services import draft_statement, publish_statement

DEMO_ELECTION = "2028 presidential election (demo)"


def build_demo_statements(*, actor=None) -> dict:
    election = Election.objects.filter(name_en=DEMO_ELECTION).first()
    if election is None:
        return {"statements": 0, "skipped": "no demo presidential election"}
    existing = Statement.objects.filter(election=election, kind=Statement.Kind.PRELIMINARY).first()
    if existing is not None:
        return {"statements": 0, "existing": existing.slug}
    statement = draft_statement(actor=actor, election=election, kind=Statement.Kind.PRELIMINARY)
    statement = publish_statement(actor=actor, statement=statement)
    return {
        "statements": 1,
        "slug": statement.slug,
        "recommendations": statement.recommendations.count(),
    }
