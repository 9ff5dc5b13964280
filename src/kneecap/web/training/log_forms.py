"""Log or fix a session without the timer: one form per exercise and a formset of its sets,
with the fields of the exercise's dose. The forms only gather what a person typed; the
values become core's session through ``core.from_json``, the same door every other one uses,
and an error names what the person sees ("Set 2 of Split squat: Reps ...")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from kneecap.core import log as core
from kneecap.core import units
from kneecap.core.catalog import DoseKind, Exercise
from kneecap.core.log import PAIN_MAX, LogError, PainLocation
from kneecap.core.screening import Leg

# A set's amounts, in the order a person reads them, with the words they see.
SET_FIELDS: dict[str, tuple[str, bool, int]] = {  # (words, whole number, most)
    "reps": ("Reps", True, 1000),
    "hold_s": ("Hold (seconds)", False, 3600),
    "duration_s": ("Time (seconds)", False, 7200),
    "distance_m": ("Distance (metres)", False, 10_000),
    "flights": ("Flights of stairs", True, 200),
    "load_kg": ("Added load (kg)", False, 500),
}
_BY_KIND = {
    DoseKind.REPS: "reps",
    DoseKind.HOLD: "hold_s",
    DoseKind.DISTANCE: "distance_m",
    DoseKind.TIME: "duration_s",
    DoseKind.FLIGHTS: "flights",
}
PAIN_PLACES = [
    ("", "Not said (counts as knee pain)"),
    (PainLocation.MUSCLE.value, "sore muscles (not the knee)"),
    (PainLocation.JOINT.value, "in or around the knee joint"),
    (PainLocation.TENDON.value, "a tendon"),
    (PainLocation.BONE.value, "a sore spot on a bone"),
]


def _pain(label: str) -> forms.IntegerField:
    return forms.IntegerField(min_value=0, max_value=PAIN_MAX, required=False, label=label)


def set_keys(exercise: Exercise) -> list[str]:
    """The amounts this exercise's levels are dosed in (its dose kind's first)."""
    used = {_BY_KIND[exercise.dose_kind]}
    for level in exercise.levels:
        for dose in (level.prescription, level.target):
            if dose is not None:
                used |= {k for k in SET_FIELDS if getattr(dose, k) is not None}
    return [k for k in SET_FIELDS if k in used]


class SessionForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.FloatField(min_value=0, max_value=600, required=False, label="Minutes")
    pain_before = _pain("Knee pain before (0–10)")
    pain_after = _pain("Knee pain after (0–10)")
    rpe = forms.FloatField(min_value=0, max_value=10, required=False, label="Effort (RPE 0–10)")
    pain_location = forms.ChoiceField(choices=PAIN_PLACES, required=False, label="Where it hurt")
    swelling = forms.BooleanField(required=False, label="The knee swelled afterwards")
    twisted_or_fell = forms.BooleanField(required=False, label="I twisted the knee or fell")
    notes = forms.CharField(
        max_length=core.NOTES_MAX,
        required=False,
        strip=False,  # kept as typed, like every other door keeps it
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExerciseForm(forms.Form):
    level = forms.ChoiceField()
    pain_during = _pain("Knee pain during (0–10)")
    pain_location = forms.ChoiceField(choices=PAIN_PLACES, required=False, label="Where")
    rpe = forms.FloatField(min_value=0, max_value=10, required=False, label="Effort (RPE 0–10)")
    remove = forms.BooleanField(required=False, label="Not done: leave it out")

    def __init__(self, exercise: Exercise, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)  # noqa: S101 - declared so above
        level.choices = [(lvl.slug, lvl.name) for lvl in exercise.levels]


class SetForm(forms.Form):
    """One set; built with the fields of its exercise (``keys``)."""

    def __init__(self, *args: Any, keys: list[str], per_side: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in keys:
            label, whole, most = _in_units(key)
            kind = forms.IntegerField if whole else forms.FloatField
            field = kind(min_value=0, max_value=most, required=False, label=label)
            field.widget.attrs["aria-label"] = label
            self.fields[key] = field
        if per_side:
            self.fields["side"] = forms.ChoiceField(
                choices=[("", "both")] + [(leg.value, leg.value) for leg in Leg],
                required=False,
                label="Leg",
            )


SetFormSet: type[BaseFormSet[SetForm]] = formset_factory(SetForm, extra=1, max_num=30)


@dataclass
class Entry:
    """One exercise of the page: its form and its sets' formset."""

    exercise: Exercise
    form: ExerciseForm
    sets: BaseFormSet[SetForm]


def entries_for(items: list[tuple[Exercise, core.ExerciseLog | None]], data: Any) -> list[Entry]:
    """A form and a set formset for each exercise, filled from what was logged (an edit) or
    planned (a new log: the planned sets at the planned dose)."""
    out = []
    for i, (exercise, before) in enumerate(items):
        initial: dict[str, Any] = {"level": before.level if before else exercise.levels[0].slug}
        if before is not None:
            initial |= {"pain_during": before.pain_during, "rpe": before.rpe}
            initial["pain_location"] = before.pain_location.value if before.pain_location else ""
        sets = [_shown(core.to_json(s)) for s in (before.sets if before else ())]
        keys = set_keys(exercise)
        keys += [k for k in SET_FIELDS if k not in keys and any(k in one for one in sets)]
        per_side = exercise.per_side or any("side" in one for one in sets)
        formset = SetFormSet(
            data,
            prefix=f"ex{i}-set",
            initial=sets,
            form_kwargs={"keys": keys, "per_side": per_side},
        )
        form = ExerciseForm(exercise, data, prefix=f"ex{i}", initial=initial)
        out.append(Entry(exercise, form, formset))
    return out


