"""Every number the progression engine uses, with the rule of the evidence brief it encodes.

The pain thresholds come from supervised rehab (brief §2.1), so they are settings, not
constants: a clinician may want a stricter gate.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProgressionConfig:
    # Pain gate (brief §2.2)
    green_max: int = 2  # rule 14: during ≤ 2 may progress
    amber_max: int = 5  # rules 15, 16: during 3–5 holds; above 5 is RED
    morning_tolerance: int = 0  # rule 17: next morning may exceed the baseline by this much
    trend_days: int = 7  # rule 18: compare 7-day mean morning pain/stiffness week to week
    escalate_days: int = 21  # rule 19: no improvement in about 3 weeks → see a clinician
    alert_pain_above: int = 7  # rule 38: pain above 7 asks for the safety questions again
    alert_days: int = 7  # rule 38: alerts look back this far from the as-of date

    # Progression (brief §1)
    confirm_sessions: int = 2  # rules 6 and §1.5: sessions at the top before load or level
    load_step_pct: float = 5.0  # rule 7: +5 % by default…
    load_step_min_pct: float = 2.5  # rule 7: …clamped to 2.5–10 %
    load_step_max_pct: float = 10.0
    load_round_kg: float = 0.5  # rule 7: rounded to equipment when the clamp allows
    max_rep_step: int = 2  # rule 6 / brief §7.2: +1–2 reps a session
    hold_step_max_s: float = 5.0  # rule 10: +5 s a session…
    short_hold_s: float = 30.0  # rule 10: …holds up to 30 s may grow by…
    short_hold_step_max_s: float = 10.0  # rule 10: …up to 10 s
    distance_step_max_pct: float = 10.0  # rule 11: about 10 % more distance…
    distance_step_days: int = 7  # rule 11: …once a week, volume or intensity, never both
    sled_rpe_max: float = 6.0  # brief §7.3: load steps on drills after effort ≤ 6/10
    effort_hold_rpe: float = 9.0  # rules 9, 12: effort 9/10 or more holds the dose

    # Reductions
    regress_volume: float = 0.8  # rule 17: −20 % volume
    regress_load: float = 0.9  # rule 12: −10 % load
    deload_sets: float = 0.6  # rule 29: sets −40 %, load kept
    deload_every_weeks: int = 4  # rule 29: every 4th week of the program
    new_exercise: float = 0.5  # rule 32: first exposure at about half the volume

    # Return after a gap (rule 33)
    gap_resume_below_days: int = 14
    gap_long_from_days: int = 28
    gap_short_ramp: tuple[float, ...] = (0.5, 0.7)
    gap_long_ramp: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9)

    # Running context
    race_hold_days: int = 10  # rules 1, 31: no progression in the last 10 days before a race
    race_no_new_level_days: int = 14  # rule 31: nothing new within 14 days of a race
    # rule 27: no step up closer to a long run than the planner's buffer for its stress class


DEFAULT_CONFIG = ProgressionConfig()
