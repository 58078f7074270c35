"""SSRF: only http(s) to public addresses, every resolved address checked."""

from __future__ import annotations

import socket

import pytest

from trainerhub.core.errors import InvalidInput
from trainerhub.webhooks import addresses, services
from trainerhub.webhooks.models import Endpoint

REFUSED = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.9/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:10.0.0.1]/hook",
]


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_and_link_local_addresses_are_refused(production, url):
    with pytest.raises(addresses.RefusedURL, match="private, loopback or link-local"):
        addresses.check(url)


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/x", "file:///etc/passwd", "gopher://x/"])
def test_other_schemes_are_refused(production, url):
    with pytest.raises(addresses.RefusedURL, match="http:// or https://"):
        addresses.check(url)


def test_credentials_in_the_url_are_refused(production):
    with pytest.raises(addresses.RefusedURL, match="credentials"):
        addresses.check("https://user:pw@93.184.215.14/hook")


def test_a_public_address_is_accepted(production):
    addresses.check("https://93.184.215.14/hook")
    addresses.check("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")


def test_a_name_with_one_private_address_among_public_ones_is_refused(production, monkeypatch):
    # DNS is outside the machine: the stand-in answers one public and one private address.
    def fake_getaddrinfo(host, port, *args, **kwargs):
        assert host == "mixed.example"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(addresses.RefusedURL):
        addresses.check("https://mixed.example/hook")


def test_a_name_that_does_not_resolve_is_refused(production, monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(addresses.RefusedURL, match="does not resolve"):
        addresses.check("https://nowhere.invalid/hook")


def test_the_service_answers_a_field_message_and_saves_nothing(production, alice):
    with pytest.raises(InvalidInput) as exc:
        services.endpoint_create(
            trainer=alice, url="http://127.0.0.1:9/hook", events=["booking.created"]
        )
    assert list(exc.value.errors) == ["url"]
    assert not Endpoint.objects.exists()


def test_allow_private_lets_a_local_receiver_in_but_not_another_scheme(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    addresses.check("http://127.0.0.1:9/hook")
    with pytest.raises(addresses.RefusedURL):
        addresses.check("ftp://127.0.0.1/hook")
