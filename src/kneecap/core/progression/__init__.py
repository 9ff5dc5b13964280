"""The progression engine: the next dose of each exercise from its ladder, the training log
and the pain gate, with the reasons in words and the rule numbers (issue 6, evidence brief
§1, §2, §6.6). See docs/progression.md.
"""

from kneecap.core.progression.config import DEFAULT_CONFIG, ProgressionConfig
from kneecap.core.progression.context import context_from_profile
from kneecap.core.progression.engine import decide, progress
from kneecap.core.progression.model import (
    Action,
    Context,
    Decision,
    Missing,
    MissingRating,
    Report,
)
from kneecap.core.progression.pain import Gate, Reading, Trend, read_gate, week_trend

__all__ = [
    "DEFAULT_CONFIG",
    "Action",
    "Context",
    "Decision",
    "Gate",
    "Missing",
    "MissingRating",
    "ProgressionConfig",
    "Reading",
    "Report",
    "Trend",
    "context_from_profile",
    "decide",
    "progress",
    "read_gate",
    "week_trend",
]
