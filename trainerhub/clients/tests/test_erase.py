"""Erase really erases (issue 18): a client with a distinctive value in every place a person's
data can go (the record, intake answers, notes and their history, a file, bookings cancelled
with a reason and declined with a message, emails delivered through a real SMTP server, the
trainer's in-app lines, failed sign-ins, a portal account, the admin's log), erased through
the API; then every text column of every table is read back and none of it may remain."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as WebClient
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from trainerhub.clients import notes, services
from trainerhub.clients.models import Client, ClientFile, ErasureRecord
from trainerhub.core.tests.factories import local_at, make_booking, make_service, open_every_day
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import ClientChannels, InAppNotification, Notification
from trainerhub.notifications.tests.conftest import smtp  # noqa: F401 (a fixture)
from trainerhub.portal import claims
from trainerhub.scheduling import services as scheduling_services
from trainerhub.scheduling.models import Booking

EMAIL = "zebulon.quax@example.org"
PASSWORD = "Quax-correct-horse-99"
PHONE = "+447911123456"
CHAT_ID = "77331199"
# Every value typed about the person holds "quax" (or is one of the numbers), so one needle
# finds any copy that survives, whatever column or table it ended up in.
NEEDLES = ("quax", "zebulon", PHONE, PHONE.lstrip("+"), "7400654321", CHAT_ID)


def _profile() -> dict[str, Any]:
    return {
        "first_name": "Zebulon",
        "last_name": "Quaxwörth",
        "email": EMAIL,
        "phone": PHONE,
        "address": "17 Quax Lane, Leeds",
        "emergency_contact_name": "Yolanda Quaxworth",
        "emergency_contact_phone": "+447400654321",
        "emergency_contact_relation": "Quax sister",
        "goals": "Quax marathon",
        "level": "Quax beginner",
        "health_notes": "Quax hernia, 2019",
        "preferences": "Quax mornings only",
        "referral_source": "Quax gym flyer",
        "date_of_birth": "1990-04-01",
        "custom_fields": {"injury": "Quax torn ligament"},
    }


@pytest.fixture
def zeb(alice, settings):
    settings.SITE_URL = "https://hub.example.com"
    open_every_day(alice, "00:00", "23:59")
    services.intake_field_create(trainer=alice, key="injury", label="Injury")
    client = services.client_create(trainer=alice, **_profile())
    client.timezone = "Pacific/Auckland"
    client.save(update_fields=["timezone"])
    return client


def _fill_every_holder(alice, zeb) -> dict[str, Any]:
    """Give the person a copy of their data in every place the product writes one."""
    pt = make_service(alice, name="Personal training", location="Studio 1")
    asks = make_service(alice, name="Assessment", requires_confirmation=True)
    past = make_booking(zeb, timezone.now() - timedelta(days=10), status="completed", service=pt)
    note = notes.note_create(client=zeb, body="Quax knee note", booking=past)
    notes.note_update(note=note, body="Quax knee note, better now")
    upload = SimpleUploadedFile("quax-xray.pdf", b"%PDF-1.4 quax", content_type="application/pdf")
    stored = notes.client_file_upload(client=zeb, upload=upload)
    # The client books (the trainer gets an in-app line naming them), then cancels with a
    # reason (another line); the trainer declines a request with a message.
    own = scheduling_services.booking_create(
        trainer=alice, client=zeb, service=pt, start=local_at(alice, 4, "09:00"), source="client"
    )
    scheduling_services.booking_cancel(booking=own, actor="client", reason="Quax sprained toe")
    asked = scheduling_services.booking_create(
        trainer=alice, client=zeb, service=asks, start=local_at(alice, 5, "09:00"), source="client"
    )
    scheduling_services.booking_decline(booking=asked, actor="trainer", message="Quax, full up")
    future = make_booking(zeb, local_at(alice, 6, "10:00"), service=pt, notes="Quax bring mat")
    scheduling_services.booking_update(
        booking=future, actor="trainer", location="Quax home, 17 Quax Lane"
    )
    # The account is made the one way there is: the link mailed to the record's address.
    account = claims.client_account_claim(
        token=claims.claim_token(future.client), password=PASSWORD
    )
    ClientChannels.objects.create(trainer=alice, client=zeb, telegram_chat_id=CHAT_ID)
    staff = type(alice).objects.create_superuser("ops@example.com", "x", name="Ops")
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Client),
        object_id=str(zeb.pk),
        object_repr=str(zeb),
        action_flag=CHANGE,
        change_message=f"Changed email to {EMAIL}",
    )
    return {"future": future, "file": stored, "account": account}


def _fail_sign_ins() -> None:
    web = WebClient(HTTP_USER_AGENT="QuaxBrowser/1.0")
    for _ in range(2):
        response = web.post(reverse("portal:my_login"), {"email": EMAIL, "password": "wrong"})
        assert response.status_code == 400


def _cell_text(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text[:1] in "[{":
        # JSON columns escape non-ASCII on SQLite ("Quaxw\\u00f6rth"): read them decoded.
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _survivors() -> list[str]:
    """Every table, every column, every row: where a needle is still found."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = _cell_text(value).casefold()
                    found += [f"{table}.{column}: {needle}" for needle in NEEDLES if needle in text]
    return found


