"""A new trainer's dashboard shows a setup checklist (hours, a service, the booking page,
reminders) that ticks itself off and goes away when done, instead of "No free time left"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.dashboard.setup import setup_steps
from trainerhub.notifications.prefs import settings_for
from trainerhub.portal.selectors import portal_settings_for
from trainerhub.scheduling.tests.factories import make_service, open_every_day

pytestmark = pytest.mark.django_db


def done(trainer) -> dict[str, bool]:
    return {step.key: step.done for step in setup_steps(trainer=trainer)}


def test_a_new_trainer_sees_the_checklist_not_no_free_time(client, alice):
    client.force_login(alice)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Get ready for your first booking" in page
    assert "No free time left" not in page
    assert "You have no working hours yet." in page
    for url in (reverse("scheduling:hours"), reverse("scheduling:service_create")):
        assert f'href="{url}"' in page


def test_each_step_ticks_itself_off(alice):
    assert done(alice) == {
        "hours": False,
        "service": False,
        "booking_page": False,
        "reminders": True,  # 24 h and 2 h by email, out of the box
    }
    open_every_day(alice)
    assert done(alice)["hours"] is True
    service = make_service(alice, bookable_online=False)
    assert done(alice)["service"] is True and done(alice)["booking_page"] is False
    service.bookable_online = True
    service.save()
    assert done(alice)["booking_page"] is True
    page = portal_settings_for(alice)
    page.enabled = False
    page.save()
    assert done(alice)["booking_page"] is False


def test_reminders_step_says_what_clients_get(alice):
    reminders = {s.key: s for s in setup_steps(trainer=alice)}["reminders"]
    assert reminders.detail == "Clients get a reminder 1 day and 2 h before each session."
    prefs = settings_for(alice)
    prefs.reminder_offsets = []
    prefs.save()
    reminders = {s.key: s for s in setup_steps(trainer=alice)}["reminders"]
    assert (reminders.done, reminders.detail) == (False, "No reminder is sent before sessions.")


def test_the_checklist_goes_away_when_everything_is_done(client, alice):
    open_every_day(alice)
    make_service(alice)
    client.force_login(alice)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Get ready for your first booking" not in page
    assert "You have no working hours yet." not in page


def test_the_booking_page_step_shows_the_link_once_live(client, alice, settings):
    settings.SITE_URL = "https://book.example.com"
    make_service(alice)
    step = {s.key: s for s in setup_steps(trainer=alice)}["booking_page"]
    assert step.share == "https://book.example.com/book/alice/"
    client.force_login(alice)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert 'href="https://book.example.com/book/alice/"' in page  # hours still missing
