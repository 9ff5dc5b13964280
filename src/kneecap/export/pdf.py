"""A printable A4 plan: the coming weeks session by session, then every exercise used with
its picture, steps, cues and cautions."""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib.svglib import svg2rlg

from kneecap.core.catalog import Catalog, Exercise
from kneecap.core.planning import Plan, Session, Week
from kneecap.export.text import (
    APP,
    WEEK_KINDS,
    dose,
    exercise_name,
    level_name,
    run_note,
)

FONT = "KneecapSans"  # Bitstream Vera, shipped with reportlab: the same output everywhere
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
PICTURE_WIDTH = 120 * mm
# Characters the font lacks, in plain letters; anything else missing becomes "?".
_SPELLED = {"→": "->", "←": "<-"}


def plan_to_pdf(
    plan: Plan, catalog: Catalog, *, title: str, static_root: Path, compress: bool = True
) -> bytes:
    """The plan as a PDF. ``static_root`` holds the exercises' pictures (their catalog paths
    are relative to it). The bytes depend only on the arguments; ``compress=False`` leaves
    the page contents readable, for tests."""
    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=APP,
        creator=APP,
        invariant=1,
        pageCompression=1 if compress else 0,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    footer = _footer(title)
    doc.build(_story(plan, catalog, title, static_root), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


@functools.cache
def _register_fonts() -> None:
    # Styles pick the bold face by name: the text is escaped, so no <b> markup needs a family.
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(FONT + "-Bold", "VeraBd.ttf"))


def _style(name: str, size: float, *, bold: bool = False, **extra: Any) -> ParagraphStyle:
    font = FONT + ("-Bold" if bold else "")
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, **extra)


TITLE = _style("title", 20, bold=True, spaceAfter=4 * mm)
H1 = _style("h1", 15, bold=True, spaceBefore=5 * mm, spaceAfter=2 * mm)
H2 = _style("h2", 12, bold=True, spaceBefore=4 * mm, spaceAfter=1.5 * mm)
BODY = _style("body", 10, spaceAfter=1.5 * mm)
SMALL = _style("small", 8.5, textColor=colors.HexColor("#4a545c"))
CELL = _style("cell", 9.5)


def _plain(text: str) -> str:
    """``text`` with the characters the font cannot draw replaced."""
    glyphs = pdfmetrics.getFont(FONT).face.charToGlyph
    out = []
    for char in text:
        if ord(char) in glyphs or char.isspace():
            out.append(char)
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(_SPELLED.get(char) or plain or "?")
    return "".join(out)


def _printable(text: str) -> str:
    """``text`` ready for a Paragraph, which reads a little XML markup."""
    return escape(_plain(text))


def _para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(_printable(text), style)


def _bullets(lines: Iterable[str], style: ParagraphStyle = BODY, numbered: bool = False) -> Any:
    items = [_para(line, style) for line in lines]
    kind = {"bulletType": "1"} if numbered else {"bulletType": "bullet", "start": "•"}
    return ListFlowable(items, leftIndent=5 * mm, bulletFontName=FONT, **kind)


def _footer(title: str) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#4a545c"))
        canvas.drawString(18 * mm, 10 * mm, _plain(title))
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    return draw


def _story(plan: Plan, catalog: Catalog, title: str, static_root: Path) -> list[Any]:
    story: list[Any] = [_para(title, TITLE)]
    if plan.blocked is not None:  # rules 35, 36: the advice is the whole printout
        return [*story, _para(plan.blocked.reason, H2), _para(plan.blocked.advice)]
    if plan.weeks:
        first, last = plan.weeks[0].start, plan.weeks[-1].start
        weeks = f"{len(plan.weeks)} week{'' if len(plan.weeks) == 1 else 's'}"
        story.append(_para(f"{weeks}, {_day(first)} to week of {_day(last)}."))
    if plan.warnings:
        story += [_para("Notes", H2), _bullets(plan.warnings, SMALL)]
    for week in plan.weeks:
        story += _week(week, catalog)
    used = _exercises_used(plan, catalog)
    if used:
        story += [PageBreak(), _para("The exercises", H1)]
        story += [_exercise(ex, static_root) for ex in used]
    return story


def _day(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def _week(week: Week, catalog: Catalog) -> list[Any]:
    head = _para(f"{WEEK_KINDS[week.kind]} from {_day(week.start)}", H1)
    if not week.sessions:
        return [head, _para("No strength session this week.")]
    sessions = [_session(s, catalog) for s in week.sessions]
    # The heading stays with the first session rather than alone at a page's foot.
    return [KeepTogether([head, sessions[0]]), *sessions[1:]]


def _session(session: Session, catalog: Catalog) -> KeepTogether:
    d = session.date
    head = f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} · {session.minutes} min"
    run = run_note(session)
    rows = [["", "Exercise", "Level", "Dose", "Done"]]
    rows += [
        [str(i), exercise_name(catalog, it.exercise), level_name(catalog, it), dose(it), ""]
        for i, it in enumerate(session.items, 1)
    ]
    table = Table(
        [[_para(cell, CELL) for cell in row] for row in rows],
        colWidths=[7 * mm, 52 * mm, 42 * mm, 57 * mm, 16 * mm],
        repeatRows=1,
    )
    table.setStyle(_TABLE)
    parts: list[Any] = [_para(head + (f" · {run}" if run else ""), H2), table]
    if session.why:
        parts += [Spacer(1, 1.5 * mm), _bullets(session.why, SMALL)]
    return KeepTogether(parts)


_TABLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5ae")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ec")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _exercises_used(plan: Plan, catalog: Catalog) -> list[Exercise]:
    """In catalog order; an item whose exercise is gone from the catalog has no page."""
    slugs = {item.exercise for session in plan.sessions() for item in session.items}
    return [ex for ex in catalog if ex.slug in slugs]


def _exercise(exercise: Exercise, static_root: Path) -> KeepTogether:
    parts: list[Any] = [_para(exercise.name, H2), _para(exercise.summary)]
    picture = _picture(exercise, static_root)
    if picture is not None:
        parts += [picture, Spacer(1, 2 * mm)]
    for heading, lines, numbered in (
        ("How", exercise.steps, True),
        ("Cues", exercise.cues, False),
        ("Take care", exercise.cautions, False),
    ):
        if lines:
            parts += [_para(heading, BODY_BOLD), _bullets(lines, numbered=numbered)]
    return KeepTogether(parts)


BODY_BOLD = _style("body-bold", 10, bold=True, spaceBefore=1 * mm)


def _picture(exercise: Exercise, static_root: Path) -> Drawing | None:
    """The exercise's SVG scaled to the column, or None when it is missing or unreadable."""
    if exercise.picture is None:
        return None
    root = static_root.resolve()
    path = (root / exercise.picture).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    try:
        drawing = svg2rlg(str(path))
    except Exception:  # a broken picture must not cost the runner the printout
        return None
    if drawing is None or not drawing.width:
        return None
    factor = PICTURE_WIDTH / drawing.width
    drawing.scale(factor, factor)
    drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
    return drawing
