"""The convergence chart, drawn on the server as SVG coordinates (no JavaScript, strict CSP):
one small chart per quantity, the estimate as a line over the number of reports received and
its 95% interval as a band around it. The template turns these numbers into <svg> elements."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from electionstats.quickcount import ConvergenceSeries

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 22


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    quantity: str
    label: str
    line: str  # "x,y x,y ..." for <polyline points>
    band: str  # for <polygon points>
    ticks: list[Tick]
    x_first: int
    x_last: int
    last_estimate: float | None
    last_margin: float | None
    official_y: float | None = None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def _fmt(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def convergence_charts(
    series: ConvergenceSeries,
    labels: dict[str, str],
    official: dict[str, float] | None = None,
) -> list[Chart]:
    """One Chart per quantity; empty when there are no reports yet."""
    n = series.n_reported.astype(np.float64)
    if n.shape[0] == 0:
        return []
    x0, x1 = float(n[0]), float(n[-1])
    span_x = (x1 - x0) or 1.0
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def sx(v: float) -> float:
        return LEFT + (v - x0) / span_x * plot_w if x1 > x0 else LEFT + plot_w / 2

    charts = []
    official = official or {}
    for j, quantity in enumerate(series.quantities):
        est = series.estimate[:, j] * 100
        mar = series.margin95[:, j] * 100
        ok = np.isfinite(est) & np.isfinite(mar)
        if not ok.any():
            continue
        lo = np.clip(est - mar, 0, 100)
        hi = np.clip(est + mar, 0, 100)
        values = [lo[ok].min(), hi[ok].max()]
        if quantity in official:
            values.append(official[quantity] * 100)
        y_min, y_max = float(min(values)), float(max(values))
        pad = max((y_max - y_min) * 0.08, 0.5)
        y_min, y_max = max(0.0, y_min - pad), min(100.0, y_max + pad)
        span_y = (y_max - y_min) or 1.0

        def sy(v: float, y_min: float = y_min, span_y: float = span_y) -> float:
            return TOP + (1 - (v - y_min) / span_y) * plot_h

        xs = [sx(v) for v in n[ok]]
        line = list(zip(xs, [sy(v) for v in est[ok]], strict=True))
        upper = list(zip(xs, [sy(v) for v in hi[ok]], strict=True))
        lower = list(zip(xs, [sy(v) for v in lo[ok]], strict=True))
        ticks = [Tick(sy(v), f"{v:.1f}%") for v in np.linspace(y_min, y_max, 4).tolist()]
        last = int(np.flatnonzero(ok)[-1])
        charts.append(
            Chart(
                quantity=quantity,
                label=labels.get(quantity, quantity),
                line=_fmt(line),
                band=_fmt(upper + lower[::-1]),
                ticks=ticks,
                x_first=int(n[0]),
                x_last=int(n[-1]),
                last_estimate=float(est[last]),
                last_margin=float(mar[last]),
                official_y=sy(official[quantity] * 100) if quantity in official else None,
            )
        )
    return charts
