"""The first-use wizard: running week, races and preferences, safety questions.

The answers are stored in the profile-file shape (kneecap.core.profile), so the web app,
the API and ``kneecap plan --profile`` read one format and core validates it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kneecap.application import profile
from kneecap.core import units
from kneecap.core.catalog.model import Equipment
from kneecap.core.profile import WEEKDAYS, Experience, ProfileError, RunKind
from kneecap.core.screening import QUESTIONS, Group
from kneecap.web.accounts.forms import UNIT_CHOICES
from kneecap.web.http import AuthenticatedHttpRequest

DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
DEFAULT_WEEK = {
    "mon": ("rest", 0),
    "tue": ("quality", 50),
    "wed": ("easy", 40),
    "thu": ("easy", 40),
    "fri": ("rest", 0),
    "sat": ("easy", 30),
    "sun": ("long", 90),
}
GROUP_TITLES = {
    Group.PRE_EXERCISE: "Before you start",
    Group.KNEE_HISTORY: "Your knee history",
    Group.ACUTE_INJURY: "A recent knee injury",
    Group.URGENT: "Right now",
    Group.SEE_SOON: "Over the last weeks",
}
STEPS = ("running", "preferences", "safety")


class RunningForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"{day}_kind"] = forms.ChoiceField(
                label=DAY_NAMES[day], choices=[(k.value, k.value) for k in RunKind]
            )
            self.fields[f"{day}_minutes"] = forms.IntegerField(
                label=f"{DAY_NAMES[day]} minutes", min_value=0, max_value=600, initial=0
            )

    def days(self) -> list[tuple[str, Any, Any]]:
        return [(DAY_NAMES[d], self[f"{d}_kind"], self[f"{d}_minutes"]) for d in WEEKDAYS]

    def to_profile(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "runs": {
                d: {"kind": data[f"{d}_kind"], "minutes": data[f"{d}_minutes"]} for d in WEEKDAYS
            }
        }


class PreferencesForm(forms.Form):
    equipment = forms.MultipleChoiceField(
        choices=[(e.value, e.value) for e in Equipment if e is not Equipment.NONE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only exercises you can do with these are planned.",
    )
    sessions_per_week = forms.IntegerField(min_value=0, max_value=7, initial=2)
    minutes_per_session = forms.IntegerField(min_value=5, max_value=180, initial=25)
    experience = forms.ChoiceField(choices=[(e.value, e.value) for e in Experience])
    knee_pain_now = forms.IntegerField(
        min_value=0, max_value=10, initial=0, label="Knee pain right now (0–10)"
    )
    knee_pain_where = forms.CharField(
        max_length=200,
        required=False,
        label="Where it hurts (if it does)",
        help_text="For example: front of the knee, below the kneecap, outside of the knee.",
    )
    race_date = forms.DateField(
        required=False, label="Next race (optional)", widget=forms.DateInput(attrs={"type": "date"})
    )
    race_priority = forms.ChoiceField(
        choices=[
            ("A", "A: my goal race (the plan tapers for it)"),
            ("B", "B: a race that matters, without a taper"),
            ("C", "C: a race run as training"),
        ],
        initial="A",
    )
    race_distance_km = forms.FloatField(
        required=False, min_value=0.1, max_value=1000, label="Race distance (km, optional)"
    )
    units = forms.ChoiceField(
        choices=UNIT_CHOICES,
        initial="metric",
        required=False,  # metric unless chosen
        widget=forms.RadioSelect,
        label="Show distances and loads in",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = units.long_unit()  # the units chosen before, metric at first
        self.fields["race_distance_km"].label = f"Race distance ({unit}, optional)"

    def to_profile(self) -> dict[str, Any]:
        data = self.cleaned_data
        races = []
        if data["race_date"]:
            race = {"date": data["race_date"].isoformat(), "priority": data["race_priority"]}
            if data["race_distance_km"]:  # typed in the runner's km or miles
                race["distance_km"] = round(units.long_metres(data["race_distance_km"]) / 1000, 3)
            races.append(race)
        return {
            "equipment": sorted(data["equipment"]),
            "sessions_per_week": data["sessions_per_week"],
            "minutes_per_session": data["minutes_per_session"],
            "experience": data["experience"],
            "knee_pain_now": data["knee_pain_now"],
            "knee_pain_where": data["knee_pain_where"],
            "races": races,
            "units": data["units"] or "metric",
        }


def _ids(group: Group, keep: Any = lambda q: True) -> tuple[str, ...]:
    return tuple(q.id for q in QUESTIONS if q.group is group and keep(q))


def _sided(q: Any) -> bool:
    return bool(q.id.endswith(("_left", "_right")))


# The safety questions as a person meets them: what is true right now first, then a recent
# injury, the knees lately, the knees' history and the rest about them (age is not about an
# injury). Only the page's order: core.screening's groups decide what each answer means.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("now", "Right now", _ids(Group.URGENT)),
    ("injury", "A recent knee injury", _ids(Group.ACUTE_INJURY, lambda q: q.id != "acute_age_55")),
    ("lately", "Your knees over the last weeks", _ids(Group.SEE_SOON, _sided)),
    ("history", "Your knees' history", _ids(Group.KNEE_HISTORY)),
    (
        "you",
        "About you",
        (
            *_ids(Group.PRE_EXERCISE),
            "acute_age_55",
            *_ids(Group.SEE_SOON, lambda q: not _sided(q)),
        ),
    ),
)
_QUESTION = {q.id: q.question for q in QUESTIONS}


@dataclass
class Section:
    key: str
    title: str
    none: Any  # the "None of these apply" box
    rows: list[tuple[str, list[tuple[Any, str]]]]  # a question and its boxes (Yes, or each leg)
    count: int
    answered: bool  # a yes in it, or what is true right now: shown open


class SafetyForm(forms.Form):
    """Yes/no questions (a ticked box is a yes), grouped for a phone, each group with a
    "None of these apply"; the screening stores the same answers as before."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in QUESTIONS:
            field = forms.BooleanField(required=False, label=q.question)
            field.widget.attrs["aria-label"] = q.question
            self.fields[q.id] = field
        for key, _, _ in SECTIONS:
            self.fields[f"none_{key}"] = forms.BooleanField(
                required=False, label="None of these apply"
            )

    def sections(self) -> list[Section]:
        out = []
        for key, title, ids in SECTIONS:
            rows: list[tuple[str, list[tuple[Any, str]]]] = []
            for qid in ids:
                if qid.endswith("_right"):
                    continue  # asked with its left twin
                if qid.endswith("_left"):
                    twin = qid.removesuffix("_left") + "_right"
                    text = _QUESTION[qid].replace("your left knee", "a knee")
                    text = text.replace("your left leg", "a leg").replace("left ", "")
                    rows.append((text, [(self[qid], "Left"), (self[twin], "Right")]))
                else:
                    rows.append((_QUESTION[qid], [(self[qid], "Yes")]))
            answered = key == "now" or any(self[qid].value() for qid in ids)
            rows_count = len(rows)
            out.append(Section(key, title, self[f"none_{key}"], rows, rows_count, answered))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, title, ids in SECTIONS:
            if data.get(f"none_{key}") and any(data.get(qid) for qid in ids):
                raise forms.ValidationError(
                    f"{title}: you ticked “None of these apply” and answered yes to a question"
                    " in it. Untick one of them."
                )
        return data

    def to_profile(self) -> dict[str, Any]:
        return {"screening": {q.id: bool(self.cleaned_data[q.id]) for q in QUESTIONS}}


