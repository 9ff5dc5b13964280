"""The shape of an outcome questionnaire: its items, scales, scoring rule and sources.

A model holds what kneecap may ship: item counts, answer ranges, published option points,
scoring rules and citations. It never holds the wording of a licensed instrument; that comes
from a text file the instance's owner supplies (see ``itemtext``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Scoring(StrEnum):
    VALUE = "value"  # the one answer is the score (SANE)
    MEAN = "mean"  # the mean of the rated items (PSFS)
    KOOS = "koos"  # per scale 100 − 100 × mean item ÷ item maximum, with enough items answered
    POINTS = "points"  # the sum of each chosen option's published points (Kujala)


class TextSource(StrEnum):
    KNEECAP = "kneecap"  # kneecap's own words, shipped and free to use
    OWNER = "owner"  # licensed wording the instance's owner supplies; kneecap never ships it


@dataclass(frozen=True, slots=True)
class Citation:
    authors: str  # empty when the stored source did not name them
    title: str
    where: str  # journal, year;volume(issue):pages
    year: int
    doi: str = ""

    def __str__(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        authors = f"{self.authors}. " if self.authors else ""
        title = self.title if self.title.endswith(("?", "!", ".")) else f"{self.title}."
        return f"{authors}{title} {self.where}.{doi}"


@dataclass(frozen=True, slots=True)
class ImportantChange:
    """A published smallest change that patients find important, for one score key."""

    points: float
    key: str
    context: str  # who was studied and how, in a few words
    source: Citation

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "key": self.key,
            "context": self.context,
            "source": str(self.source),
        }


@dataclass(frozen=True, slots=True)
class Item:
    """One answer slot: a whole number from ``low`` to ``high``.

    ``key`` is a neutral topic id ("limp", "pain-2"), never an item's wording. ``labelled``
    items have one worded option per answer; the others are a number on a scale (SANE's
    percentage, a PSFS rating). ``points`` are an option's published points, in option order.
    """

    key: str
    low: int
    high: int
    labelled: bool = True
    points: tuple[int, ...] = ()

    @property
    def option_count(self) -> int:
        return self.high - self.low + 1


@dataclass(frozen=True, slots=True)
class Scale:
    """A score key computed from some items (0-based positions) when enough are answered."""

    key: str
    items: tuple[int, ...]
    min_answered: int


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    scoring: Scoring
    score_range: tuple[int, int]
    higher_answer_is_better: bool
    text_source: TextSource
    licence_note: str
    sources: tuple[Citation, ...]
    important_changes: tuple[ImportantChange, ...] = ()
    summary: str | None = None  # a key that is the mean of all the scales
    min_items: int | None = None  # fewer answers allowed (PSFS: 1 to 3 activities)
    text_items: int | None = None  # item texts in a text file when not one per item

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys of a score, in order."""
        extra = (self.summary,) if self.summary else ()
        return tuple(s.key for s in self.scales) + extra

    @property
    def shortest(self) -> int:
        return len(self.items) if self.min_items is None else self.min_items

    @property
    def text_count(self) -> int:
        return len(self.items) if self.text_items is None else self.text_items

    def scale_of(self, position: int) -> str:
        return next(s.key for s in self.scales if position in s.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "items": len(self.items),
            "min_items": self.shortest,
            "answers": [[item.low, item.high] for item in self.items],
            "keys": list(self.keys),
            "score_range": list(self.score_range),
            "text": self.text_source.value,
            "licence_note": self.licence_note,
            "sources": [str(c) for c in self.sources],
            "important_changes": [c.as_dict() for c in self.important_changes],
        }
