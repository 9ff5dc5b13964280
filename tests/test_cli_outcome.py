"""`kneecap outcome score` and `kneecap outcome instruments`: the JSON keys, the table, one-line
errors with exit code 2, and no Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KNEECAP = str(Path(sys.executable).with_name("kneecap"))


def kneecap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KNEECAP, "outcome", *args], capture_output=True, text=True, timeout=120, check=False
    )


def _answers(tmp_path: Path, answers: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(answers))
    return str(path)


def test_koos_12_scores_print_the_four_keys(tmp_path: Path) -> None:
    file = _answers(tmp_path, [1, 2, 1, 0, 2, 2, 3, 1, 3, 2, 2, 1])
    run = kneecap("score", "--instrument", "koos-12", "--answers", file, "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert list(result) == ["pain", "function", "quality_of_life", "summary"]
    assert result["pain"] == 75.0 and result["function"] == 50.0
    assert result["summary"] == pytest.approx(175 / 3)


def test_a_scale_without_enough_answers_is_null(tmp_path: Path) -> None:
    file = _answers(tmp_path, [None, None, None, 1, 0, 0, 0, 0, 4, 4, None, None])
    run = kneecap("score", "--instrument", "koos-12", "--answers", file, "--json")
    assert json.loads(run.stdout) == {
        "pain": None,
        "function": 100.0,
        "quality_of_life": 0.0,
        "summary": None,
    }


@pytest.mark.parametrize(
    ("instrument", "answers", "expected"),
    [
        ("sane", [80], {"score": 80.0}),
        ("psfs", [4, 7], {"score": 5.5}),
        ("koos-pf", [1] * 11, {"score": 75.0}),
        ("kujala", [0] * 13, {"score": 100.0}),
    ],
)
def test_the_other_instruments_print_their_own_keys(
    tmp_path: Path, instrument: str, answers: list[int], expected: dict[str, float]
) -> None:
    file = _answers(tmp_path, answers)
    run = kneecap("score", "--instrument", instrument, "--answers", file, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == expected


def test_the_table_names_each_score(tmp_path: Path) -> None:
    file = _answers(tmp_path, [0, 0, None, None, 4, None, None, None, 2, 2, 2, 2])
    run = kneecap("score", "--instrument", "koos-12", "--answers", file)
    assert run.returncode == 0, run.stderr
    assert "KOOS-12 (0–100, higher is better)" in run.stdout
    assert "100.0" in run.stdout and "50.0" in run.stdout
    assert "no score (too few answers)" in run.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]", "answers[3]: 5 is outside 0–4"),
        ("[0, 0, 0]", "answers: koos-12 takes 12 answers, got 3"),
        ('{"pain": [0, 0, 0, 0]}', "answers: must be a list, not dict"),
        ("[0, 0,", "not valid JSON"),
    ],
)
def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    run = kneecap("score", "--instrument", "koos-12", "--answers", str(path))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and message in run.stderr
    assert run.stderr.startswith(f"kneecap: {path}: ")


def test_a_missing_file_and_an_unknown_instrument_exit_2(tmp_path: Path) -> None:
    run = kneecap("score", "--instrument", "sane", "--answers", str(tmp_path / "none.json"))
    assert run.returncode == 2 and "cannot read" in run.stderr
    file = _answers(tmp_path, [1])
    run = kneecap("score", "--instrument", "koos", "--answers", file)
    assert run.returncode == 2
    assert run.stderr == (
        "kneecap: --instrument: no instrument 'koos' "
        "(known: sane, psfs, koos-12, koos-pf, kujala)\n"
    )


def test_instruments_lists_each_with_its_keys_and_important_changes() -> None:
    run = kneecap("instruments", "--json")
    assert run.returncode == 0, run.stderr
    listed = {i["id"]: i for i in json.loads(run.stdout)}
    assert list(listed) == ["sane", "psfs", "koos-12", "koos-pf", "kujala"]
    assert listed["koos-12"]["keys"] == ["pain", "function", "quality_of_life", "summary"]
    assert listed["koos-12"]["text"] == "owner" and listed["sane"]["text"] == "kneecap"
    assert listed["psfs"]["min_items"] == 1 and listed["psfs"]["items"] == 3
    assert listed["kujala"]["answers"][4] == [0, 4]  # squatting: five options
    change = listed["koos-pf"]["important_changes"][0]
    assert change["points"] == 16.4 and "Crossley KM" in change["source"]
    table = kneecap("instruments")
    assert table.returncode == 0 and "koos-pf score: 16.4 points" in table.stdout
    assert "koos-12: none found" in table.stdout


def test_it_runs_without_django(tmp_path: Path) -> None:
    file = _answers(tmp_path, [3])
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import kneecap.cli as c\n"
        "c._register()\n"
        f"r = CliRunner().invoke(c.app, ['outcome', 'score', '--instrument', 'psfs', "
        f"'--answers', {file!r}, '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(c.app, ['outcome', 'instruments'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
