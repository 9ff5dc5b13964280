from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from kneecap.core.reminders import (
    FIELDS,
    MAX_LEAD_MINUTES,
    ReminderError,
    Reminders,
    parse_reminders,
)

if TYPE_CHECKING:  # generic in django-stubs only: subscripting it at run time would fail
    from kneecap.db.accounts.users import User

    _UserCreationForm = UserCreationForm[User]
else:
    _UserCreationForm = UserCreationForm


class OwnerCreationForm(_UserCreationForm):
    """An account: the first one owns the instance; later ones come from sign-up."""

    email = forms.EmailField(required=False, help_text="Used only for password resets.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class SignupForm(OwnerCreationForm):
    """Sign-up asks who is coming: a runner starts onboarding, a coach their athletes."""

    who = forms.ChoiceField(
        label="I am",
        choices=[("runner", "a runner"), ("coach", "a coach or physio")],
        initial="runner",
        required=False,  # left unsaid: a runner
        widget=forms.RadioSelect,
        help_text="A coach can still set up a plan of their own later.",
    )


UNIT_CHOICES = [
    ("metric", "Metric: kilometres, metres and kilograms"),
    ("imperial", "Imperial: miles, yards and pounds"),
]


class UnitsForm(forms.Form):
    units = forms.ChoiceField(
        choices=UNIT_CHOICES,
        widget=forms.RadioSelect,
        label="Show distances and loads in",
        help_text="Only what you read and type changes; your data stays as it is.",
    )


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What uses this token, e.g. “laptop script”.")


class TimeOfDay(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class RemindersForm(forms.Form):
    """The runner's reminders (kneecap.core.reminders); the email address they go to."""

    session_time = forms.TimeField(
        label="I do my sessions at", widget=TimeOfDay(), input_formats=["%H:%M"]
    )
    lead_minutes = forms.IntegerField(
        label="Remind me this many minutes before",
        min_value=0,
        max_value=MAX_LEAD_MINUTES,
    )
    checkin_time = forms.TimeField(
        label="Morning check-in at",
        widget=TimeOfDay(),
        input_formats=["%H:%M"],
        help_text="On the morning after a session: its rating sets the next dose.",
    )
    session_alarm = forms.BooleanField(
        label="Calendar: an alarm before each session", required=False
    )
    checkin_event = forms.BooleanField(
        label="Calendar: the morning check-in as a 5-minute event", required=False
    )
    session_email = forms.BooleanField(label="Email: before each session", required=False)
    checkin_email = forms.BooleanField(label="Email: the morning check-in", required=False)
    email = forms.EmailField(
        label="Email address", required=False, help_text="Reminders and password resets go here."
    )
    time_zone = forms.CharField(
        label="Time zone for emails",
        required=False,
        max_length=64,
        help_text="e.g. Europe/Berlin; empty: this instance's time zone.",
    )

    def reminders(self) -> Reminders:
        """The validated settings (after ``is_valid``); core's check names the field."""
        data = {k: v for k, v in self.cleaned_data.items() if k in FIELDS}
        return parse_reminders(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            parse_reminders({k: v for k, v in cleaned.items() if k in FIELDS})
        except ReminderError as exc:
            name, _, message = str(exc).partition(": ")
            self.add_error(name if name in self.fields else None, message or str(exc))
        wants_email = cleaned.get("session_email") or cleaned.get("checkin_email")
        if wants_email and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Email reminders need an email address.")
        return cleaned