@pytest.mark.django_db(transaction=True)
def test_erase_leaves_no_copy_in_any_table(alice, alice_api, zeb, smtp):  # noqa: F811
    made = _fill_every_holder(alice, zeb)
    _fail_sign_ins()
    assert dispatch_due().sent > 0
    assert any(EMAIL in to for _, to, _ in smtp.envelopes)
    assert InAppNotification.objects.filter(title__icontains="Quaxwörth").count() == 3
    before = _survivors()
    for place in ("axes_accessattempt.user_agent", "notifications_notification.to_address"):
        assert any(f.startswith(place) for f in before), place

    response = alice_api.post(
        f"/api/v1/clients/{zeb.pk}/erase", {"confirm": "zebulon  quaxwörth"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert _survivors() == []
    assert not ClientFile.objects.exists()
    assert not made["file"].file.storage.exists(made["file"].file.name)
    made["future"].refresh_from_db()
    assert made["future"].status == Booking.Status.CANCELLED
    assert authenticate(RequestFactory().post("/"), email=EMAIL, password=PASSWORD) is None
    login = WebClient().post(reverse("portal:my_login"), {"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 400
    made["account"].refresh_from_db()
    assert made["account"].is_active is False and not made["account"].has_usable_password()
    record = ErasureRecord.objects.get(trainer=alice)
    assert record.client_pk == zeb.pk and response.json()["client_id"] == zeb.pk
    assert record.counts["cancelled_future_bookings"] == 1
    assert record.counts["notifications.Notification"] > 0
    assert record.counts["axes.AccessAttempt"] == 1
    assert not Notification.objects.filter(client=zeb, status="pending").exists()


def test_message_log_shows_no_name_or_email_after_erase(alice, alice_web, zeb, smtp):  # noqa: F811
    make_booking(zeb, local_at(alice, 3, "10:00"))
    dispatch_due()
    log = reverse("notifications:log")
    assert EMAIL in alice_web.get(log).content.decode()
    services.client_erase(client=zeb, confirm=zeb.full_name)
    page = alice_web.get(log).content.decode()
    assert "Quax" not in page and "Zebulon" not in page and EMAIL not in page
    assert "Erased client" in page


def test_erase_api_refuses_a_wrong_name(alice_api, zeb):
    response = alice_api.post(f"/api/v1/clients/{zeb.pk}/erase", {"confirm": "Zeb"}, format="json")
    assert response.status_code == 400
    assert response.json()["confirm"] == ["Type the client's full name exactly to confirm."]
    zeb.refresh_from_db()
    assert zeb.erased_at is None


def test_erase_api_is_404_for_another_trainers_client(bob_api, zeb):
    response = bob_api.post(
        f"/api/v1/clients/{zeb.pk}/erase", {"confirm": zeb.full_name}, format="json"
    )
    assert response.status_code == 404
    zeb.refresh_from_db()
    assert zeb.erased_at is None


def test_export_includes_the_messages_sent_and_every_holder(alice, alice_api, zeb, smtp):  # noqa: F811
    _fill_every_holder(alice, zeb)
    _fail_sign_ins()
    dispatch_due()
    data = alice_api.get(f"/api/v1/clients/{zeb.pk}/export").json()
    assert data["client"]["health_notes"] == "Quax hernia, 2019"
    assert data["client"]["custom_fields"] == {"injury": "Quax torn ligament"}
    sent = [m for m in data["messages"] if m["recipient"] == "client" and m["status"] == "sent"]
    assert sent and {m["to"] for m in sent} == {EMAIL}
    assert all(m["subject"] and m["attempts"][0]["outcome"] == "ok" for m in sent)
    history = [e["data"] for b in data["bookings"] for e in b["history"]]
    assert {"reason": "Quax sprained toe", "late": False} in history
    assert {"message": "Quax, full up"} in history
    assert data["notes"][0]["revisions"][0]["body"] == "Quax knee note"
    assert data["files"][0]["name"] == "quax-xray.pdf"
    assert data["account"]["email"] == EMAIL
    assert len(data["failed_sign_ins"]) == 1
    assert data["failed_sign_ins"][0]["user_agent"] == "QuaxBrowser/1.0"
    assert len(data["trainer_notifications"]) == 3
    assert data["channels"]["telegram_linked"] is True


def test_erase_keeps_an_account_that_serves_another_trainer(alice, bob, zeb):
    """The same person is bob's client too: erasing them at alice's unlinks the account
    from her record but does not close the login they use for bob."""
    future = make_booking(zeb, local_at(alice, 6, "10:00"))
    # The account is made the one way there is: the link mailed to the record's address.
    account = claims.client_account_claim(
        token=claims.claim_token(future.client), password=PASSWORD
    )
    theirs = services.client_create(trainer=bob, first_name="Zeb", email=EMAIL)
    Client.objects.filter(pk=theirs.pk).update(account=account)
    services.client_erase(client=zeb, confirm=zeb.full_name)
    account.refresh_from_db()
    zeb.refresh_from_db()
    assert zeb.account is None
    assert account.is_active and account.email == EMAIL
    assert authenticate(RequestFactory().post("/"), email=EMAIL, password=PASSWORD) == account
