"""The one adapter from a service's refusal to a page's form (`core/forms.py`)."""

from __future__ import annotations

from django import forms

from trainerhub.core.errors import Conflict, InvalidInput, NotAllowed
from trainerhub.core.forms import domain_errors_to_form


class _Form(forms.Form):
    name = forms.CharField(required=False)
    start = forms.CharField(required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def _form() -> _Form:
    form = _Form({"name": "x", "start": "y", "token": "z"})
    assert form.is_valid()
    return form


def test_field_messages_land_next_to_their_fields():
    form = _form()
    domain_errors_to_form(form, InvalidInput({"name": ["Too short.", "Not a name."]}))
    assert form.errors == {"name": ["Too short.", "Not a name."]}


def test_a_message_for_a_hidden_or_unknown_field_goes_to_the_top():
    form = _form()
    errors = {"token": ["Expired."], "colour": ["Unknown colour."], "non_field_errors": ["No."]}
    domain_errors_to_form(form, InvalidInput(errors))
    assert form.errors == {"__all__": ["Expired.", "Unknown colour.", "No."]}


def test_a_refusal_goes_where_the_page_says_or_to_the_top():
    taken = Conflict("That time is already booked.", code="slot_taken")
    form = _form()
    domain_errors_to_form(form, taken, refusal_field="start")
    assert form.errors == {"start": ["That time is already booked."]}
    form = _form()
    domain_errors_to_form(form, NotAllowed("This booking is cancelled."))
    assert form.errors == {"__all__": ["This booking is cancelled."]}


def test_a_refusal_that_names_its_field_goes_there():
    form = _form()
    domain_errors_to_form(form, NotAllowed("Pick another name.", field="name"))
    assert form.errors == {"name": ["Pick another name."]}
