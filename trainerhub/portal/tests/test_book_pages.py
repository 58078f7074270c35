from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from trainerhub.clients.models import Client, IntakeField
from trainerhub.portal.forms import started_token
from trainerhub.portal.models import PortalSettings
from trainerhub.portal.tests.conftest import day_at, form_data, make_service
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
DETAILS = "/book/alice/details/"


def test_service_list_and_welcome(client, alice, service):
    PortalSettings.objects.update_or_create(trainer=alice, defaults={"welcome_text": "Hi there!"})
    make_service(alice, name="Secret", bookable_online=False)
    r = client.get("/book/alice/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Hi there!" in html and "Personal training" in html and "Secret" not in html
    assert "Studio 1" in html and "60 min" in html


def test_unknown_or_disabled_page_is_404(client, alice, service):
    assert client.get("/book/nobody/").status_code == 404
    PortalSettings.objects.update_or_create(trainer=alice, defaults={"enabled": False})
    assert client.get("/book/alice/").status_code == 404
    assert client.get(f"/book/alice/?service={service.pk}").status_code == 404
    assert client.post(DETAILS, form_data(service, day_at(2, 10))).status_code == 404


def test_picker_shows_free_days_and_times_in_visitor_zone(client, service):
    day = day_at(2, 10).date()
    r = client.get(f"/book/alice/?service={service.pk}&tz=America/New_York&date={day}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "America/New_York" in html
    # 10:00 London is 05:00 in New York; London opens at 06:00 = 01:00 New York.
    assert 'data-time="05:00"' in html
    assert f'data-day="{day.isoformat()}"' in html


def test_picker_bad_tz_falls_back_and_says_so(client, service):
    r = client.get(f"/book/alice/?service={service.pk}&tz=Not/AZone")
    assert r.status_code == 200
    assert "did not recognise that timezone" in r.content.decode()


def test_picker_foreign_service_404(client, bob, service):
    bobs = make_service(bob, name="Bob's")
    assert client.get(f"/book/alice/?service={bobs.pk}").status_code == 404
    assert client.get("/book/alice/?service=abc").status_code == 404


def test_group_service_shows_seats(client, alice, hours):
    svc = make_service(alice, capacity=5)
    day = day_at(2, 10).date()
    r = client.get(f"/book/alice/?service={svc.pk}&date={day}")
    assert "5 seats left" in r.content.decode()


def test_details_form_then_summary_then_booked(client, alice, service, free_start):
    r = client.get(
        DETAILS, {"service": service.pk, "start": free_start.isoformat(), "tz": "Europe/London"}
    )
    assert r.status_code == 200
    assert 'name="website"' in r.content.decode()
    r = client.post(DETAILS, form_data(service, free_start))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Check and confirm" in html and "24 hours" in html and "50.00 GBP" in html
    r = client.post(DETAILS, form_data(service, free_start, step="confirm"))
    booking = Booking.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/book/alice/booked/{booking.manage_token}/?tz=Europe%2FLondon"
    r = client.get(r["Location"])
    html = r.content.decode()
    assert "booked" in html and f"/manage/{booking.manage_token}/" in html and ".ics" in html
    assert booking.created_by == "client" and booking.client.phone == "+447911123456"


def test_summary_shows_both_zones_when_they_differ(client, service, free_start):
    r = client.post(DETAILS, form_data(service, free_start, tz="America/New_York"))
    html = r.content.decode()
    assert "America/New_York" in html and "Europe/London" in html
    # 10:00 in London is 05:00 in New York (November): each time in its own zone.
    assert "05:00\u201306:00" in html and "10:00 in Europe/London" in html


def test_request_sent_for_confirmation_services(client, alice, hours):
    svc = make_service(alice, requires_confirmation=True)
    r = client.post(DETAILS, form_data(svc, day_at(2, 10), step="confirm"), follow=True)
    assert "Request sent" in r.content.decode()
    assert Booking.objects.get().status == "pending"


def test_honeypot_refused(client, service, free_start):
    r = client.post(DETAILS, form_data(service, free_start, step="confirm", website="http://spam"))
    assert r.status_code == 400
    assert not Booking.objects.exists()


def test_too_fast_refused(client, service, free_start):
    data = form_data(service, free_start, step="confirm", started=started_token())
    r = client.post(DETAILS, data)
    assert r.status_code == 400 and "very fast" in r.content.decode()
    data["started"] = "forged"
    assert client.post(DETAILS, data).status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"email": "nope"}, "valid email"),
        ({"first_name": ""}, "required"),
        ({"phone": "call me maybe"}, "valid phone"),
        ({"note": "x" * 2001}, "at most 2000"),
    ],
)
def test_details_validation(client, service, free_start, change, text):
    r = client.post(DETAILS, form_data(service, free_start, step="confirm", **change))
    assert r.status_code == 400
    assert text in r.content.decode()
    assert not Booking.objects.exists()


