"""Outcome questionnaires: a knee rating, the PSFS, KOOS-12, KOOS-PF and the Anterior Knee
Pain Scale (Kujala), scored by their published rules (docs/outcomes.md).

Pure code: no Django, no I/O beyond reading an item text file. kneecap ships the scoring,
its own wording of the free questions, and a checked file format for the licensed wording,
which the instance's owner supplies.
"""

from __future__ import annotations

from kneecap.core.outcomes.instruments import INSTRUMENTS
from kneecap.core.outcomes.itemtext import (
    ItemText,
    ItemTextEntry,
    ItemTextError,
    load_item_text,
    parse_item_text,
    shipped_item_text,
)
from kneecap.core.outcomes.model import (
    Citation,
    ImportantChange,
    Instrument,
    Item,
    Scale,
    Scoring,
    TextSource,
)
from kneecap.core.outcomes.response import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    MIN_WEEKS,
    Response,
    check_weeks,
    due_on,
    respond,
)
from kneecap.core.outcomes.scoring import OutcomeError, Scores, instrument, score, validate

__all__ = [
    "DEFAULT_WEEKS",
    "INSTRUMENTS",
    "MAX_WEEKS",
    "MIN_WEEKS",
    "Citation",
    "ImportantChange",
    "Instrument",
    "Item",
    "ItemText",
    "ItemTextEntry",
    "ItemTextError",
    "OutcomeError",
    "Response",
    "Scale",
    "Scores",
    "Scoring",
    "TextSource",
    "check_weeks",
    "due_on",
    "instrument",
    "load_item_text",
    "parse_item_text",
    "respond",
    "score",
    "shipped_item_text",
    "validate",
]
