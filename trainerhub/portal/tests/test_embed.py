"""Embedding: the booking pages may be framed by any site when embedded (?embed=1), never
otherwise, and the trainer app never; the settings page gives the link and the codes."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.test import Client as WebClient

from trainerhub.portal.tests.conftest import form_data, make_client_user
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db


def framing(response) -> tuple[str | None, str | None]:
    # The frame-ancestors directive of the page's whole Content-Security-Policy.
    policy = response.get("Content-Security-Policy") or ""
    directives = (part.strip() for part in policy.split(";"))
    ancestors = next((d for d in directives if d.startswith("frame-ancestors")), None)
    return response.get("X-Frame-Options"), ancestors


def test_the_booking_page_is_framable_only_when_embedded(client, service, free_start):
    assert framing(client.get("/book/alice/")) == ("DENY", "frame-ancestors 'none'")
    assert framing(client.get("/book/alice/?embed=1")) == (None, "frame-ancestors *")
    details = {"service": service.pk, "start": free_start.isoformat(), "embed": "1"}
    assert framing(client.get("/book/alice/details/", details)) == (None, "frame-ancestors *")


def test_the_trainer_app_and_client_pages_are_never_framed(client, alice):
    client.force_login(alice)
    for url in ("/", "/portal/settings/", "/portal/settings/brand/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
    assert WebClient().get("/my/login/?embed=1")["X-Frame-Options"] == "DENY"


def test_embedded_links_stay_embedded(client, service, free_start):
    page = client.get(f"/book/alice/?service={service.pk}&tz=Europe/London&embed=1")
    html = htmllib.unescape(page.content.decode())
    times = re.findall(r'href="(/book/alice/details/[^"]+)" data-time', html)
    days = re.findall(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*data-day=', html)
    assert times and days
    assert all("embed=1" in url for url in times + days)
    details = client.get(times[0])
    assert '<input type="hidden" name="embed" value="1">' in details.content.decode()
    assert "embedded" in re.search(r'<body [^>]*class="([^"]*)"', details.content.decode())[1]


def test_an_embedded_visitor_books_without_cookies(service, free_start):
    # Inside another site's frame the browser sends no cookie of ours: no CSRF cookie either.
    web = WebClient(enforce_csrf_checks=True)
    r = web.post("/book/alice/details/", form_data(service, free_start, step="confirm", embed="1"))
    assert r.status_code == 302
    assert "embed=1" in r["Location"]
    done = web.get(r["Location"])
    assert framing(done) == (None, "frame-ancestors *")
    assert 'target="_blank"' in done.content.decode()  # the manage page is never framed
    assert Booking.objects.count() == 1


def test_csrf_still_guards_everyone_else(alice, service, free_start):
    web = WebClient(enforce_csrf_checks=True)
    r = web.post("/book/alice/details/", form_data(service, free_start, step="confirm"))
    assert r.status_code == 403
    user = make_client_user("carol@example.com", "pw-long-enough-1")
    web.force_login(user)
    r = web.post("/book/alice/details/", form_data(service, free_start, step="confirm", embed="1"))
    assert r.status_code == 403
    assert not Booking.objects.exists()


def test_settings_page_gives_the_link_and_the_embed_codes(client, alice, settings):
    settings.SITE_URL = "https://hub.example.com"
    client.force_login(alice)
    html = client.get("/portal/settings/").content.decode()
    assert 'data-copy="http://testserver/book/alice/"' in html
    assert "Copy link" in html
    codes = htmllib.unescape(html)
    assert (
        '<iframe src="https://hub.example.com/book/alice/?embed=1" title="Book with '
        'Alice Archer Coaching"'
    ) in codes
    assert '<a href="https://hub.example.com/book/alice/" data-trainerhub-book>' in codes
    assert '<script src="https://hub.example.com/static/js/embed.js" async></script>' in codes


def test_the_overlay_script_is_served_from_our_static_files(client, live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/static/js/embed.js") as response:
        body = response.read().decode()
        assert response.headers["Content-Type"].startswith(
            ("text/javascript", "application/javascript")
        )
    assert "data-trainerhub-book" in body and 'set("embed", "1")' in body
