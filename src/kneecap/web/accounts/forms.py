from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

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


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What uses this token, e.g. “laptop script”.")
