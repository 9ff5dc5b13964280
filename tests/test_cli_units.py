"""The command line's human output in the account's units; ``--json`` in metres and kg."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kneecap.core.profile import WEEKDAYS
from tests.test_cli_training import run


def _profile(tmp_path: Path, units: str, equipment: tuple[str, ...] = ("wall", "rail")) -> Path:
    today = WEEKDAYS[date.today().weekday()]
    profile = {
        "start_date": date.today().isoformat(),
        "runs": {today: {"kind": "quality", "minutes": 45}},
        "equipment": list(equipment),
        "units": units,
    }
    path = tmp_path / f"{units}.json"
    path.write_text(json.dumps(profile))
    return path


def test_an_imperial_runner_reads_miles_and_pounds_and_json_stays_metric(tmp_path: Path) -> None:
    data = tmp_path / "d"
    pw = "pw-long-enough-1\n" * 2
    init = run(["init", "-u", "ada", "--profile", str(_profile(tmp_path, "imperial"))], data, pw)
    assert init.returncode == 0, init.stderr
    logged = run(
        ["log", "session", "--exercise", "split-squat", "--reps", "10", "--load-kg", "10"], data
    )
    assert logged.returncode == 0, logged.stderr
    ran = run(["log", "run", "--minutes", "42", "--distance-km", "8.04672"], data)
    assert ran.returncode == 0, ran.stderr
    runs = run(["runs"], data).stdout
    assert " mi " in runs and "5.00" in runs and " km " not in runs
    assert json.loads(run(["runs", "--json"], data).stdout)[0]["distance_m"] == 8046.72
    assert "22 lb" in run(["history"], data).stdout
    entry = json.loads(run(["history", "--json"], data).stdout)[0]["exercises"][0]
    assert entry["sets"][0]["load_kg"] == 10


def test_a_plan_from_a_profile_file_follows_its_units(tmp_path: Path) -> None:
    kit = ("wall", "rail", "incline")  # walking backward: 5 × 100 m
    imperial = run(["plan", "--profile", str(_profile(tmp_path, "imperial", kit))], tmp_path / "d")
    assert imperial.returncode == 0, imperial.stderr
    assert "109 yd" in imperial.stdout and "100 m" not in imperial.stdout
    metric = run(["plan", "--profile", str(_profile(tmp_path, "metric", kit))], tmp_path / "d")
    assert "100 m" in metric.stdout and " yd" not in metric.stdout
    as_json = run(
        ["plan", "--json", "--profile", str(_profile(tmp_path, "imperial", kit))], tmp_path / "d"
    )
    assert " yd" not in as_json.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"start_date": date.today().isoformat(), "units": "stone"}))
    refused = run(["plan", "--profile", str(bad)], tmp_path / "d")
    assert refused.returncode != 0 and "units" in refused.stderr
