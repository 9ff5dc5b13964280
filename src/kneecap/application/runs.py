"""Runs logged by hand, corrected or deleted (imports are ``kneecap.application.imports``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from kneecap.application import cache, imports, safety, tasks
from kneecap.application.listing import Listing, bounds
from kneecap.application.record import check_day
from kneecap.core.log import RunLog
from kneecap.db.accounts.users import User
from kneecap.db.runs.models import Activity

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class RunRow:
    """A run as the list shows it."""

    pk: int
    day: date
    sport: str
    kind: str
    distance_m: float | None
    elapsed_s: float | None
    avg_hr: int | None
    source: str


@dataclass(frozen=True, slots=True)
class RunPage:
    listing: Listing[RunRow]
    sports: tuple[str, ...]  # every sport the runner has, for the filter


def run_page(owner: User, filters: dict[str, Any], number: int) -> RunPage:
    """One page of the runner's runs, newest first, with the filter's choices (kept per
    version: the list is read far more often than a run is added)."""
    chosen = {k: filters.get(k) for k in ("sport", "since", "until")}
    kind = "runs:" + ":".join(str(v or "") for v in chosen.values()) + f":{number}"
    return cache.kept(owner, kind, timezone.localdate(), lambda: _run_page(owner, chosen, number))


def _run_page(owner: User, chosen: dict[str, Any], number: int) -> RunPage:
    found = Activity.objects.filter(owner=owner)
    if chosen["sport"]:
        found = found.filter(sport=chosen["sport"])
    if chosen["since"]:
        found = found.filter(start__date__gte=chosen["since"])
    if chosen["until"]:
        found = found.filter(start__date__lte=chosen["until"])
    total = found.count()
    number, pages, offset = bounds(total, PER_PAGE, number)
    zone = timezone.get_current_timezone()
    fields = ("pk", "start", "sport", "kind", "distance_m", "elapsed_s", "avg_hr", "source")
    rows = tuple(
        RunRow(pk, start.astimezone(zone).date(), *rest)
        for pk, start, *rest in found.order_by("-start").values_list(*fields)[
            offset : offset + PER_PAGE
        ]
    )
    # order_by("sport") replaces the model's ordering: with it DISTINCT covered every run
    sports = Activity.objects.filter(owner=owner).order_by("sport").values_list("sport")
    return RunPage(Listing(rows, number, pages, total), tuple(s for (s,) in sports.distinct()))


def listed(
    owner: User,
    fields: tuple[str, ...],
    filters: tuple[str | None, date | None, date | None],
    offset: int,
    limit: int,
) -> tuple[int, tuple[tuple[Any, ...], ...]]:
    """(count, rows): the API's page of runs, newest first, each row the ``fields`` asked for
    (kept per version, like the web list)."""
    sport, since, until = filters
    kind = f"api-runs:{','.join(fields)}:{sport or ''}:{since or ''}:{until or ''}:{offset}:{limit}"

    def compute() -> tuple[int, tuple[tuple[Any, ...], ...]]:
        found = Activity.objects.filter(owner=owner).order_by("-start")
        if sport:
            found = found.filter(sport=sport)
        if since:
            found = found.filter(start__date__gte=since)
        if until:
            found = found.filter(start__date__lte=until)
        rows = found.values_list(*fields)[offset : offset + limit]
        return found.count(), tuple(rows)

    return cache.kept(owner, kind, timezone.localdate(), compute)


def add_run(owner: User, run: RunLog, today: date) -> Activity:
    check_day(run.date, today, ahead=1)
    row = Activity.from_run(run, owner=owner)
    with transaction.atomic():
        row.save()
        _written(owner, today)
    return row


def edit_run(owner: User, run_id: int, run: RunLog, today: date) -> Activity:
    check_day(run.date, today, ahead=1)
    with transaction.atomic():
        row = Activity.objects.select_for_update().get(pk=run_id, owner=owner)
        row.apply(run)
        row.save()
        _written(owner, today)
    return row


def delete_run(owner: User, run_id: int) -> None:
    with transaction.atomic():
        imports.delete_activity(Activity.objects.get(pk=run_id, owner=owner))
        tasks.written(owner)


def _written(owner: User, today: date) -> None:
    tasks.written(owner)
    safety.note_triggers(owner, today)  # a run stopped for pain (rule 38)
