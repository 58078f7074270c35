"""Client accounts reset their password like trainers do, through a real SMTP server: the
link arrives, works once, expires, tells nobody who has an account, and lifts the lockout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client as WebClient

from trainerhub.portal.tests.conftest import make_client, make_client_user

pytestmark = pytest.mark.django_db
RESET = "/my/password/reset/"
OLD = "the-old-passphrase"
NEW = {"new_password1": "a-fresh-passphrase", "new_password2": "a-fresh-passphrase"}


@pytest.fixture
def carol_account(alice):
    user = make_client_user("carol@example.com", OLD)
    make_client(alice, "carol@example.com", account=user)
    return user


def ask_for_link(client, smtp, email: str = "carol@example.com") -> str:
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/my/password/reset/sent/"
    message = smtp.messages[-1]
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https://hub\.example\.com(/my/password/reset/[^\s]+/)", text)
    assert match, text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"https://hub.example.com{match.group(1)}" in html
    return match.group(1)


def set_password(client, link: str):
    """Follow the emailed link (Django swaps the token for a session one) and post the form."""
    page = client.get(link, follow=True)
    if not page.context.get("validlink"):
        return page
    return client.post(page.redirect_chain[-1][0], NEW)


def sign_in(password: str) -> int:
    response = WebClient().post("/my/login/", {"email": "carol@example.com", "password": password})
    return response.status_code


def test_request_read_link_set_password_sign_in_and_link_dies(client, smtp, carol_account):
    assert "/my/password/reset/" in client.get("/my/login/").content.decode()
    link = ask_for_link(client, smtp)
    (message,) = smtp.messages
    assert message["To"] == "carol@example.com"
    assert message["Subject"] == "Reset your client account password"

    response = set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/my/password/reset/done/"
    assert sign_in(NEW["new_password1"]) == 302
    assert sign_in(OLD) == 400

    again = WebClient().get(link, follow=True)
    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()


@pytest.mark.parametrize("email", ["nobody@example.com", "alice@example.com"])
def test_unknown_and_trainer_addresses_get_the_same_answer_and_no_email(
    client, smtp, alice, carol_account, email
):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/my/password/reset/sent/"
    assert len(smtp) == 0


def test_a_trainers_reset_link_does_not_work_on_the_client_pages(client, alice):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    page = client.get(f"{RESET}{uid}/{token}/", follow=True)
    assert page.context["validlink"] is False


def test_an_expired_link_is_refused(client, smtp, carol_account, settings):
    with time_machine.travel("2030-03-01 10:00:00+00:00", tick=False) as traveller:
        link = ask_for_link(client, smtp)
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
        page = client.get(link, follow=True)
        assert page.context["validlink"] is False
    carol_account.refresh_from_db()
    assert carol_account.check_password(OLD)


def test_weak_new_password_is_refused_next_to_the_field(client, smtp, carol_account):
    link = ask_for_link(client, smtp)
    url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


@pytest.mark.parametrize("email", ["", "not-an-address", "x" * 10_000])
def test_bad_request_input_shows_a_message(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_requests_are_throttled_per_address(client, smtp, carol_account):
    codes = [client.post(RESET, {"email": "nobody@example.com"}).status_code for _ in range(11)]
    assert codes == [302] * 10 + [429]
    refused = client.post(RESET, {"email": "carol@example.com"})
    assert "Too many reset requests" in refused.content.decode()
    assert len(smtp) == 0


def test_a_reset_lifts_the_lockout(client, smtp, carol_account, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong-password")
    assert sign_in(OLD) == 429  # locked: even the right password is refused
    set_password(client, ask_for_link(client, smtp))
    assert sign_in(NEW["new_password1"]) == 302
