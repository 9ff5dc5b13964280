"""The training log as core sees it, read from the database.

Rows become core values through each model's ``to_core`` (``kneecap.db.training.models``);
a session's next-morning answers are the check-in of the day after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kneecap.application import cache
from kneecap.application.listing import Listing, bounds
from kneecap.core import log as core
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User
from kneecap.db.training.models import ExerciseLog, MorningCheckin, Pin, SessionLog, SetLog


def training_log(owner: User) -> core.TrainingLog:
    """The whole log with check-ins, pins and the baseline morning pain (kept per version)."""
    return cache.kept(owner, "log", timezone.localdate(), lambda: _read(owner))


def recent_log(owner: User, since: date) -> core.TrainingLog:
    """The sessions and check-ins from ``since`` on (what a write's rule-38 check reads: a
    save must not read years of log)."""
    return _read(owner, since)


HISTORY_PER_PAGE = 30


@dataclass(frozen=True, slots=True)
class HistoryPage:
    listing: Listing[tuple[int, core.SessionLog]]  # each session with its row's id
    top: tuple[core.Checkin, ...]  # the check-ins after every session of the page
    beside: Mapping[date, tuple[core.Checkin, ...]]  # above the session of that day


def history_page(owner: User, number: int) -> HistoryPage:
    """One page of the logged sessions, newest first, with the morning check-ins between
    them (kept per version)."""

    def compute() -> HistoryPage:
        listing = _history(owner, number)
        top, beside = checkins_beside(owner, [s for _, s in listing.rows], listing.number == 1)
        return HistoryPage(listing, tuple(top), {d: tuple(c) for d, c in beside.items()})

    return cache.kept(owner, f"history:{number}", timezone.localdate(), compute)


def _history(owner: User, number: int) -> Listing[tuple[int, core.SessionLog]]:
    sessions = SessionLog.objects.filter(owner=owner)
    total = sessions.count()
    number, pages, offset = bounds(total, HISTORY_PER_PAGE, number)
    found = list(
        sessions.order_by("-date", "-id").values_list("id", *SessionLog.CORE)[
            offset : offset + HISTORY_PER_PAGE
        ]
    )
    entries = _entries({"session_id__in": [pk for pk, *_ in found]})
    rows = tuple(
        (pk, SessionLog.to_core(values, tuple(entries.get(pk, ())))) for pk, *values in found
    )
    return Listing(rows, number, pages, total)


def _entries(where: dict[str, object]) -> dict[int, list[core.ExerciseLog]]:
    """The exercise entries with their sets, by session id, of the sessions ``where`` (a
    filter on the entries' session) picks: two flat queries, no model instances."""
    sets: dict[int, list[core.SetResult]] = {}
    set_rows = SetLog.objects.filter(**{f"exercise__{k}": v for k, v in where.items()}).order_by(
        "position", "id"
    )
    for exercise_id, *values in set_rows.values_list("exercise_id", *SetLog.CORE):
        sets.setdefault(exercise_id, []).append(SetLog.to_core(values))
    entries: dict[int, list[core.ExerciseLog]] = {}
    rows = ExerciseLog.objects.filter(**where).order_by("position", "id")
    for pk, session_id, *values in rows.values_list("id", "session_id", *ExerciseLog.CORE):
        entries.setdefault(session_id, []).append(
            ExerciseLog.to_core(values, tuple(sets.get(pk, ())))
        )
    return entries


def _read(owner: User, since: date | None = None) -> core.TrainingLog:
    """Four flat queries: for years of sessions (thousands of sets) model instances and
    prefetching cost more than the progression engine itself."""
    dated = {} if since is None else {"date__gte": since}
    entries = _entries({"session__owner": owner, **{f"session__{k}": v for k, v in dated.items()}})
    mornings = checkins(owner, since)
    by_day = {c.date: c for c in mornings}
    sessions = SessionLog.objects.filter(owner=owner, **dated).order_by("date", "id")
    log = tuple(
        SessionLog.to_core(values, tuple(entries.get(pk, ())), by_day.get(values[0] + _DAY))
        for pk, *values in sessions.values_list("id", *SessionLog.CORE)
    )
    baseline = RunnerProfile.objects.filter(user=owner).values_list(
        "baseline_morning_pain", flat=True
    )
    pins = tuple(p.to_core() for p in Pin.objects.filter(owner=owner).order_by("id"))
    return core.TrainingLog(log, next(iter(baseline), 0), pins, tuple(mornings))


_DAY = timedelta(days=1)


def checkins(owner: User, since: date | None = None) -> list[core.Checkin]:
    rows = MorningCheckin.objects.filter(owner=owner).order_by("date")
    if since is not None:
        rows = rows.filter(date__gte=since)
    return [MorningCheckin.to_core(v) for v in rows.values_list(*MorningCheckin.CORE)]


def sessions_of(rows: Iterable[SessionLog]) -> list[core.SessionLog]:
    """Stored sessions (with ``exercises__sets`` prefetched) as core values, with the
    check-ins of their next mornings in one query."""
    rows = list(rows)
    if not rows:
        return []
    owner = rows[0].owner_id
    days = {r.date + _DAY for r in rows}
    found = MorningCheckin.objects.filter(owner_id=owner, date__in=days)
    by_day = {c.date: MorningCheckin.to_core(c.values()) for c in found}
    return [
        SessionLog.to_core(
            r.values(),
            tuple(
                ExerciseLog.to_core(
                    e.values(), tuple(SetLog.to_core(s.values()) for s in e.sets.all())
                )
                for e in r.exercises.all()
            ),
            by_day.get(r.date + _DAY),
        )
        for r in rows
    ]


def session_of(row: SessionLog) -> core.SessionLog:
    """One stored session as core sees it."""
    (found,) = sessions_of(SessionLog.objects.filter(pk=row.pk).prefetch_related("exercises__sets"))
    return found


def checkin_due(user: User, today: date) -> bool:
    """Whether yesterday's session still waits for its morning-after check-in."""
    if MorningCheckin.objects.filter(owner=user, date=today).exists():
        return False
    return SessionLog.objects.filter(owner=user, date=today - timedelta(days=1)).exists()


def checkins_beside(
    owner: User, page: list[core.SessionLog], first_page: bool
) -> tuple[list[core.Checkin], dict[date, list[core.Checkin]]]:
    """The check-ins beside a page of history (newest first): each goes above the newest
    session before its morning; those after every session go first (on the first page).
    A page covers the days after the next page's newest session up to its own newest one,
    or up to today on the first page."""
    rows = MorningCheckin.objects.filter(owner=owner).order_by("-date")
    days = sorted({row.date for row in page}, reverse=True)
    if days:
        before = (
            SessionLog.objects.filter(owner=owner, date__lt=days[-1])
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        rows = rows.filter(date__gt=before) if before is not None else rows
        rows = rows if first_page else rows.filter(date__lte=days[0])
    elif not first_page:
        return [], {}
    top: list[core.Checkin] = []
    under: dict[date, list[core.Checkin]] = {}
    for checkin in (MorningCheckin.to_core(v) for v in rows.values_list(*MorningCheckin.CORE)):
        if not days or checkin.date > days[0]:
            top.append(checkin)
        else:
            day = next((d for d in days if d < checkin.date), days[-1])
            under.setdefault(day, []).append(checkin)
    return top, under
