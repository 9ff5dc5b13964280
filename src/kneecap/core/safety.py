"""The one safety gate: may this runner do this exercise (this leg, this level) today?

Every door asks it (Today and its on-demand picker, the guided save, the API, ``kneecap
session``, the plan and its exports) and gets the same answer: yes, yes for one leg only, or
no with the reason and what to do, in the words of evidence brief §6.7 (a reason and an
action, never a diagnosis). It says no:

- while an urgent answer stands (rules 35, 36): nothing until the runner has been seen;
- after a rule-38 trigger (pain above 7, pain above 5 during the same exercise on two
  sessions, new swelling, a twist or fall, a run stopped for pain) until the runner answers
  the safety questions again;
- for the paused leg after a see-soon answer (rule 37);
- for high-stress, deep knee-bend and loaded knee work within 7 days of a knee injury, and
  after that until the runner confirms the knee is settling (§6.2: a negative screen never
  clears an injury);
- for loaded and deep knee-bend work after a knee-history answer, until cleared (§6.1);
- for an exercise the engine paused or referred to a clinician (rule 19).

A coach or physio linked to the runner can clear a pause with a note (``Clearance``); an
urgent answer is cleared only by the runner's own new answers after being examined.
Triggers, answers and clearances are events with the time they were recorded, so the order
of what happened decides, never the dates a runner typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from kneecap.core.catalog.model import Equipment, Exercise, Level, Stress
from kneecap.core.log import Checkin, RunLog, SessionLog, TrainingLog
from kneecap.core.planning.model import Blocked, Plan
from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.model import Action, Decision
from kneecap.core.screening import (
    ACUTE_GATE,
    KNEE_CLEARED,
    QUESTIONS,
    Group,
    Leg,
    ScreeningResult,
    assess,
)

INJURY_DAYS = 7  # §6.2: the Ottawa questions are about the 7 days after an injury
# §6.1: the deep knee-bend drills; loaded levels are those with a load or load equipment
DEEP_FLEXION = frozenset({"knees-to-floor", "deep-squat-hold"})
LOAD_EQUIPMENT = frozenset({Equipment.DUMBBELLS, Equipment.SLED})
REST_TODAY = "Today: rest the knee; other training can go on if it is pain-free."


class Stop(StrEnum):
    URGENT = "urgent"  # rules 35, 36
    RESCREEN = "rescreen"  # rule 38
    LEG = "leg"  # rule 37
    RECENT_INJURY = "recent-injury"  # §6.2
    KNEE_HISTORY = "knee-history"  # §6.1
    REFERRED = "referred"  # rule 19
    PAUSED = "paused"  # the engine or a pin paused it


@dataclass(frozen=True, slots=True)
class Reason:
    stop: Stop
    reason: str  # what kneecap knows, in plain words
    action: str  # what to do (§6.7)
    rules: tuple[int, ...]

    def text(self) -> str:
        return f"{self.reason} {self.action}"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The gate's answer for one exercise today."""

    reasons: tuple[Reason, ...] = ()
    side: Leg | None = None  # only this leg may be trained (rule 37)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    def text(self) -> str:
        return " ".join(r.text() for r in self.reasons)


# --- what happened -------------------------------------------------------------------------


class EventKind(StrEnum):
    TRIGGER = "trigger"  # a rule-38 trigger was logged
    ANSWERED = "answered"  # the runner answered the safety questions
    CLEARED = "cleared"  # a linked coach or physio cleared a pause, with a note
    SETTLING = "settling"  # the runner confirmed a recent knee injury is settling


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    kind: EventKind
    key: str = ""  # a trigger's identity; a clearance's scope
    text: str = ""  # what happened, in words
    by: str = ""  # who cleared it
    note: str = ""
    answers: Mapping[str, bool] = field(default_factory=dict)  # ANSWERED: the answers given


@dataclass(frozen=True, slots=True)
class Trigger:
    """A rule-38 trigger: what was logged, on which day."""

    key: str  # stable: the same trigger found again is not a new one
    day: date
    text: str


