"""Every number of the evidence brief's rules that kneecap applies, each one setting.

The pain gate, the progression steps, the reductions, the planner's limits and the load
view's thresholds are all fields of :class:`Rules`; each field names the brief's rule
(``../shared/docs/domain-evidence.md`` §8) and says in one line what it means, and the docs'
tables are written from these definitions (``rules_table``). The numbers come from
supervised rehab and from product defaults (brief §2.1, §8), so they are settings, not
constants: an instance may change them in a TOML file (``load_rules``), and a coach or
physiotherapist linked to a runner may change a few for that runner
(``with_runner_overrides``). Every explanation kneecap writes uses the numbers in force.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kneecap.core.catalog.model import Stress


class RulesError(ValueError):
    """A rules file or a runner's settings that cannot be used; ``key`` says which value."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key, self.problem = key, problem


@dataclass(frozen=True, slots=True)
class Setting:
    """What a field of :class:`Rules` is: its file section, rule, meaning and bounds."""

    section: str
    rules: str  # the brief's rule numbers, e.g. "15, 16" or "11, §7.3"
    meaning: str
    lo: float
    hi: float
    runner: bool = False  # a linked coach or physiotherapist may set it for one runner


# The sections of a rules file, and where each one's table is documented.
SECTIONS = {
    "pain": "docs/progression.md",
    "progression": "docs/progression.md",
    "reductions": "docs/progression.md",
    "return": "docs/progression.md",
    "race": "docs/planning.md",
    "planner": "docs/planning.md",
    "load": "docs/load.md",
}


def _section(name: str) -> Any:
    """The field maker of one section: (default, rules, (lo, hi), meaning)."""

    def make(
        default: Any, rules: str, bounds: tuple[float, float], meaning: str, runner: bool = False
    ) -> Any:
        setting = Setting(name, rules, meaning, bounds[0], bounds[1], runner)
        return field(default=default, metadata={"setting": setting})

    return make


_pain, _progression, _reductions = _section("pain"), _section("progression"), _section("reductions")
_return, _race, _planner, _load = (
    _section("return"),
    _section("race"),
    _section("planner"),
    _section("load"),
)
_RUNNER = True  # a setting a linked coach or physiotherapist may change for one runner


