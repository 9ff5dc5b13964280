"""Small server-rendered SVG charts over time (no JavaScript, readable by screen readers).

A chart has a date axis, a left value axis and, optionally, a right axis fixed at 0–10 for
pain, so pain sits on the same time axis as the work it came with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 14, 28


@dataclass
class Series:
    label: str
    points: list[tuple[date, float]]
    kind: str = "line"  # line, step, bars or dots
    axis: str = "left"  # left, or right (0–10)
    css: str = "s1"


@dataclass
class Chart:
    title: str
    unit: str = ""
    series: list[Series] = field(default_factory=list)

    def svg(self) -> SafeString:
        points = [p for s in self.series for p in s.points]
        if not points:
            return mark_safe(f'<p class="chart-empty">{escape(self.title)}: no data yet.</p>')  # noqa: S308
        first = min(d for d, _ in points)
        last = max(d for d, _ in points)
        span = max((last - first).days, 1)
        top = max((v for s in self.series if s.axis == "left" for _, v in s.points), default=1.0)
        top = _nice(top)
        plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

        def x(d: date) -> float:
            return LEFT + plot_w * (d - first).days / span

        def y(v: float, axis: str) -> float:
            scale = 10.0 if axis == "right" else top
            return TOP + plot_h * (1 - min(max(v, 0.0), scale) / scale)

        parts = [_axes(first, last, top, self.unit, any(s.axis == "right" for s in self.series))]
        for s in self.series:
            parts.append(_draw(s, x, y, plot_w / max(span, 1)))
        legend = "".join(
            f'<span class="legend {s.css}">{escape(s.label)}</span>' for s in self.series
        )
        desc = "; ".join(f"{s.label}: {len(s.points)} points" for s in self.series)
        svg = (
            f'<figure class="chart"><svg viewBox="0 0 {W} {H}" role="img" '
            f'aria-label="{escape(self.title)}"><title>{escape(self.title)}</title>'
            f"<desc>{escape(desc)}</desc>{''.join(parts)}</svg>"
            f"<figcaption>{escape(self.title)} {legend}</figcaption></figure>"
        )
        return mark_safe(svg)  # noqa: S308 - every text above is escaped


def _nice(v: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 100_000):
        if v <= step:
            return float(step)
    return v


def _axes(first: date, last: date, top: float, unit: str, right: bool) -> str:
    bottom, plot_right = H - BOTTOM, W - RIGHT
    out = [
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{plot_right}" y2="{bottom}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top:g}</text>',
        f'<text class="tick" x="{LEFT - 4}" y="{bottom}" text-anchor="end">0</text>',
        f'<text class="tick" x="{LEFT}" y="{H - 8}">{first:%d %b %Y}</text>',
        f'<text class="tick" x="{plot_right}" y="{H - 8}" text-anchor="end">{last:%d %b %Y}</text>',
    ]
    if unit:
        out.append(f'<text class="tick" x="4" y="{TOP + 4}">{escape(unit)}</text>')
    if right:
        out.append(f'<text class="tick" x="{plot_right + 4}" y="{TOP + 4}">10</text>')
        out.append(f'<text class="tick" x="{plot_right + 4}" y="{bottom}">0</text>')
    return "".join(out)


def _draw(
    s: Series, fx: Callable[[date], float], fy: Callable[[float, str], float], day_w: float
) -> str:
    pts = sorted(s.points)
    if s.kind == "bars":
        width = max(2.0, min(day_w * 5, 24.0))
        return "".join(
            f'<rect class="{s.css}" x="{fx(d) - width / 2:.1f}" y="{fy(v, s.axis):.1f}" '
            f'width="{width:.1f}" height="{H - BOTTOM - fy(v, s.axis):.1f}">'
            f"<title>{d}: {v:g}</title></rect>"
            for d, v in pts
        )
    if s.kind == "dots":
        return "".join(
            f'<circle class="{s.css}" cx="{fx(d):.1f}" cy="{fy(v, s.axis):.1f}" r="4">'
            f"<title>{d}: {v:g}</title></circle>"
            for d, v in pts
        )
    coords: list[str] = []
    for i, (d, v) in enumerate(pts):
        if s.kind == "step" and i:
            coords.append(f"{fx(d):.1f},{fy(pts[i - 1][1], s.axis):.1f}")
        coords.append(f"{fx(d):.1f},{fy(v, s.axis):.1f}")
    return f'<polyline class="{s.css}" fill="none" points="{" ".join(coords)}"/>'
