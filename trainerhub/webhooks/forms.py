"""Page forms for webhook endpoints (rules live in services)."""

from __future__ import annotations

from django import forms

from trainerhub.webhooks.models import EVENTS

EVENT_CHOICES = [(e, e) for e in EVENTS]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Receiver URL",
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="An https:// address of your own system that accepts POSTed JSON.",
    )
    description = forms.CharField(max_length=200, required=False, label="Description")
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, label="Events to send"
    )