def test_slot_taken_meanwhile_shows_fresh_times(client, alice, service, free_start):
    assert client.post(DETAILS, form_data(service, free_start, step="confirm")).status_code == 302
    r = client.post(
        DETAILS, form_data(service, free_start, step="confirm", email="dan@example.com")
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "just taken" in html and 'data-time="11:00"' in html and 'data-time="10:00"' not in html
    # The review step checks too.
    r = client.post(DETAILS, form_data(service, free_start, email="dan@example.com"))
    assert r.status_code == 409
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "start", [lambda: day_at(2, 23), lambda: day_at(90, 10), lambda: day_at(-1, 10)]
)
def test_refused_times_never_booked(client, service, start):
    r = client.post(DETAILS, form_data(service, start(), step="confirm"))
    assert r.status_code == 409
    assert not Booking.objects.exists()


def test_unreadable_start_goes_back_to_picker(client, service):
    r = client.get(f"{DETAILS}?service={service.pk}&start=garbage")
    assert r.status_code == 302


def test_returning_client_matched(client, alice, service):
    Client.objects.create(trainer=alice, first_name="Carol", email="carol@example.com")
    r = client.post(
        DETAILS, form_data(service, day_at(2, 10), step="confirm", email="CAROL@example.com")
    )
    assert r.status_code == 302
    assert Client.objects.filter(trainer=alice).count() == 1


def test_intake_fields_on_page(client, alice, service, free_start):
    IntakeField.objects.create(
        trainer=alice,
        key="level",
        label="Your level",
        kind="choice",
        choices=["New", "Fit"],
        on_booking_form=True,
        required=True,
    )
    r = client.get(DETAILS, {"service": service.pk, "start": free_start.isoformat()})
    assert "Your level" in r.content.decode()
    r = client.post(DETAILS, form_data(service, free_start, step="confirm"))
    assert r.status_code == 400
    r = client.post(DETAILS, form_data(service, free_start, step="confirm", field_level="Fit"))
    assert r.status_code == 302
    assert Client.objects.get().custom_fields == {"level": "Fit"}


def test_page_rate_limit(client, settings, service, free_start):
    settings.PORTAL_POST_RATE = "2/m"
    # Rate-limit windows are aligned to the clock; a stopped clock keeps all posts in one.
    with time_machine.travel(timezone.now(), tick=False):
        codes = [client.post(DETAILS, form_data(service, free_start)).status_code for _ in range(3)]
    assert codes[-1] == 429


def test_ics_download(client, service, free_start):
    client.post(DETAILS, form_data(service, free_start, step="confirm"))
    booking = Booking.objects.get()
    r = client.get(f"/manage/{booking.manage_token}/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"] == "text/calendar"
    body = r.content.decode()
    assert "BEGIN:VEVENT" in body and "Personal training" in body
    assert timezone.now() < booking.start