def triggers(
    log: TrainingLog,
    runs: Iterable[RunLog],
    name: Callable[[str], str],
    today: date,
    cfg: ProgressionConfig = DEFAULT_CONFIG,
) -> tuple[Trigger, ...]:
    """Rule 38's triggers in the last ``cfg.alert_days`` days: pain above
    ``cfg.alert_pain_above``, pain above ``cfg.amber_max`` during the same exercise on two
    sessions in a row, new swelling, a twist or fell, a run stopped for pain."""
    since = today - timedelta(days=cfg.alert_days)
    found = [
        *(t for s in log.sessions if s.date >= since for t in _in_session(s, name, cfg)),
        *(t for c in log.checkins if c.date >= since for t in _in_checkin(c, cfg)),
        *_red_twice(log, since, name, cfg),
        *(
            Trigger(f"run-stopped:{r.date}", r.date, f"a run stopped for pain on {r.date}")
            for r in runs
            if r.stopped_for_pain and r.date >= since
        ),
    ]
    return tuple({t.key: t for t in found}.values())


def _in_session(s: SessionLog, name: Callable[[str], str], cfg: ProgressionConfig) -> list[Trigger]:
    day, high = s.date.isoformat(), cfg.alert_pain_above
    out = [
        Trigger(
            f"pain-during:{day}:{e.exercise}",
            s.date,
            f"knee pain {e.knee_pain}/10 during {name(e.exercise)} on {day}",
        )
        for e in s.exercises
        if e.knee_pain is not None and e.knee_pain > high
    ]
    after = s.knee(s.pain_after)
    if after is not None and after > high:
        out.append(
            Trigger(f"pain-after:{day}", s.date, f"knee pain {after}/10 after the session on {day}")
        )
    if s.swelling:
        out.append(Trigger(f"swelling:{day}", s.date, f"new swelling on {day}"))
    if s.twisted_or_fell:
        out.append(Trigger(f"twist:{day}", s.date, f"a twist or fall on {day}"))
    return out


def _in_checkin(c: Checkin, cfg: ProgressionConfig) -> list[Trigger]:
    day, out = c.date.isoformat(), []
    if c.knee_pain is not None and c.knee_pain > cfg.alert_pain_above:
        out.append(
            Trigger(
                f"pain-morning:{day}", c.date, f"knee pain {c.knee_pain}/10 on the morning of {day}"
            )
        )
    if c.swelling:
        out.append(
            Trigger(f"swelling-morning:{day}", c.date, f"a swollen knee on the morning of {day}")
        )
    return out


def _red_twice(
    log: TrainingLog, since: date, name: Callable[[str], str], cfg: ProgressionConfig
) -> list[Trigger]:
    """Pain above the ceiling during the same exercise on its last two sessions (rule 38)."""
    last: dict[str, list[tuple[date, int | None]]] = {}
    for s in log.sessions:
        for e in s.exercises:
            last.setdefault(e.exercise, []).append((s.date, e.knee_pain))
    out = []
    for slug, done in last.items():
        two = done[-2:]
        red = [d for d, p in two if p is not None and p > cfg.amber_max]
        if len(two) == 2 and len(red) == 2 and red[-1] >= since:
            days = " and ".join(d.isoformat() for d in red)
            text = f"pain above {cfg.amber_max}/10 during {name(slug)} on {days}"
            out.append(Trigger(f"red-twice:{slug}:{red[-1].isoformat()}", red[-1], text))
    return out


