from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from kneecap.db.runs.models import Activity

OLDEST = date(1970, 1, 1)


class ManualRunForm(forms.ModelForm):  # type: ignore[type-arg]
    """A run logged by hand; impossible values are refused with a message."""

    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
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

    class Meta:
        model = Activity
        fields = ("kind", "name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = True
        run = self.instance
        if run.pk:
            self.initial.update(
                day=timezone.localtime(run.start).date(),
                minutes=round((run.elapsed_s or 0) / 60, 1),
                distance_km=round(run.distance_m / 1000, 2) if run.distance_m else None,
                rpe=run.rpe,
            )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if day > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError("A run cannot be logged in the future.")
        if day < OLDEST:
            raise forms.ValidationError("That date is too far in the past.")
        return day

    def save(self, commit: bool = True) -> Activity:
        run: Activity = super().save(commit=False)
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        if not run.pk:
            run.start = timezone.make_aware(
                timezone.datetime.combine(data["day"], timezone.datetime.min.time()), tz
            ).replace(hour=12)
            run.source = "manual"
        else:
            local = timezone.localtime(run.start)
            run.start = local.replace(
                year=data["day"].year, month=data["day"].month, day=data["day"].day
            )
        run.elapsed_s = run.moving_s = data["minutes"] * 60
        run.distance_m = data["distance_km"] * 1000 if data["distance_km"] is not None else None
        run.rpe = data["rpe"]
        run.sport = "running"
        if commit:
            run.save()
        return run


class RunFilterForm(forms.Form):
    sport = forms.CharField(required=False, max_length=40)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
