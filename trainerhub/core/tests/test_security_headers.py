"""Security headers on every answer: the Content-Security-Policy (no inline script, inline
<style> only with the request's nonce, no style="" attributes), the Permissions-Policy,
`Cache-Control: no-store` on pages and API answers (not on static files, /healthz or what
chose its own caching), and HSTS preload only when the operator asks for it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as WebClient
from django.test import override_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (p.strip().split(" ", 1) for p in policy.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def test_every_page_has_the_strict_policy(client, alice):
    client.force_login(alice)
    for path in ("/", "/clients/", "/scheduling/bookings/", "/accounts/login/", "/api/docs/"):
        policy = directives(client.get(path))
        assert policy["script-src"] == "'self'", path
        assert policy["default-src"] == "'self'", path
        assert policy["object-src"] == "'none'", path
        assert policy["style-src-attr"] == "'none'", path
        assert policy["frame-ancestors"] == "'none'", path
        # The nonce appears only on a page that used it.
        assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]+')?", policy["style-src"]), path


def test_the_brand_style_carries_the_pages_nonce(client, alice):
    alice.accent_color = "#aa3300"
    alice.save(update_fields=["accent_color"])
    response = client.get(f"/book/{alice.slug}/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html and " onchange=" not in html and 'style="' not in html


def test_the_embedded_booking_page_keeps_the_policy_and_may_be_framed(client, alice):
    policy = directives(client.get(f"/book/{alice.slug}/?embed=1"))
    assert (policy["frame-ancestors"], policy["script-src"]) == ("*", "'self'")


def test_pages_and_api_answers_are_never_stored(client, alice, alice_api, anon_api):
    client.force_login(alice)
    answers = [
        client.get("/"),
        client.get("/clients/"),
        client.get(f"/book/{alice.slug}/"),  # every page carries the visitor's CSRF token
        alice_api.get("/api/v1/clients/"),
        alice_api.get("/api/v1/me/"),
        anon_api.get("/api/v1/clients/"),  # a 401 too
    ]
    assert [a["Cache-Control"] for a in answers] == ["no-store"] * len(answers)


def test_permissions_policy_turns_off_unused_features(client):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_healthz_and_static_files_keep_their_own_caching(client):
    assert client.get("/healthz")["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        static = WebClient().get("/static/css/app.css")
        assert static.status_code == 200
        assert "no-store" not in static.get("Cache-Control", "")
        assert "Permissions-Policy" not in static


def _hsts(**env: str) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD)"
    )
    environment = {**os.environ, "HTTPS": "true", **env}
    environment.pop("HSTS_PRELOAD", None) if "HSTS_PRELOAD" not in env else None
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip()


def test_hsts_preload_only_when_the_operator_asks():
    assert _hsts() == "31536000 False"
    assert _hsts(HSTS_PRELOAD="true") == "31536000 True"


def test_an_unmatched_api_address_answers_json(alice_api):
    response = alice_api.get("/api/v1/clients/not-a-number/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_every_operation_documents_the_shared_error_answers(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            missing = {"400", "401", "403", "404", "429"} - set(operation["responses"])
            assert missing == set(), (method, path)
