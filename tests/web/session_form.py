"""What a person's browser sends from the session form (web/training/log_forms.py)."""

from __future__ import annotations

from typing import Any

from kneecap.core import log as core


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def form_data(session: core.SessionLog, **changes: Any) -> dict[str, str]:
    """The form as filled in for ``session``: one entry per exercise, one row per set."""
    data = {
        key: _text(getattr(session, key))
        for key in ("date", "minutes", "pain_before", "pain_after", "rpe", "notes")
    }
    data["pain_location"] = _text(session.pain_location)
    for flag in ("swelling", "twisted_or_fell"):
        if getattr(session, flag):
            data[flag] = "on"
    for i, entry in enumerate(session.exercises):
        data |= {
            f"ex{i}-level": entry.level,
            f"ex{i}-pain_during": _text(entry.pain_during),
            f"ex{i}-pain_location": _text(entry.pain_location),
            f"ex{i}-rpe": _text(entry.rpe),
            f"ex{i}-set-TOTAL_FORMS": str(len(entry.sets)),
            f"ex{i}-set-INITIAL_FORMS": str(len(entry.sets)),
            f"ex{i}-set-MIN_NUM_FORMS": "0",
            f"ex{i}-set-MAX_NUM_FORMS": "30",
        }
        for n, one in enumerate(entry.sets):
            for key, value in core.to_json(one).items():
                data[f"ex{i}-set-{n}-{key}"] = _text(value)
    return data | {k: _text(v) for k, v in changes.items()}
