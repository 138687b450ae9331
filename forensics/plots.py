"""The forensic plots as inline SVG drawn on the server (no JavaScript, nothing the strict
Content-Security-Policy forbids: colours come from classes in static/css/forensics.css, sizes
and positions are SVG attributes).

Each plot is an accessible image: role="img" with a <title> and a <desc> that says in words
what the picture shows; the numbers are also in the page's text and tables. Coordinates are
written as plain numbers (never localized: "42,5" is not a number to SVG); labels are
translated and escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forensics.notes import count, percent

# Frame of the ordinary plots (viewBox units); CSS scales the whole picture to the page width.
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 14, 46
HEAT_LEVELS = 8


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg(
    inner: str, *, plot_id: str, title: str, desc: str, width: int, height: int, css: str = ""
) -> SafeString:
    return mark_safe(  # noqa: S308 - every piece of text in it went through escape()
        f'<svg class="fx-plot {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{plot_id}-title {plot_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{plot_id}-title">{escape(title)}</title>'
        f'<desc id="{plot_id}-desc">{escape(desc)}</desc>{inner}</svg>'
    )


def _nice_max(value: float) -> float:
    """A round number at least ``value`` for the top of an axis (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def _axes(
    *,
    left: float,
    top: float,
    width: float,
    height: float,
    x_ticks: Sequence[tuple[float, str]],
    y_ticks: Sequence[tuple[float, str]],
    x_label: str,
    y_label: str,
) -> str:
    """Axis lines, ticks (positions as fractions 0..1 of the axis) and their labels."""
    bottom = top + height
    parts = [
        f'<line class="fx-axis" x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(left + width)}" '
        f'y2="{_n(bottom)}"/>',
        f'<line class="fx-axis" x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}"/>',
    ]
    for fraction, label in x_ticks:
        x = left + fraction * width
        parts.append(
            f'<line class="fx-tick" x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" '
            f'y2="{_n(bottom + 4)}"/><text class="fx-tick-label" x="{_n(x)}" '
            f'y="{_n(bottom + 16)}" text-anchor="middle">{escape(label)}</text>'
        )
    for fraction, label in y_ticks:
        y = bottom - fraction * height
        parts.append(
            f'<line class="fx-grid" x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + width)}" '
            f'y2="{_n(y)}"/><text class="fx-tick-label" x="{_n(left - 6)}" y="{_n(y + 4)}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    parts.append(
        f'<text class="fx-axis-label" x="{_n(left + width / 2)}" y="{_n(bottom + 36)}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    y_mid = top + height / 2
    parts.append(
        f'<text class="fx-axis-label" x="14" y="{_n(y_mid)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_n(y_mid)})">{escape(y_label)}</text>'
    )
    return "".join(parts)


def _percent_ticks(step: int = 20) -> list[tuple[float, str]]:
    return [(p / 100, f"{p}%") for p in range(0, 101, step)]


def _count_ticks(top_value: float, n: int = 4) -> list[tuple[float, str]]:
    return [(i / n, count(top_value * i / n)) for i in range(n + 1)]


def histogram(
    edges: Sequence[float],
    counts: Sequence[float],
    *,
    plot_id: str,
    title: str,
    desc: str,
    x_label: str,
    marker: float | None = None,
    marker_label: str = "",
) -> SafeString:
    """Stations per bin of a proportion in [0, 1]; ``marker``: a vertical line (the overall
    figure)."""
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max(counts, default=0))
    parts = []
    for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=False):
        if not c:
            continue
        h = ph * c / top_value
        parts.append(
            f'<rect class="fx-bar" x="{_n(LEFT + lo * pw)}" y="{_n(TOP + ph - h)}" '
            f'width="{_n(max((hi - lo) * pw - 0.4, 0.6))}" height="{_n(h)}"/>'
        )
    if marker is not None and math.isfinite(marker):
        x = LEFT + marker * pw
        parts.append(
            f'<line class="fx-marker" x1="{_n(x)}" y1="{TOP}" x2="{_n(x)}" y2="{TOP + ph}"/>'
            f'<text class="fx-marker-label" x="{_n(x + 4)}" y="{TOP + 10}">'
            f"{escape(marker_label)}</text>"
        )
    axes = _axes(
        left=LEFT,
        top=TOP,
        width=pw,
        height=ph,
        x_ticks=_percent_ticks(),
        y_ticks=_count_ticks(top_value),
        x_label=x_label,
        y_label=_("Polling stations"),
    )
    return _svg(
        axes + "".join(parts), plot_id=plot_id, title=title, desc=desc, width=WIDTH, height=HEIGHT
    )