# --- the state of the gate -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gate:
    """Everything the gate knows about one runner today."""

    today: date
    screening: ScreeningResult
    open_triggers: tuple[Event, ...] = ()  # rule 38: since the questions were last answered
    injury_on: date | None = None  # §6.2: the day a recent injury was reported
    cleared: frozenset[str] = frozenset()  # scopes cleared by a coach or physio since
    decisions: Mapping[str, Decision] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        answers: Mapping[str, bool],
        events: Iterable[Event],
        decisions: Iterable[Decision],
        today: date,
    ) -> Gate:
        events = sorted(events, key=lambda e: e.at)
        answered = [e for e in events if e.kind is EventKind.ANSWERED]
        last = answered[-1].at if answered else None
        live = [e for e in events if last is None or e.at > last]
        cleared = {e.key for e in live if e.kind is EventKind.CLEARED}
        open_triggers = tuple(
            e
            for e in live
            if e.kind is EventKind.TRIGGER
            and not any(
                c.kind is EventKind.CLEARED and c.key == "rescreen" and c.at > e.at for c in live
            )
        )
        return cls(
            today=today,
            screening=assess(answers),
            open_triggers=open_triggers,
            injury_on=_injury_on(answers, events, today),
            cleared=frozenset(cleared),
            decisions={d.exercise: d for d in decisions},
        )

    def closed(self) -> tuple[Reason, ...]:
        """What stops the whole knee program today (an urgent answer, a rule-38 trigger)."""
        out = []
        blocked = self.screening.blocked
        if blocked is not None:
            out.append(Reason(Stop.URGENT, blocked.reason, blocked.action, (35, 36)))
        if self.open_triggers and "rescreen" not in self.cleared:
            what = "; ".join(e.text for e in self.open_triggers)
            reason = f"Since you last answered the safety questions you logged {what}."
            action = (
                "Please answer the safety questions again before your next knee session; "
                "they may advise seeing a doctor or physiotherapist. " + REST_TODAY
            )
            out.append(Reason(Stop.RESCREEN, reason, action, (38,)))
        return tuple(out)

    def check(self, exercise: Exercise, level: Level, side: Leg | None = None) -> Verdict:
        """May the runner do ``exercise`` at ``level`` today (on ``side``, for one leg)?"""
        reasons = list(self.closed())
        legs, only = self._legs(exercise, side)
        reasons.extend(legs)
        reasons.extend(self._knee_rules(exercise, level))
        reasons.extend(self._engine(exercise))
        return Verdict(tuple(reasons), only)

    def _legs(self, exercise: Exercise, side: Leg | None) -> tuple[list[Reason], Leg | None]:
        """rule 37: a paused leg stops two-leg work and leaves per-side work to the other."""
        cleared = {leg for leg in Leg if f"leg:{leg.value}" in self.cleared}
        paused = set(self.screening.paused_legs) - cleared
        if not paused:
            return [], None
        words = next(
            a
            for a in self.screening.advice
            if a.group is Group.SEE_SOON and (a.leg is None or a.leg in paused)
        )
        stop = Reason(Stop.LEG, words.reason, words.action, (37,))
        if len(paused) == 2 or not exercise.per_side:
            return [stop], None
        (other,) = set(Leg) - paused
        return ([stop] if side is not None and side is not other else []), other

    def _knee_rules(self, exercise: Exercise, level: Level) -> list[Reason]:
        if exercise.module != "knee":
            return []
        deep = exercise.slug in DEEP_FLEXION
        loaded = bool(exercise.level_equipment(level) & LOAD_EQUIPMENT) or bool(
            level.prescription.load_kg
        )
        out = []
        if self.injury_on is not None and "recent-injury" not in self.cleared:
            high = exercise.level_stress(level) is Stress.HIGH
            if deep or loaded or high:
                until = self.injury_on + timedelta(days=INJURY_DAYS)
                waits = (
                    f"until {until.isoformat()}, and then until you confirm it is settling"
                    if self.today < until
                    else "until you confirm it is settling"
                )
                reason = (
                    f"You reported hurting a knee on or shortly before {self.injury_on}; a "
                    "screen with no warning sign does not rule out an injury."
                )
                action = (
                    f"High-stress, deep knee-bend and loaded knee exercises wait {waits}. If it "
                    "swells, locks, gives way or you cannot walk on it, have it checked."
                )
                out.append(Reason(Stop.RECENT_INJURY, reason, action, (35,)))
        if (
            self.screening.restrict_knee_loading
            and "knee-history" not in self.cleared
            and (deep or loaded)
        ):
            knee = next(a for a in self.screening.advice if a.group is Group.KNEE_HISTORY)
            out.append(Reason(Stop.KNEE_HISTORY, knee.reason, knee.action, (34,)))
        return out

    def _engine(self, exercise: Exercise) -> list[Reason]:
        decision = self.decisions.get(exercise.slug)
        if decision is None or f"exercise:{exercise.slug}" in self.cleared:
            return []
        if decision.action is Action.REFER:
            reason = f"{exercise.name}: " + decision.why[0]
            return [Reason(Stop.REFERRED, reason, REST_TODAY, (19,))]
        if (
            decision.action is Action.PAUSE
            and decision.prescription is None
            and decision.side is None
        ):
            return [
                Reason(
                    Stop.PAUSED, f"{exercise.name}: " + " ".join(decision.why), "", decision.rules
                )
            ]
        return []

    def may_settle(self) -> bool:
        """Whether the runner may now confirm a recent injury is settling (§6.2)."""
        return self.injury_on is not None and self.today >= self.injury_on + timedelta(
            days=INJURY_DAYS
        )


