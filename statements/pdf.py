"""A statement as an A4 PDF (reportlab): title, the text with its headings, the figures table
and the recommendations, in one language. DejaVu Sans (bundled with observers' badges) has
every Azerbaijani and Russian letter, which the PDF base fonts do not."""

import io
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from observers.badges import FONT_DIR
from statements.models import Statement
from statements.services import MISSION, body_blocks, figure_rows

FONT, BOLD = "StatementSans", "StatementSans-Bold"
PRIMARY = colors.Color(11 / 255, 92 / 255, 142 / 255)
MUTED = colors.Color(79 / 255, 90 / 255, 102 / 255)


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    if BOLD not in registered:
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=18, leading=23, textColor=PRIMARY
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, textColor=MUTED),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=10,
            spaceAfter=4,
            textColor=PRIMARY,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }


def _text(value: str) -> str:
    return escape(value or "").replace("\n", "<br/>")


def statement_pdf(statement: Statement, language: str) -> bytes:
    """The statement in `language` (missing texts fall back like on the web page)."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    with translation.override(language):
        title = statement.title
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=title,
            author=MISSION,
        )
        story: list = [Paragraph(_text(title), styles["title"]), Spacer(1, 3 * mm)]
        meta = [MISSION, statement.election.name]
        if statement.published_at:
            meta.append(formats.date_format(statement.published_at, "DATE_FORMAT"))
        else:
            meta.append(_("Draft"))
        story += [Paragraph(_text(" · ".join(meta)), styles["meta"]), Spacer(1, 5 * mm)]
        for kind, text in body_blocks(statement.body):
            style = styles["heading"] if kind == "heading" else styles["body"]
            story += [Paragraph(_text(text), style), Spacer(1, 2 * mm)]

        recommendations = list(statement.recommendations.all())
        if recommendations:
            story.append(Paragraph(_text(_("Our recommendations")), styles["heading"]))
            for number, rec in enumerate(recommendations, start=1):
                story.append(
                    Paragraph(
                        f"{number}. <b>{_text(rec.addressee)}</b>: {_text(rec.text)}",
                        styles["body"],
                    )
                )
                story.append(Spacer(1, 2 * mm))

        rows = figure_rows(statement.figures)
        if rows:
            story.append(Paragraph(_text(_("The figures")), styles["heading"]))
            data = [
                [
                    Paragraph(_text(_("What")), styles["cell"]),
                    Paragraph(_text(_("Figure")), styles["cell"]),
                ]
            ]
            data += [
                [Paragraph(_text(label), styles["cell"]), Paragraph(_text(value), styles["cell"])]
                for label, value in rows
            ]
            table = Table(data, colWidths=[115 * mm, 55 * mm], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
                        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
            story.append(Spacer(1, 4 * mm))
            story.append(
                Paragraph(
                    _text(
                        _(
                            "Quick-count figures are estimates with their 95% margins of error in "
                            "percentage points; preliminary figures may change."
                        )
                    ),
                    styles["meta"],
                )
            )

        def _footer(canvas, doc_) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(doc_.page))
            canvas.drawString(20 * mm, 10 * mm, MISSION)
            canvas.restoreState()

        doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