def heat_level(value: float, largest: float) -> int:
    """Colour level 1..HEAT_LEVELS of a cell on a log scale (0 for an empty cell)."""
    if value <= 0 or largest <= 0:
        return 0
    level = math.ceil(HEAT_LEVELS * math.log1p(value) / math.log1p(largest))
    return max(1, min(HEAT_LEVELS, level))


def fingerprint(
    counts: Sequence[Sequence[float]],
    *,
    plot_id: str,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
) -> SafeString:
    """``counts[i][j]``: stations with turnout in bin i (x) and the leader's share in bin j (y),
    coloured on a log scale; runs of equal colour in a column are drawn as one rectangle."""
    size = 400
    left, top, bottom_margin, right_margin = 60, 14, 46, 120
    width, height = left + size + right_margin, top + size + bottom_margin
    nx = len(counts)
    ny = len(counts[0]) if nx else 0
    largest = max((max(column) for column in counts if len(column)), default=0)
    cw = size / nx if nx else size
    ch = size / ny if ny else size
    parts = [f'<rect class="fx-heat-0" x="{left}" y="{top}" width="{size}" height="{size}"/>']
    for i, column in enumerate(counts):
        j = 0
        while j < ny:
            level = heat_level(column[j], largest)
            start = j
            while j + 1 < ny and heat_level(column[j + 1], largest) == level:
                j += 1
            if level:
                y_top = top + size - (j + 1) * ch
                parts.append(
                    f'<rect class="fx-heat-{level}" x="{_n(left + i * cw)}" y="{_n(y_top)}" '
                    f'width="{_n(cw)}" height="{_n((j - start + 1) * ch)}"/>'
                )
            j += 1
    # The legend: each colour and the counts it stands for.
    legend_x = left + size + 16
    parts.append(
        f'<text class="fx-tick-label" x="{legend_x}" y="{top + 10}">'
        f"{escape(_('Stations per cell'))}</text>"
    )
    row = 0
    for level in range(HEAT_LEVELS, 0, -1):
        # Level l holds the counts v with expm1((l-1)/L·log1p(max)) < v <= expm1(l/L·log1p(max)).
        low = math.floor(math.expm1((level - 1) * math.log1p(largest) / HEAT_LEVELS)) + 1
        high = math.floor(math.expm1(level * math.log1p(largest) / HEAT_LEVELS))
        if largest <= 0 or low > high:
            continue  # no whole number of stations falls in this colour
        label = count(low) if low == high else f"{count(low)}–{count(high)}"
        y = top + 18 + row * 20
        row += 1
        parts.append(
            f'<rect class="fx-heat-{level}" x="{legend_x}" y="{y}" width="14" height="14"/>'
            f'<text class="fx-tick-label" x="{legend_x + 20}" y="{y + 11}">{escape(label)}</text>'
        )
    axes = _axes(
        left=left,
        top=top,
        width=size,
        height=size,
        x_ticks=_percent_ticks(),
        y_ticks=_percent_ticks(),
        x_label=x_label,
        y_label=y_label,
    )
    return _svg(
        "".join(parts) + axes,
        plot_id=plot_id,
        title=title,
        desc=desc,
        width=width,
        height=height,
        css="fx-plot--square",
    )


