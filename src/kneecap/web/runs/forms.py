from __future__ import annotations

from typing import Any

from django import forms

from kneecap.core.log import RunLog, RunType
from kneecap.db.runs.models import Activity


class ManualRunForm(forms.Form):
    """A run logged by hand, or an imported run's corrections; core checks every value."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    kind = forms.ChoiceField(choices=[(k.value, k.value) for k in RunType], label="Kind")
    minutes = forms.FloatField(min_value=1, max_value=24 * 60, label="Minutes")
    distance_km = forms.FloatField(
        min_value=0, max_value=500, required=False, label="Distance (km)"
    )
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
        if run.pk:
            done = run.to_run()
            self.initial.update(
                day=done.date,
                kind=done.kind.value,
                minutes=round(done.minutes, 1),
                distance_km=round(done.distance_m / 1000, 2) if done.distance_m else None,
                rpe=done.rpe,
                name=done.name,
                stopped_for_pain=done.stopped_for_pain,
            )

    def run(self) -> RunLog:
        data = self.cleaned_data
        km = data["distance_km"]
        return RunLog(
            data["day"],
            data["minutes"],
            km * 1000 if km is not None else None,
            RunType(data["kind"]),
            data["rpe"],
            data["name"],
            data["stopped_for_pain"],
        )


class RunFilterForm(forms.Form):
    sport = forms.CharField(required=False, max_length=40)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
