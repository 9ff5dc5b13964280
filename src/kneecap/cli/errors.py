"""How the command line reports a problem: one line on stderr and an exit code."""

from __future__ import annotations

import sys
from typing import NoReturn


class UserError(Exception):
    """Bad input or an unusable environment; shown as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"kneecap: {message}\n")
    sys.exit(code)
