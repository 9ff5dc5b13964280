"""`kneecap exercises`: the JSON interface, filters, the readable page and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kneecap.cli import exercises
from kneecap.cli.errors import UserError

KNEECAP = str(Path(sys.executable).with_name("kneecap"))


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """A fresh app with only this module's commands: no double registration on kneecap.cli.app."""
    app = typer.Typer()
    app.command("noop", hidden=True)(lambda: None)  # keeps `exercises` a sub-command
    exercises.register(app)
    return app


def run(app: typer.Typer, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, ["exercises", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.exception


def test_json_lists_every_exercise_with_its_levels(app: typer.Typer) -> None:
    code, out, _ = run(app, "--json")
    assert code == 0
    items = json.loads(out)
    assert [i["slug"] for i in items][:3] == ["walking-backward", "tibialis-raise", "reverse-sled"]
    assert len(items) == 10
    assert all(i["levels"] and "advance_when" in i["levels"][0] for i in items)


def test_filters_combine_equipment_and_stress(app: typer.Typer) -> None:
    code, out, _ = run(app, "--equipment", "sled", "-e", "stairs", "--stress", "high", "--json")
    assert code == 0
    assert [i["slug"] for i in json.loads(out)] == ["reverse-sled", "stairs"]
    code, out, _ = run(app, "--stress", "low", "--json")
    assert "knees-to-floor" not in {i["slug"] for i in json.loads(out)}


def test_the_default_listing_is_a_table(app: typer.Typer) -> None:
    code, out, _ = run(app)
    assert code == 0
    assert "tibialis-raise" in out and "3 × 10, 3 s hold, 60 s rest" in out


def test_an_unknown_equipment_is_a_usage_error(app: typer.Typer) -> None:
    code, _, _ = run(app, "--equipment", "trampoline")
    assert code == 2


def test_show_prints_a_readable_page(app: typer.Typer) -> None:
    code, out, _ = run(app, "show", "knees-to-floor")
    assert code == 0
    for text in ("Knees to floor", "Ladder", "no-rail", "Do not do this exercise if", "Sources"):
        assert text in out


def test_show_json_is_one_object(app: typer.Typer) -> None:
    code, out, _ = run(app, "show", "deep-squat-hold", "--json")
    assert code == 0
    item = json.loads(out)
    assert item["slug"] == "deep-squat-hold" and item["levels"][0]["target"]["hold_s"] == 60


def test_show_an_unknown_slug_is_a_user_error(app: typer.Typer) -> None:
    _, _, error = run(app, "show", "moonwalk")
    assert isinstance(error, UserError) and error.code == 2
    assert "moonwalk" in str(error) and "\n" not in str(error)


def test_the_installed_command_exits_2_in_one_line_for_an_unknown_slug() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECAP_", "DJANGO_"))}
    result = subprocess.run(
        [KNEECAP, "exercises", "show", "moonwalk"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "moonwalk" in result.stderr
    assert result.stdout == ""


def test_the_installed_command_prints_parseable_json_without_django() -> None:
    code = (
        "import sys\n"
        "from kneecap import cli\n"
        "cli._register()\n"
        "try:\n"
        "    cli.app(['exercises', '--json'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "assert 'django' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10
