from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class OwnerCreationForm(UserCreationForm):  # type: ignore[type-arg]
    """An account: the first one owns the instance; later ones come from sign-up."""

    email = forms.EmailField(required=False, help_text="Used only for password resets.")

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        model = get_user_model()
        fields = ("username", "email")


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What uses this token, e.g. “laptop script”.")
