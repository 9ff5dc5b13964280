"""A week at a glance (seven days, each with its run and its strength session), and the
weekly counts and daily pain the charts show.

The run is the one that happened when there is one, else the one the weekly pattern plans;
a race date is named as a race. The strength session is the plan's, marked done when a
session is logged that day. Every page that shows a week (the plan, Today) reads this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kneecap.application import cache
from kneecap.application.catalog import catalog_for
from kneecap.application.plans import plan_for, runs_for
from kneecap.application.runner import monday, onboarded
from kneecap.core.planning import Session
from kneecap.core.planning.calendar import Calendar
from kneecap.core.planning.model import DayRun
from kneecap.core.profile import Priority, parse_profile
from kneecap.db.accounts.users import User
from kneecap.db.training.models import ExerciseLog, MorningCheckin, PlannedSession, SessionLog

# What a race's priority means to the plan, in words (rules 1, 27, 31).
PRIORITY_WORDS = {
    Priority.A: (
        "A race: your goal race. Strength work tapers the week before, stays light and "
        "familiar in the last days, and stops on race day."
    ),
    Priority.B: (
        "B race: a race that matters but is not the goal. Its week keeps strength work "
        "at a maintenance dose, with no session on race day."
    ),
    Priority.C: (
        "C race: a race run as training. Its week keeps strength work at a maintenance "
        "dose, with no session on race day."
    ),
}


@dataclass(frozen=True, slots=True)
class Picture:
    slug: str
    name: str
    picture: str | None  # a static path, or None for an exercise without one


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    planned: DayRun  # what the weekly pattern plans
    actual: DayRun | None  # the run(s) that happened, when any did
    race: Priority | None
    session: Session | None  # the plan's strength session
    exercises: tuple[Picture, ...]
    logged: bool  # a strength session is logged on this day
    today: bool
    past: bool

    @property
    def run(self) -> DayRun:
        """The run to show: the one that happened, else the planned one."""
        return self.actual if self.actual is not None else self.planned

    @property
    def rest(self) -> bool:
        return self.run.is_rest and self.session is None and self.race is None

    @property
    def race_words(self) -> str:
        return PRIORITY_WORDS[self.race] if self.race else ""


def week_for(user: User, today: date, start: date | None = None) -> list[Day] | None:
    """The seven days from ``start`` (this week's Monday by default); None before onboarding."""
    first = start or monday(today)
    return days_between(user, today, first, first + timedelta(days=6))


def days_between(user: User, today: date, first: date, last: date) -> list[Day] | None:
    """Each day from ``first`` to ``last``; None before onboarding. Strength sessions come
    from the plan, which starts this week: earlier days show only what was logged."""
    kind = f"days-{first.isoformat()}-{last.isoformat()}"
    return cache.kept(user, kind, today, lambda: _days(user, today, first, last))


def _days(user: User, today: date, first: date, last: date) -> list[Day] | None:
    stored = onboarded(user)
    if stored is None:
        return None
    profile = parse_profile({**stored.data, "start_date": first.isoformat()})
    calendar = Calendar.build(profile, [r for r in runs_for(user, first) if r.date <= last])
    sessions: dict[date, Session] = {}
    if last >= monday(today):
        plan = plan_for(user, today, weeks=(last - monday(today)).days // 7 + 1)
        sessions = {s.date: s for s in plan.sessions()} if plan is not None else {}
    logged = set(
        SessionLog.objects.filter(owner=user, date__range=(first, last)).values_list(
            "date", flat=True
        )
    )
    catalog = catalog_for(user)
    out: list[Day] = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        pattern = profile.run_on(day.weekday())
        session = sessions.get(day)
        items = session.items if session else ()
        out.append(
            Day(
                day=day,
                planned=DayRun(pattern.kind, pattern.minutes),
                actual=calendar.actual.get(day),
                race=calendar.races.get(day),
                session=session,
                exercises=tuple(
                    Picture(
                        it.exercise, catalog.get(it.exercise).name, catalog.get(it.exercise).picture
                    )
                    for it in items
                    if it.exercise in catalog
                ),
                logged=day in logged,
                today=day == today,
                past=day < today,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class RaceAhead:
    day: date
    priority: Priority
    words: str
    distance_km: float | None


def races_ahead(user: User, today: date) -> list[RaceAhead]:
    """The runner's races from today on, with what their priority means."""
    stored = onboarded(user)
    if stored is None:
        return []
    profile = parse_profile({**stored.data, "start_date": today.isoformat()})
    return [
        RaceAhead(r.date, r.priority, PRIORITY_WORDS[r.priority], r.distance_km)
        for r in sorted(profile.races, key=lambda r: r.date)
        if r.date >= today
    ]


@dataclass(frozen=True, slots=True)
class WeekCount:
    start: date  # the week's Monday
    planned: int  # strength sessions planned
    done: int  # strength sessions logged


def strength_weeks(user: User, today: date, weeks: int) -> list[WeekCount]:
    """Strength sessions planned and done in each of the last ``weeks`` weeks, this one
    included: planned from the stored snapshots for days passed, from the plan from today."""
    first = monday(today) - timedelta(weeks=weeks - 1)
    last = monday(today) + timedelta(days=6)
    planned: dict[date, int] = {}
    for day in PlannedSession.objects.filter(
        owner=user, date__range=(first, today - timedelta(days=1))
    ).values_list("date", flat=True):
        planned[monday(day)] = planned.get(monday(day), 0) + 1
    plan = plan_for(user, today, weeks=1)
    for session in plan.sessions() if plan is not None else ():
        if session.date >= today:
            planned[monday(session.date)] = planned.get(monday(session.date), 0) + 1
    done: dict[date, int] = {}
    for day in SessionLog.objects.filter(owner=user, date__range=(first, last)).values_list(
        "date", flat=True
    ):
        done[monday(day)] = done.get(monday(day), 0) + 1
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    return [WeekCount(s, planned.get(s, 0), done.get(s, 0)) for s in starts]


@dataclass(frozen=True, slots=True)
class PainDay:
    day: date
    during: int | None  # the highest pain during any exercise that day
    morning: int | None  # the morning check-in's pain


def pain_days(user: User, first: date, last: date) -> list[PainDay]:
    """Each day from ``first`` to ``last`` with the pain the runner recorded, if any."""
    during: dict[date, int] = {}
    for day, pain in ExerciseLog.objects.filter(
        session__owner=user, session__date__range=(first, last), pain_during__isnull=False
    ).values_list("session__date", "pain_during"):
        during[day] = max(during.get(day, 0), pain or 0)
    morning = dict(
        MorningCheckin.objects.filter(owner=user, date__range=(first, last)).values_list(
            "date", "pain"
        )
    )
    return [
        PainDay(d, during.get(d), morning.get(d))
        for d in (first + timedelta(days=i) for i in range((last - first).days + 1))
    ]
