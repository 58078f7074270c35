"""Password reset by email: the link arrives, works once, and expires."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from trainerhub.accounts.tests.factories import PASSWORD

NEW = {"new_password1": "a-fresh-passphrase", "new_password2": "a-fresh-passphrase"}


def ask_for_link(client, email="alice@example.com") -> str:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def set_password(client, link: str):
    """Follow the emailed link (Django swaps the token for a session one) and post the form."""
    page = client.get(link, follow=True)
    if page.context is None or not page.context.get("validlink"):
        return page
    return client.post(page.redirect_chain[-1][0] if page.redirect_chain else link, NEW)


@pytest.mark.django_db
def test_reset_pages_render(client):
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("accounts:password_reset_done")).status_code == 200
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200


@pytest.mark.django_db
def test_the_email_arrives_with_text_and_html_and_the_site_address(client, alice, settings):
    settings.SITE_URL = "https://trainers.example.org"
    ask_for_link(client, email="ALICE@example.com")
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your TrainerHub password"
    assert "https://trainers.example.org/accounts/password/reset/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "https://trainers.example.org/accounts/password/reset/" in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "not-an-address", "x" * 10_000])
def test_reset_request_bad_input_shows_a_message(client, email):
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


@pytest.mark.django_db
def test_the_link_works_once(client, alice):
    link = ask_for_link(client)
    response = set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW["new_password1"])
    other = client.__class__()
    again = other.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "no longer works" in again.content.decode()


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, alice, settings):
    with time_machine.travel("2030-03-01 10:00:00+00:00", tick=False) as traveller:
        link = ask_for_link(client)
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
        page = client.get(link, follow=True)
        assert page.context["validlink"] is False
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_new_password_bad_input_shows_the_message(client, alice):
    link = ask_for_link(client)
    page = client.get(link, follow=True)
    url = page.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    response = client.post(url, {"new_password1": "a-fresh-passphrase", "new_password2": "other"})
    assert response.context["form"].errors["new_password2"]


@pytest.mark.django_db
def test_a_reset_lifts_the_lockout(client, anon_api, alice):
    for _ in range(5):
        anon_api.post("/api/v1/auth/login", {"email": "alice@example.com", "password": "x"})
    set_password(client, ask_for_link(client))
    response = anon_api.post(
        "/api/v1/auth/login", {"email": "alice@example.com", "password": NEW["new_password1"]}
    )
    assert response.status_code == 200