def _injury_on(answers: Mapping[str, bool], events: list[Event], today: date) -> date | None:
    """The day the current run of "I hurt a knee in the last 7 days" answers began; today
    when no recorded answer says when (missing data is never good news)."""
    if not answers.get(ACUTE_GATE):
        return None
    since: datetime | None = None
    for e in events:
        if e.kind is EventKind.ANSWERED:
            since = (since or e.at) if e.answers.get(ACUTE_GATE) else None
        elif e.kind is EventKind.SETTLING:
            since = None
    return since.date() if since is not None else today


def gated_plan(plan: Plan, gate: Gate, lookup: Callable[[str], Exercise]) -> Plan:
    """The plan with what the gate does not allow taken out, and why in its warnings; no
    session at all while the whole knee program is stopped."""
    closed = gate.closed()
    if closed:
        first = closed[0]
        notes = tuple(r.text() for r in closed[1:])
        return replace(
            plan,
            weeks=(),
            warnings=(*notes, *plan.warnings),
            blocked=Blocked(first.reason, first.action),
        )
    left_out: dict[str, str] = {}
    weeks = []
    for week in plan.weeks:
        sessions = []
        for session in week.sessions:
            kept = []
            for item in session.items:
                exercise = lookup(item.exercise)
                verdict = gate.check(exercise, exercise.level(item.level), item.side)
                if verdict.allowed:
                    kept.append(item)
                else:
                    left_out.setdefault(exercise.name, verdict.text())
            if kept:
                sessions.append(replace(session, items=tuple(kept)))
        weeks.append(replace(week, sessions=tuple(sessions)))
    notes = tuple(f"{name} is left out: {why}" for name, why in left_out.items())
    return replace(plan, weeks=tuple(weeks), warnings=(*plan.warnings, *notes))


def effective_answers(answers: Mapping[str, bool], gate: Gate) -> dict[str, bool]:
    """The screening answers as the planner should read them once a coach or physio has
    cleared a leg or knee-loading work (the runner's own answers stay as given)."""
    out = dict(answers)
    for leg in Leg:
        if f"leg:{leg.value}" in gate.cleared:
            for q in QUESTIONS:
                if q.group is Group.SEE_SOON and q.leg is leg:
                    out.pop(q.id, None)
    if {f"leg:{leg.value}" for leg in Leg} <= gate.cleared:
        for q in QUESTIONS:
            if q.group is Group.SEE_SOON:
                out.pop(q.id, None)
    if "knee-history" in gate.cleared:
        out[KNEE_CLEARED] = True
    return out


def clearable(gate: Gate, lookup: Callable[[str], Exercise]) -> tuple[tuple[str, str], ...]:
    """What a linked coach or physio may clear now, each scope with its reason in words (an
    urgent answer is not among them: it waits for the runner's own new answers)."""
    out: list[tuple[str, str]] = []
    for reason in gate.closed():
        if reason.stop is Stop.RESCREEN:
            out.append(("rescreen", reason.reason))
    for leg in sorted(gate.screening.paused_legs):
        if f"leg:{leg.value}" not in gate.cleared:
            out.append(
                (f"leg:{leg.value}", f"The program for the {leg.value} leg is paused (rule 37).")
            )
    if gate.injury_on is not None and "recent-injury" not in gate.cleared:
        out.append(("recent-injury", f"A knee injury reported on {gate.injury_on} (§6.2)."))
    if gate.screening.restrict_knee_loading and "knee-history" not in gate.cleared:
        out.append(("knee-history", "Loaded and deep knee-bend work waits for clearance (§6.1)."))
    for slug, decision in gate.decisions.items():
        stopped = decision.action in (Action.REFER, Action.PAUSE) and decision.prescription is None
        if stopped and f"exercise:{slug}" not in gate.cleared:
            out.append((f"exercise:{slug}", f"{lookup(slug).name}: {decision.why[0]}"))
    return tuple(out)
