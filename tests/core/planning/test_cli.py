"""`kneecap plan`: the JSON interface, the screening questions, tables and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kneecap.cli import plan
from kneecap.core.screening import QUESTIONS

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
ITEM_KEYS = {
    "exercise",
    "level",
    "sets",
    "reps",
    "hold_s",
    "rest_s",
    "distance_m",
    "duration_s",
    "load_kg",
    "per_side",
}
PROFILE: dict[str, Any] = {
    "start_date": "2026-03-02",
    "weeks": 16,
    "runs": {
        "mon": {"kind": "rest"},
        "tue": {"kind": "quality", "minutes": 60},
        "wed": {"kind": "easy", "minutes": 40},
        "thu": {"kind": "easy", "minutes": 40},
        "fri": {"kind": "rest"},
        "sat": {"kind": "long", "minutes": 100},
        "sun": {"kind": "easy", "minutes": 30},
    },
    "races": [{"date": "2026-06-14", "priority": "A"}],
    "equipment": ["wall", "stairs", "mat", "rail", "heel-block", "band", "dumbbells"],
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "experience": "intermediate",
    "knee_pain_now": 1,
    "screening": {"pre_heart": False},
}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A fresh app with only this command: no double registration on kneecap.cli.app."""
    app = typer.Typer()
    app.command("noop", hidden=True)(lambda: None)  # keeps `plan` a sub-command
    plan.register(app)
    return app


def write(tmp_path: Path, data: dict[str, Any], name: str = "profile.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def invoke(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["plan", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout


def test_json_has_the_documented_keys(app: typer.Typer, tmp_path: Path) -> None:
    code, out = invoke(app, "--profile", str(write(tmp_path, PROFILE)), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"weeks", "warnings", "blocked"} and data["blocked"] is None
    assert len(data["weeks"]) == 16
    kinds = {w["kind"] for w in data["weeks"]}
    assert kinds <= {"build", "deload", "taper", "race", "return"} and "taper" in kinds
    session = data["weeks"][0]["sessions"][0]
    assert {"date", "minutes", "why", "items"} <= set(session)
    assert all(isinstance(line, str) for line in session["why"])
    for item in session["items"]:
        assert set(item) >= ITEM_KEYS and item["rules"]


def test_a_toml_profile_gives_the_same_plan(app: typer.Typer, tmp_path: Path) -> None:
    toml = "\n".join(
        [
            'start_date = "2026-03-02"',
            "weeks = 2",
            "[runs]",
            'tue = { kind = "quality", minutes = 50 }',
            'mon = { kind = "rest" }',
        ]
    )
    (tmp_path / "p.toml").write_text(toml)
    as_json = {
        "start_date": "2026-03-02",
        "weeks": 2,
        "runs": {"tue": {"kind": "quality", "minutes": 50}, "mon": {"kind": "rest"}},
    }
    _, from_toml = invoke(app, "--profile", str(tmp_path / "p.toml"), "--json")
    _, from_json = invoke(app, "--profile", str(write(tmp_path, as_json)), "--json")
    assert json.loads(from_toml) == json.loads(from_json)


def test_screening_questions_list_every_id(app: typer.Typer) -> None:
    code, out = invoke(app, "--screening-questions", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [q["id"] for q in listed] == [q.id for q in QUESTIONS]
    assert all({"id", "group", "question"} <= set(q) for q in listed)
    assert {q["group"] for q in listed} == {
        "pre-exercise",
        "knee-history",
        "acute-injury",
        "urgent",
        "see-soon",
    }


def test_screening_questions_print_as_a_table(app: typer.Typer) -> None:
    code, out = invoke(app, "--screening-questions")
    assert code == 0 and "soon_giving_way_left" in out


def test_an_urgent_answer_exits_0_with_blocked(app: typer.Typer, tmp_path: Path) -> None:
    data = {**PROFILE, "screening": {"urgent_calf": True}}
    code, out = invoke(app, "--profile", str(write(tmp_path, data)), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["weeks"] == [] and set(result["blocked"]) == {"reason", "advice"}


def test_the_table_shows_each_week_and_its_reasons(app: typer.Typer, tmp_path: Path) -> None:
    code, out = invoke(app, "--profile", str(write(tmp_path, {**PROFILE, "weeks": 2})))
    assert code == 0
    assert "Week of 2026-03-02: build" in out and "Week of 2026-03-09" in out
    assert "hard day stays hard" in out


def run_cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KNEECAP_DATABASE_URL"}
    if data_dir is not None:
        env["KNEECAP_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [KNEECAP, "plan", *args], capture_output=True, text=True, timeout=60, check=False, env=env
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({**PROFILE, "weeks": 0}, "weeks: 0 is outside"),
        ({**PROFILE, "screening": {"nope": True}}, "screening.nope: unknown question id"),
        ({**PROFILE, "runs": {"funday": {"kind": "easy"}}}, "runs: 'funday'"),
        ({"weeks": 2}, "start_date"),
    ],
)
def test_a_malformed_profile_exits_2_with_one_line(
    tmp_path: Path, data: dict[str, Any], words: str
) -> None:
    result = run_cli("--profile", str(write(tmp_path, data)), "--json")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_missing_file_or_option_exits_2(tmp_path: Path) -> None:
    assert run_cli("--profile", str(tmp_path / "none.json")).returncode == 2
    # Without --profile the plan is the stored account's; a fresh instance has no profile yet.
    missing = run_cli("--json", data_dir=tmp_path / "data")
    assert missing.returncode == 2 and "--profile" in missing.stderr


def test_the_command_runs_without_django(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from kneecap.cli import app, _register\n"
        "_register()\n"
        f"try:\n    app(['plan', '--profile', {str(write(tmp_path, PROFILE))!r}, '--json'])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "assert 'django' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
