"""Every kind of client SMS fits one segment (160 GSM-7 characters) for a realistic booking,
a long service name included, and says what happened, when, and where to go next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
import time_machine

from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.messages import render
from trainerhub.notifications.models import Kind, Notification
from trainerhub.notifications.sms import SEGMENT, fit, gsm7_length, to_gsm7
from trainerhub.notifications.tests.conftest import cancel, make_booking, make_client, move
from trainerhub.scheduling.services import booking_decline, service_update

pytestmark = pytest.mark.django_db
# The texts below are near the 160-character segment, and a date's length is part of them
# ("Fri 4 Dec" vs "Fri 11 Dec"): the tests that pin a whole text run on days of one digit.
ONE_DIGIT_DAYS = datetime(2027, 3, 1, 10, tzinfo=UTC)
LONG_NAME = "Personal training and nutrition coaching for marathon runners (90 minutes)"


@pytest.fixture
def sms_client(fake_api, settings, alice):
    settings.SITE_URL = "https://bookings.alice-archer-coaching.co.uk"
    return make_client(alice, first_name="Zoë", phone="+447911123456", preferred_channel="sms")


def sms_rows(booking) -> dict[str, Notification]:
    rows = Notification.objects.filter(booking=booking, channel="sms").order_by("id")
    return {row.kind: row for row in rows}


def sms_of(row: Notification) -> str:
    return render(row).short_text


def assert_one_segment(text: str) -> None:
    length = gsm7_length(text)
    assert length is not None, f"not GSM-7: {text!r}"
    assert length <= SEGMENT, f"{length} characters: {text!r}"


@pytest.mark.parametrize("service_name", ["Personal training", LONG_NAME])
def test_every_kind_of_sms_is_one_segment(alice, sms_client, pt, service_name):
    service_update(service=pt, name=service_name)
    start = local_at(alice, 3, "14:00")
    booking = make_booking(alice, sms_client, pt, start)
    move(booking, start + timedelta(days=1, hours=2))
    cancel(booking, actor="trainer", reason="Ill")
    service_update(service=pt, requires_confirmation=True)
    request = make_booking(alice, sms_client, pt, start, status="pending", actor="client")
    booking_decline(booking=request, actor="trainer")
    rows = {**sms_rows(booking), **sms_rows(request)}
    assert set(rows) == {
        Kind.BOOKING_CONFIRMED,
        Kind.REMINDER,
        Kind.BOOKING_RESCHEDULED,
        Kind.BOOKING_CANCELLED,
        Kind.REQUEST_RECEIVED,
        Kind.REQUEST_DECLINED,
    }
    manage = f"https://bookings.alice-archer-coaching.co.uk/manage/{booking.manage_token}/"
    book = "https://bookings.alice-archer-coaching.co.uk/book/alice/"
    texts = {kind: sms_of(row) for kind, row in rows.items()}
    for text in texts.values():
        assert_one_segment(text)
    assert texts[Kind.BOOKING_CONFIRMED].startswith("Booked: ")
    assert texts[Kind.BOOKING_CONFIRMED].endswith(manage)
    assert " 14:00" in texts[Kind.BOOKING_CONFIRMED]
    assert texts[Kind.BOOKING_RESCHEDULED].startswith("Moved: ")
    assert " 16:00 " in texts[Kind.BOOKING_RESCHEDULED]
    assert texts[Kind.BOOKING_RESCHEDULED].endswith(manage)
    assert texts[Kind.BOOKING_CANCELLED].endswith(f". Book again: {book}")
    assert texts[Kind.REQUEST_DECLINED].endswith(f". Book another time: {book}")
    assert texts[Kind.REQUEST_RECEIVED].startswith("Requested: ")
    assert texts[Kind.REMINDER].startswith("Reminder: ")


@time_machine.travel(ONE_DIGIT_DAYS, tick=True)
def test_short_names_are_kept_whole_and_the_zone_named(settings, alice, sms_client, pt):
    settings_url = settings.SITE_URL = "https://hub.example.com"
    service_update(service=pt, name="Pilates")
    booking = make_booking(alice, sms_client, pt, local_at(alice, 3, "14:00"))
    text = sms_of(sms_rows(booking)[Kind.BOOKING_CONFIRMED])
    local = booking.start.astimezone(ZoneInfo("Europe/London"))
    day = f"{local:%a} {local.day} {local:%b} 14:00"
    assert text == (
        f"Booked: Pilates with Alice Archer Coaching, {day} (Europe/London). "
        f"Manage: {settings_url}/manage/{booking.manage_token}/"
    )
    # One zone name too long for the segment: its abbreviation, the rest whole.
    service_update(service=pt, name="Personal training")
    booking = make_booking(alice, sms_client, pt, local_at(alice, 4, "14:00"))
    text = sms_of(sms_rows(booking)[Kind.BOOKING_CONFIRMED])
    local = booking.start.astimezone(ZoneInfo("Europe/London"))
    day = f"{local:%a} {local.day} {local:%b} 14:00 {local:%Z}"
    assert text == (
        f"Booked: Personal training with Alice Archer Coaching, {day}. "
        f"Manage: {settings_url}/manage/{booking.manage_token}/"
    )


@time_machine.travel(ONE_DIGIT_DAYS, tick=True)
def test_the_sms_twilio_receives_is_the_one_segment_text(alice, sms_client, pt, fake_api):
    service_update(service=pt, name=LONG_NAME)
    start = local_at(alice, 3, "14:00")
    make_booking(alice, sms_client, pt, start)
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        dispatch_due()
    bodies = [parse_qs(r["body"])["Body"][0] for r in fake_api.requests]
    assert [b.split(":")[0] for b in bodies] == ["Booked", "Reminder"]
    for body in bodies:
        assert_one_segment(body)
    assert bodies[1].startswith("Reminder: Personal training")
    assert "in 2 hours" in bodies[1]


def test_shortening_rule_order():
    def template(service: str, business: str, when: str) -> str:
        return f"Booked: {service}{' with ' + business if business else ''}, {when}. " + "x" * 70

    def shorter(service: str, business: str, when: str) -> str:
        return f"Booked: {service}{' with ' + business if business else ''}, {when}. " + "x" * 60

    whens = ("Tue 4 Dec 14:00 (America/Argentina/Buenos_Aires)", "Tue 4 Dec 14:00 -03")
    # 1. fits whole: nothing changes
    assert "(America/Argentina/Buenos_Aires)" in fit(
        [template], service="Yoga", business="Ana", whens=whens
    )
    # 2. the abbreviation before anything is cut
    text = fit([template], service="Yoga", business="Ana Maria Coaching Studio", whens=whens)
    assert text.startswith("Booked: Yoga with Ana Maria Coaching Studio, Tue 4 Dec 14:00 -03.")
    # 3. then the service name, with "...", keeping the business
    text = fit([template], service=LONG_NAME, business="Ana Maria Coaching", whens=whens)
    assert text.startswith("Booked: Personal training") and "... with Ana Maria Coaching," in text
    assert len(text) == SEGMENT
    # 4. then the business goes; the time and the tail are never cut
    # 4. a shorter wording before the business goes
    business = "Ana Maria Wellness and Performance House"
    text = fit([template, shorter], service=LONG_NAME, business=business, whens=whens)
    assert f" with {business}," in text and text.endswith("-03. " + "x" * 60)
    # 5. then the business goes; the time and the tail are never cut
    business = "The Very Long Named Wellness and Performance Centre of Greater Manchester"
    text = fit([template], service=LONG_NAME, business=business, whens=whens)
    assert " with " not in text and text.endswith(", Tue 4 Dec 14:00 -03. " + "x" * 70)
    assert len(text) == SEGMENT


def test_names_outside_gsm7_are_folded_so_the_sms_stays_gsm7():
    curly = "Zo\u00eb\u2019s \u201cPilates\u201d \u2013 \u0141\u00f3d\u017a"
    assert to_gsm7(curly) == 'Zoe\'s "Pilates" - Lodz'
    assert gsm7_length("Zoë") is None
    assert gsm7_length("Müller €5") == 10  # ü is GSM-7, € takes two
