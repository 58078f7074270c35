"""A client sees and downloads their issued invoices in their account (never drafts, never
someone else's); the booking page loads its payment section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.billing import services
from trainerhub.billing.tests.factories import draft_invoice, make_client, past_booking

pytestmark = pytest.mark.django_db


def _client_user(email: str) -> User:
    user = User(email=email, name="Chris Client", role=User.Role.CLIENT)
    user.set_password("a-long-unusual-password")
    user.save()
    return user


def test_client_sees_and_downloads_their_issued_invoices(client, alice, bob):
    user = _client_user("chris@example.com")
    mine = make_client(alice, email="chris@example.com")
    mine.account = user
    mine.save()
    issued = services.invoice_issue(invoice=draft_invoice(mine))
    draft = draft_invoice(mine)
    other = services.invoice_issue(invoice=draft_invoice(make_client(bob, email="o@example.com")))
    client.force_login(user)
    page = client.get("/billing/my/invoices/")
    assert page.status_code == 200
    assert issued.number.encode() in page.content
    assert [row["invoice"].pk for row in page.context["items"]] == [issued.pk]
    pdf = client.get(f"/billing/my/invoices/{issued.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/billing/my/invoices/{draft.pk}/pdf/").status_code == 404
    assert client.get(f"/billing/my/invoices/{other.pk}/pdf/").status_code == 404
    assert b"/billing/my/invoices/" in client.get("/my/").content


def test_a_trainer_is_sent_to_their_dashboard(client, alice):
    client.force_login(alice)
    assert client.get("/billing/my/invoices/").status_code == 302


def test_booking_page_loads_its_payment_section(client, alice):
    booking = past_booking(make_client(alice))
    client.force_login(alice)
    page = client.get(reverse("scheduling:booking_detail", args=[booking.pk]))
    assert f'hx-get="/billing/bookings/{booking.pk}/money/"'.encode() in page.content