@dataclass(frozen=True, slots=True)
class Rules:
    # pain (brief §2.2)
    green_max: int = _pain(
        2, "14", (0, 9), "green ceiling: pain during at or below it lets the dose grow", _RUNNER
    )
    amber_max: int = _pain(
        5, "15, 16", (1, 10), "pain ceiling: pain during above it is red; up to it, amber", _RUNNER
    )
    morning_tolerance: int = _pain(
        0, "17", (0, 5), "the next morning may exceed the usual rating by this"
    )
    trend_days: int = _pain(
        7, "18", (3, 28), "days in each window of mean morning pain and stiffness"
    )
    trend_refer_windows: int = _pain(
        2, "19", (2, 8), "windows of rising morning ratings in a row: see a clinician"
    )
    escalate_days: int = _pain(
        21, "19", (7, 90), "days of painful sessions, no better, before a referral"
    )
    alert_pain_above: int = _pain(
        7, "38", (1, 10), "pain above it asks for the safety questions again"
    )
    alert_days: int = _pain(7, "38", (1, 60), "days the alerts look back")

    # progression (brief §1)
    confirm_sessions: int = _progression(
        2, "6", (1, 10), "green sessions at the top before load or a level"
    )
    max_rep_step: int = _progression(2, "6, §7.2", (1, 10), "most reps added in one step", _RUNNER)
    load_step_pct: float = _progression(5.0, "7", (0.5, 50), "load step, % of the load", _RUNNER)
    load_step_min_pct: float = _progression(2.5, "7", (0.5, 50), "smallest load step, %")
    load_step_max_pct: float = _progression(10.0, "7", (0.5, 50), "largest load step, %")
    load_round_kg: float = _progression(
        0.5, "7", (0.1, 5), "loads round to this where the band allows"
    )
    hold_step_max_s: float = _progression(
        5.0, "10", (1, 60), "most seconds added to a hold", _RUNNER
    )
    short_hold_s: float = _progression(30.0, "10", (0, 600), "holds up to this long are short")
    short_hold_step_max_s: float = _progression(
        10.0, "10", (1, 60), "most seconds added to a short hold", _RUNNER
    )
    distance_step_max_pct: float = _progression(
        10.0, "11", (1, 50), "most distance added to a drill, %", _RUNNER
    )
    distance_step_days: int = _progression(7, "11", (1, 28), "days between two steps of a drill")
    sled_rpe_max: float = _progression(
        6.0, "11, §7.3", (0, 10), "a drill's load grows only at this effort or less"
    )
    effort_hold_rpe: float = _progression(
        9.0, "9, 12", (1, 10), "effort at or above it holds the dose"
    )
    short_sets: int = _progression(
        2, "12", (1, 10), "sets under the level's first reps that make a session short"
    )
    short_sessions: int = _progression(
        2, "12", (1, 10), "short sessions in a row that lighten the work"
    )

    # reductions
    regress_volume: float = _reductions(
        0.8, "17", (0.1, 1), "share of the volume kept after red pain"
    )
    regress_load: float = _reductions(
        0.9, "12", (0.1, 1), "share of the load kept after short sessions"
    )
    deload_sets: float = _reductions(
        0.6,
        "29",
        (0.1, 0.9),
        "deload share: the share of sets, and of a week's work, kept",
        _RUNNER,
    )
    deload_every_weeks: int = _reductions(
        4, "29", (2, 12), "every this many weeks is a deload week"
    )
    new_exercise: float = _reductions(
        0.5, "32", (0.1, 1), "share of the volume a new exercise starts at"
    )

    # return after a gap (rule 33)
    gap_resume_below_days: int = _return(14, "33", (1, 90), "a shorter gap resumes as it was")
    gap_long_from_days: int = _return(28, "33", (2, 365), "a gap this long or longer is a long one")
    gap_short_ramp: tuple[float, ...] = _return(
        (0.5, 0.7), "33", (0.1, 1), "volume share by week after a short gap"
    )
    gap_long_ramp: tuple[float, ...] = _return(
        (0.5, 0.7, 0.8, 0.9), "33", (0.1, 1), "volume share by week after a long gap (a level down)"
    )

    # races (rules 1, 31)
    race_light_days: int = _race(
        10, "1, 31", (0, 28), "light days before an A race: low stress, no step up"
    )
    race_light_sessions: int = _race(1, "1", (0, 3), "sessions at most in those light days")
    race_light_share: float = _race(
        0.5, "31", (0.1, 1), "share of the volume at most in those days"
    )
    race_no_new_days: int = _race(14, "31", (0, 42), "days before an A race with nothing new")

    # the planner (rules 1, 2, 26, 27)
    week_sessions: int = _planner(2, "1", (0, 7), "sessions at most in a week without a race")
    race_week_sessions: int = _planner(1, "1", (0, 7), "sessions at most in a week holding a race")
    min_gap_days: int = _planner(
        2, "2", (1, 7), "calendar days at least between sessions (2: 48 h)"
    )
    run_gap_hours: int = _planner(3, "26", (0, 24), "hours at least from the day's run to strength")
    long_run_limit_min: int = _planner(
        90, "27", (30, 600), "no strength on a day with a run over this, min"
    )
    buffer_high_days: int = _planner(3, "27", (1, 7), "days from a high-stress item to a key run")
    buffer_moderate_days: int = _planner(2, "27", (1, 7), "days from a moderate item to a key run")
    buffer_low_days: int = _planner(1, "27", (0, 7), "days from a low-stress item to a key run")

    # the load view (rules 21, 22, 24)
    spike_window_days: int = _load(
        30, "21", (7, 90), "a run is compared with the longest of these days"
    )
    spike_caution_pct: float = _load(10.0, "21", (1, 500), "this much longer (%) is a caution")
    spike_warning_pct: float = _load(30.0, "21", (1, 500), "…a warning: progressions wait")
    spike_strong_pct: float = _load(100.0, "21", (1, 1000), "…a strong spike")
    spike_buffer_days: int = _load(
        2, "21, 27", (0, 7), "days high-stress items keep clear of a warning"
    )
    weekly_highlight_pct: float = _load(
        30.0, "22", (1, 500), "a weekly rise above this (%) is pointed out"
    )
    acute_days: int = _load(7, "24", (2, 28), "acute load's EWMA span, days: λ = 2/(N+1)")
    chronic_days: int = _load(28, "24", (7, 90), "chronic load's EWMA span, days")
    trend_min_days: int = _load(28, "24", (7, 120), "days of data before the trend is shown")

    # --- derived --------------------------------------------------------------------------

    @property
    def acute_lambda(self) -> float:
        return 2 / (self.acute_days + 1)

    @property
    def chronic_lambda(self) -> float:
        return 2 / (self.chronic_days + 1)

    def buffer_days(self, stress: Stress) -> int:
        """rule 27: days at least from an item of this stress class to the next key run."""
        if stress is Stress.HIGH:
            return self.buffer_high_days
        if stress is Stress.MODERATE:
            return self.buffer_moderate_days
        return self.buffer_low_days