FORMS: dict[str, type[RunningForm | PreferencesForm | SafetyForm]] = {
    "running": RunningForm,
    "preferences": PreferencesForm,
    "safety": SafetyForm,
}


def _race_distance(km: float | None) -> float | None:
    """A race's kilometres as the form shows them: in the runner's km or miles."""
    return None if km is None else round(units.long_value(km * 1000), 2)


def initial_for(step: str, data: dict[str, Any]) -> dict[str, Any]:
    if step == "running":
        runs = data.get("runs") or {
            d: {"kind": k, "minutes": m} for d, (k, m) in DEFAULT_WEEK.items()
        }
        flat: dict[str, Any] = {}
        for day, spec in runs.items():
            flat[f"{day}_kind"], flat[f"{day}_minutes"] = spec["kind"], spec["minutes"]
        return flat
    if step == "preferences":
        races = data.get("races") or []
        return {
            **{k: v for k, v in data.items() if k in PreferencesForm.base_fields},
            "race_date": races[0]["date"] if races else None,
            "race_priority": races[0]["priority"] if races else "A",
            "race_distance_km": _race_distance(races[0].get("distance_km") if races else None),
        }
    return dict(data.get("screening", {}))


@login_required
def wizard(request: AuthenticatedHttpRequest, step: str = "running") -> HttpResponse:
    if step not in FORMS:
        raise Http404
    stored = profile.stored_data(request.user)
    data = request.POST if request.method == "POST" else None
    form = FORMS[step](data, initial=initial_for(step, stored))
    if request.method == "POST" and form.is_valid():
        merged = {**stored, **form.to_profile()}
        last = STEPS.index(step) == len(STEPS) - 1
        try:
            profile.save_profile(
                request.user,
                merged,
                timezone.localdate(),
                onboarded=last,
                answered=step == "safety",
            )
        except ProfileError as exc:
            form.add_error(None, str(exc))
        else:
            if last:
                return redirect("kc-plan")
            return redirect("kc-onboarding-step", step=STEPS[STEPS.index(step) + 1])
    return render(
        request,
        f"onboarding/{step}.html",
        {"form": form, "step": step, "number": STEPS.index(step) + 1, "steps": len(STEPS)},
    )
