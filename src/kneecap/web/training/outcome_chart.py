"""The outcome chart: each instrument's scores over time above the weeks they span
(strength sessions done, kilometres run), as server-rendered SVG with a table behind it.

Where a publication gives the smallest change patients find important, a dashed line marks
the runner's first score plus that change (the numbers and their sources are the
instrument's ``important_changes``, listed in docs/outcomes.md: SANE 7 and 19 points,
Winterstein et al. 2013; PSFS 1.3, Abbott and Schmitt 2014; KOOS-PF 16.4, Crossley et al.
2018; Kujala 10, Crossley et al. 2004). KOOS-12 has none: nothing is marked for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from kneecap.application.outcomes import Trend, Week
from kneecap.application.runner import monday
from kneecap.core import units
from kneecap.core.outcomes import INSTRUMENTS, ImportantChange, Instrument, Response

W, H = 640, 300
LEFT, RIGHT, TOP = 44, 44, 14
SCORE_BOTTOM = 180  # the scores' band ends here; the weeks' band starts below
WEEK_TOP, WEEK_BOTTOM = 200, 272
LINES = ("s1", "s2", "s3", "s4")  # the score keys, in app.css's series colours
BARS, KM, MARK = "#c9d3da", "#3d4850", "#6b7780"  # drawn here: app.css has no class for them


@dataclass(frozen=True, slots=True)
class Mark:
    key: str
    level: float  # the first score plus the change
    change: ImportantChange


@dataclass(frozen=True, slots=True)
class OutcomeChart:
    instrument: Instrument
    responses: tuple[Response, ...]  # oldest first
    weeks: tuple[Week, ...]
    marks: tuple[Mark, ...]

    @property
    def title(self) -> str:
        return (
            f"{self.instrument.name}: scores over time, with sessions done and "
            f"{units.long_unit()} run a week"
        )

    def svg(self) -> SafeString:
        first, last = self.weeks[0].monday, self.weeks[-1].monday
        span = max((last - first).days + 6, 1)
        plot_w = W - LEFT - RIGHT
        low, high = self.instrument.score_range

        def x(d: date) -> float:
            return LEFT + plot_w * (d - first).days / span

        def y(v: float) -> float:
            v = min(max(v, low), high)
            return TOP + (SCORE_BOTTOM - TOP) * (1 - (v - low) / (high - low))

        parts = [_frame(first, last, low, high)]
        for n, key in enumerate(self.instrument.keys):
            pts = [(r.answered, r.scores.get(key)) for r in self.responses]
            coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts if v is not None)
            css = LINES[n % len(LINES)]
            parts.append(f'<polyline class="{css}" fill="none" points="{coords}"/>')
            parts += [
                f'<circle class="{css}" cx="{x(d):.1f}" cy="{y(v):.1f}" r="4">'
                f"<title>{d}: {escape(key)} {v:.1f}</title></circle>"
                for d, v in pts
                if v is not None
            ]
        for m in self.marks:
            if m.level <= high:
                parts.append(
                    f'<line class="mcid" stroke="{MARK}" stroke-dasharray="6 4" x1="{LEFT}" '
                    f'y1="{y(m.level):.1f}" '
                    f'x2="{W - RIGHT}" y2="{y(m.level):.1f}"><title>{escape(_mark_text(m))}'
                    "</title></line>"
                )
        parts.append(_weeks(self.weeks, x, plot_w / span))
        legend = "".join(
            f'<span class="legend {LINES[n % len(LINES)]}">{escape(k)}</span>'
            for n, k in enumerate(self.instrument.keys)
        )
        dashed = "; dashed: an important change from the first score" if self.marks else ""
        return mark_safe(  # noqa: S308 - every text in it is escaped
            f'<figure class="chart"><svg viewBox="0 0 {W} {H}" role="img" '
            f'aria-label="{escape(self.title)}"><title>{escape(self.title)}</title>'
            f"<desc>{len(self.responses)} answers over {len(self.weeks)} weeks; the table "
            f"below holds every number</desc>{''.join(parts)}</svg>"
            f"<figcaption>{escape(self.title)} {legend}"
            f"; below: strength sessions a week (grey bars, left), {units.long_unit()} run a "
            f"week (dark line, right){dashed}</figcaption></figure>"
        )

    def rows(self) -> list[tuple[date, list[float | None], int, float]]:
        """The table: each answer with its scores and its week's sessions and distance (in the
        viewer's km or miles)."""
        by_week = {w.monday: w for w in self.weeks}
        out = []
        for r in reversed(self.responses):
            week = by_week.get(monday(r.answered))
            scores = [r.scores.get(k) for k in self.instrument.keys]
            far = units.long_value(week.km * 1000) if week else 0.0  # in the viewer's units
            out.append((r.answered, scores, week.sessions if week else 0, far))
        return out

    def mark_texts(self) -> list[str]:
        return [_mark_text(m) for m in self.marks]


