from __future__ import annotations

from typing import Any

from django import forms

from kneecap.core import units
from kneecap.core.log import RunLog, RunType
from kneecap.db.runs.models import Activity


class ManualRunForm(forms.Form):
    """A run logged by hand, or an imported run's corrections; core checks every value."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    kind = forms.ChoiceField(choices=[(k.value, k.value) for k in RunType], label="Kind")
    minutes = forms.FloatField(min_value=1, max_value=24 * 60, label="Minutes")
    # in the runner's km or miles (the name is kept for the forms that post it)
    distance_km = forms.FloatField(min_value=0, max_value=500, required=False)
    rpe = forms.IntegerField(
        min_value=0,
        max_value=10,
        required=False,
        label="Effort (RPE 0–10)",
        help_text="0 = rest, 10 = maximal.",
    )
    name = forms.CharField(max_length=200, required=False)
    stopped_for_pain = forms.BooleanField(
        required=False, label="I stopped this run early because of pain"
    )

    def __init__(self, *args: Any, run: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["distance_km"].label = f"Distance ({units.long_unit()})"
        self.stored_distance: float | None = None  # kept when left as shown
        if run.pk:
            done = run.to_run()
            far = round(units.long_value(done.distance_m), 2) if done.distance_m else None
            self.stored_distance = done.distance_m
            self.initial.update(
                day=done.date,
                kind=done.kind.value,
                minutes=round(done.minutes, 1),
                distance_km=far,
                rpe=done.rpe,
                name=done.name,
                stopped_for_pain=done.stopped_for_pain,
            )

    def run(self) -> RunLog:
        data = self.cleaned_data
        far = data["distance_km"]
        metres = None if far is None else units.long_metres(far)
        if far is not None and far == self.initial.get("distance_km"):
            metres = self.stored_distance  # not changed: not moved by the rounding shown
        return RunLog(
            data["day"],
            data["minutes"],
            metres,
            RunType(data["kind"]),
            data["rpe"],
            data["name"],
            data["stopped_for_pain"],
        )


class RunFilterForm(forms.Form):
    sport = forms.CharField(required=False, max_length=40)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
