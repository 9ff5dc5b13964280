"""`kneecap session`, `kneecap log` and `kneecap history` against a fresh data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kneecap.core.profile import WEEKDAYS

KNEECAP = str(Path(sys.executable).with_name("kneecap"))


def run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECAP_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KNEECAP_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [KNEECAP, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    today = WEEKDAYS[date.today().weekday()]
    profile = {
        "start_date": date.today().isoformat(),
        "runs": {today: {"kind": "quality", "minutes": 45}},
        "equipment": ["wall", "stairs", "heel-block", "rail"],
        "sessions_per_week": 2,
        "minutes_per_session": 30,
        "experience": "novice",
        "knee_pain_now": 0,
        "screening": {},
    }
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    result = run(
        ["init", "-u", "ada", "--profile", str(tmp_path / "profile.json")],
        tmp_path / "d",
        "pw-long-enough-1\n" * 2,
    )
    assert result.returncode == 0, result.stderr
    return tmp_path / "d"


def test_a_guided_exercise_in_the_terminal_is_saved_with_its_pain(data_dir: Path) -> None:
    result = run(
        ["session", "--exercise", "tibialis-raise", "--speed", "1000"],
        data_dir,
        "\n1\njoint\n5\n2\n6\ny\nn\n",  # before, during, where, effort, after, session
    )
    assert result.returncode == 0, result.stderr + result.stdout[-800:]
    assert "Saved session" in result.stdout
    sessions = json.loads(run(["history", "--json"], data_dir).stdout)
    entry = sessions[0]["exercises"][0]
    assert sessions[0]["pain_after"] == 2 and entry["pain_during"] == 1
    assert sessions[0]["rpe"] == 6 and sessions[0]["twisted_or_fell"] is True
    assert sessions[0]["minutes"] is not None and entry["pain_location"] == "joint"
    reps = [s["reps"] for s in entry["sets"]]
    assert reps and len(set(reps)) == 1 and reps[0] <= 10  # new to the runner: rule 32's half dose
    assert all(s["hold_s"] == 3 for s in entry["sets"])


def test_a_distance_drill_asks_what_was_done(data_dir: Path) -> None:
    answers = "\n90\n" + "100\n" * 10 + "0\nmuscle\n\n1\n\nn\nn\n"
    result = run(
        ["session", "--exercise", "walking-backward", "--speed", "1000"], data_dir, answers
    )
    assert result.returncode == 0, result.stderr + result.stdout[-800:]
    entry = json.loads(run(["history", "--json"], data_dir).stdout)[0]["exercises"][0]
    assert entry["sets"][0]["distance_m"] == 90 and entry["pain_location"] == "muscle"


def test_log_records_a_session_and_a_run_from_flags(data_dir: Path) -> None:
    result = run(
        [
            "log",
            "session",
            "--exercise",
            "split-squat",
            "--sets",
            "3",
            "--reps",
            "10",
            "--pain-during",
            "2",
            "--pain-after",
            "1",
        ],
        data_dir,
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(run(["history", "--json"], data_dir).stdout)[0]["exercises"][0]
    assert entry["exercise"] == "split-squat" and len(entry["sets"]) == 3
    result = run(
        ["log", "run", "--minutes", "42", "--distance-km", "8.4", "--kind", "easy"], data_dir
    )
    assert result.returncode == 0, result.stderr
    runs = json.loads(run(["runs", "--json"], data_dir).stdout)
    assert runs[0]["distance_m"] == 8400


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "session", "--exercise", "split-squat", "--reps", "-3"], "reps"),
        (
            ["log", "session", "--exercise", "split-squat", "--reps", "10", "--pain-during", "11"],
            "pain_during",
        ),
        (
            ["log", "session", "--exercise", "split-squat", "--reps", "10", "--date", "2099-01-01"],
            "date",
        ),
        (["log", "session", "--exercise", "moonwalk"], "exercise"),
        (["log", "run", "--minutes", "30", "--date", "2099-01-01"], "date"),
    ],
)
def test_log_refuses_impossible_values_in_one_line(
    data_dir: Path, args: list[str], field: str
) -> None:
    result = run(args, data_dir)
    assert result.returncode == 2
    assert field in result.stderr and "Traceback" not in result.stderr
    assert json.loads(run(["history", "--json"], data_dir).stdout) == []


def test_the_terminal_refuses_a_left_leg_exercise(tmp_path: Path) -> None:
    """Issue 14: the gate's answer in the terminal, for a see-soon answer about the left knee."""
    today = WEEKDAYS[date.today().weekday()]
    profile = {
        "start_date": date.today().isoformat(),
        "runs": {today: {"kind": "easy", "minutes": 30}},
        "equipment": ["wall", "stairs", "heel-block", "rail"],
        "screening": {"soon_swelling_left": True},  # rule 37: the left leg is paused
    }
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    data = tmp_path / "d"
    made = run(
        ["init", "-u", "ada", "--profile", str(tmp_path / "profile.json")],
        data,
        "pw-long-enough-1\n" * 2,
    )
    assert made.returncode == 0, made.stderr
    refused = run(["session", "--exercise", "deep-squat-hold", "--speed", "1000"], data)
    assert refused.returncode == 2 and "left" in refused.stderr
    assert json.loads(run(["history", "--json"], data).stdout) == []


def test_the_terminal_asks_for_a_missing_rating_before_the_session(data_dir: Path) -> None:
    """Issue 14 §2: a dose waits for a missing rating, and `kneecap session` offers it."""
    day = date.fromordinal(date.today().toordinal() - 3).isoformat()
    logged = run(
        ["log", "session", "--exercise", "split-squat", "--reps", "8", "--day", day], data_dir
    )
    assert logged.returncode == 0, logged.stderr
    answers = "4\n3\n" + "\n1\njoint\n5\n2\n6\nn\nn\n"  # morning, pain during, the session
    result = run(["session", "--exercise", "tibialis-raise", "--speed", "1000"], data_dir, answers)
    assert result.returncode == 0, result.stderr + result.stdout[-800:]
    assert "Knee pain during Split squat" in result.stdout
    assert "the morning after your session" in result.stdout
    sessions = {s["date"]: s for s in json.loads(run(["history", "--json"], data_dir).stdout)}
    assert sessions[day]["exercises"][0]["pain_during"] == 3
    assert sessions[day]["pain_next_morning"] == 4


def test_plan_proposes_the_runs_pattern_and_takes_it(data_dir: Path) -> None:
    """Issue 17 §3 in the terminal: three weeks of long runs on another day."""
    monday = date.fromordinal(date.today().toordinal() - date.today().weekday())
    other = (date.today().weekday() + 3) % 7  # not the profile's one run day
    for week in (1, 2, 3):
        day = date.fromordinal(monday.toordinal() - 7 * week + other).isoformat()
        logged = run(["log", "run", "--minutes", "100", "--kind", "long", "--date", day], data_dir)
        assert logged.returncode == 0, logged.stderr
    shown = run(["plan"], data_dir)
    assert shown.returncode == 0, shown.stderr
    assert "follow another pattern" in shown.stdout and "long 100 min" in shown.stdout
    taken = run(["plan", "--use-pattern"], data_dir)
    assert taken.returncode == 0, taken.stderr
    assert "follow another pattern" not in taken.stdout
    again = run(["plan", "--use-pattern"], data_dir)
    assert again.returncode == 2 and "agree with your pattern" in again.stderr
