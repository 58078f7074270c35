"""A new trainer's booking page goes public once they follow the link mailed to them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from conftest import api_client_for
from trainerhub.accounts import verification
from trainerhub.accounts.models import User
from trainerhub.accounts.tests.factories import PASSWORD, TrainerFactory

pytestmark = pytest.mark.django_db

REGISTER = {
    "email": "new@example.com",
    "password": PASSWORD,
    "name": "Nina New",
    "timezone": "Europe/London",
    "business_name": "Nina Moves",
}


def _link(message) -> str:
    return re.search(r"http://\S+/accounts/verify-email/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def registered(client, django_capture_on_commit_callbacks) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", REGISTER)
    assert response.status_code == 302
    return User.objects.get(email="new@example.com")


def test_registering_mails_a_signed_link_and_the_page_stays_off(client, registered):
    (message,) = [m for m in mail.outbox if "Verify" in m.subject]
    assert message.to == ["new@example.com"]
    assert registered.email_verified_at is None
    assert client.get(f"/book/{registered.slug}/").status_code == 404
    api = client.get(f"/api/v1/public/{registered.slug}/services")
    assert api.status_code == 404


def test_the_trainer_sees_a_banner_with_resend(
    client, registered, django_capture_on_commit_callbacks
):
    page = client.get("/accounts/profile/")
    assert b"Verify your email address" in page.content
    assert b"Resend the link" in page.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify-email/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_following_the_link_publishes_the_page(client, registered):
    link = _link(mail.outbox[-1])
    response = client.get(_path(link))
    assert response.status_code == 200
    assert verification.DONE.encode() in response.content
    registered.refresh_from_db()
    assert registered.email_verified_at is not None
    assert client.get(f"/book/{registered.slug}/").status_code == 200
    assert b"Resend the link" not in client.get("/accounts/profile/").content
    # A second click is harmless.
    assert client.get(_path(link)).status_code == 200


def test_a_forged_or_expired_link_is_refused(client, registered):
    assert client.get("/accounts/verify-email/nonsense/").status_code == 400
    token = verification.token_for(registered)
    with time_machine.travel(timezone.now() + verification.MAX_AGE + timedelta(minutes=1)):
        response = client.get(f"/accounts/verify-email/{token}/")
    assert response.status_code == 400
    assert verification.LINK_DEAD.encode() in response.content
    registered.refresh_from_db()
    assert registered.email_verified_at is None


def test_a_link_for_an_old_address_is_refused(registered):
    token = verification.token_for(registered)
    User.objects.filter(pk=registered.pk).update(email="changed@example.com")
    with pytest.raises(verification.VerificationLinkDead):
        verification.email_verify(token=token)


def test_the_invite_link_waits_too(client, registered):
    from trainerhub.portal.selectors import portal_settings_for

    code = portal_settings_for(registered).invite_code
    assert client.get(f"/join/{code}/").status_code == 404


def test_off_publishes_at_once_and_shows_no_banner(client, settings, registered):
    settings.EMAIL_VERIFICATION = "off"
    assert client.get(f"/book/{registered.slug}/").status_code == 200
    assert b"Resend the link" not in client.get("/accounts/profile/").content


def test_factory_trainers_are_verified(alice):
    assert alice.email_verified_at is not None
    assert not alice.email_verification_pending


# --- API --------------------------------------------------------------------------------------


def test_api_register_says_verification_is_needed(anon_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_api.post("/api/v1/auth/register", REGISTER, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["verification_required"] is True
    assert body["email_verified"] is False
    assert "verification link" in body["detail"]
    assert len(mail.outbox) == 1


def test_api_register_without_verification(anon_api, settings):
    settings.EMAIL_VERIFICATION = "off"
    body = anon_api.post("/api/v1/auth/register", REGISTER, format="json").json()
    assert body["verification_required"] is False and body["email_verified"] is True


def test_api_verify_email_with_the_token(anon_api, registered):
    token = verification.token_for(registered)
    response = anon_api.post("/api/v1/auth/verify-email", {"token": token}, format="json")
    assert response.status_code == 200
    assert response.json()["email_verified"] is True


@pytest.mark.parametrize("token", ["", "x" * 40, 123])
def test_api_verify_email_bad_token_is_a_field_message(anon_api, token):
    response = anon_api.post("/api/v1/auth/verify-email", {"token": token}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["token"]


def test_api_resend(django_capture_on_commit_callbacks):
    pending = TrainerFactory(email_verified_at=None)
    api = api_client_for(pending)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/me/verify-email/resend")
    assert response.status_code == 202
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [pending.email]
    assert api.get("/api/v1/me").json()["email_verified"] is False


def test_api_resend_when_verified_sends_nothing(alice_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post("/api/v1/me/verify-email/resend")
    assert response.status_code == 200
    assert mail.outbox == []
