"""Every KNEECAP_* variable the code reads is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    code = "\n".join(p.read_text() for p in (REPO / "src").rglob("*.py"))
    read = set(re.findall(r'"(KNEECAP_[A-Z_]+)"', code)) - {"KNEECAP_TRACEBACK"}
    readme = (REPO / "README.md").read_text()
    missing = sorted(v for v in read if f"`{v}`" not in readme)
    assert not missing, f"undocumented settings: {missing}"


def test_the_quick_start_is_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
