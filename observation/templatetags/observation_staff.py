"""Template helpers of the coordinators' pages: the SVG bars and the cells of a coverage row,
written in Python because the live picture has a row per form and region, refreshed every few
seconds by every coordinator, and a template takes several times longer to draw the same cells.

Bar widths are SVG attributes, not inline styles, which the Content-Security-Policy forbids;
the numbers are in the table next to each bar, so the bars are hidden from screen readers."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

register = template.Library()

_SVG = (
    '<svg class="obs-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"'
    ' focusable="false"><rect class="obs-bar__missing" x="0" y="0" width="100" height="10"/>'
    "{}</svg>"
)
_RECT = '<rect class="{}" x="{}" y="0" width="{}" height="10"/>'


def _number(value: float) -> str:
    # Not localized: "42,5" would not be a number to SVG.
    return f"{max(0.0, min(float(value), 100.0)):.1f}"


@register.simple_tag
def coverage_bar(row) -> str:
    """Reported (green), then in conflict (amber), on grey: what is left is missing."""
    parts = [
        ("obs-bar__reported", 0, row.reported_percent),
        ("obs-bar__conflict", row.reported_percent, row.conflict_percent),
    ]
    return format_html(_SVG, _rects(parts))


@register.simple_tag
def shares_bar(shares) -> str:
    """One region's answers to a yes/no or single-choice question, stacked."""
    return format_html(
        _SVG, _rects((f"obs-fill--{share.colour}", share.offset, share.percent) for share in shares)
    )


@register.simple_tag
def level_bar(percent, colour: int = 0) -> str:
    """One value against the largest (a number question's average, an option's share)."""
    return format_html(_SVG, _rects([(f"obs-fill--{colour}", 0, percent)]))


def _rects(parts) -> str:
    return format_html_join(
        "", _RECT, ((css, _number(x), _number(width)) for css, x, width in parts if width)
    )


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)  # as |intcomma: 6,500 / 6 500


def _percent(value: float) -> str:
    # number_format cuts extra decimals (45.76 → "45.7"): round first, as |floatformat:1 does.
    return number_format(round(value, 1), 1)


@register.simple_tag
def coverage_cells(row, stations_url: str, expects_every_station: bool, link: bool = True):
    """The number cells of one coverage row, each count linking to the matching stations."""

    def count(value: int, state: str) -> str:
        if not link:
            return _count(value)
        return format_html(
            '<a href="{}?{}&amp;state={}">{}</a>', stations_url, row.query, state, _count(value)
        )

    def with_percent(value: int, percent: float, state: str) -> str:
        return format_html(
            '{} <span class="muted">{}%</span>', count(value, state), _percent(percent)
        )

    missing = (
        with_percent(row.missing, row.missing_percent, "missing") if expects_every_station else "—"
    )
    return format_html(
        '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td><td>{}</td>',
        _count(row.stations),
        with_percent(row.reported, row.reported_percent, "reported"),
        count(row.conflict, "conflict"),
        missing,
        count(row.alerts, "alert"),
        coverage_bar(row),
    )