def _mark_text(m: Mark) -> str:
    return (
        f"{m.key}: your first score plus {m.change.points:g} points, the smallest change found "
        f"important ({m.change.context}; {m.change.source})"
    )


def _frame(first: date, last: date, low: int, high: int) -> str:
    right, bottom = W - RIGHT, SCORE_BOTTOM
    return "".join(
        (
            f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
            f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
            f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{high}</text>',
            f'<text class="tick" x="{LEFT - 4}" y="{bottom}" text-anchor="end">{low}</text>',
            f'<line class="axis" x1="{LEFT}" y1="{WEEK_BOTTOM}" x2="{right}" y2="{WEEK_BOTTOM}"/>',
            f'<text class="tick" x="{LEFT}" y="{H - 8}">{first:%d %b %Y}</text>',
            f'<text class="tick" x="{right}" y="{H - 8}" text-anchor="end">{last:%d %b %Y}</text>',
        )
    )


def _weeks(weeks: tuple[Week, ...], fx: Callable[[date], float], day_w: float) -> str:
    most = max((w.sessions for w in weeks), default=0) or 1
    unit = units.long_unit()
    far = {w.monday: units.long_value(w.km * 1000) for w in weeks}  # the viewer's km or miles
    top = max(far.values(), default=0.0) or 1.0
    band = WEEK_BOTTOM - WEEK_TOP
    width = max(2.0, min(day_w * 5, 24.0))
    out = [
        f'<text class="tick" x="{LEFT - 4}" y="{WEEK_TOP + 4}" text-anchor="end">{most}</text>',
        f'<text class="tick" x="{W - RIGHT + 4}" y="{WEEK_TOP + 4}">{top:.0f} {unit}</text>',
    ]
    coords = []
    for w in weeks:
        mid = fx(w.monday) + 3 * day_w  # the middle of the week
        h = band * w.sessions / most
        out.append(
            f'<rect class="sessions" fill="{BARS}" x="{mid - width / 2:.1f}" '
            f'y="{WEEK_BOTTOM - h:.1f}" '
            f'width="{width:.1f}" height="{h:.1f}"><title>week of {w.monday}: '
            f"{w.sessions} sessions, {far[w.monday]:.1f} {unit}</title></rect>"
        )
        coords.append(f"{mid:.1f},{WEEK_BOTTOM - band * far[w.monday] / top:.1f}")
    out.append(f'<polyline class="km" fill="none" stroke="{KM}" points="{" ".join(coords)}"/>')
    return "".join(out)


def charts(trend: Trend) -> list[OutcomeChart]:
    """One chart per instrument the runner has answered, in the instruments' order."""
    found = []
    for inst in INSTRUMENTS.values():
        answered = tuple(r for r in trend.responses if r.instrument == inst.id)
        if not answered:
            continue
        first = answered[0].scores
        marks = tuple(
            Mark(c.key, float(base) + c.points, c)
            for c in inst.important_changes
            if (base := first.get(c.key)) is not None
        )
        found.append(OutcomeChart(inst, answered, trend.weeks, marks))
    return found
