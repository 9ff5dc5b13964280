"""Server-rendered SVG charts over time: no JavaScript, legible on a phone, with their numbers.

A chart is one or more panels stacked on one date axis; each panel has its own value axis
and unit, so kilometres never share an axis with hours, nor volume with pain. The drawing is
480 units wide and its text 15 units high: at 366 px (a 390 px phone less the margins) that
is 11.4 px, and the stylesheet caps the width so text stays under 20 px on a desktop. The
title and legend are HTML above the drawing (they cannot collide with a tick), and the same
numbers follow in a table inside a <details>, for screen readers and for anyone who wants
them. Each mark carries a <title>: the browser shows it as a tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.utils.safestring import SafeString, mark_safe

W = 480
LEFT, RIGHT = 46, 14
FONT = 15  # user units; see the module's docstring
PANEL_H = 150  # plot height of one panel
PANEL_TOP = 30  # room above a panel's plot for its unit label
AXIS_H = 30  # the date labels under the last panel
DATE_LABELS = 5
MAX_DOTS = 40  # a line with more points than this is drawn without its dots
_CSS = {"s1": "s-run", "s2": "s-plan", "s3": "s-pain", "s4": "s-strength"}  # older names


@dataclass
class Series:
    label: str
    points: list[tuple[date, float]]
    kind: str = "line"  # line, step, bars or dots
    css: str = "s-line"
    axis: str = "left"  # "right" puts the series in a 0–10 pain panel of its own

    @property
    def style(self) -> str:
        return _CSS.get(self.css, self.css)


@dataclass
class Panel:
    unit: str
    series: list[Series]
    top: float | None = None  # a fixed top (10 for pain); else a round number over the data


@dataclass
class Chart:
    title: str
    unit: str = ""
    series: list[Series] = field(default_factory=list)
    top: float | None = None
    panels: list[Panel] = field(default_factory=list)
    bucket_days: int = 1  # 7 when each point stands for a week starting on its date
    summary: str = ""  # one plain sentence under the title

    def all_panels(self) -> list[Panel]:
        left = [s for s in self.series if s.axis != "right"]
        right = [s for s in self.series if s.axis == "right"]
        out = list(self.panels)
        if left:
            out.insert(0, Panel(self.unit, left, self.top))
        if right:
            out.append(Panel("pain 0–10", right, 10.0))
        return out

    def svg(self) -> SafeString:
        panels = self.all_panels()
        series = [s for p in panels for s in p.series]
        days = [d for s in series for d, _ in s.points]
        title = escape(self.title)
        if not days:
            return mark_safe(f'<p class="chart-empty">{title}: no data yet.</p>')  # noqa: S308
        first, last = min(days), max(days) + timedelta(days=self.bucket_days - 1)
        span = max((last - first).days, 1)
        plot_w = W - LEFT - RIGHT
        pad = plot_w / (span + 1) / 2  # half a day (or week) at each end: bars stay inside

        def fx(d: date) -> float:
            middle = d + timedelta(days=(self.bucket_days - 1) / 2)
            return LEFT + pad + (plot_w - 2 * pad) * (middle - first).days / span

        parts: list[str] = []
        y0 = 0
        for panel in panels:
            parts.append(_panel(panel, y0, fx, (plot_w - 2 * pad) / (span + 1) * self.bucket_days))
            y0 += PANEL_TOP + PANEL_H
        parts.append(_dates(first, last, y0, fx, self.bucket_days))
        height = y0 + AXIS_H
        legend = "".join(
            f'<li class="key {s.style}"><span>{escape(s.label)}</span></li>' for s in series
        )
        summary = f'<p class="helptext">{escape(self.summary)}</p>' if self.summary else ""
        out = (
            f'<figure class="chart"><figcaption>{title}</figcaption>{summary}'
            f'<ul class="legend">{legend}</ul>'
            f'<svg viewBox="0 0 {W} {height}" role="img" aria-label="{title}: the numbers '
            f'are in the table below" font-size="{FONT}">{"".join(parts)}</svg>'
            f"{self.table()}</figure>"
        )
        return mark_safe(out)  # noqa: S308 - every text above is escaped

    def table(self) -> str:
        """The chart's numbers, one row per date, one column per series."""
        series = [s for p in self.all_panels() for s in p.series]
        rows: dict[date, dict[int, float]] = {}
        for i, s in enumerate(series):
            for d, v in s.points:
                rows.setdefault(d, {})[i] = v
        head = "".join(f"<th scope='col'>{escape(s.label)}</th>" for s in series)
        body = "".join(
            f"<tr><th scope='row'>{d:%d %b %Y}</th>"
            + "".join(f"<td>{_num(vals[i]) if i in vals else ''}</td>" for i in range(len(series)))
            + "</tr>"
            for d, vals in sorted(rows.items(), reverse=True)
        )
        return (
            f"<details><summary>The numbers behind “{escape(self.title)}”</summary>"
            f'<div class="table-wrap"><table><thead><tr><th scope="col">Date</th>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table></div></details>"
        )


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if v % 1 else f"{v:.0f}"


