"""Outcome questionnaires for a runner: record a response, list them, what is due, the
schedule, and the numbers the progress page charts them against (issue 19).

Scoring is core's (``kneecap.core.outcomes``). The wording of the licensed instruments comes
from the instance's owner: a file ``outcomes/<id>.toml`` (or ``.json``) in the data dir, in
the format docs/outcomes.md describes; an instrument without one is not offered on the pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from kneecap.application import cache
from kneecap.application.progress import load_summary
from kneecap.application.runner import monday
from kneecap.core.outcomes import (
    DEFAULT_WEEKS,
    INSTRUMENTS,
    Instrument,
    ItemText,
    ItemTextError,
    OutcomeError,
    Response,
    TextSource,
    check_weeks,
    due_on,
    load_item_text,
    respond,
    shipped_item_text,
)
from kneecap.db.accounts.users import User
from kneecap.db.training.models import OutcomeResponse, OutcomeSchedule, SessionLog

TEXT_DIR = "outcomes"  # in the data dir: the owner's item text files


# --- the item text ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wording:
    """An instrument's wording on this instance, or why there is none to ask with."""

    instrument: Instrument
    text: ItemText | None
    problem: str = ""  # when ``text`` is None: what the owner has to do

    @property
    def available(self) -> bool:
        return self.text is not None


def text_path(instrument_id: str) -> Path:
    """Where the owner puts an instrument's wording (``.json`` is read too)."""
    return Path(settings.DATA_DIR) / TEXT_DIR / f"{instrument_id}.toml"


def wording(instrument_id: str) -> Wording:
    """kneecap's own wording for sane and psfs; the owner's file for the licensed ones."""
    inst = INSTRUMENTS[instrument_id]
    if inst.text_source is TextSource.KNEECAP:
        return Wording(inst, shipped_item_text(inst.id))
    toml = text_path(inst.id)
    found = [p for p in (toml, toml.with_suffix(".json")) if p.is_file()]
    if not found:
        return Wording(
            inst,
            None,
            f"The wording of {inst.name} is licensed, so kneecap does not ship it. This "
            f"instance's owner can supply it, under their own licence, as {TEXT_DIR}/"
            f"{inst.id}.toml in the data directory (the format is in docs/outcomes.md, "
            '"The item text file").',
        )
    try:
        text = _read(found[0], found[0].stat().st_mtime_ns)
    except ItemTextError as exc:
        return Wording(inst, None, f"{TEXT_DIR}/{found[0].name} cannot be used: {exc}")
    if text.instrument != inst.id:
        problem = f"{TEXT_DIR}/{found[0].name} is for {text.instrument}, not {inst.id}"
        return Wording(inst, None, problem)
    if text.placeholder:
        problem = f"{TEXT_DIR}/{found[0].name} holds example text (placeholder = true)"
        return Wording(inst, None, problem)
    return Wording(inst, text)


@functools.lru_cache(maxsize=16)
def _read(path: Path, mtime_ns: int) -> ItemText:
    """Read once per version of the file (its modification time is part of the key)."""
    return load_item_text(path)


def wordings() -> list[Wording]:
    return [wording(i) for i in INSTRUMENTS]


# --- responses -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    response: Response


def record(
    owner: User,
    instrument_id: str,
    answers: object,
    today: date,
    *,
    answered: date | None = None,
    activities: object = (),
) -> Stored:
    """Check and score a response (core names the field at fault) and store it."""
    day = today if answered is None else answered
    if day > today + timedelta(days=1):  # the runner's day may be ahead of the server's
        raise OutcomeError(f"answered: {day} is in the future")
    if day < date(1970, 1, 1):
        raise OutcomeError(f"answered: {day} is too far in the past")
    response = respond(instrument_id, day, answers, activities)
    if all(v is None for v in response.scores.values()):
        # kept, it would count as answered and put off the next one for nothing
        raise OutcomeError("answers: too few items answered to give any score; nothing saved")
    row = OutcomeResponse.from_core(response, owner=owner)
    with transaction.atomic():
        row.save()
        # Only the outcome values read responses: what is computed as of today from the
        # training log (the progression report) keeps its value.
        cache.changed(owner.pk, before_today=False)
    return Stored(row.pk, response)


