"""config/proxy.py: the client's address behind the proxy, as the rate limits count it."""

from __future__ import annotations

from django.test import RequestFactory

from config.proxy import client_ip


def test_the_address_nginx_passed_on_counts_not_nginxs_own() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_without_x_real_ip_the_entry_the_proxy_added_counts_not_the_clients_claims() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.8"
    )
    assert client_ip(request) == "203.0.113.8"


def test_a_request_that_skipped_the_proxy_counts_its_connection() -> None:
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="198.51.100.2")) == "198.51.100.2"
