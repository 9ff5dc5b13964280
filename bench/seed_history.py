"""A runner with years of history, for the load test: runs, strength sessions, check-ins.

Run inside a configured instance (``KNEECAP_DATA_DIR`` / ``KNEECAP_DATABASE_URL``):

    .venv/bin/python bench/seed_history.py --years 5

It creates ``runner`` (an onboarded profile, ~5 imported-like runs a week, 2 strength
sessions a week with exercises and sets, a morning check-in after each session) and
``coach`` (an active coach link to ``runner``), with bulk inserts: 5 years take seconds.
Every session is checked by core's log parser before it is stored, as a real save would be.
The synthetic export for the import-under-load step is built here too (``synthetic_export``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE_GPX = REPO / "tests" / "data" / "togeojson__missing_hr.gpx"
PASSWORD = "load-test-password"  # noqa: S105 (a throw-away bench instance)
PROFILE = {
    "runs": {
        "tue": {"kind": "quality", "minutes": 50},
        "thu": {"kind": "easy", "minutes": 40},
        "sun": {"kind": "long", "minutes": 100},
    },
    "equipment": ["wall", "rail", "mat", "stairs", "band"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}
RUN_DAYS = (0, 1, 3, 4, 6)  # Mon, Tue, Thu, Fri, Sun: five runs a week
STRENGTH_DAYS = (2, 5)  # Wed, Sat


@dataclass(frozen=True)
class Seeded:
    runner_id: int
    coach_id: int
    activities: int
    sessions: int
    sets: int


def session_payload(day: date, rng: random.Random) -> dict[str, Any]:
    """One strength session in the log's JSON shape: four exercises, low pain."""
    pain = rng.choice((0, 0, 0, 1, 1, 2))
    return {
        "date": day.isoformat(),
        "pain_after": pain,
        "exercises": [
            _entry("tibialis-raise", "both-legs", [{"reps": 10, "hold_s": 3}] * 3, pain),
            _entry("glute-bridge", "both-legs", [{"reps": 10, "hold_s": 2}] * 3, pain),
            _entry("deep-squat-hold", "heels-5cm", [{"hold_s": 20}] * 3, pain),
            _entry("walking-backward", "flat", [{"distance_m": 100}] * 5, pain),
        ],
    }


def _entry(slug: str, level: str, sets: list[dict[str, Any]], pain: int) -> dict[str, Any]:
    return {"exercise": slug, "level": level, "pain_during": pain, "rpe": 5, "sets": sets}


