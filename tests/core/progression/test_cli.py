"""`kneecap progress`: the JSON interface, the table, --as-of, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kneecap.cli import progress

KNEECAP = str(Path(sys.executable).with_name("kneecap"))
DOSE_KEYS = {
    "sets",
    "reps",
    "hold_s",
    "rest_s",
    "distance_m",
    "duration_s",
    "load_kg",
    "flights",
    "per_side",
}
PROFILE: dict[str, Any] = {
    "start_date": "2026-03-02",
    "runs": {"tue": {"kind": "quality", "minutes": 50}, "sun": {"kind": "long", "minutes": 80}},
    "equipment": ["wall", "heel-block"],
    "knee_pain_now": 1,
}


def _entry(slug: str, level: str, reps: int, pain: int) -> dict[str, Any]:
    return {
        "exercise": slug,
        "level": level,
        "sets": [{"reps": reps}] * 3,
        "pain_during": pain,
        "rpe": 5,
    }


LOG: dict[str, Any] = {
    "baseline_morning_pain": 0,
    "sessions": [
        {
            "date": "2026-03-03",
            "exercises": [
                _entry("tibialis-raise", "both-legs", 10, 0),
                _entry("split-squat", "bodyweight", 10, 1),
            ],
            "pain_after": 1,
            "pain_next_morning": 0,
        },
        {
            "date": "2026-03-05",
            "exercises": [
                _entry("tibialis-raise", "both-legs", 12, 1),
                _entry("split-squat", "bodyweight", 11, 6),
            ],
            "pain_next_morning": 0,
        },
    ],
}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop", hidden=True)(lambda: None)  # keeps `progress` a sub-command
    progress.register(app)
    return app


def _files(tmp_path: Path, log: Any = LOG, profile: Any = PROFILE) -> list[str]:
    (tmp_path / "p.json").write_text(json.dumps(profile), encoding="utf-8")
    (tmp_path / "log.json").write_text(json.dumps(log), encoding="utf-8")
    return ["--profile", str(tmp_path / "p.json"), "--log", str(tmp_path / "log.json")]


def _json(app: typer.Typer, args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["progress", *args, "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.output)
    return out


def test_json_has_the_documented_keys(app: typer.Typer, tmp_path: Path) -> None:
    out = _json(app, _files(tmp_path))
    assert set(out) == {"as_of", "exercises", "alerts", "missing"}
    assert out["as_of"] == "2026-03-06"  # the day after the last session
    for item in out["exercises"]:
        assert {"exercise", "decision", "level", "prescription", "why", "rules"} <= set(item)
        assert item["pain_ceiling"] == 5
        assert set(item["prescription"]) == DOSE_KEYS
        assert item["decision"] in {"advance", "hold", "regress", "deload", "pause", "refer"}
        assert all(isinstance(r, int) for r in item["rules"])
        assert item["why"] and all(isinstance(w, str) for w in item["why"])


def test_a_painful_exercise_steps_back_and_the_other_goes_on(
    app: typer.Typer, tmp_path: Path
) -> None:
    out = _json(app, _files(tmp_path))
    by = {e["exercise"]: e for e in out["exercises"]}
    assert by["split-squat"]["decision"] == "regress"
    assert "pain 6/10 during on Thursday 5 March" in by["split-squat"]["why"][0]
    assert by["tibialis-raise"]["decision"] == "advance"
    assert by["tibialis-raise"]["prescription"]["reps"] == 14


def test_as_of_replays_the_log_as_it_stood(app: typer.Typer, tmp_path: Path) -> None:
    out = _json(app, [*_files(tmp_path), "--as-of", "2026-03-04"])
    assert out["as_of"] == "2026-03-04"
    by = {e["exercise"]: e for e in out["exercises"]}
    assert by["split-squat"]["decision"] == "advance"


def test_pins_from_the_log_are_kept_and_said(app: typer.Typer, tmp_path: Path) -> None:
    log = {
        **LOG,
        "pins": [{"exercise": "tibialis-raise", "prescription": {"reps": 15}, "by": "coach"}],
    }
    out = _json(app, _files(tmp_path, log))
    tib = next(e for e in out["exercises"] if e["exercise"] == "tibialis-raise")
    assert tib["decision"] == "hold" and tib["prescription"]["reps"] == 15
    assert tib["why"][0].startswith("Pinned by your coach at 3 × 15")
    assert "own suggestion would be to advance" in tib["why"][0]


def test_an_empty_log_gives_no_exercises(app: typer.Typer, tmp_path: Path) -> None:
    out = _json(app, _files(tmp_path, {"sessions": []}))
    assert out == {"as_of": "2026-03-02", "exercises": [], "alerts": [], "missing": []}


def test_the_table_shows_each_exercise_and_its_reasons(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["progress", *_files(tmp_path)])
    assert result.exit_code == 0
    assert "Split squat" in result.output and "regress" in result.output
    assert "pain 6/10" in result.output


@pytest.mark.parametrize(
    ("log", "profile", "message"),
    [
        (
            {"sessions": [{"date": "2026-03-02", "pain_after": 12}]},
            PROFILE,
            "log: sessions[0].pain_after: 12 is outside 0–10",
        ),
        (
            {
                "sessions": [
                    {"date": "2026-03-02", "exercises": [{"exercise": "planks", "level": "x"}]}
                ]
            },
            PROFILE,
            "log: sessions[0].exercises[0].exercise: no exercise 'planks'",
        ),
        (LOG, {"weeks": 2}, "profile: start_date"),
        ([], PROFILE, "log: the log must be a JSON object"),
    ],
)
def test_malformed_input_is_one_line_and_exit_2(
    tmp_path: Path, log: Any, profile: Any, message: str
) -> None:
    run = subprocess.run(
        [KNEECAP, "progress", *_files(tmp_path, log, profile), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kneecap: {message}")


def test_a_bad_as_of_date_is_refused(tmp_path: Path) -> None:
    run = subprocess.run(
        [KNEECAP, "progress", *_files(tmp_path), "--as-of", "March"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "--as-of: 'March' is not an ISO date" in run.stderr


def test_it_runs_without_django(tmp_path: Path) -> None:
    args = _files(tmp_path)
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import kneecap.cli as c\n"
        "c._register()\n"
        f"r = CliRunner().invoke(c.app, ['progress', *{args!r}, '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