def responses(
    owner: User,
    instrument_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    *,
    limit: int | None = None,
) -> list[Stored]:
    """Newest first; ``limit``: at most that many."""
    rows = OutcomeResponse.objects.filter(owner=owner)
    if instrument_id:
        rows = rows.filter(instrument=instrument_id)
    if since:
        rows = rows.filter(answered__gte=since)
    if until:
        rows = rows.filter(answered__lte=until)
    if limit is not None:
        rows = rows[:limit]
    return [Stored(row.pk, row.to_core()) for row in rows]


def last_activities(owner: User) -> tuple[str, ...]:
    """The activities of the runner's last PSFS, offered again (the scale compares the same
    activities over time)."""
    row = OutcomeResponse.objects.filter(owner=owner, instrument="psfs").first()
    return tuple(row.activities) if row else ()


# --- the schedule ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    interval_weeks: int
    set_by: str  # the username of whoever set it; "" for the default


def schedule_of(owner: User) -> Schedule:
    row = OutcomeSchedule.objects.filter(owner=owner).select_related("set_by").first()
    if row is None:
        return Schedule(DEFAULT_WEEKS, "")
    return Schedule(row.interval_weeks, row.set_by.get_username() if row.set_by else "")


def set_schedule(athlete: User, weeks: object, by: User) -> Schedule:
    """The runner, or a linked coach or physio (the caller checked the link), sets how many
    weeks pass between questionnaires. Raises OutcomeError naming ``interval_weeks``."""
    interval = check_weeks(weeks)
    with transaction.atomic():
        OutcomeSchedule.objects.update_or_create(
            owner=athlete, defaults={"interval_weeks": interval, "set_by": by}
        )
        cache.changed(athlete.pk, before_today=False)
    return Schedule(interval, by.get_username())


@dataclass(frozen=True, slots=True)
class Due:
    instrument: str
    name: str
    available: bool  # the wording is there to ask with
    last_answered: date | None
    due_on: date
    due: bool


def due(owner: User, today: date, *, version: int | None = None) -> tuple[Due, ...]:
    """Each instrument's next day: asked the first time, then every N weeks after the last
    answer. Kept under the runner's version (a response or a new schedule moves it);
    ``version``: the one the caller just read with the profile row, which saves reading it."""
    ready = tuple(w.instrument.id for w in wordings() if w.available)
    kind = "outcomes-due:" + ",".join(ready)
    return cache.kept(owner, kind, today, lambda: _due(owner, today, ready), version=version)


def _due(owner: User, today: date, ready: tuple[str, ...]) -> tuple[Due, ...]:
    weeks = schedule_of(owner).interval_weeks
    last = dict(
        OutcomeResponse.objects.filter(owner=owner)
        .values("instrument")
        .annotate(last=Max("answered"))
        .values_list("instrument", "last")
    )
    found = []
    for inst in INSTRUMENTS.values():
        day = due_on(last.get(inst.id), weeks, today)
        available = inst.id in ready
        found.append(Due(inst.id, inst.name, available, last.get(inst.id), day, day <= today))
    return tuple(found)


def due_now(owner: User, today: date, *, version: int | None = None) -> tuple[Due, ...]:
    """What Today and Home point out: the questionnaires this instance can ask that are due."""
    return tuple(d for d in due(owner, today, version=version) if d.available and d.due)


# --- the chart's numbers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    sessions: int  # strength sessions done
    km: float  # running


@dataclass(frozen=True, slots=True)
class Trend:
    """Scores over time with the weeks they span: sessions done and kilometres run."""

    responses: tuple[Response, ...]  # oldest first
    weeks: tuple[Week, ...]


def trend(owner: User, today: date) -> Trend:
    return cache.kept(owner, "outcomes-trend", today, lambda: _trend(owner, today))


def _trend(owner: User, today: date) -> Trend:
    found = tuple(reversed([s.response for s in responses(owner)]))
    if not found:
        return Trend((), ())
    first = monday(min(r.answered for r in found))
    last = monday(max(today, *(r.answered for r in found)))
    count = (last - first).days // 7 + 1
    sessions = [0] * count
    for day in SessionLog.objects.filter(
        owner=owner, date__gte=first, date__lte=last + timedelta(days=6)
    ).values_list("date", flat=True):
        sessions[(monday(day) - first).days // 7] += 1
    km = {w.week_start: w.distance_m / 1000 for w in load_summary(owner, today).weeks}
    weeks = tuple(
        Week(first + timedelta(weeks=i), sessions[i], km.get(first + timedelta(weeks=i), 0.0))
        for i in range(count)
    )
    return Trend(found, weeks)