DEFAULT_RULES = Rules()
_SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(Rules)}
_TYPES: dict[str, type] = {
    f.name: type(f.default) for f in fields(Rules) if f.default is not MISSING
}
RUNNER_KEYS = tuple(name for name, s in _SETTINGS.items() if s.runner)


def settings(section: str | None = None) -> tuple[tuple[str, Setting], ...]:
    """The fields of :class:`Rules` in order (of one section), with what they are."""
    return tuple((n, s) for n, s in _SETTINGS.items() if section in (None, s.section))


# --- reading a rules file and a runner's settings -------------------------------------------


def load_rules(source: str | Mapping[str, Any], base: Rules = DEFAULT_RULES) -> Rules:
    """``base`` with the values of a rules file (TOML text, or its parsed tables), checked.

    Each section is a table (``[pain]``, ``[progression]``…); a key left out keeps its value.
    Raises :class:`RulesError` naming the key (``pain.green_max``) and the problem.
    """
    data = _toml(source) if isinstance(source, str) else source
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SECTIONS:
            raise RulesError(section, f"unknown section (one of {', '.join(SECTIONS)})")
        if not isinstance(table, Mapping):
            raise RulesError(section, "expected a table of settings")
        for key, value in table.items():
            where = f"{section}.{key}"
            if key not in _SETTINGS or _SETTINGS[key].section != section:
                raise RulesError(where, "unknown key")
            values[key] = _value(where, key, value)
    return _consistent(replace(base, **values), set(values))