def _nice(v: float) -> float:
    for step in (1, 2, 4, 5, 10, 20, 25, 40, 50, 100, 200, 250, 400, 500, 1000, 2000, 5000):
        if v <= step:
            return float(step)
    return float(-(-v // 1000) * 1000)


def _panel(panel: Panel, y0: int, fx: Callable[[date], float], slot_w: float) -> str:
    top = panel.top or _nice(max((v for s in panel.series for _, v in s.points), default=1.0))
    plot_top, bottom = y0 + PANEL_TOP, y0 + PANEL_TOP + PANEL_H

    def fy(v: float) -> float:
        return bottom - PANEL_H * min(max(v, 0.0), top) / top

    out = [f'<text x="4" y="{y0 + 18}" font-weight="600">{escape(panel.unit)}</text>']
    for tick in (0.0, top / 2, top):
        y = fy(tick)
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end">{_num(tick)}</text>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{plot_top}" x2="{LEFT}" y2="{bottom}"/>')
    bars = [s for s in panel.series if s.kind == "bars"]
    width = max(2.0, min(slot_w * 0.8 / max(len(bars), 1), 28.0))
    for s in panel.series:
        offset = 0.0
        if s.kind == "bars" and len(bars) > 1:
            offset = (bars.index(s) - (len(bars) - 1) / 2) * width
        out.append(_draw(s, fx, fy, bottom, width, offset))
    return "".join(out)


def _draw(
    s: Series,
    fx: Callable[[date], float],
    fy: Callable[[float], float],
    bottom: float,
    width: float,
    offset: float,
) -> str:
    pts = sorted(s.points)
    label = escape(s.label)
    if s.kind == "bars":
        return "".join(
            f'<rect class="{s.style}" x="{fx(d) + offset - width / 2:.1f}" y="{fy(v):.1f}" '
            f'width="{width:.1f}" height="{bottom - fy(v):.1f}">'
            f"<title>{d:%d %b}: {label} {_num(v)}</title></rect>"
            for d, v in pts
            if v > 0
        )
    radius = 5 if s.kind == "dots" else 3.5
    if s.kind != "dots" and len(pts) > MAX_DOTS:
        pts_marked: list[tuple[date, float]] = []  # a dense line reads better bare
    else:
        pts_marked = pts
    dots = "".join(
        f'<circle class="{s.style}" cx="{fx(d):.1f}" cy="{fy(v):.1f}" r="{radius}">'
        f"<title>{d:%d %b}: {label} {_num(v)}</title></circle>"
        for d, v in pts_marked
    )
    if s.kind == "dots":
        return dots
    coords: list[str] = []
    for i, (d, v) in enumerate(pts):
        if s.kind == "step" and i:
            coords.append(f"{fx(d):.1f},{fy(pts[i - 1][1]):.1f}")
        coords.append(f"{fx(d):.1f},{fy(v):.1f}")
    dash = ' stroke-dasharray="6 4"' if s.kind == "step" else ""
    return f'<polyline class="{s.style}"{dash} points="{" ".join(coords)}"/>{dots}'


def _dates(first: date, last: date, y0: int, fx: Callable[[date], float], bucket_days: int) -> str:
    """Up to five date labels spread over the axis (the table gives every date in full)."""
    span = (last - first).days
    count = min(DATE_LABELS, span // bucket_days + 1)
    out = [f'<line class="axis" x1="{LEFT}" y1="{y0}" x2="{W - RIGHT}" y2="{y0}"/>']
    step = span / max(count - 1, 1)
    for i in range(count):
        d = first + timedelta(days=round(i * step / bucket_days) * bucket_days)
        # the outer labels align with the plot's edges, so none is cut off
        anchor = "start" if i == 0 else "end" if i == count - 1 and count > 1 else "middle"
        x = LEFT if anchor == "start" else W - RIGHT if anchor == "end" else fx(d)
        out.append(f'<text x="{x:.1f}" y="{y0 + 22}" text-anchor="{anchor}">{d.day} {d:%b}</text>')
    return "".join(out)
