"""Issue 19, item 1: nobody takes over a client's account with only their email address.

The attack: book on the trainer's public page with the victim's address, take the manage token
from the answer, and create the victim's account from the manage link. Now a manage link
manages its booking only; the account comes from a link mailed to the address (a real SMTP
server), and a public booking leaves an existing client's record as it was.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client as WebClient
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client, IntakeField
from trainerhub.core.tests.factories import make_booking
from trainerhub.portal.claims import LINK_DEAD, LINK_SENT
from trainerhub.portal.models import BookingAnswers
from trainerhub.portal.tests.conftest import day_at, form_data, make_client_user, payload
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
VICTIM = "victor@example.com"
ATTACKER_PASSWORD = "mallory-owns-this-now-42"
VICTIM_PASSWORD = "victor-chose-this-one-42"


@pytest.fixture
def goal(alice):
    return IntakeField.objects.create(
        trainer=alice, key="goal", label="Your goal", on_booking_form=True
    )


@pytest.fixture
def victor(alice, service, goal) -> Client:
    """A long-standing client: archived, with answers and a phone of his own, and a session
    the trainer booked for him."""
    record = Client.objects.create(
        trainer=alice,
        first_name="Victor",
        last_name="Victim",
        email=VICTIM,
        phone="+447911000111",
        custom_fields={"goal": "Marathon"},
    )
    make_booking(record, day_at(5, 9), service=service)
    Client.objects.filter(pk=record.pk).update(status=Client.Status.ARCHIVED)
    record.refresh_from_db()
    return record


def attacker_books(anon_api, service, start, **extra) -> dict:
    body = payload(
        service,
        start,
        first_name="Mallory",
        last_name="Attacker",
        email=VICTIM,
        phone="+44 7400 654321",
        fields={"goal": "Hacked"},
        **extra,
    )
    response = anon_api.post("/api/v1/public/alice/bookings", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def claim_path(smtp, to: str = VICTIM) -> str:
    message = smtp.messages[-1]
    assert message["To"] == to
    assert message["Subject"] == "Create your client account"
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https://hub\.example\.com(/my/claim/[^\s]+/)", text)
    assert match, text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"https://hub.example.com{match.group(1)}" in html
    return match.group(1)


def set_password(web, path: str, password: str):
    return web.post(path, {"password": password, "password2": password})


def test_the_attack_end_to_end(anon_api, smtp, alice, service, victor, free_start):
    booked = attacker_books(anon_api, service, free_start)
    token = booked["manage_token"]
    attacker = WebClient()

    # The manage link offers to email a link; it has no password form any more.
    page = attacker.get(f"/manage/{token}/account/")
    assert page.status_code == 200
    assert 'name="password"' not in page.content.decode()
    assert "Email me a link" in page.content.decode()
    # Posting the old sign-up form just sends the link to the victim's address.
    response = attacker.post(
        f"/manage/{token}/account/",
        {"email": VICTIM, "password": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD},
    )
    assert (response.status_code, response["Location"]) == (302, f"/manage/{token}/")
    assert LINK_SENT in attacker.get(response["Location"]).content.decode()
    assert not User.objects.filter(email__iexact=VICTIM).exists()
    victor.refresh_from_db()
    assert victor.account_id is None
    assert (
        attacker.post("/my/login/", {"email": VICTIM, "password": ATTACKER_PASSWORD}).status_code
        == 400
    )

    # The victim reads the link in his own mailbox and makes the account his.
    assert [m["To"] for m in smtp.messages if m["Subject"] == "Create your client account"] == [
        VICTIM
    ]
    path = claim_path(smtp)
    victim = WebClient()
    assert VICTIM in victim.get(path).content.decode()
    response = set_password(victim, path, VICTIM_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/my/")
    account = User.objects.get(email__iexact=VICTIM)
    assert account.role == User.Role.CLIENT
    victor.refresh_from_db()
    assert victor.account == account
    home = victim.get("/my/").content.decode()
    assert home.count("data-booking=") == 2  # his own session and the one booked in his name

    # The link works once.
    assert WebClient().get(path).status_code == 404
    assert LINK_DEAD in WebClient().get(path).content.decode()


def test_a_public_booking_leaves_the_existing_record_as_it_was(
    anon_api, alice, service, victor, free_start
):
    booked = attacker_books(anon_api, service, free_start)
    victor.refresh_from_db()
    assert victor.custom_fields == {"goal": "Marathon"}
    assert victor.status == Client.Status.ARCHIVED
    assert victor.phone == "+447911000111"
    assert (victor.first_name, victor.last_name) == ("Victor", "Victim")
    booking = Booking.objects.get(pk=booked["id"])
    assert booking.client_id == victor.pk
    answers = BookingAnswers.objects.get(booking=booking)
    assert (answers.first_name, answers.phone) == ("Mallory", "+447400654321")
    assert answers.custom_fields == {"goal": "Hacked"}
    assert answers.decision == ""


def test_the_booking_page_keeps_the_record_as_it_was_too(client, alice, service, victor):
    start = day_at(3, 11)
    data = form_data(service, start, step="confirm", email=VICTIM, field_goal="Hacked")
    assert client.post("/book/alice/details/", data).status_code == 302
    victor.refresh_from_db()
    assert (victor.custom_fields, victor.status) == ({"goal": "Marathon"}, "archived")


def test_the_trainer_applies_or_ignores_the_answers(anon_api, alice, service, victor, free_start):
    attacker_books(anon_api, service, free_start)
    attacker_books(anon_api, service, free_start + timedelta(hours=2))
    first, second = BookingAnswers.objects.order_by("id")
    web = WebClient()
    web.force_login(alice)
    page = web.get(f"/clients/{victor.pk}/").content.decode()
    assert page.count("data-booking-answers=") == 2
    assert "New answers from the booking on" in page

    response = web.post(f"/portal/answers/{first.pk}/ignore/")
    assert (response.status_code, response["Location"]) == (302, f"/clients/{victor.pk}/")
    victor.refresh_from_db()
    assert victor.custom_fields == {"goal": "Marathon"}

    assert web.post(f"/portal/answers/{second.pk}/apply/").status_code == 302
    victor.refresh_from_db()
    assert (victor.custom_fields, victor.phone) == ({"goal": "Hacked"}, "+447400654321")
    assert "data-booking-answers=" not in web.get(f"/clients/{victor.pk}/").content.decode()
    # Decided once; another trainer cannot reach them at all.
    web.post(f"/portal/answers/{second.pk}/ignore/")
    second.refresh_from_db()
    assert second.decision == "applied"


def test_another_trainer_cannot_decide_alices_answers(anon_api, bob, service, victor, free_start):
    attacker_books(anon_api, service, free_start)
    answers = BookingAnswers.objects.get()
    web = WebClient()
    web.force_login(bob)
    assert web.post(f"/portal/answers/{answers.pk}/apply/").status_code == 404
    answers.refresh_from_db()
    assert answers.decision == ""


def test_a_squatted_address_is_won_back_through_the_emailed_link(
    anon_api, smtp, alice, service, victor, free_start
):
    # Someone created a client account with the victim's address (no link proved it).
    make_client_user(VICTIM, ATTACKER_PASSWORD)
    booked = attacker_books(anon_api, service, free_start)
    WebClient().post(f"/manage/{booked['manage_token']}/account/")
    path = claim_path(smtp)
    assert set_password(WebClient(), path, VICTIM_PASSWORD).status_code == 302
    login = WebClient().post("/my/login/", {"email": VICTIM, "password": ATTACKER_PASSWORD})
    assert login.status_code == 400
    login = WebClient().post("/my/login/", {"email": VICTIM, "password": VICTIM_PASSWORD})
    assert (login.status_code, login["Location"]) == (302, "/my/")


def test_the_link_expires(anon_api, smtp, alice, service, victor, free_start, settings):
    booked = attacker_books(anon_api, service, free_start)
    WebClient().post(f"/manage/{booked['manage_token']}/account/")
    path = claim_path(smtp)
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        assert set_password(WebClient(), path, VICTIM_PASSWORD).status_code == 404
    victor.refresh_from_db()
    assert victor.account_id is None


def test_a_link_for_another_address_dies_when_the_trainer_changes_it(
    anon_api, smtp, alice, service, victor, free_start
):
    booked = attacker_books(anon_api, service, free_start)
    WebClient().post(f"/manage/{booked['manage_token']}/account/")
    path = claim_path(smtp)
    Client.objects.filter(pk=victor.pk).update(email="victor@new.example.com")
    assert WebClient().get(path).status_code == 404


def test_a_forged_link_is_refused(client):
    assert client.get("/my/claim/not-a-signed-token/").status_code == 404


def test_no_email_for_a_record_that_has_an_account(client, smtp, alice, service):
    user = make_client_user("carol@example.com", VICTIM_PASSWORD)
    client.post("/book/alice/details/", form_data(service, day_at(3, 10), step="confirm"))
    booking = Booking.objects.get()
    Client.objects.filter(pk=booking.client_id).update(account=user)
    before = len(smtp)
    response = client.post(f"/manage/{booking.manage_token}/account/")
    assert (response.status_code, response["Location"]) == (302, "/my/login/")
    assert len(smtp) == before