# The amounts a person types in their units (``kneecap.core.units``): (to shown, to stored).
_CONVERTED: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "distance_m": (units.short_value, units.short_metres),
    "load_kg": (units.load_value, units.load_kg),
}


def _in_units(key: str) -> tuple[str, bool, int]:
    """A set field's words, kind and most, in the viewer's units."""
    label, whole, most = SET_FIELDS[key]
    if key == "distance_m":
        named = "yards" if units.short_unit() == "yd" else "metres"
        return f"Distance ({named})", whole, round(units.short_value(most))
    if key == "load_kg":
        return f"Added load ({units.load_unit()})", whole, round(units.load_value(most))
    return label, whole, most


def _shown(logged: dict[str, Any]) -> dict[str, Any]:
    """A logged set as the form shows it: in the viewer's units, one decimal; the stored
    values are kept beside it, so that a value left as shown is saved exactly as it was."""
    shown: dict[str, Any] = {"stored": {}}
    for k, v in logged.items():
        if v is None:
            continue
        if k in _CONVERTED:
            shown["stored"][k] = v
            v = round(_CONVERTED[k][0](v), 1)
        shown[k] = _plain(v)
    return shown


def _stored(key: str, typed: Any, initial: Mapping[str, Any]) -> Any:
    """A typed amount in metres or kilograms (unchanged when left as it was shown)."""
    if key not in _CONVERTED:
        return typed
    if key in initial.get("stored", {}) and initial.get(key) == typed:
        return initial["stored"][key]
    return _CONVERTED[key][1](typed)


def _plain(value: Any) -> Any:
    """100.0 shown as a person writes it, 100."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def session_of(form: SessionForm, entries: list[Entry], keep: core.SessionLog | None) -> Any:
    """The session as core's JSON shape, from valid forms; what an edit does not show (the
    next morning, twists) is kept from the session it edits."""
    data = form.cleaned_data
    base = core.to_json(keep) if keep else {}
    session = {
        **base,
        "date": data["date"].isoformat(),
        "minutes": data["minutes"],
        "pain_before": data["pain_before"],
        "pain_after": data["pain_after"],
        "rpe": data["rpe"],
        "pain_location": data["pain_location"] or None,
        "swelling": data["swelling"],
        "twisted_or_fell": data["twisted_or_fell"],
        "notes": data["notes"],
        "exercises": [],
    }
    for entry in entries:
        chosen = entry.form.cleaned_data
        if chosen.get("remove"):
            continue
        sets = []
        for typed in entry.sets.forms:
            # a blank row is a set not done
            given = typed.cleaned_data.items()
            amounts = {k: _stored(k, v, typed.initial) for k, v in given if v not in (None, "")}
            if amounts:
                sets.append(amounts)
        session["exercises"].append(
            {
                "exercise": entry.exercise.slug,
                "level": chosen["level"],
                "pain_during": chosen["pain_during"],
                "pain_location": chosen["pain_location"] or None,
                "rpe": chosen["rpe"],
                "sets": sets,
            }
        )
    return core.from_json(core.SessionLog, session)


def form_errors(form: SessionForm, entries: list[Entry]) -> list[str]:
    """Every problem, named as the person sees it on the page."""
    out = [
        f"{_label(form, name)}: {' '.join(str(e) for e in errs)}"
        for name, errs in form.errors.items()
    ]
    for entry in entries:
        name = entry.exercise.name
        out += [
            f"{name}, {_label(entry.form, key)}: {' '.join(str(e) for e in errs)}"
            for key, errs in entry.form.errors.items()
        ]
        for n, one in enumerate(entry.sets.forms, 1):
            out += [
                f"Set {n} of {name}: {_label(one, key)} {' '.join(str(e) for e in errs)}"
                for key, errs in one.errors.items()
            ]
        out += [f"{name}: {e}" for e in entry.sets.non_form_errors()]
    return out


def _label(form: forms.Form, key: str) -> str:
    field = form.fields.get(key)
    return str(field.label) if field is not None and field.label else key.replace("_", " ")


_PATH = re.compile(r"^exercises\[(\d+)\](?:\.sets\[(\d+)\])?(?:\.(\w+))?$")


def in_words(exc: LogError, kept: list[Entry]) -> str:
    """A problem core found, its path ("exercises[1].sets[0].reps") put as the page names
    it ("Set 1 of Split squat: Reps ...")."""
    match = _PATH.match(exc.field)
    if match is None:
        top = {"date": "Date", "pain_after": "Knee pain after", "pain_before": "Knee pain before"}
        where = top.get(exc.field, exc.field.replace("_", " ").capitalize())
        return f"{where}: {exc.problem}" if where else exc.problem
    index, set_index, key = match.groups()
    done = [e for e in kept if not e.form.cleaned_data.get("remove")]
    name = done[int(index)].exercise.name if int(index) < len(done) else "An exercise"
    words = SET_FIELDS[key][0] if key in SET_FIELDS else (key or "").replace("_", " ")
    if set_index is not None:
        return f"Set {int(set_index) + 1} of {name}: {words} {exc.problem}"
    return f"{name}: {words} {exc.problem}".replace(":  ", ": ")