def digits(
    observed: Sequence[float],
    expected: Sequence[float],
    *,
    plot_id: str,
    title: str,
    desc: str,
    x_label: str,
) -> SafeString:
    """Share of each digit 0–9 (bars) against the expected share (the line with dots)."""
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    total = sum(observed) or 1
    shares = [o / total for o in observed]
    top_value = _nice_max(max([*shares, *expected], default=0) * 1.1)
    slot = pw / 10
    parts = []
    points = []
    for d in range(10):
        h = ph * shares[d] / top_value
        x = LEFT + d * slot
        parts.append(
            f'<rect class="fx-bar" x="{_n(x + slot * 0.15)}" y="{_n(TOP + ph - h)}" '
            f'width="{_n(slot * 0.7)}" height="{_n(h)}"/>'
        )
        points.append((x + slot / 2, TOP + ph - ph * expected[d] / top_value))
    parts.append(
        '<polyline class="fx-expected" points="'
        + " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        + '"/>'
    )
    parts.extend(
        f'<circle class="fx-expected-dot" cx="{_n(x)}" cy="{_n(y)}" r="3"/>' for x, y in points
    )
    ticks = [((d + 0.5) / 10, str(d)) for d in range(10)]
    y_ticks = [(i / 4, percent(top_value * i / 4, 0 if top_value >= 0.1 else 1)) for i in range(5)]
    axes = _axes(
        left=LEFT,
        top=TOP,
        width=pw,
        height=ph,
        x_ticks=ticks,
        y_ticks=y_ticks,
        x_label=x_label,
        y_label=_("Share of counts"),
    )
    return _svg(
        axes + "".join(parts), plot_id=plot_id, title=title, desc=desc, width=WIDTH, height=HEIGHT
    )


def comb(
    edges: Sequence[float],
    counts: Sequence[float],
    *,
    plot_id: str,
    title: str,
    desc: str,
    x_label: str,
) -> SafeString:
    """Stations per 0.1-point bin of a percentage; the bins at whole percentages are
    highlighted: spikes there are the "comb" of Kobak et al. (2016)."""
    width, left = 1060, LEFT
    pw, ph = width - left - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max(counts, default=0))
    lo, hi = edges[0], edges[-1]
    span = (hi - lo) or 1
    parts = []
    for k, c in enumerate(counts):
        if not c:
            continue
        x = left + (edges[k] - lo) / span * pw
        w = (edges[k + 1] - edges[k]) / span * pw
        h = ph * c / top_value
        whole = abs(edges[k] - round(edges[k])) < 1e-6
        parts.append(
            f'<rect class="{"fx-spike" if whole else "fx-bar"}" x="{_n(x)}" '
            f'y="{_n(TOP + ph - h)}" width="{_n(max(w, 0.8))}" height="{_n(h)}"/>'
        )
    axes = _axes(
        left=left,
        top=TOP,
        width=pw,
        height=ph,
        x_ticks=[
            ((p - lo) / span, f"{p}%")
            for p in range(math.ceil(lo), math.floor(hi) + 1)
            if p % (5 if span <= 40 else 10) == 0
        ],
        y_ticks=_count_ticks(top_value),
        x_label=x_label,
        y_label=_("Polling stations"),
    )
    return _svg(
        axes + "".join(parts), plot_id=plot_id, title=title, desc=desc, width=width, height=HEIGHT
    )


