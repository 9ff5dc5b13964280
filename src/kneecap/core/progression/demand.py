"""The dose of one exercise done now, outside the plan (exercise on demand)."""

from __future__ import annotations

from typing import NamedTuple

from kneecap.core.catalog.model import Exercise, Prescription
from kneecap.core.progression import words
from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.dose import first_dose
from kneecap.core.progression.model import Decision


class DoseNow(NamedTuple):
    level: str
    prescription: Prescription
    reason: str
    rules: tuple[int, ...]


def dose_now(
    exercise: Exercise, decision: Decision | None, cfg: ProgressionConfig = DEFAULT_CONFIG
) -> DoseNow | None:
    """The engine's next dose when it has one; for an exercise never done, the first level at
    about half its volume (rule 32); None when the engine paused or referred it."""
    if decision is not None:
        if decision.prescription is None:
            return None
        return DoseNow(
            decision.level, decision.prescription, " ".join(decision.why), decision.rules
        )
    level = exercise.levels[0]
    dose = first_dose(level, cfg)
    reason = (
        f"New to you: {words.dose(dose)}, about half of the first level's "
        f"{words.dose(level.prescription)} (rule 32)"
    )
    return DoseNow(level.slug, dose, reason, (32,))
