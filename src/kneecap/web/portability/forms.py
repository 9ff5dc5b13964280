"""Deleting one's own account: the password and a typed DELETE."""

from __future__ import annotations

from typing import Any

from django import forms

from kneecap.db.accounts.users import User


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)
    confirm = forms.CharField(help_text="Type DELETE to confirm.")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self) -> str:
        confirm: str = self.cleaned_data["confirm"]
        if confirm.strip() != "DELETE":
            raise forms.ValidationError("Type DELETE in capitals to confirm.")
        return confirm
