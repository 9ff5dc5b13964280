"""One filled-in questionnaire and the schedule that asks for the next one.

A response is checked and scored here, so every door (page, API, import) stores the same
scores for the same answers. The schedule is the runner's interval: asked at the start, then
every ``interval_weeks`` weeks after the last answer (issue 19: every 4 weeks by default; a
linked coach or physio may change it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kneecap.core.outcomes.scoring import (
    Answer,
    OutcomeError,
    Scores,
    instrument,
    score,
    validate,
)

DEFAULT_WEEKS = 4
MIN_WEEKS, MAX_WEEKS = 1, 52
ACTIVITY_MAX = 100  # characters of a PSFS activity's name


@dataclass(frozen=True, slots=True)
class Response:
    instrument: str
    answered: date
    answers: tuple[Answer, ...]  # in the instrument's order, None for a skipped item
    scores: Scores = field(compare=False)
    activities: tuple[str, ...] = ()  # PSFS: the runner's name for each rated activity

    def as_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "answered": self.answered.isoformat(),
            "answers": list(self.answers),
            "activities": list(self.activities),
            "scores": dict(self.scores),
        }


def respond(
    instrument_id: str, answered: date, answers: object, activities: object = ()
) -> Response:
    """A checked, scored response, or ``OutcomeError`` naming the field."""
    try:
        inst = instrument(instrument_id)
    except OutcomeError as exc:
        raise OutcomeError(f"instrument: {exc}") from None
    values = validate(inst, answers)
    names = _activities(inst.id, activities, len(values))
    return Response(inst.id, answered, values, score(inst, values), names)


def _activities(instrument_id: str, raw: object, count: int) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple) or not all(isinstance(a, str) for a in raw):
        raise OutcomeError("activities: must be a list of texts")
    names = tuple(a.strip() for a in raw)
    if instrument_id != "psfs":
        if names:
            raise OutcomeError(f"activities: {instrument_id} takes none (only psfs names them)")
        return ()
    if len(names) != count:
        raise OutcomeError(f"activities: {len(names)} named for {count} ratings; name each one")
    for i, name in enumerate(names):
        if not name:
            raise OutcomeError(f"activities[{i}]: name the activity")
        if len(name) > ACTIVITY_MAX:
            raise OutcomeError(f"activities[{i}]: at most {ACTIVITY_MAX} characters")
    return names


def check_weeks(weeks: object) -> int:
    """A schedule's interval, or ``OutcomeError`` naming ``interval_weeks``."""
    if isinstance(weeks, bool) or not isinstance(weeks, int):
        raise OutcomeError("interval_weeks: must be a whole number of weeks")
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise OutcomeError(f"interval_weeks: {weeks} is outside {MIN_WEEKS}–{MAX_WEEKS}")
    return weeks


def due_on(last_answered: date | None, interval_weeks: int, today: date) -> date:
    """The day the next answer is asked for: today when never answered, else the interval
    after the last answer."""
    if last_answered is None:
        return today
    return last_answered + timedelta(weeks=interval_weeks)
