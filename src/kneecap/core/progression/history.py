"""One exercise's history, session by session: the level, the dose done and its pain gate.

The log says what was done, not what was prescribed, so the history is replayed in order:
an amount a session leaves out is taken to be what the engine proposed for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kneecap.core.catalog.model import Exercise, Level, Prescription
from kneecap.core.log import ExerciseLog, SessionLog
from kneecap.core.progression import dose as doses
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.model import Move
from kneecap.core.progression.pain import Gate, Reading, read_gate


@dataclass(frozen=True, slots=True)
class Track:
    session: SessionLog
    entry: ExerciseLog
    level: Level
    dose: Prescription  # what was done (or proposed, when no set was logged)
    reading: Reading
    streak: int  # green sessions in a row at this level and dose, ending here
    since: date  # the first session in a row at this level and dose
    done: bool  # sets were logged
    short: bool  # rule 12: two or more sets under the level's starting reps

    @property
    def date(self) -> date:
        return self.session.date


def entries(slug: str, sessions: Iterable[SessionLog]) -> list[tuple[SessionLog, ExerciseLog]]:
    return [(s, e) for s in sessions for e in s.exercises if e.exercise == slug]


def replay(
    exercise: Exercise,
    sessions: Iterable[SessionLog],
    baseline: int,
    cfg: ProgressionConfig,
) -> tuple[Track, ...]:
    from kneecap.core.progression.propose import propose  # propose reads tracks

    tracks: list[Track] = []
    for session, entry in entries(exercise.slug, sessions):
        proposal = propose(exercise, tracks, session.date, cfg) if tracks else None
        tracks.append(_track(exercise, session, entry, proposal, tracks, baseline, cfg))
    return tuple(tracks)


def _track(
    exercise: Exercise,
    session: SessionLog,
    entry: ExerciseLog,
    proposal: Move | None,
    before: list[Track],
    baseline: int,
    cfg: ProgressionConfig,
) -> Track:
    level = exercise.level(entry.level)
    planned = level.prescription
    if proposal is not None and proposal.level == level.slug and proposal.prescription:
        planned = proposal.prescription
    done = bool(entry.sets)
    dose = doses.cap(doses.done_dose(entry, level, planned), exercise, level) if done else planned
    reading = read_gate(entry, session, baseline, cfg, knee_loading=exercise.module == "knee")
    prev = before[-1] if before else None
    same = prev is not None and prev.level.slug == level.slug and prev.dose == dose
    green = done and reading.gate is Gate.GREEN
    streak = (prev.streak + 1 if same and prev else 1) if green else 0
    since = prev.since if same and prev else session.date
    short = _short(entry, level, planned)
    return Track(session, entry, level, dose, reading, streak, since, done, short)


def _short(entry: ExerciseLog, level: Level, planned: Prescription) -> bool:
    """Under the level's starting reps, and under what was planned (a cut is not a miss)."""
    if level.prescription.reps is None or planned.reps is None:
        return False
    low = min(level.prescription.reps, planned.reps)
    return sum(1 for s in entry.sets if s.reps is not None and s.reps < low) >= 2
