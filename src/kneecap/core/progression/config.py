"""The progression engine's numbers: the one rules config of ``kneecap.core.rules``.

``ProgressionConfig`` and ``DEFAULT_CONFIG`` are the names the engine's callers know; they
are :class:`~kneecap.core.rules.Rules` and its defaults.
"""

from __future__ import annotations

from kneecap.core.rules import DEFAULT_RULES, Rules

ProgressionConfig = Rules
DEFAULT_CONFIG = DEFAULT_RULES

__all__ = ["DEFAULT_CONFIG", "ProgressionConfig"]
