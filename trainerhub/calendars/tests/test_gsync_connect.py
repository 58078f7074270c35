"""Connecting Google and Microsoft with OAuth 2.0 (authorization code + PKCE S256, `state`
checked), tokens stored encrypted, disconnect revoking (Google) and deleting them; against
the local stand-in (provider_server.py)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection as db

from trainerhub.calendars import connections, oauth
from trainerhub.calendars.models import Connection, RemoteCalendar
from trainerhub.calendars.tests.sync_support import (
    connected,
    oauth_round_trip,
    provider_fixture,  # noqa: F401 - the `provider` fixture
)
from trainerhub.core.crypto import PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_connecting_sends_a_pkce_challenge_and_proves_it_with_the_verifier(
    alice_web, provider, name
):
    # Google's primary calendar is named by the account's address, Graph's by an id.
    work = provider.account if name == "google" else "AAMkAD-work"
    provider.calendar(work, "Work", primary=True)
    provider.calendar("team", "Team (read only)", writable=False)
    authorize_url, _consent, response = oauth_round_trip(alice_web, name)
    asked = _query(authorize_url)
    assert asked["code_challenge_method"] == "S256"
    assert asked["response_type"] == "code" and len(asked["state"]) >= 32
    # The token request carried the verifier whose SHA-256 is the challenge sent before.
    (token_call,) = provider.calls("POST", "/token")
    form = {k: v[0] for k, v in parse_qs(token_call["body"]).items()}
    digest = hashlib.sha256(form["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == asked["code_challenge"]
    assert form["grant_type"] == "authorization_code"
    row = Connection.objects.get(provider=name)
    assert response.status_code == 302 and response["Location"] == f"/calendars/accounts/{row.pk}/"
    assert row.status == Connection.Status.ACTIVE and row.account == "alice@example.com"
    # The primary calendar blocks bookings and receives them; a read-only one does neither.
    calendars = {c.remote_id: c for c in RemoteCalendar.objects.filter(connection=row)}
    assert (calendars[work].busy, calendars[work].can_write) == (True, True)
    assert (calendars["team"].busy, calendars["team"].can_write) == (False, False)
    assert row.write_calendar == work


def test_tokens_are_stored_encrypted(alice_web, provider):
    provider.calendar("primary", "Alice", primary=True)
    row = connected(alice_web, "google")
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM calendars_connection WHERE id = %s", [row.pk]
        )
        access, refresh = cursor.fetchone()
    assert access.startswith(PREFIX) and refresh.startswith(PREFIX)
    assert row.access_token in provider.access and row.refresh_token in provider.refresh_tokens


def test_a_callback_with_another_state_connects_nothing(alice_web, provider):
    provider.calendar("primary", "Alice", primary=True)
    alice_web.post("/calendars/connect/google/")
    response = alice_web.get(
        "/calendars/connect/google/callback/", {"code": "stolen", "state": "forged"}, follow=True
    )
    assert "the sign-in could not be checked" in response.content.decode()
    assert not Connection.objects.exists()
    assert not provider.calls("POST", "/token")  # the code was never even tried


def test_a_wrong_verifier_is_refused_by_the_provider(alice, provider):
    provider.calendar("primary", "Alice", primary=True)
    pkce = oauth.new_pkce()
    location = oauth.authorization_url(
        "google", state="s", challenge=pkce.challenge, redirect_uri="http://x/cb"
    )
    code = _query(provider.authorize(_query(location)))["code"]
    with pytest.raises(connections.ConnectFailed, match="invalid_grant"):
        connections.connection_connect(
            trainer=alice,
            provider="google",
            code=code,
            verifier=oauth.new_pkce().verifier,
            redirect_uri="http://x/cb",
        )
    assert not Connection.objects.exists()


def test_the_provider_saying_no_is_shown(alice_web, provider):
    alice_web.post("/calendars/connect/microsoft/")
    response = alice_web.get(
        "/calendars/connect/microsoft/callback/", {"error": "access_denied"}, follow=True
    )
    assert "Microsoft 365 / Outlook was not connected (access_denied)" in response.content.decode()


def test_buttons_appear_only_for_configured_providers(alice_web, settings):
    settings.GOOGLE_CLIENT_ID = settings.GOOGLE_CLIENT_SECRET = ""
    settings.MICROSOFT_CLIENT_ID = settings.MICROSOFT_CLIENT_SECRET = ""
    page = alice_web.get("/calendars/").content.decode()
    assert 'data-connect="google"' not in page and 'data-connect="microsoft"' not in page
    assert alice_web.post("/calendars/connect/google/").status_code == 404
    settings.MICROSOFT_CLIENT_ID, settings.MICROSOFT_CLIENT_SECRET = "id", "secret"
    page = alice_web.get("/calendars/").content.decode()
    assert 'data-connect="microsoft"' in page and 'data-connect="google"' not in page


def test_disconnect_revokes_at_google_and_deletes_the_tokens(alice_web, provider):
    provider.calendar("primary", "Alice", primary=True)
    row = connected(alice_web, "google")
    refresh = row.refresh_token
    response = alice_web.post(f"/calendars/accounts/{row.pk}/disconnect/")
    assert response.status_code == 302
    assert provider.revoked == [refresh] and refresh not in provider.refresh_tokens
    assert not Connection.objects.exists() and not RemoteCalendar.objects.exists()


def test_another_trainers_connection_is_a_404(alice_web, provider, bob, client):
    provider.calendar("primary", "Alice", primary=True)
    row = connected(alice_web, "google")
    client.force_login(bob)
    assert client.get(f"/calendars/accounts/{row.pk}/").status_code == 404
    assert client.post(f"/calendars/accounts/{row.pk}/disconnect/").status_code == 404
    assert client.post(f"/calendars/accounts/{row.pk}/sync/").status_code == 404
    assert Connection.objects.filter(pk=row.pk).exists()


def test_choosing_a_calendar_that_cannot_be_written_is_a_field_error(alice_web, provider):
    provider.calendar("primary", "Alice", primary=True)
    provider.calendar("team", "Team", writable=False)
    row = connected(alice_web, "google")
    team = RemoteCalendar.objects.get(remote_id="team")
    response = alice_web.post(
        f"/calendars/accounts/{row.pk}/", {"busy": [str(team.pk)], "write_calendar": str(team.pk)}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    row.refresh_from_db()
    assert row.write_calendar == "primary"
