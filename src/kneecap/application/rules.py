"""The rules in force for a runner: the instance's (``settings.KNEECAP_RULES``) with the
runner's own, as a linked coach or physiotherapist set them (issue 14 §6)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

from kneecap.core.rules import Rules, RulesError, Setting, settings, with_runner_overrides
from kneecap.db.accounts.models import RunnerProfile
from kneecap.db.accounts.users import User

log = logging.getLogger(__name__)


def instance_rules() -> Rules:
    rules: Rules = django_settings.KNEECAP_RULES
    return rules


def runner_settings(user: User) -> dict[str, Any]:
    """The runner's own values (only the keys a coach or physio set)."""
    found = RunnerProfile.objects.filter(user=user).values_list("rules", flat=True).first()
    return dict(found or {})


def rules_for(user: User) -> Rules:
    """The numbers every explanation about this runner uses."""
    own = runner_settings(user)
    if not own:
        return instance_rules()
    try:
        return with_runner_overrides(instance_rules(), own)
    except RulesError as exc:
        # The instance's file changed under a runner's values (say, a pain ceiling now above
        # the safety questions' threshold): the instance's numbers hold until a coach fixes it.
        log.warning("runner %s: their own rules no longer fit the instance's: %s", user.pk, exc)
        return instance_rules()


@dataclass(frozen=True, slots=True)
class RunnerSetting:
    """One number a linked coach or physio may set for a runner, as it stands."""

    key: str
    value: Any  # in force for the runner
    instance: Any  # the instance's value, which a runner's own replaces
    own: bool  # set for this runner
    setting: Setting

    def as_dict(self) -> dict[str, Any]:
        s = self.setting
        return {
            "key": self.key,
            "value": self.value,
            "instance": self.instance,
            "own": self.own,
            "min": s.lo,
            "max": s.hi,
            "rules": s.rules,
            "meaning": s.meaning,
        }


def runner_view(user: User) -> list[RunnerSetting]:
    """The per-runner settings (pain ceiling, green ceiling, steps, deload share) in force."""
    base, now, own = instance_rules(), rules_for(user), runner_settings(user)
    return [
        RunnerSetting(key, getattr(now, key), getattr(base, key), key in own, setting)
        for key, setting in settings()
        if setting.runner
    ]
