"""`kneecap init` from a profile file and interactively, against a fresh data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
PROFILE = {
    "start_date": "2026-03-02",
    "weeks": 2,
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 100}},
    "equipment": ["wall", "rail"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "novice",
    "knee_pain_now": 0,
    "screening": {},
}


def run(args: list[str], data_dir: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KNEECAP_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [KNEECAP, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def stored(data_dir: Path) -> dict[str, object]:
    code = (
        "import django, json; django.setup()\n"
        "from kneecap.db.accounts.models import RunnerProfile\n"
        "p = RunnerProfile.objects.get(user__username='ada')\n"
        "print(json.dumps({'data': p.data, 'owner': p.user.is_superuser}))\n"
    )
    env = {
        **os.environ,
        "KNEECAP_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "kneecap.web.settings",
    }
    env.pop("KNEECAP_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout)


def test_it_creates_the_owner_and_profile_from_a_file(tmp_path: Path) -> None:
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps(PROFILE))
    result = run(
        ["init", "-u", "ada", "--profile", str(profile)],
        tmp_path / "data",
        "pw-long-enough-1\n" * 2,
    )
    assert result.returncode == 0, result.stderr
    saved = stored(tmp_path / "data")
    assert saved["owner"] is True
    assert saved["data"]["runs"]["sun"] == {"kind": "long", "minutes": 100}


def test_it_refuses_a_malformed_profile_in_one_line(tmp_path: Path) -> None:
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({**PROFILE, "knee_pain_now": 12}))
    result = run(
        ["init", "-u", "ada", "--profile", str(profile)],
        tmp_path / "data",
        "pw-long-enough-1\n" * 2,
    )
    assert result.returncode == 2
    assert "knee_pain_now" in result.stderr and "Traceback" not in result.stderr


def test_it_asks_the_questions_in_the_terminal(tmp_path: Path) -> None:
    week = "rest\n" + "quality\n50\n" + "easy\n40\n" + "rest\n" * 3 + "long\n100\n"
    prefs = "wall,stairs\n2\n25\nnovice\n1\n"
    from kneecap.core.screening import QUESTIONS

    answers = "n\n" * len(QUESTIONS)
    stdin = "pw-long-enough-1\n" * 2 + week + prefs + answers
    result = run(["init", "-u", "ada"], tmp_path / "data", stdin)
    assert result.returncode == 0, result.stderr + result.stdout[-500:]
    saved = stored(tmp_path / "data")["data"]
    assert saved["runs"]["tue"] == {"kind": "quality", "minutes": 50}
    assert saved["equipment"] == ["wall", "stairs"]
    assert not any(saved["screening"].values())


def test_the_stored_plan_prints_after_init(tmp_path: Path) -> None:
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps(PROFILE))
    run(
        ["init", "-u", "ada", "--profile", str(profile)],
        tmp_path / "data",
        "pw-long-enough-1\n" * 2,
    )
    result = run(["plan", "--user", "ada", "--weeks", "2", "--json"], tmp_path / "data", "")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert len(plan["weeks"]) == 2 and plan["blocked"] is None
