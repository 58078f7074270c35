"""The page form of a connected Google / Microsoft account (rules live in connections.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from trainerhub.calendars.models import Connection


class ConnectionForm(forms.Form):
    busy = forms.MultipleChoiceField(
        required=False,
        label="Block these calendars' busy times",
        widget=forms.CheckboxSelectMultiple,
        help_text="Their events (not the free or transparent ones) are never offered to clients.",
    )
    write_calendar = forms.ChoiceField(
        required=False,
        label="Write bookings into",
        help_text="Each booking becomes an event there, moved and deleted with the booking.",
    )

    def __init__(self, *args: Any, connection: Connection, **kwargs: Any) -> None:
        calendars = list(connection.calendars.all())
        kwargs.setdefault(
            "initial",
            {
                "busy": [str(c.pk) for c in calendars if c.busy],
                "write_calendar": next(
                    (str(c.pk) for c in calendars if c.remote_id == connection.write_calendar),
                    "",
                ),
            },
        )
        super().__init__(*args, **kwargs)
        busy = self.fields["busy"]
        write = self.fields["write_calendar"]
        assert isinstance(busy, forms.MultipleChoiceField)
        assert isinstance(write, forms.ChoiceField)
        busy.choices = [(str(c.pk), c.name) for c in calendars]
        write.choices = [("", "None: do not write bookings")] + [
            (str(c.pk), c.name) for c in calendars if c.can_write
        ]