def observed_expected(
    items: Sequence[tuple[str, float, float, float]],
    *,
    plot_id: str,
    title: str,
    desc: str,
) -> SafeString:
    """For each (label, observed, expected, sd): the observed count (dark bar) next to the
    count expected by chance (light bar) with ± 2 standard deviations (the whisker)."""
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    highest = max(
        [max(o, e + 2 * (sd or 0)) for _label, o, e, sd in items if e is not None], default=0
    )
    top_value = _nice_max(highest * 1.25)  # room for the legend above the bars
    slot = pw / max(len(items), 1)
    parts = []
    for k, (_label, observed, expected, sd) in enumerate(items):
        x = LEFT + k * slot
        h_obs = ph * (observed or 0) / top_value
        h_exp = ph * (expected or 0) / top_value
        parts.append(
            f'<rect class="fx-bar" x="{_n(x + slot * 0.15)}" y="{_n(TOP + ph - h_obs)}" '
            f'width="{_n(slot * 0.33)}" height="{_n(h_obs)}"/>'
            f'<rect class="fx-expected-bar" x="{_n(x + slot * 0.52)}" '
            f'y="{_n(TOP + ph - h_exp)}" width="{_n(slot * 0.33)}" height="{_n(h_exp)}"/>'
        )
        if sd:
            mid = x + slot * 0.685
            y1 = TOP + ph - ph * max(expected - 2 * sd, 0) / top_value
            y2 = TOP + ph - ph * (expected + 2 * sd) / top_value
            parts.append(
                f'<line class="fx-whisker" x1="{_n(mid)}" y1="{_n(y1)}" x2="{_n(mid)}" '
                f'y2="{_n(y2)}"/><line class="fx-whisker" x1="{_n(mid - 6)}" y1="{_n(y2)}" '
                f'x2="{_n(mid + 6)}" y2="{_n(y2)}"/><line class="fx-whisker" '
                f'x1="{_n(mid - 6)}" y1="{_n(y1)}" x2="{_n(mid + 6)}" y2="{_n(y1)}"/>'
            )
    legend_y = TOP + 8
    parts.append(
        f'<rect class="fx-bar" x="{LEFT + 10}" y="{legend_y - 8}" width="10" height="10"/>'
        f'<text class="fx-tick-label" x="{LEFT + 24}" y="{legend_y + 1}">'
        f"{escape(_('reported'))}</text>"
        f'<rect class="fx-expected-bar" x="{LEFT + 130}" y="{legend_y - 8}" width="10" '
        f'height="10"/><text class="fx-tick-label" x="{LEFT + 144}" y="{legend_y + 1}">'
        f"{escape(_('expected by chance (± 2 standard deviations)'))}</text>"
    )
    axes = _axes(
        left=LEFT,
        top=TOP,
        width=pw,
        height=ph,
        x_ticks=[((k + 0.5) / len(items), label) for k, (label, *_rest) in enumerate(items)],
        y_ticks=_count_ticks(top_value),
        x_label="",
        y_label=_("Polling stations"),
    )
    return _svg(
        axes + "".join(parts), plot_id=plot_id, title=title, desc=desc, width=WIDTH, height=HEIGHT
    )


def region_bars(
    rows: Sequence[dict],
    *,
    key: str,
    overall: float | None,
    plot_id: str,
    title: str,
    desc: str,
    x_label: str,
) -> SafeString:
    """One horizontal bar per region of a proportion (``key``), with the overall figure as a
    vertical line."""
    label_width, row_height = 170, 16
    pw = WIDTH - label_width - 60
    top = 8
    height = top + row_height * len(rows) + 40
    parts = []
    for k, row in enumerate(rows):
        y = top + k * row_height
        value = row.get(key)
        name = str(row.get("region", ""))
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(
            f'<text class="fx-tick-label" x="{label_width - 6}" y="{_n(y + 11)}" '
            f'text-anchor="end">{escape(short)}</text>'
        )
        if value is not None and math.isfinite(value):
            w = pw * max(0.0, min(value, 1.0))
            parts.append(
                f'<rect class="fx-bar" x="{label_width}" y="{_n(y + 2)}" width="{_n(w)}" '
                f'height="{row_height - 4}"/><text class="fx-tick-label" '
                f'x="{_n(label_width + w + 4)}" y="{_n(y + 11)}">{escape(percent(value))}</text>'
            )
    bottom = top + row_height * len(rows)
    if overall is not None and math.isfinite(overall):
        x = label_width + pw * overall
        parts.append(
            f'<line class="fx-marker" x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{_n(bottom)}"/>'
        )
    for p in range(0, 101, 20):
        x = label_width + pw * p / 100
        parts.append(
            f'<line class="fx-tick" x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" '
            f'y2="{_n(bottom + 4)}"/><text class="fx-tick-label" x="{_n(x)}" '
            f'y="{_n(bottom + 16)}" text-anchor="middle">{p}%</text>'
        )
    parts.append(
        f'<text class="fx-axis-label" x="{_n(label_width + pw / 2)}" y="{_n(bottom + 34)}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    return _svg("".join(parts), plot_id=plot_id, title=title, desc=desc, width=WIDTH, height=height)
