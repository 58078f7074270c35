"""Pages: notification centre, log, settings, unsubscribe; tenancy answers 404."""

from __future__ import annotations

import pytest

from trainerhub.notifications.messages import unsubscribe_token
from trainerhub.notifications.models import ClientChannels, NotificationPreference
from trainerhub.notifications.prefs import settings_for
from trainerhub.notifications.services import notify_trainer_in_app
from trainerhub.notifications.tests.conftest import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


def test_centre_lists_unread_with_count_in_nav(alice_web, alice, bob):
    notify_trainer_in_app(trainer=alice, title="New booking: Carol", body="Tuesday 10:00")
    notify_trainer_in_app(trainer=bob, title="Bob's own")
    page = alice_web.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "New booking: Carol" in html and "Bob&#x27;s own" not in html
    assert '<span class="badge">1</span>' in html  # nav badge from the context processor


def test_mark_read_and_mark_all_read(alice_web, alice, bob):
    first = notify_trainer_in_app(trainer=alice, title="One")
    notify_trainer_in_app(trainer=alice, title="Two")
    assert alice_web.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    htmx = alice_web.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and f"notification-{first.pk}" in htmx.content.decode()
    alice_web.post("/notifications/read-all/")
    assert 'badge">' not in alice_web.get("/notifications/").content.decode().split("<main")[0]
    bobs = notify_trainer_in_app(trainer=bob, title="Bob's")
    assert alice_web.post(f"/notifications/{bobs.pk}/read/").status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_empty_centre_says_what_happens_next(alice_web):
    assert "No notifications yet" in alice_web.get("/notifications/").content.decode()


def test_log_pages_and_tenancy(alice_web, alice, bob, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    page = alice_web.get("/notifications/log/").content.decode()
    assert "Booking confirmed (to client)" in page and "Waiting" in page
    assert alice_web.get(f"/notifications/log/client/{carol.pk}/").status_code == 200
    from trainerhub.notifications.tests.conftest import make_client

    bobs_client = make_client(bob, email="zed@example.com")
    assert alice_web.get(f"/notifications/log/client/{bobs_client.pk}/").status_code == 404


def test_client_accounts_and_anonymous_get_no_trainer_pages(client, alice):
    from trainerhub.accounts.models import User

    assert client.get("/notifications/").status_code == 302
    user = User.objects.create_user("c@example.com", "pw-long-enough-1", name="C", role="client")
    client.force_login(user)
    assert client.get("/notifications/").status_code == 404
    assert client.get("/notifications/settings/").status_code == 404


def test_settings_page_saves_offsets_and_preferences(alice_web, alice, settings):
    settings.TWILIO_ACCOUNT_SID = settings.TELEGRAM_BOT_TOKEN = ""
    page = alice_web.get("/notifications/settings/").content.decode()
    assert "24h, 2h" in page
    assert "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER" in page
    response = alice_web.post(
        "/notifications/settings/",
        {
            "reminder_offsets": "48h, 90m",
            "agenda_hour": "6",
            "daily_agenda": "on",
            "pref:reminder:email": "on",
        },
    )
    assert response.status_code == 302
    saved = settings_for(alice)
    assert saved.reminder_offsets == [2880, 90] and saved.daily_agenda
    assert (
        NotificationPreference.objects.get(
            trainer=alice, kind="booking_confirmed", channel="email"
        ).enabled
        is False
    )
    assert not NotificationPreference.objects.filter(channel="sms").exists()


def test_settings_page_shows_errors_next_to_fields(alice_web):
    response = alice_web.post(
        "/notifications/settings/", {"reminder_offsets": "soon", "agenda_hour": "7"}
    )
    assert response.status_code == 200
    assert "is not a number of hours" in response.content.decode()
    response = alice_web.post(
        "/notifications/settings/", {"reminder_offsets": "1m", "agenda_hour": "7"}
    )
    assert "5 minutes to 14 days" in response.content.decode()


def test_feed_link_regenerate_and_revoke_from_settings(alice_web, alice):
    alice_web.post("/notifications/settings/feed/regenerate/")
    page = alice_web.get("/notifications/settings/").content.decode()
    assert "/calendar/" in page
    alice_web.post("/notifications/settings/feed/revoke/")
    assert "Create my calendar link" in alice_web.get("/notifications/settings/").content.decode()


def test_unsubscribe_link_stops_reminders(client, alice, carol):
    token = unsubscribe_token(carol)
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200 and "Alice Archer Coaching" in page.content.decode()
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert ClientChannels.objects.get(client=carol).reminders_unsubscribed_at is not None
    # One-click (RFC 8058) from the mail client, and a forged token.
    assert (
        client.post(
            f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
        ).status_code
        == 200
    )
    assert client.get("/notifications/unsubscribe/forged/").status_code == 404


def test_every_message_can_be_previewed(alice_web):
    from trainerhub.notifications.models import Kind

    for kind in Kind.values:
        response = alice_web.get(f"/notifications/preview/{kind}/")
        assert response.status_code == 200, kind
        assert "Subject:" in response.content.decode()
    assert alice_web.get("/notifications/preview/").status_code == 200
    assert alice_web.get("/notifications/preview/nonsense/").status_code == 404


def test_the_preview_frame_holds_the_whole_escaped_email(alice_web):
    # The email's HTML sat unescaped in the frame's srcdoc="…": its first quote ended the
    # attribute and the frame stayed blank.
    page = alice_web.get("/notifications/preview/booking_confirmed/").content.decode()
    srcdoc = page.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert srcdoc.startswith("&lt;") and "<" not in srcdoc
    assert "Sam" in srcdoc and srcdoc.rstrip().endswith("&gt;")


def test_the_picker_works_without_javascript(alice_web):
    page = alice_web.get("/notifications/preview/?kind=reminder").content.decode()
    assert '<option value="reminder" selected>' in page
