"""The safety gate fed from the database (``kneecap.core.safety``), and what it records.

``gate_for`` is the one question every door asks. The writes that can trigger rule 38 call
``note_triggers`` inside their transaction; answering the safety questions, a coach's or
physio's clearance and a recent injury confirmed as settling are recorded here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from kneecap.application import cache
from kneecap.application.catalog import catalog_for
from kneecap.application.log import recent_log
from kneecap.application.progress import report_for
from kneecap.application.rules import rules_for
from kneecap.application.runner import local_midnight
from kneecap.core import log as core_log
from kneecap.core import safety
from kneecap.core.activity import RUNNING
from kneecap.core.log import RunLog, SessionLog
from kneecap.core.rules import Rules
from kneecap.core.screening import ACUTE_GATE
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity
from kneecap.db.training.models import ExerciseLog, SafetyEvent

# What a write's rule-38 check reads: enough for "pain above the ceiling on the last two
# sessions of an exercise" as well as the week of triggers (kneecap.core.safety.triggers).
RECENT_DAYS = 60


class GateClosed(Exception):
    """A door was asked for something the gate does not allow today."""

    def __init__(self, verdict: safety.Verdict) -> None:
        super().__init__(verdict.text())
        self.verdict = verdict


def gate_for(user: User, today: date) -> safety.Gate:
    """The gate of ``user`` today, kept under their base version: it reads the answers, the
    safety events and the report as of today, and every write of those moves the base
    version, while a session saved today (which moves only the version) changes none of
    them: its triggers, if any, are events."""
    return cache.kept_base(user, "gate", today, lambda: _gate(user, today))


def _gate(user: User, today: date) -> safety.Gate:
    answers = RunnerProfile.objects.filter(user=user).values_list("data", flat=True).first()
    report = report_for(user, today)
    return safety.Gate.of(
        dict((answers or {}).get("screening", {})),
        events_of(user),
        report.exercises if report else (),
        today,
    )


def events_of(user: User) -> list[safety.Event]:
    rows = SafetyEvent.objects.filter(owner=user).select_related("by")
    return [r.to_core(r.by.get_username() if r.by else "") for r in rows]


def check_session(owner: User, session: SessionLog, today: date) -> None:
    """Raise GateClosed when the gate does not allow an exercise of a session done today:
    every side its sets name, and both legs for per-side sets that name none."""
    gate, catalog = gate_for(owner, today), catalog_for(owner)
    for entry in session.exercises:
        exercise = catalog.get(entry.exercise)
        level = exercise.level(entry.level)
        for side in {s.side for s in entry.sets} or {None}:
            verdict = gate.check(exercise, level, side)
            if not verdict.allowed or (side is None and verdict.side is not None):
                raise GateClosed(_both_legs(verdict, exercise.name))


def _both_legs(verdict: safety.Verdict, name: str) -> safety.Verdict:
    if verdict.reasons:
        return verdict
    only = verdict.side.value if verdict.side else ""
    reason = safety.Reason(
        safety.Stop.LEG,
        f"{name} was logged for both legs, and only the {only} leg is being trained.",
        "Log the sets of that leg only.",
        (37,),
    )
    return safety.Verdict((reason,), verdict.side)


def note_triggers(owner: User, today: date) -> None:
    """Record rule-38 triggers found in what was just written (call inside the write's
    transaction, after it): a trigger found again later is not a new one."""
    since = today - timedelta(days=RECENT_DAYS)
    found = safety.triggers(
        recent_log(owner, since), runs_of(owner, since), _namer(owner), today, rules_for(owner)
    )
    _record(owner, found)


@dataclass(frozen=True, slots=True)
class TriggerContext:
    """What a save's rule-38 check needs besides the log, read before the write's
    transaction (inside it the runner's version has moved, and the kept catalog with it)."""

    name: Callable[[str], str]
    cfg: Rules


def trigger_context(owner: User) -> TriggerContext:
    return TriggerContext(_namer(owner), rules_for(owner))


def note_session_triggers(
    owner: User, session: SessionLog, today: date, context: TriggerContext
) -> None:
    """``note_triggers`` for a new session that is the runner's latest: its own triggers,
    its next morning's, and "red on the last two sessions" for the exercises it rates red,
    from the last two entries of each in one query (instead of reading 60 days of log)."""
    red = {
        e.exercise
        for e in session.exercises
        if e.knee_pain is not None and e.knee_pain > context.cfg.amber_max
    }
    if not red:  # nothing of its can complete "red twice": its own triggers only
        log = core_log.TrainingLog((session,), checkins=_morning_of(session))
        _record(owner, safety.triggers(log, (), context.name, today, context.cfg))
        return
    newest_first = [F("session__date").desc(), F("session_id").desc(), F("position").desc()]
    last_two = (
        ExerciseLog.objects.filter(
            session__owner=owner,
            session__date__gte=today - timedelta(days=RECENT_DAYS),
            exercise__in=red,
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=F("exercise"), order_by=[*newest_first, "-id"])
        )
        .filter(rank__lte=2)
        .order_by("session__date", "session_id", "position", "id")
    )
    earlier: dict[tuple[date, int], list[core_log.ExerciseLog]] = {}
    for day, session_id, *values in last_two.values_list(
        "session__date", "session_id", *ExerciseLog.CORE
    ):
        earlier.setdefault((day, session_id), []).append(ExerciseLog.to_core(values))
    # the new session is the last of them (it is written): its full value stands in for it
    sessions = [SessionLog(date=day, exercises=tuple(e)) for (day, _), e in earlier.items()]
    log = core_log.TrainingLog((*sessions[:-1], session), checkins=_morning_of(session))
    _record(owner, safety.triggers(log, (), context.name, today, context.cfg))


