"""One page of a long list (runs, history) as a domain value that can be kept.

Django's ``Page`` wraps a queryset; this holds the rows themselves, so a page is computed
once per runner version and rendered from plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    rows: tuple[T, ...]
    number: int  # 1-based
    pages: int  # at least 1
    count: int

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(raw: str) -> int:
    """A page asked for in a query string: anything that is not a small number is page 1."""
    return int(raw) if raw.isdecimal() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def bounds(count: int, per_page: int, number: int) -> tuple[int, int, int]:
    """(page, pages, offset): a page past the end is the last one, as Django's get_page."""
    pages = max(1, -(-count // per_page))
    number = min(number, pages)
    return number, pages, (number - 1) * per_page
