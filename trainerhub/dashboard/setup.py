"""A new trainer's setup checklist: what is still missing before clients can book.

Each step is read from the real state (hours, services, the booking page, reminders), so it
ticks itself off as the trainer goes; the dashboard shows the list until every step is done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.notifications.channels import channel_status
from trainerhub.notifications.models import NotificationSettings, default_offsets
from trainerhub.portal.models import PortalSettings
from trainerhub.scheduling.models import Service, WeeklyInterval


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: str
    done: bool
    url: str
    action: str  # the link's text
    detail: str = ""
    share: str = ""  # a public address to show (the booking page once it is live)


def _offset_text(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"


@dataclass(frozen=True)
class SetupState:
    has_hours: bool
    has_service: bool
    has_bookable_service: bool
    page_off: bool
    reminder_offsets: list[int] | None  # None: never saved, the defaults apply


def setup_state(trainer: User) -> SetupState:
    """Everything the checklist reads, in one query (the dashboard runs on every visit)."""
    mine = {"trainer_id": OuterRef("pk")}
    services = Service.objects.filter(**mine, is_active=True)
    row = (
        User.objects.filter(pk=trainer.pk)
        .annotate(
            has_hours=Exists(WeeklyInterval.objects.filter(**mine)),
            has_service=Exists(services),
            has_bookable_service=Exists(services.filter(bookable_online=True)),
            page_off=Exists(PortalSettings.objects.filter(**mine, enabled=False)),
            offsets=Subquery(
                NotificationSettings.objects.filter(**mine).values("reminder_offsets")[:1]
            ),
        )
        .values("has_hours", "has_service", "has_bookable_service", "page_off", "offsets")
        .get()
    )
    values: dict[str, Any] = dict(row)
    offsets = values.pop("offsets")
    if isinstance(offsets, str):  # a JSON column read through a subquery comes back as text
        offsets = json.loads(offsets)
    return SetupState(**values, reminder_offsets=offsets)


def _hours_step(state: SetupState) -> SetupStep:
    return SetupStep(
        "hours",
        "Set your weekly hours",
        state.has_hours,
        reverse("scheduling:hours"),
        "Weekly hours",
        "Clients can only book inside them.",
    )


def _service_step(state: SetupState) -> SetupStep:
    return SetupStep(
        "service",
        "Add a service",
        state.has_service,
        reverse("scheduling:service_create"),
        "Add a service",
        "What you offer: its length, price and rules.",
    )


def _booking_page_step(trainer: User, state: SetupState) -> SetupStep:
    live = bool(trainer.slug) and not state.page_off and state.has_bookable_service
    if not live:
        detail = "Turn it on and offer at least one service on it."
        return SetupStep(
            "booking_page",
            "Share your booking page",
            False,
            reverse("portal:settings"),
            "Booking page settings",
            detail,
        )
    share = settings.SITE_URL + reverse("portal:book", args=[trainer.slug])
    return SetupStep(
        "booking_page",
        "Share your booking page",
        True,
        reverse("portal:settings"),
        "Booking page settings",
        "Send this link to your clients:",
        share,
    )


def _reminders_step(state: SetupState) -> SetupStep:
    saved = default_offsets() if state.reminder_offsets is None else state.reminder_offsets
    offsets = sorted({int(m) for m in saved if int(m) > 0}, reverse=True)
    email_on = channel_status().get("email", (False, ""))[0]
    if offsets and email_on:
        before = " and ".join(_offset_text(m) for m in offsets)
        detail = f"Clients get a reminder {before} before each session."
    elif not email_on:
        detail = "Email is not set up on this server, so no reminder can go out."
    else:
        detail = "No reminder is sent before sessions."
    return SetupStep(
        "reminders",
        "Check your reminders",
        bool(offsets) and email_on,
        reverse("notifications:settings"),
        "Reminder settings",
        detail,
    )


def setup_steps(*, trainer: User) -> list[SetupStep]:
    state = setup_state(trainer)
    return [
        _hours_step(state),
        _service_step(state),
        _booking_page_step(trainer, state),
        _reminders_step(state),
    ]


def setup_pending(steps: list[SetupStep]) -> bool:
    return not all(step.done for step in steps)