def seed(years: int = 5, today: date | None = None, seed_value: int = 9) -> Seeded:
    """Create ``runner`` and ``coach`` with ``years`` of history ending yesterday."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from kneecap.db.accounts.models import CoachLink, RunnerProfile

    today = today or timezone.localdate()
    first = today - timedelta(days=365 * years)
    rng = random.Random(seed_value)
    users = get_user_model().objects
    with transaction.atomic():
        runner = users.create_user("runner", "runner@example.org", PASSWORD)
        coach = users.create_user("coach", "coach@example.org", PASSWORD)
        CoachLink.objects.create(
            athlete=runner, coach=coach, invited_by=runner, status=CoachLink.Status.ACTIVE
        )
        RunnerProfile.objects.create(
            user=runner,
            data=PROFILE,
            onboarded_at=datetime.combine(first, time(8), tzinfo=UTC),
        )
        activities = _seed_runs(runner, first, today, rng)
        sessions, sets = _seed_sessions(runner, first, today, rng)
    return Seeded(runner.pk, coach.pk, activities, sessions, sets)


def _days(first: date, today: date, weekdays: tuple[int, ...]) -> list[date]:
    count = (today - first).days
    days = (first + timedelta(days=i) for i in range(count))
    return [d for d in days if d.weekday() in weekdays]


def _seed_runs(runner: Any, first: date, today: date, rng: random.Random) -> int:
    from kneecap.db.runs.models import Activity

    rows = []
    for day in _days(first, today, RUN_DAYS):
        minutes = 100 if day.weekday() == 6 else rng.randint(35, 60)
        start = datetime.combine(day, time(6, rng.randint(0, 59)), tzinfo=UTC)
        sha = hashlib.sha256(f"{runner.pk}-{start.isoformat()}".encode()).hexdigest()
        rows.append(
            Activity(
                owner=runner,
                start=start,
                sport="running",
                name=f"Morning run {day:%d %b}",
                distance_m=minutes * 60 * rng.uniform(2.6, 3.2),
                elapsed_s=minutes * 60 + 90,
                moving_s=minutes * 60,
                ascent_m=rng.uniform(20, 200),
                descent_m=rng.uniform(20, 200),
                avg_hr=rng.randint(130, 160),
                max_hr=rng.randint(165, 185),
                has_gps=True,
                device="Forerunner",
                source="fit",
                source_sha256=sha,
            )
        )
    Activity.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _seed_sessions(runner: Any, first: date, today: date, rng: random.Random) -> tuple[int, int]:
    from kneecap.core.log import parse_log
    from kneecap.db.training.models import ExerciseLog, MorningCheckin, SessionLog, SetLog

    payloads = [session_payload(d, rng) for d in _days(first, today, STRENGTH_DAYS)]
    parse_log({"sessions": payloads})  # the same checks a real save makes
    sessions = SessionLog.objects.bulk_create(
        [
            SessionLog(
                owner=runner,
                date=date.fromisoformat(p["date"]),
                minutes=30,
                rpe=5,
                pain_after=p["pain_after"],
            )
            for p in payloads
        ],
        batch_size=500,
    )
    entries = [
        (
            ExerciseLog(
                session=row,
                position=i,
                exercise=e["exercise"],
                level=e["level"],
                pain_during=e["pain_during"],
                pain_location="joint",
                rpe=e["rpe"],
            ),
            e["sets"],
        )
        for row, p in zip(sessions, payloads, strict=True)
        for i, e in enumerate(p["exercises"])
    ]
    ExerciseLog.objects.bulk_create([e for e, _ in entries], batch_size=500)
    sets = [SetLog(exercise=e, position=k, **s) for e, done in entries for k, s in enumerate(done)]
    SetLog.objects.bulk_create(sets, batch_size=1000)
    MorningCheckin.objects.bulk_create(
        [
            MorningCheckin(owner=runner, date=row.date + timedelta(days=1), pain=0, stiffness=1)
            for row in sessions
            if row.date + timedelta(days=1) < today
        ],
        batch_size=500,
    )
    return len(sessions), len(sets)


def synthetic_export(target: Path, count: int, first: datetime | None = None) -> Path:
    """A zip of ``count`` GPX runs made from a test sample, each moved 26 hours later.

    Every timestamp in a copy is shifted, so each file is a different run (its own hash,
    its own start) and deduplication cannot skip any of them.
    """
    text = SAMPLE_GPX.read_text(encoding="utf-8")
    stamps = re.findall(r"<time>([^<]+)</time>", text)
    origin = datetime.fromisoformat(stamps[0].replace("Z", "+00:00"))
    first = first or datetime(2001, 1, 1, 6, tzinfo=UTC)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            shift = first + timedelta(hours=26 * n) - origin

            def moved(match: re.Match[str], shift: timedelta = shift) -> str:
                at = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + shift
                return f"<time>{at:%Y-%m-%dT%H:%M:%SZ}</time>"

            body = re.sub(r"<time>([^<]+)</time>", moved, text)
            archive.writestr(f"export/activities/{n:05d}.gpx", body)
    return target


def login_cookie(user_id: int) -> str:
    """A signed-in session for the user, as the login page would create it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print ids and session cookies")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    seeded = seed(args.years)
    if not args.json:
        print(seeded)
        return
    cookies = {"runner": login_cookie(seeded.runner_id), "coach": login_cookie(seeded.coach_id)}
    print(json.dumps({**asdict(seeded), "cookies": cookies}))


if __name__ == "__main__":
    main()