def load_rules_file(path: Path, base: Rules = DEFAULT_RULES) -> Rules:
    """The rules of a TOML file; the error names the file as well as the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError("", f"cannot read {path}: {exc}") from None
    try:
        return load_rules(text, base)
    except RulesError as exc:
        raise RulesError(exc.key, f"{exc.problem} (in {path})") from None


def with_runner_overrides(rules: Rules, overrides: Mapping[str, Any]) -> Rules:
    """``rules`` with one runner's settings, as a linked coach or physiotherapist set them.

    Only the pain ceiling (``amber_max``), the green ceiling (``green_max``), the
    progression steps and the deload share may be set per runner.
    """
    values: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in _SETTINGS:
            raise RulesError(key, "unknown key")
        if not _SETTINGS[key].runner:
            raise RulesError(key, f"not a per-runner setting (one of {', '.join(RUNNER_KEYS)})")
        values[key] = _value(key, key, value)
    return _consistent(replace(rules, **values), set(values), sections=False)


def _toml(text: str) -> Mapping[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError("", f"not valid TOML: {exc}") from None


def _value(where: str, key: str, value: Any) -> Any:
    kind, setting = _TYPES[key], _SETTINGS[key]
    if kind is tuple:
        if not isinstance(value, list | tuple) or not value or len(value) > 8:
            raise RulesError(where, "expected a list of 1 to 8 numbers")
        return tuple(_number(f"{where}[{i}]", v, setting, whole=False) for i, v in enumerate(value))
    return _number(where, value, setting, whole=kind is int)


def _number(where: str, value: Any, setting: Setting, *, whole: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(
            where, f"expected a {'whole number' if whole else 'number'}, got {value!r}"
        )
    if whole and not isinstance(value, int):
        raise RulesError(where, f"expected a whole number, got {value!r}")
    if not setting.lo <= value <= setting.hi:
        raise RulesError(where, f"{value:g} is outside {setting.lo:g}–{setting.hi:g}")
    return value if whole else float(value)


# (smaller, larger, what): the first must stay below the second (or at most it, for "≤").
_ORDER = (
    ("green_max", "amber_max", "<"),
    ("amber_max", "alert_pain_above", "≤"),
    ("load_step_min_pct", "load_step_pct", "≤"),
    ("load_step_pct", "load_step_max_pct", "≤"),
    ("gap_resume_below_days", "gap_long_from_days", "≤"),
    ("race_light_days", "race_no_new_days", "≤"),
    ("spike_caution_pct", "spike_warning_pct", "<"),
    ("spike_warning_pct", "spike_strong_pct", "<"),
    ("acute_days", "chronic_days", "<"),
    ("buffer_low_days", "buffer_moderate_days", "≤"),
    ("buffer_moderate_days", "buffer_high_days", "≤"),
)


def _consistent(rules: Rules, given: set[str], *, sections: bool = True) -> Rules:
    """Refuse pairs that contradict each other, naming a key that was given."""
    for low, high, how in _ORDER:
        a, b = getattr(rules, low), getattr(rules, high)
        if a < b or (how == "≤" and a == b):
            continue
        key = low if low in given or high not in given else high
        other = high if key == low else low
        word = (
            ("below" if how == "<" else "at most")
            if key == low
            else ("above" if how == "<" else "at least")
        )
        raise RulesError(
            _named(key, sections),
            f"must be {word} {_named(other, sections)} ({getattr(rules, other):g})",
        )
    return rules


def _named(key: str, sections: bool) -> str:
    return f"{_SETTINGS[key].section}.{key}" if sections else key


# --- the docs' tables -------------------------------------------------------------------


def rules_table(section: str) -> str:
    """The Markdown table of one section's settings, as the docs show it."""
    lines = ["| key | default | range | rules | meaning |", "|---|---|---|---|---|"]
    for name, s in settings(section):
        value, who = _show(getattr(DEFAULT_RULES, name)), " (per runner)" if s.runner else ""
        bounds = f"{s.lo:g}–{s.hi:g}"
        lines.append(f"| `{name}` | {value} | {bounds} | {s.rules} | {s.meaning}{who} |")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}"


# --- numbers in words, for the explanations ---------------------------------------------


def pct(share: float) -> int:
    """A share as whole percent: 0.6 → 60."""
    return round(share * 100)


def less_pct(share: float) -> int:
    """The cut a kept share makes, in whole percent: 0.6 kept → 40 (% fewer)."""
    return round((1 - share) * 100)


def share(part: float) -> str:
    """ "half" for 0.5, else "60 %": "about half of 3 × 10"."""
    return "half" if part == 0.5 else f"{pct(part)} %"


def share_of(part: float, what: str) -> str:
    """ "half the volume", or "60 % of the volume"."""
    return f"half {what}" if part == 0.5 else f"{pct(part)} % of {what}"


def hours(days: int) -> str:
    """Calendar days between sessions as the hours the brief counts: 2 → "48 h"."""
    return f"{days * 24} h"


def ordinal(n: int) -> str:
    """4 → "4th", 2 → "2nd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def in_words(n: int) -> str:
    """Small counts in words ("two"), larger ones as digits."""
    names = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return names[n] if 0 <= n < len(names) else str(n)
