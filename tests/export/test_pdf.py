"""The printable plan is a real A4 PDF holding every session and every exercise used."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from kneecap.core.catalog import Catalog
from kneecap.core.planning import Blocked, Plan, Week, WeekKind
from kneecap.export import plan_to_pdf
from tests.export.builders import STATIC, item, plan_of, session_of

A4_BOX = b"/MediaBox [ 0 0 595.2756 841.8898 ]"


def pdf(plan: Plan, catalog: Catalog, static_root: Path = STATIC, compress: bool = False) -> bytes:
    return plan_to_pdf(
        plan, catalog, title="Ann's plan", static_root=static_root, compress=compress
    )


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def test_it_is_an_a4_pdf_with_pages(catalog: Catalog, real_plan: Plan) -> None:
    data = pdf(real_plan, catalog, compress=True)
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert pages(data) >= 2
    assert data.count(A4_BOX) == pages(data)


def test_every_session_and_every_exercise_used_is_printed(
    catalog: Catalog, real_plan: Plan
) -> None:
    data = pdf(real_plan, catalog)
    used = {it.exercise for s in real_plan.sessions() for it in s.items}
    for slug in used:
        assert catalog.get(slug).name.encode() in data
    for session in real_plan.sessions():
        assert f"{session.date.day} {session.date:%B} ".encode() in data  # English names
    for heading in (b"The exercises", b"How", b"Cues", b"Take care", b"Done"):
        assert heading in data


def test_the_steps_cues_and_cautions_of_an_exercise_are_printed(catalog: Catalog) -> None:
    data = pdf(plan_of(session_of(item(catalog, "glute-bridge", "both-legs"))), catalog)
    exercise = catalog.get("glute-bridge")
    for line in (*exercise.steps, *exercise.cues, *exercise.cautions):
        first_words = " ".join(line.split()[:3]).encode()
        if first_words.isascii():
            assert first_words in data


def test_the_pictures_are_drawn_from_the_static_root(catalog: Catalog, tmp_path: Path) -> None:
    plan = plan_of(session_of(item(catalog, "tibialis-raise", "both-legs")))
    with_picture = pdf(plan, catalog)
    without = pdf(plan, catalog, static_root=tmp_path)
    assert len(with_picture) > len(without) + 1000
    assert pages(without) >= 1


def test_a_picture_outside_the_static_root_is_left_out(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    root = tmp_path / "static"
    root.mkdir()
    sneaky = replace(catalog.get("tibialis-raise"), picture="../secret.svg")
    local = Catalog([sneaky])
    plan = plan_of(session_of(item(local, "tibialis-raise", "both-legs")))
    assert pdf(plan, local, static_root=root) == pdf(plan, local, static_root=tmp_path / "none")


def test_a_broken_picture_does_not_stop_the_printout(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "broken.svg").write_text("<svg this is not xml")
    local = Catalog([replace(catalog.get("stairs"), picture="broken.svg")])
    data = pdf(plan_of(session_of(item(local, "stairs", "easy"))), local, static_root=tmp_path)
    assert b"Stairs up and down" in data


def test_characters_the_font_lacks_are_spelled_out(catalog: Catalog) -> None:
    session = session_of(item(catalog, "tibialis-raise", "both-legs"))
    arrow = replace(session, why=("Tuesday → Thursday",))
    spelled = replace(session, why=("Tuesday -> Thursday",))
    assert pdf(plan_of(arrow), catalog) == pdf(plan_of(spelled), catalog)


def test_a_blocked_plan_prints_the_reason_and_the_advice(catalog: Catalog) -> None:
    blocked = Plan((), (), Blocked("A red flag was answered yes.", "Seek care today."))
    data = pdf(blocked, catalog)
    assert b"A red flag was answered yes." in data and b"Seek care today." in data
    assert b"The exercises" not in data


def test_the_same_plan_gives_the_same_bytes(catalog: Catalog, real_plan: Plan) -> None:
    assert pdf(real_plan, catalog, compress=True) == pdf(real_plan, catalog, compress=True)


def test_a_week_without_sessions_says_so(catalog: Catalog) -> None:
    plan = replace(plan_of(), weeks=(replace(plan_of().weeks[0], sessions=()),))
    assert b"No strength session this week." in pdf(plan, catalog)
    assert date(2026, 3, 2).strftime("%B").encode() in pdf(plan, catalog)


def test_each_week_is_one_page_and_the_notes_follow(catalog: Catalog, real_plan: Plan) -> None:
    """One page per week (a wall chart), then the notes and the exercises: here one page."""
    one = item(catalog, "tibialis-raise", "both-legs")
    weeks = tuple(
        Week(date(2026, 3, 2) + timedelta(weeks=i), WeekKind.BUILD, (session_of(one, day=day),))
        for i, day in enumerate(date(2026, 3, 3) + timedelta(weeks=i) for i in range(3))
    )
    assert pages(pdf(Plan(weeks), catalog)) == len(weeks) + 1
    # the real plan's crowded weeks take one page each too: adding a week adds one page
    shorter = replace(real_plan, weeks=real_plan.weeks[:-1])
    same_notes = replace(shorter, weeks=(*shorter.weeks, replace(shorter.weeks[-1])))
    assert pages(pdf(same_notes, catalog)) == pages(pdf(shorter, catalog)) + 1
