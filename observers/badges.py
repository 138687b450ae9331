"""Accreditation badges as PDF (reportlab): the observer's name and number, the election, the
organisation and a QR code that opens the badge's public verification page.

Two sizes: A6 (105 × 148 mm) and a credit card (ID-1, 85.6 × 54 mm). One badge prints on a page
of its own size; several print on A4 sheets (four A6 or ten cards a sheet) with thin cut lines.
The text is in the observer's language or a chosen one. DejaVu Sans (observers/fonts, Bitstream
Vera licence) has every Azerbaijani and Russian letter, which the PDF base fonts do not.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from observers.models import Observer

ORGANISATION = "Birlik"
FONT, BOLD = "BirlikSans", "BirlikSans-Bold"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
PRIMARY = Color(11 / 255, 92 / 255, 142 / 255)  # --c-primary of the site
MUTED = Color(79 / 255, 90 / 255, 102 / 255)
CUT_LINE = Color(0.75, 0.75, 0.75)

SIZES = {
    "a6": (105 * mm, 148 * mm),
    "card": (85.6 * mm, 53.98 * mm),
}
SIZE_CHOICES = list(SIZES)
# Badges per A4 sheet: columns, rows.
SHEET_GRID = {"a6": (2, 2), "card": (2, 5)}


@dataclass(frozen=True)
class BadgeContent:
    """Everything printed on one badge, already in the badge's language."""

    language: str
    organisation: str
    title: str
    name: str
    number_label: str
    number: str
    election: str
    election_day: str
    validity: str
    scan_hint: str
    url: str


def badge_content(observer: Observer, language: str | None = None) -> BadgeContent:
    language = language or observer.language or "az"
    with translation.override(language):
        election = observer.election
        return BadgeContent(
            language=language,
            organisation=_("Birlik"),  # the association's name; Бирлик in Russian
            title=_("Election observer"),
            name=observer.full_name,
            number_label=_("Observer No."),
            number=str(observer.number or ""),
            election=election.name,
            election_day=_("Election day: %(date)s")
            % {"date": date_format(election.election_date, "DATE_FORMAT")},
            validity=_(
                "Valid for this election only, while the observer is accredited. Scan the code "
                "to check this badge."
            ),
            scan_hint=_("Check this badge"),
            url=observer.badge_url(language),
        )


def render_badges(
    contents: list[BadgeContent], *, size: str = "a6", sheet: bool = False, compress: bool = True
) -> bytes:
    """A PDF of the badges: one per page of the badge's size, or several per A4 sheet."""
    _register_fonts()
    width, height = SIZES[size]
    buffer = io.BytesIO()
    pagesize = A4 if sheet else (width, height)
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=int(compress), invariant=True)
    canvas.setTitle(_("Observer badges") if len(contents) > 1 else _("Observer badge"))
    canvas.setAuthor(ORGANISATION)
    canvas.setCreator(ORGANISATION)
    if not sheet:
        for content in contents:
            _draw_badge(canvas, content, 0, 0, width, height, size)
            canvas.showPage()
    else:
        columns, rows = SHEET_GRID[size]
        per_sheet = columns * rows
        left = (A4[0] - columns * width) / 2
        bottom = (A4[1] - rows * height) / 2
        for start in range(0, len(contents), per_sheet):
            for index, content in enumerate(contents[start : start + per_sheet]):
                column, row = index % columns, index // columns
                x = left + column * width
                y = bottom + (rows - 1 - row) * height
                _draw_badge(canvas, content, x, y, width, height, size)
                canvas.setStrokeColor(CUT_LINE)
                canvas.setLineWidth(0.3)
                canvas.rect(x, y, width, height, stroke=1, fill=0)
            canvas.showPage()
    if not contents:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    _fonts_registered = True


# --- Drawing ------------------------------------------------------------------------------------


