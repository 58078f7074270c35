"""The client account's password reset form (the rest of the flow is Django's)."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib.auth import forms as auth_forms

from trainerhub.accounts.models import User


class ClientPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending only to client accounts: the page answers the same
    whether or not the address has one (and for a trainer's address), so it tells nobody
    who is a client."""

    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email: str) -> Iterator[User]:
        return (u for u in super().get_users(email) if u.role == User.Role.CLIENT)
