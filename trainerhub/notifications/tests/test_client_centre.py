"""The client's in-app centre (issue 18.17): what writes its lines (the trainer confirmed,
declined, moved, cancelled; an invoice issued), only for clients with a portal account and
only what the trainer did; its portal page and bell; the API for trainers and clients alike,
each seeing only their own; and the privacy export and erase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from trainerhub.billing import services as billing
from trainerhub.billing.tests.factories import draft_invoice
from trainerhub.clients import privacy
from trainerhub.clients import services as clients
from trainerhub.notifications import services
from trainerhub.notifications.models import ClientInAppNotification, InAppNotification, Kind
from trainerhub.notifications.tests.conftest import cancel, make_booking, make_client, move
from trainerhub.portal import claims
from trainerhub.scheduling import services as scheduling

pytestmark = pytest.mark.django_db

PASSWORD = "a long client password 2024"


def with_account(client):
    """The client claims their portal account through the emailed link's service."""
    claims.client_account_claim(token=claims.claim_token(client), password=PASSWORD)
    client.refresh_from_db()
    return client


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return api


@pytest.fixture
def carol(alice):
    return with_account(make_client(alice))


def titles(client) -> list[str]:
    return list(
        ClientInAppNotification.objects.filter(client=client)
        .order_by("id")
        .values_list("title", flat=True)
    )


# --- What writes the lines ---------------------------------------------------------------


def test_what_the_trainer_does_reaches_the_clients_centre_once(alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)  # booked by the trainer
    moved = move(booking, in_three_days + timedelta(days=1))
    cancel(moved, actor="trainer", reason="Studio closed")
    assert titles(carol) == [
        f"Booked: Personal training on {_when(carol, in_three_days)}",
        f"Moved: Personal training is now on {_when(carol, in_three_days + timedelta(days=1))}",
        f"Cancelled: Personal training on {_when(carol, in_three_days + timedelta(days=1))}",
    ]
    line = ClientInAppNotification.objects.filter(client=carol).first()
    assert line.url == reverse("portal:my_booking", args=[booking.pk])
    assert line.read_at is None and line.trainer_id == alice.pk


def _when(client, start) -> str:
    from trainerhub.notifications.messages import format_when

    # A client account's own zone (UTC unless they chose one) is the one their messages use.
    return format_when(start, client.account.timezone)


def test_what_the_client_does_themselves_is_not_told_back(alice, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days, actor="client")
    move(booking, in_three_days + timedelta(hours=2), actor="client")
    cancel(booking, actor="client")
    assert titles(carol) == []


def test_a_request_the_trainer_confirms_or_declines(alice, carol, in_three_days):
    from trainerhub.core.tests import factories

    factories.open_every_day(alice, "00:00", "23:59")
    asks = factories.make_service(alice, name="Assessment", requires_confirmation=True)
    first = make_booking(alice, carol, asks, in_three_days, status="pending", actor="client")
    second = make_booking(
        alice, carol, asks, in_three_days + timedelta(days=1), status="pending", actor="client"
    )
    scheduling.booking_confirm(booking=first, actor="trainer")
    scheduling.booking_decline(booking=second, actor="trainer", message="Fully booked")
    kinds = ClientInAppNotification.objects.filter(client=carol).order_by("id")
    assert [k.kind for k in kinds] == [Kind.BOOKING_CONFIRMED, Kind.REQUEST_DECLINED]


def test_a_client_without_an_account_gets_no_lines(alice, pt, in_three_days):
    dave = make_client(alice, first_name="Dave", email="dave@example.com")
    make_booking(alice, dave, pt, in_three_days)
    assert not ClientInAppNotification.objects.exists()


def test_an_issued_invoice_is_a_line_with_its_portal_link(alice, carol):
    invoice = billing.invoice_issue(invoice=draft_invoice(carol))
    (line,) = ClientInAppNotification.objects.filter(client=carol)
    assert line.kind == Kind.INVOICE_SENT
    assert line.title == f"Invoice {invoice.number} from {alice.display_name}"
    assert line.url == reverse("billing:my_invoices")


# --- The API -----------------------------------------------------------------------------


def test_the_client_lists_filters_and_marks_their_own(alice, bob, carol, pt, in_three_days):
    booking = make_booking(alice, carol, pt, in_three_days)
    cancel(booking, actor="trainer")
    api = api_for(carol.account)
    listing = api.get("/api/v1/notifications/").json()
    assert listing["count"] == 2
    assert [r["kind"] for r in listing["results"]] == ["booking_cancelled", "booking_confirmed"]
    newest = listing["results"][0]["id"]
    marked = api.post(f"/api/v1/notifications/{newest}/read/")
    assert marked.status_code == 200 and marked.json()["unread"] is False
    unread = api.get("/api/v1/notifications/?unread=true").json()
    assert [r["kind"] for r in unread["results"]] == ["booking_confirmed"]
    assert api.get("/api/v1/notifications/?unread=false").json()["count"] == 1
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_the_trainer_sees_their_own_centre_through_the_same_endpoints(alice_api, alice):
    mine = services.notify_trainer_in_app(trainer=alice, title="New booking: Carol")
    listing = alice_api.get("/api/v1/notifications/").json()
    assert [(r["id"], r["title"], r["kind"], r["unread"]) for r in listing["results"]] == [
        (mine.pk, "New booking: Carol", "", True)
    ]
    assert alice_api.post(f"/api/v1/notifications/{mine.pk}/read/").status_code == 200
    assert InAppNotification.objects.get(pk=mine.pk).read_at is not None


