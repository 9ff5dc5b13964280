"""The boundary: the core and the readers never load Django, even indirectly."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kneecap.core
import kneecap.ingest


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [m.name for m in pkgutil.walk_packages(path, prefix)]


def test_core_and_ingest_import_without_django() -> None:
    modules = _modules(kneecap.core) + _modules(kneecap.ingest)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'})\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_commands_without_a_database_do_not_load_django() -> None:
    code = (
        "import sys\n"
        "from kneecap import cli\n"
        "cli._register()\n"
        "assert 'django' not in sys.modules, 'the CLI loaded Django at import'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
