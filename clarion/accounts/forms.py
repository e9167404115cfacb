from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from clarion.accounts import services
from clarion.core.errors import InvalidInput


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the e-mail address as the user name."""

    username = forms.CharField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class OwnerForm(forms.Form):
    """The first owner: an e-mail address and a password Django's validators accept."""

    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, first, second = data.get("email"), data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif email and first:
            try:
                services.check_password(first, email=services.normalize_email(email))
            except InvalidInput as exc:
                self.add_error("password1", exc.message)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100)
    expires_in_days = forms.IntegerField(
        label="Expires after (days, empty: never)",
        min_value=1,
        max_value=3650,
        required=False,
        initial=90,
    )
