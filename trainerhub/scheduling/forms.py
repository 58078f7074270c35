"""Forms of the scheduling pages: they only parse and shape input; the services decide."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django import forms

from trainerhub.accounts.models import User
from trainerhub.core.currencies import CURRENCY_CHOICES
from trainerhub.core.timezones import zone
from trainerhub.core.widgets import LongSelect
from trainerhub.scheduling.client_reads import client_reads
from trainerhub.scheduling.models import (
    Booking,
    MeetingKind,
    Service,
    ServiceAddon,
    zoom_configured,
)

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]

SERVICE_FIELDS = list(Service.EDITABLE_FIELDS)


def local_datetime(day: date, at: time, tz_name: str) -> datetime:
    """A wall-clock time of the trainer's zone as an aware instant (fold=0, like the engine)."""
    return datetime.combine(day, at).replace(tzinfo=zone(tz_name))


def _model_choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """A model choice field of the form, typed (its queryset is set per trainer)."""
    return cast(forms.ModelChoiceField, form.fields[name])


class ServiceForm(forms.ModelForm):
    """Field shapes and limits come from the model; service_create/update validate again."""

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "color": forms.TextInput(attrs={"type": "color"}),
        }
        # The model's field names are the code's; these are the trainer's.
        labels = {
            "name": "Name",
            "description": "Description",
            "duration_minutes": "Length (minutes)",
            "price": "Price",
            "currency": "Currency",
            "price_mode": "The price is",
            "deposit_kind": "Deposit",
            "deposit_value": "Deposit (amount or %)",
            "allow_pay_at_session": "Clients may choose to pay at the session",
            "buffer_before_minutes": "Free time before (minutes)",
            "buffer_after_minutes": "Free time after (minutes)",
            "slot_interval_minutes": "Clients can start every (minutes)",
            "capacity": "Places per session",
            "min_notice_minutes": "Shortest notice (minutes)",
            "max_advance_days": "Bookable this far ahead (days)",
            "max_per_day": "Most sessions a day",
            "requires_confirmation": "I confirm each booking myself",
            "location": "Where",
            "is_online": "Held online",
            "meeting_kind": "Video meeting",
            "video_url": "Video-call link",
            "color": "Colour in your calendar",
            "bookable_online": "Clients can book it on my booking page",
        }
        help_texts = {
            "slot_interval_minutes": "Minutes between possible starts; empty = the duration.",
            "buffer_before_minutes": "Kept free before each session (setup, travel).",
            "buffer_after_minutes": "Kept free after each session (notes, travel).",
            "capacity": "1 = a private session; more = a group session.",
            "min_notice_minutes": "Clients cannot book sooner than this.",
            "max_advance_days": "Clients cannot book further ahead than this.",
            "max_per_day": "Empty = no limit.",
            "requires_confirmation": "Client bookings wait for your confirmation.",
            "bookable_online": "Offered on your public booking page.",
            "price_mode": "Per hour: a session costs the price times its length / 60.",
            "deposit_value": "For a percentage, 1 to 100 of the session's total.",
            "allow_pay_at_session": "Offered on your public booking page.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["currency"]).choices = CURRENCY_CHOICES
        # Left out of a form (an older page, a script): the model's defaults.
        for name in ("price_mode", "deposit_kind", "deposit_value", "meeting_kind"):
            self.fields[name].required = False
        if not zoom_configured() and self.instance.meeting_kind != MeetingKind.ZOOM:
            # Offered only where the operator set Zoom up (a service already on Zoom keeps
            # the choice, and the model's message says what is missing).
            kinds = cast(forms.ChoiceField, self.fields["meeting_kind"])
            kinds.choices = [c for c in MeetingKind.choices if c[0] != MeetingKind.ZOOM]

    def clean_meeting_kind(self) -> str:
        return self.cleaned_data.get("meeting_kind") or MeetingKind.FIXED

    def clean_price_mode(self) -> str:
        return self.cleaned_data.get("price_mode") or Service.PriceMode.FIXED

    def clean_deposit_kind(self) -> str:
        return self.cleaned_data.get("deposit_kind") or Service.DepositKind.NONE

    def clean_deposit_value(self) -> Any:
        value = self.cleaned_data.get("deposit_value")
        return 0 if value is None else value


class WeeklyIntervalForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, widget=forms.HiddenInput)
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        empty_label="Any service",
        help_text="Limit these hours to one service.",
    )

    def __init__(self, *args: Any, trainer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "service").queryset = Service.objects.filter(
            trainer=trainer, is_active=True
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", "The end must be after the start.")
        return data


class OverrideForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(required=False, label="Closed all day")
    intervals = forms.CharField(
        required=False,
        label="Opening hours that day",
        help_text="For example 09:00-12:00, 14:00-18:00. Leave empty if closed.",
    )
    note = forms.CharField(required=False, max_length=200)

    def clean_intervals(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("intervals", "").strip()
        intervals: list[dict[str, str]] = []
        if not text:
            return intervals
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                start_s, end_s = (p.strip() for p in part.split("-"))
                start, end = time.fromisoformat(start_s), time.fromisoformat(end_s)
            except ValueError as exc:
                raise forms.ValidationError(
                    f"“{part}” is not an interval like 09:00-12:00."
                ) from exc
            if start >= end:
                raise forms.ValidationError(f"In “{part}” the end must be after the start.")
            intervals.append({"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
        return intervals

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("closed") and "intervals" in data and not data["intervals"]:
            self.add_error("intervals", "Give the hours of that day, or tick “Closed all day”.")
        return data


class TimeOffForm(forms.Form):
    start = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    end = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reason = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", "The end must be after the start.")
        return data


class BookingForm(forms.Form):
    """Book a session by hand. `start` is a wall-clock time in the trainer's zone."""

    client: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a client", widget=LongSelect
    )
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a service"
    )
    start = forms.DateTimeField(
        label="Starts at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    notes = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_rules = forms.BooleanField(
        required=False,
        label="Book outside my rules",
        help_text="Ignores working hours, notice and day limits (never other sessions).",
    )
    # The money fields (rendered by scheduling/_booking_price.html with the chosen service's
    # add-ons); booking_create checks the add-ons belong to the service.
    addons = forms.TypedMultipleChoiceField(coerce=int, required=False, label="Add-ons")
    discount_code = forms.CharField(required=False, max_length=40, label="Discount code")
    # One of the client's packages whose credit pays (offered by package_choices; the
    # packages app checks and reserves it in booking_create's transaction).
    client_package = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="Pay with a package credit"
    )

    def __init__(self, *args: Any, trainer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainer = trainer
        cast(forms.TypedMultipleChoiceField, self.fields["addons"]).choices = [
            (a.pk, a.name) for a in ServiceAddon.objects.filter(trainer=trainer, is_active=True)
        ]
        _model_choices(self, "client").queryset = client_reads().clients_for_trainer(
            trainer=trainer, bookable_only=True
        )
        _model_choices(self, "service").queryset = Service.objects.filter(
            trainer=trainer, is_active=True
        )


class RepeatForm(forms.Form):
    """A recurring booking: the repeat part of the booking form (services.series_create)."""

    repeat = forms.BooleanField(required=False, label="Repeat this booking")
    every_weeks = forms.IntegerField(
        label="Every", min_value=1, max_value=12, initial=1, required=False
    )
    ends = forms.ChoiceField(
        label="Ends",
        choices=[("count", "After a number of sessions"), ("until", "On a date")],
        initial="count",
        widget=forms.RadioSelect,
        required=False,
    )
    count = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=52, initial=6, required=False
    )
    until = forms.DateField(
        label="Last date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    all_or_nothing = forms.TypedChoiceField(
        label="If a date is not free",
        choices=[
            ("1", "Book nothing: every date or none"),
            ("0", "Book the free dates and skip the others"),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("repeat"):
            return data
        if not data.get("every_weeks"):
            self.add_error("every_weeks", "Repeat every 1 to 12 weeks.")
        ends = data.get("ends") or "count"
        if ends == "count" and not data.get("count"):
            self.add_error("count", "How many sessions, 1 to 52?")
        if ends == "until" and not data.get("until"):
            self.add_error("until", "Give the date of the last session.")
        data["count"] = data.get("count") if ends == "count" else None
        data["until"] = data.get("until") if ends == "until" else None
        if data.get("all_or_nothing") in (None, ""):
            data["all_or_nothing"] = True
        return data

    def series(self) -> dict[str, Any]:
        """The arguments of series_create / series_preview."""
        data = self.cleaned_data
        return {
            "every_weeks": data["every_weeks"],
            "count": data["count"],
            "until": data["until"],
        }


class SessionMoveForm(forms.Form):
    """Move a group session: everyone (the default) or one attendee alone."""

    start = forms.DateTimeField(
        label="New start",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    who = forms.ChoiceField(label="Who moves", widget=forms.RadioSelect)
    override_rules = forms.BooleanField(required=False, label="Book outside my rules")

    def __init__(self, *args: Any, attendees: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = f"{len(attendees)} attendee{'s' if len(attendees) != 1 else ''}"
        everyone = f"The whole session ({people}, each told once)"
        choices = [("all", everyone)]
        choices += [(str(b.pk), f"Only {b.client.full_name}") for b in attendees]
        cast(forms.ChoiceField, self.fields["who"]).choices = choices
        self.fields["who"].initial = "all"
        self.attendees = {str(b.pk): b for b in attendees}

    def only_attendee(self) -> Booking | None:
        return self.attendees.get(self.cleaned_data["who"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    late = forms.BooleanField(required=False, label="Count as a late cancellation")
    following = forms.BooleanField(
        required=False, label="Also cancel every following session of the series"
    )


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(
        label="New start",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    override_rules = forms.BooleanField(required=False, label="Book outside my rules")


class BookingFilterForm(forms.Form):
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Booking.Status.choices]
    )
    client: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any client", widget=LongSelect
    )
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any service"
    )

    def __init__(self, *args: Any, trainer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "client").queryset = client_reads().clients_for_trainer(
            trainer=trainer
        )
        _model_choices(self, "service").queryset = Service.objects.filter(trainer=trainer)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "“To” must be on or after “From”.")
        return data
