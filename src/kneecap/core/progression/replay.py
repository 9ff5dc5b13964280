"""The replay: a training log read session by session into each exercise's tracks.

The log says what was done, not what was prescribed, so the history is replayed in order:
an amount a session leaves out is taken to be what the engine proposed for it. Only such a
session needs that proposal; every other one is measured from its own sets, and the same
sets on the same level are measured once (five years of history hold a few distinct ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from operator import attrgetter
from typing import Any

from kneecap.core.catalog.model import Exercise, Level, Prescription
from kneecap.core.log import ExerciseLog, PainLocation, SessionLog, TrainingLog
from kneecap.core.progression import dose as doses
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.history import Gauge, Tracks
from kneecap.core.progression.pain import Cause, Gate, Ratings, classify, gate_of
from kneecap.core.progression.propose import propose

_LOGGED = ("reps", "hold_s", "distance_m", "duration_s", "load_kg", "flights")
_MUSCLE = PainLocation.MUSCLE
_GREEN = Gate.GREEN


class _Rung:
    """One level, with what measuring a session on it needs, and the sets measured so far."""

    __slots__ = ("level", "logged", "measured", "read", "start_reps")

    def __init__(self, level: Level) -> None:
        self.level = level
        # the amounts ``done_dose`` reads: the ones the level's dose has
        self.logged = tuple(n for n in _LOGGED if getattr(level.prescription, n) is not None)
        self.read = attrgetter("side", *self.logged)
        self.start_reps = level.prescription.reps
        # a set's (side, amounts…) rows → (the dose, or None when an amount is left out;
        # how many sets fell under the level's starting reps)
        self.measured: dict[tuple[Any, ...], tuple[Prescription | None, int]] = {}


class _Ladder:
    """One exercise's replay in progress."""

    __slots__ = ("cfg", "exercise", "gates", "gauge", "green", "limit", "rungs", "tracks")

    def __init__(
        self, exercise: Exercise, baseline: int, cfg: ProgressionConfig, as_of: date | None
    ) -> None:
        self.exercise, self.cfg = exercise, cfg
        self.gauge = Gauge(baseline, cfg, exercise.module == "knee", as_of)
        self.gates = {cause: gate_of(cause, self.gauge.knee_loading) for cause in Cause}
        self.limit = baseline + cfg.morning_tolerance  # rule 17
        self.green = min(cfg.green_max, cfg.amber_max)  # green is never above the ceiling
        self.rungs = {lvl.slug: _Rung(lvl) for lvl in exercise.levels}
        self.tracks = Tracks(self.gauge)

    def add(self, session: SessionLog, entry: ExerciseLog, ratings: Ratings, calm: bool) -> None:
        """One session of the exercise; ``calm``: its after and next-morning ratings are
        given (the next morning at least) and green, so a green rating during decides."""
        rung = self.rungs.get(entry.level) or _Rung(self.exercise.level(entry.level))
        level, sets = rung.level, entry.sets
        rows = tuple(map(rung.read, sets))
        found = rung.measured.get(rows)
        if found is None:
            found = rung.measured[rows] = self._measure(rung, entry, rows)
        dose, below = found
        short = False
        if dose is None or below >= self.cfg.short_sets:
            dose, short = self._with_plan(level, session, entry, below)
        rating = entry.pain_during
        during = rating if entry.pain_location is not _MUSCLE else None  # rule 20
        if calm and rating is not None and (during is None or during <= self.green):
            gate = _GREEN  # what classify says, without the call
        else:
            gate = self.gates[classify(during, rating is not None, ratings, self.limit, self.cfg)]
        records = self.tracks.records
        streak, since = 0, session.date
        if records:  # (session, entry, level, dose, gate, streak, since, …)
            prev = records[-1]
            if prev[2] is level and (prev[3] is dose or prev[3] == dose):
                since = prev[6]
                if sets and gate is _GREEN:
                    streak = prev[5] + 1
            elif sets and gate is _GREEN:
                streak = 1
        elif sets and gate is _GREEN:
            streak = 1
        records.append(
            (session, entry, level, dose, gate, streak, since, bool(sets), short, ratings)
        )

    def _with_plan(
        self, level: Level, session: SessionLog, entry: ExerciseLog, below: int
    ) -> tuple[Prescription, bool]:
        """The dose and the rule-12 miss of a session that needs what was proposed for it."""
        planned = self._planned(level, session)
        dose = planned
        if entry.sets:
            dose = doses.cap(doses.done_dose(entry, level, planned), self.exercise, level)
        return dose, below >= self.cfg.short_sets and _short(entry, level, planned, self.cfg)

    def _measure(
        self, rung: _Rung, entry: ExerciseLog, rows: tuple[Any, ...]
    ) -> tuple[Prescription | None, int]:
        level = rung.level
        low = rung.start_reps
        below = (
            0 if low is None else sum(1 for s in entry.sets if s.reps is not None and s.reps < low)
        )
        every = rows and all(
            any(row[i] is not None for row in rows) for i in range(1, len(rung.logged) + 1)
        )
        if not every:
            return None, below  # an amount left out: taken from what was proposed
        done = doses.done_dose(entry, level, level.prescription)
        return doses.cap(done, self.exercise, level), below

    def _planned(self, level: Level, session: SessionLog) -> Prescription:
        """What the engine proposed for this session, as far as this level goes."""
        if self.tracks:
            proposal = propose(self.exercise, self.tracks, session.date, self.cfg)
            if proposal.level == level.slug and proposal.prescription:
                return proposal.prescription
        return level.prescription


def _short(entry: ExerciseLog, level: Level, planned: Prescription, cfg: ProgressionConfig) -> bool:
    """rule 12: ``short_sets`` sets or more under the level's starting reps, and under what
    was planned (a cut is not a miss)."""
    if level.prescription.reps is None or planned.reps is None:
        return False
    low = min(level.prescription.reps, planned.reps)
    return sum(1 for s in entry.sets if s.reps is not None and s.reps < low) >= cfg.short_sets


def replay(
    exercise: Exercise,
    log: TrainingLog,
    cfg: ProgressionConfig,
    as_of: date | None = None,
) -> Tracks:
    """One exercise's tracks, in the order of its sessions."""
    return replay_all({exercise.slug: exercise}, log, cfg, as_of)[exercise.slug]


def replay_all(
    exercises: Mapping[str, Exercise],
    log: TrainingLog,
    cfg: ProgressionConfig,
    as_of: date | None = None,
) -> dict[str, Tracks]:
    """Every exercise's tracks in one pass over the sessions. A session that leaves its next
    morning out takes the check-in of that morning, if the log has one."""
    base = log.baseline_morning_pain
    limit, green = base + cfg.morning_tolerance, min(cfg.green_max, cfg.amber_max)
    ladders = {slug: _Ladder(ex, base, cfg, as_of) for slug, ex in exercises.items()}
    checkins = {c.date: c for c in log.checkins}
    for session in log.sessions:
        missing = session.pain_next_morning is None and checkins
        ratings = Ratings.of(session, checkins.get(session.morning) if missing else None)
        after, morning = ratings.after, ratings.morning
        calm = (
            ratings.morning_given
            and (morning is None or morning <= limit)
            and (after is None or after <= green)
        )
        for entry in session.exercises:
            ladder = ladders.get(entry.exercise)
            if ladder is not None:
                ladder.add(session, entry, ratings, calm)
    return {slug: ladder.tracks for slug, ladder in ladders.items()}
