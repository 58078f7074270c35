"""A video-call link on an online service: set on the service form, given to the booked
client (confirmation email, reminder, manage page and API), never shown before booking."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client as WebClient

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.portal.tests.conftest import form_data, make_service
from trainerhub.scheduling.models import Booking, Service

pytestmark = pytest.mark.django_db
LINK = "https://meet.example.com/abc-defg-hij"
DETAILS = "/book/alice/details/"


def service_form(**overrides) -> dict:
    data = {
        "name": "Online coaching",
        "description": "",
        "duration_minutes": 45,
        "price": "40.00",
        "currency": "GBP",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "slot_interval_minutes": "",
        "capacity": 1,
        "min_notice_minutes": 60,
        "max_advance_days": 60,
        "max_per_day": "",
        "location": "",
        "color": "#ff0000",
        "bookable_online": "on",
        "is_online": "on",
        "video_url": LINK,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_service_form_takes_the_link_of_an_online_service(client, alice):
    client.force_login(alice)
    r = client.post("/scheduling/settings/services/new/", service_form())
    assert r.status_code == 302
    assert Service.objects.get(trainer=alice).video_url == LINK


@pytest.mark.parametrize(
    "change, message",
    [
        ({"is_online": None}, "A video-call link is for online services"),
        ({"video_url": "http://meet.example.com/x"}, "Enter a valid URL."),
        ({"video_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_the_service_form_refuses_a_bad_link_next_to_the_field(client, alice, change, message):
    client.force_login(alice)
    r = client.post("/scheduling/settings/services/new/", service_form(**change))
    assert r.status_code == 400
    assert message in " ".join(r.context["form"].errors["video_url"])
    assert not Service.objects.exists()


@pytest.fixture
def online(alice, hours) -> Service:
    return make_service(alice, name="Online coaching", is_online=True, video_url=LINK)


def test_not_shown_before_booking(client, online, free_start):
    pages = [
        client.get("/book/alice/"),
        client.get(f"/book/alice/?service={online.pk}"),
        client.get(DETAILS, {"service": online.pk, "start": free_start.isoformat()}),
        client.post(DETAILS, form_data(online, free_start)),  # the summary
        client.get("/api/v1/public/alice/services"),
    ]
    assert [p.status_code for p in pages] == [200, 200, 200, 200, 200]
    for page in pages:
        assert "meet.example.com" not in page.content.decode()


def test_given_to_the_booked_client(client, smtp, online, free_start):
    r = client.post(DETAILS, form_data(online, free_start, step="confirm"))
    assert r.status_code == 302
    booking = Booking.objects.get()
    manage = WebClient().get(f"/manage/{booking.manage_token}/")
    assert f'href="{LINK}"' in manage.content.decode()
    api = WebClient().get(f"/api/v1/manage/{booking.manage_token}")
    assert api.json()["service"]["video_url"] == LINK

    dispatch_due()
    (confirmation,) = [m for m in smtp.messages if m["To"] == "carol@example.com"]
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    html = confirmation.get_body(preferencelist=("html",)).get_content()
    assert f"Video: {LINK}" in text and f'href="{LINK}"' in html
    with time_machine.travel(free_start - timedelta(hours=24), tick=False):
        dispatch_due()
    reminder = next(m for m in smtp.messages if m["Subject"].startswith("Reminder"))
    assert f"Video: {LINK}" in reminder.get_body(preferencelist=("plain",)).get_content()


def test_gone_once_cancelled(client, smtp, online, free_start):
    client.post(DETAILS, form_data(online, free_start, step="confirm"))
    booking = Booking.objects.get()
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    manage = WebClient().get(f"/manage/{booking.manage_token}/")
    assert LINK not in manage.content.decode()
    assert (
        WebClient().get(f"/api/v1/manage/{booking.manage_token}").json()["service"]["video_url"]
        == ""
    )