def test_anothers_notification_is_a_404_and_stays_unread(
    alice, bob, alice_api, bob_api, carol, pt, in_three_days
):
    # The two tables number their rows separately, so an id may name a line in each (on a
    # fresh SQLite database the client's line shares an id with one of bob's).
    [services.notify_trainer_in_app(trainer=bob, title=f"Bob {n}") for n in range(3)]
    make_booking(alice, carol, pt, in_three_days)
    clients_line = ClientInAppNotification.objects.get(client=carol)
    alices_line = services.notify_trainer_in_app(trainer=alice, title="New booking")
    erin = with_account(make_client(bob, first_name="Erin", email="erin@example.com"))
    for api, pk in [
        (bob_api, alices_line.pk),  # another trainer's
        (alice_api, clients_line.pk),  # a client's line (on her own record) is not hers
        (api_for(erin.account), clients_line.pk),  # another client's
        (api_for(carol.account), alices_line.pk),  # the trainer's
        (api_for(carol.account), 2**63),  # no row could have it
    ]:
        assert api.post(f"/api/v1/notifications/{pk}/read/").status_code == 404
    assert bob_api.get("/api/v1/notifications/").json()["count"] == 3
    assert api_for(erin.account).get("/api/v1/notifications/").json()["count"] == 0
    bob_api.post("/api/v1/notifications/read-all/")
    api_for(erin.account).post("/api/v1/notifications/read-all/")
    assert InAppNotification.objects.get(pk=alices_line.pk).read_at is None
    assert ClientInAppNotification.objects.get(pk=clients_line.pk).read_at is None


def test_a_bad_filter_is_a_400_with_the_field_and_anonymous_is_401(alice_api, anon_api):
    response = alice_api.get("/api/v1/notifications/?unread=maybe")
    assert response.status_code == 400
    assert response.json() == {"unread": ["Use true or false."]}
    assert anon_api.get("/api/v1/notifications/").status_code == 401


# --- The portal page and the bell --------------------------------------------------------


def test_the_portal_centre_shows_counts_and_marks_read(client, alice, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    client.force_login(carol.account)
    page = client.get(reverse("portal:my_notifications")).content.decode()
    assert "Booked: Personal training" in page and alice.display_name in page
    assert 'id="unread-badge"' in page and 'hx-trigger="every 30s"' in page
    assert '<span class="badge">1</span>' in page
    line = ClientInAppNotification.objects.get(client=carol)
    client.post(reverse("portal:my_notification_read", args=[line.pk]))
    badge = client.get(reverse("portal:my_unread_badge")).content.decode()
    assert 'data-unread="0"' in badge and 'class="badge"' not in badge
    assert f'hx-get="{reverse("portal:my_unread_badge")}"' in badge


def test_the_portal_centre_is_the_clients_own(client, alice, bob, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    line = ClientInAppNotification.objects.get(client=carol)
    erin = with_account(make_client(bob, first_name="Erin", email="erin@example.com"))
    client.force_login(erin.account)
    assert "Booked:" not in client.get(reverse("portal:my_notifications")).content.decode()
    read = client.post(reverse("portal:my_notification_read", args=[line.pk]))
    assert read.status_code == 404
    client.force_login(alice)  # a trainer is sent to their own pages
    assert client.get(reverse("portal:my_notifications")).status_code == 302


def test_the_trainers_badge_counts_their_unread(client, alice):
    services.notify_trainer_in_app(trainer=alice, title="New booking")
    client.force_login(alice)
    badge = client.get(reverse("notifications:unread_badge")).content.decode()
    assert '<span class="badge">1</span>' in badge and 'hx-trigger="every 30s"' in badge
    services.notifications_mark_all_read(trainer=alice)
    assert 'data-unread="0"' in client.get(reverse("notifications:unread_badge")).content.decode()


# --- Privacy -----------------------------------------------------------------------------


def test_export_carries_the_lines_and_erase_removes_them(alice, carol, pt, in_three_days):
    make_booking(alice, carol, pt, in_three_days)
    exported = privacy.export_sections(carol)["client_notifications"]
    assert [e["kind"] for e in exported] == ["booking_confirmed"]
    assert exported[0]["title"].startswith("Booked: Personal training")
    clients.client_erase(client=carol, confirm=carol.full_name)
    assert not ClientInAppNotification.objects.exists()


def test_a_document_to_sign_is_a_line_with_its_signing_link(alice, carol):
    from trainerhub.contracts import services as contracts
    from trainerhub.contracts.tests.conftest import TRAINER

    waiver = contracts.template_create(
        trainer=alice, name="Liability waiver", body="<p>I take part.</p>", fields=[]
    )
    contract = contracts.contract_create(
        trainer=alice, template=waiver, client=carol, booking=None, actor=TRAINER
    )
    contract = contracts.contract_send(contract=contract, actor=TRAINER)
    (line,) = ClientInAppNotification.objects.filter(client=carol)
    assert line.kind == Kind.CONTRACT_REQUEST
    assert line.title == f"Please sign: {contract.title} from {alice.display_name}"
    assert line.url == contracts.sign_url(contract).removeprefix(settings.SITE_URL)
