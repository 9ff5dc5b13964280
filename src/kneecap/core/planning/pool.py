"""Which exercises the plan can use, at which level and dose, before any day is chosen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kneecap.core.catalog.model import Equipment, Exercise, Level, Prescription, Stress
from kneecap.core.planning import rules
from kneecap.core.planning.model import CurrentDose
from kneecap.core.profile import Profile


@dataclass(frozen=True, slots=True)
class Choice:
    """One exercise at the level the plan uses, with its full (target) dose."""

    exercise: Exercise
    level: Level
    prescription: Prescription
    rules: tuple[int, ...]
    known: bool  # the runner already does it (it is in ``current``): not new (rule 32)
    easier: tuple[Level, ...] = ()  # usable levels below, nearest first, for lighter days

    @property
    def slug(self) -> str:
        return self.exercise.slug

    @property
    def stress(self) -> Stress:
        return self.exercise.level_stress(self.level)

    @property
    def hip(self) -> bool:
        return self.exercise.module == rules.HIP_MODULE


@dataclass(frozen=True, slots=True)
class PoolOptions:
    profile: Profile
    current: Mapping[str, CurrentDose]
    restrict_knee_loading: bool  # §6.1: knee history without clearance
    step_down_loaded: bool  # rule 33: a gap of 4 weeks or more drops loaded levels by one


def build_pool(
    catalog: Iterable[Exercise], opts: PoolOptions
) -> tuple[tuple[Choice, ...], tuple[str, ...]]:
    """The usable choices in catalog order, and a note for each exercise left out or moved."""
    choices: list[Choice] = []
    notes: list[str] = []
    for ex in catalog:
        choice, note = _choose(ex, opts)
        if choice is not None:
            choices.append(choice)
        if note:
            notes.append(note)
    return tuple(choices), tuple(notes)


def _choose(ex: Exercise, opts: PoolOptions) -> tuple[Choice | None, str]:
    if opts.restrict_knee_loading and ex.slug in rules.DEEP_FLEXION:
        return None, f"{ex.name} waits for a clinician's clearance (knee history)."
    dose = opts.current.get(ex.slug)
    target = _target_index(ex, opts, dose)
    for index in range(target, -1, -1):
        level = ex.levels[index]
        if _usable(ex, level, opts):
            easier = tuple(lvl for lvl in reversed(ex.levels[:index]) if _usable(ex, lvl, opts))
            return _make(ex, level, dose, easier), _moved(ex, level, target)
    missing = sorted(ex.level_equipment(ex.levels[0]) - opts.profile.equipment - {Equipment.NONE})
    needs = ", ".join(missing) if missing else "clearance for loaded work"
    return None, f"{ex.name} is left out: it needs {needs}."


def _target_index(ex: Exercise, opts: PoolOptions, dose: CurrentDose | None) -> int:
    if dose is not None and any(lvl.slug == dose.level for lvl in ex.levels):
        index = ex.level_index(dose.level)
    else:
        index = rules.EXPERIENCE_LEVEL[opts.profile.experience]
    index = min(index, len(ex.levels) - 1)
    if opts.step_down_loaded and index > 0 and rules.is_loaded(ex, ex.levels[index]):
        index -= 1  # rule 33: back after 4+ weeks, one level down on loaded work
    return index


def _usable(ex: Exercise, level: Level, opts: PoolOptions) -> bool:
    needs = ex.level_equipment(level) - {Equipment.NONE}
    if not needs <= opts.profile.equipment:
        return False
    return not (opts.restrict_knee_loading and rules.is_loaded(ex, level))


def _make(
    ex: Exercise, level: Level, dose: CurrentDose | None, easier: tuple[Level, ...]
) -> Choice:
    if dose is not None and dose.level == level.slug:
        return Choice(ex, level, dose.prescription, tuple(dose.rules), True, easier)
    return Choice(ex, level, level.prescription, (), dose is not None, easier)


def _moved(ex: Exercise, level: Level, target: int) -> str:
    if ex.levels[target].slug == level.slug:
        return ""
    return f"{ex.name} uses the level “{level.name}”: the equipment for a higher one is missing."
