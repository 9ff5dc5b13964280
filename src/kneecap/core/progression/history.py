"""One exercise's history, session by session: the level, the dose done and its pain gate.

A :class:`Track` is one session of one exercise as the engine counts it; the replay that
builds them is :mod:`kneecap.core.progression.replay`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

from kneecap.core.catalog.model import Level, Prescription
from kneecap.core.log import ExerciseLog, SessionLog
from kneecap.core.progression.config import ProgressionConfig
from kneecap.core.progression.pain import Gate, Ratings, Reading, read_gate


@dataclass(frozen=True, slots=True)
class Gauge:
    """What reads one exercise's pain gate, the same for each of its sessions."""

    baseline: int  # rule 17: the usual morning rating
    cfg: ProgressionConfig
    knee_loading: bool  # rule 17 regresses knee-loading work only
    as_of: date | None  # the day of the decision: a next morning then is still to come


class Track:
    """One session of one exercise. The reading's facts in words are written only when
    asked for: a replay makes thousands of tracks and shows the last few."""

    __slots__ = (
        "_gauge",
        "_reading",
        "date",
        "done",
        "dose",
        "entry",
        "gate",
        "level",
        "ratings",
        "session",
        "short",
        "since",
        "streak",
    )

    def __init__(
        self,
        session: SessionLog,
        entry: ExerciseLog,
        level: Level,
        dose: Prescription,  # what was done (or proposed, when no set was logged)
        gate: Gate,
        streak: int,  # green sessions in a row at this level and dose, ending here
        since: date,  # the first session in a row at this level and dose
        done: bool,  # sets were logged
        short: bool,  # rule 12: two or more sets under the level's starting reps
        ratings: Ratings,  # the session's after and next-morning ratings
        gauge: Gauge,
    ) -> None:
        self.session, self.entry, self.level, self.dose, self.gate = (
            session,
            entry,
            level,
            dose,
            gate,
        )
        self.streak, self.since, self.done, self.short = streak, since, done, short
        self.ratings, self._gauge = ratings, gauge
        self.date = session.date
        self._reading: Reading | None = None

    @property
    def reading(self) -> Reading:
        if self._reading is None:
            g = self._gauge
            self._reading = read_gate(
                self.entry,
                self.session,
                g.baseline,
                g.cfg,
                knee_loading=g.knee_loading,
                ratings=self.ratings,
                as_of=g.as_of,
            )
        return self._reading


# A track as the replay records it: the fields of ``Track`` up to ``ratings``, in order.
Record = tuple[SessionLog, ExerciseLog, Level, Prescription, Gate, int, date, bool, bool, Ratings]


class Tracks(Sequence[Track]):
    """One exercise's tracks in session order. Each is recorded as a plain tuple and made a
    :class:`Track` when it is read (then kept): the engine reads the last few."""

    __slots__ = ("_gauge", "_made", "records")

    def __init__(self, gauge: Gauge) -> None:
        self.records: list[Record] = []
        self._gauge = gauge
        self._made: dict[int, Track] = {}

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> Track: ...

    @overload
    def __getitem__(self, index: slice) -> list[Track]: ...

    def __getitem__(self, index: int | slice) -> Track | list[Track]:
        n = len(self.records)
        if isinstance(index, slice):
            return [self._track(i) for i in range(*index.indices(n))]
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(index)
        return self._track(i)

    def _track(self, i: int) -> Track:
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = Track(*self.records[i], self._gauge)
        return made

    def dates(self) -> Sequence[date]:
        """Every track's date, read as asked for, without making the tracks."""
        return _Dates(self.records)


class _Dates(Sequence[date]):
    __slots__ = ("_records",)

    def __init__(self, records: list[Record]) -> None:
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> date: ...

    @overload
    def __getitem__(self, index: slice) -> list[date]: ...

    def __getitem__(self, index: int | slice) -> date | list[date]:
        if isinstance(index, slice):
            return [r[0].date for r in self._records[index]]
        return self._records[index][0].date
