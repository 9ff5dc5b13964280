"""The runner's profile: the onboarding answers, stored in the profile-file shape that core
validates (``kneecap.core.profile``), and when the safety questions were last answered."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from kneecap.application import cache, plans, safety
from kneecap.core.profile import parse_profile
from kneecap.core.units import Units
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User


def validated(data: dict[str, Any], today: date) -> dict[str, Any]:
    """The stored shape after core's validation (raises ProfileError naming the field)."""
    parse_profile({**data, "start_date": today.isoformat()})
    return data


def stored_data(owner: User) -> dict[str, Any]:
    found = RunnerProfile.objects.filter(user=owner).values_list("data", flat=True).first()
    return dict(found or {})


def units_of(owner: User) -> Units:
    """The units the runner reads distances and loads in (metric until they choose)."""
    found = RunnerProfile.objects.filter(user=owner).values_list("data__units", flat=True).first()
    return Units(found) if found in set(Units) else Units.METRIC


def save_units(owner: User, chosen: Units) -> None:
    """The runner (or coach) reads distances and loads in ``chosen`` from now on; what is
    stored stays in metres and kilograms."""
    with transaction.atomic():
        stored, _ = RunnerProfile.objects.select_for_update().get_or_create(user=owner)
        stored.data = {**stored.data, "units": chosen.value}
        stored.save(update_fields=["data"])
        cache.changed(owner.pk)


def use_pattern(owner: User, today: date) -> RunnerProfile:
    """The runner takes the pattern their last weeks of runs show as their own."""
    proposal = plans.pattern_proposal(owner, today)
    if proposal is None:
        raise ValueError("your runs of the last three weeks agree with your pattern")
    return save_profile(owner, {**stored_data(owner), "runs": proposal.profile_runs()}, today)


def save_profile(
    owner: User,
    data: dict[str, Any],
    today: date,
    *,
    onboarded: bool = True,
    answered: bool = False,
) -> RunnerProfile:
    """Store the profile (``start_date`` and ``weeks`` are the planner's, never stored).

    ``onboarded``: the runner has finished the questions (the plan starts). ``answered``: the
    safety questions were answered just now (the gate counts from then, rule 38)."""
    data = validated({k: v for k, v in data.items() if k not in {"start_date", "weeks"}}, today)
    with transaction.atomic():
        profile, _ = RunnerProfile.objects.select_for_update().get_or_create(user=owner)
        profile.data = data
        now = timezone.now()
        if onboarded and profile.onboarded_at is None:
            profile.onboarded_at = now
        if answered:
            profile.screened_at = now
            safety.answered(owner, data.get("screening", {}))
        profile.save()
        cache.changed(owner.pk)
    if profile.onboarded_at is not None:
        plans.snapshot(owner, today)
    return profile