def _morning_of(session: SessionLog) -> tuple[core_log.Checkin, ...]:
    return tuple(c for c in (session.checkin(),) if c is not None)


def _namer(owner: User) -> Callable[[str], str]:
    names = catalog_for(owner)
    return lambda slug: names.get(slug).name if slug in names else slug


def _record(owner: User, found: tuple[safety.Trigger, ...]) -> None:
    if not found:
        return
    known = set(
        SafetyEvent.objects.filter(owner=owner, kind=safety.EventKind.TRIGGER).values_list(
            "key", flat=True
        )
    )
    now = timezone.now()
    new = [
        SafetyEvent.from_core(
            safety.Event(now, safety.EventKind.TRIGGER, t.key, t.text), owner=owner
        )
        for t in found
        if t.key not in known
    ]
    if new:
        SafetyEvent.objects.bulk_create(new)
        cache.changed(owner.pk)


def answered(owner: User, answers: Mapping[str, bool]) -> None:
    """The runner answered the safety questions (call inside the profile's write)."""
    event = safety.Event(timezone.now(), safety.EventKind.ANSWERED, answers=dict(answers))
    SafetyEvent.from_core(event, owner=owner).save()


def clearable(athlete: User, today: date) -> tuple[tuple[str, str], ...]:
    return safety.clearable(gate_for(athlete, today), catalog_for(athlete).get)


def clear(athlete: User, by: User, scope: str, note: str) -> None:
    """A linked coach or physio clears a pause (the caller checked the link); recorded."""
    if scope not in {s for s, _ in clearable(athlete, timezone.localdate())}:
        raise ValueError(f"scope: {scope!r} is not a pause this runner has")
    if not note.strip():
        raise ValueError("note: say why (it is recorded with the clearance)")
    event = safety.Event(timezone.now(), safety.EventKind.CLEARED, scope, note=note.strip())
    with transaction.atomic():
        SafetyEvent.from_core(event, owner=athlete, by=by).save()
        cache.changed(athlete.pk)


def settling(owner: User, today: date) -> None:
    """The runner confirms a recent knee injury is settling, 7 days or more after it (§6.2):
    the "hurt in the last 7 days" answer is withdrawn and the gate reopens for that work."""
    if not gate_for(owner, today).may_settle():
        raise ValueError("a recent injury can be confirmed as settling after 7 days")
    event = safety.Event(timezone.now(), safety.EventKind.SETTLING)
    with transaction.atomic():
        profile = RunnerProfile.objects.select_for_update().get(user=owner)
        profile.data = {
            **profile.data,
            "screening": {**profile.data.get("screening", {}), ACUTE_GATE: False},
        }
        profile.save(update_fields=["data", "updated_at"])
        SafetyEvent.from_core(event, owner=owner).save()
        cache.changed(owner.pk)


def runs_of(owner: User, since: date) -> list[RunLog]:
    return [
        a.to_run()
        for a in Activity.objects.filter(
            owner=owner, sport=RUNNING, start__gte=local_midnight(since)
        )
    ]