def _lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def _fitted(
    text: str, font: str, largest: float, smallest: float, width: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size (down to `smallest`) at which the text fits in `max_lines` lines."""
    size = largest
    while size > smallest:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines:
            return size, lines
        size -= 0.5
    return smallest, _lines(text, font, smallest, width, max_lines)


def _text_block(canvas, lines, font, size, x, top, *, leading=1.2, color=None) -> float:
    """Draws lines downwards from `top`; returns the y below the last line."""
    canvas.setFont(font, size)
    canvas.setFillColor(color or Color(0, 0, 0))
    y = top
    for line in lines:
        y -= size
        canvas.drawString(x, y, line)
        y -= size * (leading - 1)
    return y


def _qr(canvas, url: str, x: float, y: float, side: float) -> None:
    widget = QrCodeWidget(url, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _draw_badge(canvas, content: BadgeContent, x, y, width, height, size: str) -> None:
    if size == "card":
        _draw_card(canvas, content, x, y, width, height)
    else:
        _draw_a6(canvas, content, x, y, width, height)


def _band(canvas, content: BadgeContent, x, y, width, height, band, pad, big, small) -> None:
    canvas.setFillColor(PRIMARY)
    canvas.rect(x, y + height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, big)
    canvas.drawString(x + pad, y + height - band / 2 + big * 0.05, content.organisation)
    canvas.setFont(FONT, small)
    canvas.drawString(x + pad, y + height - band / 2 - small * 1.25, content.title)


def _draw_a6(canvas, content: BadgeContent, x, y, width, height) -> None:
    pad = 7 * mm
    inner = width - 2 * pad
    band = 20 * mm
    _band(canvas, content, x, y, width, height, band, pad, 20, 10)
    top = y + height - band - 6 * mm
    size, lines = _fitted(content.name, BOLD, 17, 10, inner, 2)
    top = _text_block(canvas, lines, BOLD, size, x + pad, top) - 3 * mm
    top = _text_block(canvas, [content.number_label], FONT, 8, x + pad, top, color=MUTED)
    top = _text_block(canvas, [content.number], BOLD, 26, x + pad, top - 1 * mm) - 3 * mm
    lines = _lines(content.election, FONT, 10, inner, 3)
    top = _text_block(canvas, lines, FONT, 10, x + pad, top)
    _text_block(canvas, [content.election_day], FONT, 9, x + pad, top - 1 * mm, color=MUTED)

    side = 36 * mm
    validity = _lines(content.validity, FONT, 6.5, inner, 3)
    bottom = y + pad
    for line in reversed(validity):
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(x + pad, bottom, line)
        bottom += 6.5 * 1.25
    url_lines = _lines(content.url, FONT, 5.5, inner, 2)
    bottom += 1.5 * mm
    for line in reversed(url_lines):
        canvas.setFont(FONT, 5.5)
        canvas.drawCentredString(x + width / 2, bottom, line)
        bottom += 5.5 * 1.25
    canvas.setFont(FONT, 7)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.drawCentredString(x + width / 2, bottom + 0.5 * mm, content.scan_hint)
    bottom += 7 + 1.5 * mm
    _qr(canvas, content.url, x + (width - side) / 2, bottom, side)


def _draw_card(canvas, content: BadgeContent, x, y, width, height) -> None:
    pad = 4 * mm
    band = 11 * mm
    _band(canvas, content, x, y, width, height, band, pad, 11, 6.5)
    side = 27 * mm
    qr_x = x + width - pad - side
    inner = qr_x - x - pad - 2 * mm
    top = y + height - band - 3 * mm
    size, lines = _fitted(content.name, BOLD, 11, 7, inner, 2)
    top = _text_block(canvas, lines, BOLD, size, x + pad, top) - 1.5 * mm
    top = _text_block(canvas, [content.number_label], FONT, 5.5, x + pad, top, color=MUTED)
    top = _text_block(canvas, [content.number], BOLD, 15, x + pad, top - 0.5 * mm) - 1.5 * mm
    lines = _lines(content.election, FONT, 6.5, inner, 2)
    top = _text_block(canvas, lines, FONT, 6.5, x + pad, top)
    _text_block(canvas, [content.election_day], FONT, 6, x + pad, top - 0.5 * mm, color=MUTED)
    validity = _lines(content.validity, FONT, 4.5, inner, 3)
    bottom = y + 3 * mm
    for line in reversed(validity):
        canvas.setFont(FONT, 4.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(x + pad, bottom, line)
        bottom += 4.5 * 1.25
    qr_y = y + 3 * mm + 6
    _qr(canvas, content.url, qr_x, qr_y, side)
    canvas.setFont(FONT, 5)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.drawCentredString(qr_x + side / 2, y + 3 * mm, content.scan_hint)
