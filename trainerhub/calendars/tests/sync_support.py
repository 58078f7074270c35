"""The Google / Microsoft stand-in as a fixture, and the OAuth round trip a trainer makes."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from trainerhub.calendars.models import Connection
from trainerhub.calendars.tests.provider_server import CLIENT_ID, CLIENT_SECRET, ProviderHost, start


@pytest.fixture(name="provider")
def provider_fixture(settings) -> Iterator[ProviderHost]:
    """Google and Microsoft on 127.0.0.1 (one server answers both), configured in settings."""
    host = ProviderHost()
    server = start(host)
    settings.GOOGLE_CLIENT_ID = settings.MICROSOFT_CLIENT_ID = CLIENT_ID
    settings.GOOGLE_CLIENT_SECRET = settings.MICROSOFT_CLIENT_SECRET = CLIENT_SECRET
    settings.GOOGLE_AUTH_URL = f"{host.base}/o/oauth2/v2/auth"
    settings.GOOGLE_OAUTH_BASE = settings.GOOGLE_API_BASE = host.base
    settings.MICROSOFT_LOGIN_BASE = settings.MICROSOFT_GRAPH_BASE = host.base
    settings.CALENDAR_FETCH_TIMEOUT = 2
    yield host
    server.shutdown()
    server.server_close()


def primary_calendar(host: ProviderHost, provider: str) -> str:
    """The account's primary calendar: Google names it by the account's address, Graph by an
    id of its own."""
    cid = host.account if provider == "google" else "AAMkAD-primary"
    host.calendar(cid, "Alice", primary=True)
    return cid


def oauth_round_trip(client, provider: str) -> tuple[str, httpx.Response, object]:
    """Press "Connect", consent at the stand-in, come back: (authorize URL, the stand-in's
    redirect, our callback's response)."""
    start_page = client.post(f"/calendars/connect/{provider}/")
    assert start_page.status_code == 302, start_page
    authorize_url = start_page["Location"]
    consent = httpx.get(authorize_url, follow_redirects=False)
    assert consent.status_code == 302
    back = urlsplit(consent.headers["location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    return authorize_url, consent, client.get(back.path, query)


def connected(client, provider: str) -> Connection:
    _url, _consent, response = oauth_round_trip(client, provider)
    assert response.status_code == 302, response
    return Connection.objects.get(provider=provider)


def connect_directly(trainer, host: ProviderHost, provider: str) -> Connection:
    """The same round trip without the pages: consent at the stand-in, then the service."""
    from trainerhub.calendars import connections, oauth

    pkce = oauth.new_pkce()
    url = oauth.authorization_url(
        provider, state="s", challenge=pkce.challenge, redirect_uri="http://testserver/cb"
    )
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    back = {k: v[0] for k, v in parse_qs(urlsplit(host.authorize(query)).query).items()}
    return connections.connection_connect(
        trainer=trainer,
        provider=provider,
        code=back["code"],
        verifier=pkce.verifier,
        redirect_uri="http://testserver/cb",
    )
