from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.portal.models import PortalSettings
from trainerhub.portal.tests.conftest import day_at, form_data, make_client_user
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-client-password-42"


@pytest.fixture
def booking(client, service) -> Booking:
    r = client.post("/book/alice/details/", form_data(service, day_at(3, 10), step="confirm"))
    assert r.status_code == 302
    return Booking.objects.get()


def test_manage_page_shows_booking_and_policy(client, booking):
    r = client.get(f"/manage/{booking.manage_token}/?tz=Europe/London")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Personal training" in html and "Confirmed" in html and "24 hours" in html
    assert "Cancel booking" in html and "Reschedule" in html and "Create an account" in html


def test_manage_wrong_or_expired_token_404(client, booking):
    assert client.get("/manage/not-a-real-token-at-all-xxxxxxxx/").status_code == 404
    assert client.get("/manage/short/").status_code == 404
    with time_machine.travel(booking.end + timedelta(seconds=1)):
        assert client.get(f"/manage/{booking.manage_token}/").status_code == 404
        assert client.get(f"/manage/{booking.manage_token}/calendar.ics").status_code == 404


def test_cancel_with_listed_reason(client, booking):
    url = f"/manage/{booking.manage_token}/cancel/"
    r = client.get(url)
    assert r.status_code == 200 and "Free cancellation up to 24 hours" in r.content.decode()
    r = client.post(url, {"reason_choice": "I am unwell"}, follow=True)
    assert "Your booking is cancelled." in r.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancellation_reason == "I am unwell"
    assert not booking.late_cancellation
    # The page still shows the state, without the actions.
    html = client.get(f"/manage/{booking.manage_token}/").content.decode()
    assert "Cancelled" in html and "Cancel booking" not in html
    assert client.get(url).status_code == 302


def test_cancel_typed_reason_and_missing_reason(client, booking):
    url = f"/manage/{booking.manage_token}/cancel/"
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"reason_choice": "other"}).status_code == 400
    r = client.post(url, {"reason_choice": "other", "reason_text": "Moving abroad"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.cancellation_reason == "Moving abroad"


def test_late_cancel_is_allowed_and_recorded(client, alice, booking):
    PortalSettings.objects.filter(trainer=alice).update(cancellation_window_hours=24 * 7)
    url = f"/manage/{booking.manage_token}/cancel/"
    assert "Cancelling now would be late" in client.get(url).content.decode()
    r = client.post(url, {"reason_choice": "Something came up"}, follow=True)
    assert "late cancellation" in r.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.late_cancellation


def test_reschedule_flow(client, booking):
    base = f"/manage/{booking.manage_token}/reschedule/"
    day = day_at(4, 10).date()
    r = client.get(base, {"date": day.isoformat(), "tz": "Europe/London"})
    assert r.status_code == 200 and 'data-time="10:00"' in r.content.decode()
    new = day_at(4, 10)
    r = client.get(base, {"start": new.isoformat(), "tz": "Europe/London"})
    assert r.status_code == 200 and "Move my booking" in r.content.decode()
    r = client.post(base, {"start": new.isoformat(), "tz": "Europe/London"})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.start == new


def test_reschedule_refused_time_shows_message(client, booking):
    base = f"/manage/{booking.manage_token}/reschedule/"
    r = client.post(base, {"start": day_at(4, 23).isoformat()})
    assert r.status_code == 409
    assert "another time" in r.content.decode()
    r = client.post(base, {"start": "garbage"})
    assert r.status_code == 409


def test_account_from_manage_link(client, smtp, booking):
    # The manage link only asks for a link by email (portal/tests/test_account_takeover.py
    # follows it); the account is made from the mailed link.
    url = f"/manage/{booking.manage_token}/account/"
    assert client.get(url).status_code == 200
    r = client.post(url)
    assert r.status_code == 302 and r["Location"] == f"/manage/{booking.manage_token}/"
    (message,) = smtp.messages[-1:]
    assert message["To"] == "carol@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    path = text.split("https://hub.example.com", 1)[1].split()[0]
    r = client.post(path, {"password": "123", "password2": "123"})
    assert r.status_code == 400
    r = client.post(path, {"password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/my/"
    user = User.objects.get(email__iexact="carol@example.com")
    assert user.role == "client" and not user.is_trainer
    assert Client.objects.get().account == user
    html = client.get("/my/").content.decode()
    assert "Personal training" in html
    # Linked now: the manage page no longer offers sign-up.
    assert client.get(url).status_code == 302


def test_account_from_manage_link_existing_user(client, smtp, booking):
    # An account of this address at another trainer: the mailed link links this record too.
    make_client_user("carol@example.com", PASSWORD)
    client.post(f"/manage/{booking.manage_token}/account/")
    text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    path = text.split("https://hub.example.com", 1)[1].split()[0]
    r = client.post(path, {"password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302
    assert Client.objects.get().account.email == "carol@example.com"
