"""Running load (rules 21–25): weekly totals, single-run spikes, session-RPE load and trend."""

from __future__ import annotations

from datetime import date as Day
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kneecap.application.progress import load_summary
from kneecap.core.load import SpikeTier, week_start
from kneecap.web.api.common import subject
from kneecap.web.api.errors import ApiError

router = Router(tags=["load"])


class WeekOut(Schema):
    week_start: Day
    distance_m: float
    minutes: float
    runs: int
    change: float | None = Field(None, description="vs the week before, as a fraction")
    compared_with: Day | None = Field(
        None, description="the Monday of the week ``change`` is measured against"
    )
    change_vs_4_weeks: float | None
    complete: bool
    highlight: bool = Field(..., description="a rise above 30 %, shown as information (rule 22)")


class DayOut(Schema):
    day: Day
    load: float = Field(..., description="Σ RPE × minutes (rule 25)")
    unrated: int
    acute: float
    chronic: float
    ratio: float | None = Field(None, description="null before 28 days of data (rule 24)")


class SpikeOut(Schema):
    day: Day
    distance_m: float
    tier: SpikeTier
    reference_m: float | None
    increase: float | None
    planned: bool
    title: str | None
    message: str | None


class LoadOut(Schema):
    today: Day
    trend_ready: bool
    weeks: list[WeekOut]
    days: list[DayOut]
    spikes: list[SpikeOut]
    weekly_note: str
    softening: str | None = Field(None, description="how the next strength session is softened")


class LoadFilter(Schema):
    since: Day | None = Field(None, description="leave out weeks, days and spikes before it")
    until: Day | None = None
    athlete: int | None = None


@router.get("/load", response=LoadOut)
def get_load(request: HttpRequest, filters: Query[LoadFilter]) -> dict[str, Any]:
    """The load view's numbers over the last 400 days; filters only trim what is shown."""
    if filters.since and filters.until and filters.since > filters.until:
        raise ApiError(422, "since: must not be after until")
    today = timezone.localdate()
    summary = load_summary(subject(request, filters.athlete), today)
    softening = summary.softening(today)
    data = summary.as_dict()
    first = filters.since or Day.min
    last = filters.until or Day.max
    data["weeks"] = [
        w for w in data["weeks"] if week_start(first) <= Day.fromisoformat(w["week_start"]) <= last
    ]
    for key in ("days", "spikes"):
        data[key] = [x for x in data[key] if first <= Day.fromisoformat(x["day"]) <= last]
    data["softening"] = softening.reason if softening else None
    return dict(data)
