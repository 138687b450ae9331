"""The statement as a PDF, in Azerbaijani and Russian (DejaVu fonts embedded)."""

import pytest

from statements import services
from statements.pdf import statement_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_pdf_prints_the_statement_in_the_language(built, election, analyst, language):
    statement = services.draft_statement(actor=analyst, election=election)
    services.update_statement(
        actor=analyst,
        statement=statement,
        data={
            "body_az": "## Əsas\n\nŞəki, Gəncə və Ağdam: ə, ş, ğ, ö, ü, ı.",
            "body_ru": "## Итоги\n\nЁж и щука.",
        },
    )
    statement.refresh_from_db()
    pdf = statement_pdf(statement, language)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"DejaVuSans" in pdf  # the font that has ə and Cyrillic is embedded
    assert len(pdf) > 5000
