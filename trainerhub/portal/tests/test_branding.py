"""The trainer's brand: set on "Your brand", worn by the public pages and the client emails;
images typed by their bytes; the booking page framable only when embedded."""

from __future__ import annotations

import io
import os
import re
from email.utils import parseaddr

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from PIL import Image

from trainerhub.accounts.models import User
from trainerhub.core.colors import DARK_BACKGROUND, LIGHT_BACKGROUND, contrast
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.portal.tests.conftest import form_data

pytestmark = pytest.mark.django_db
BRAND = "/portal/settings/brand/"


def image_bytes(fmt: str = "PNG", color: str = "#ff6600") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


def post_brand(web, **extra):
    data = {
        "business_name": "Archer Strength",
        "bio": "Ten years of coaching.\nStudio in Camden.",
        "accent_color": "#ffd43b",
        "use_accent": "on",
        **extra,
    }
    return web.post(BRAND, data)


def test_brand_saved_and_worn_by_the_public_page(alice_web, alice, media, service):
    # A JPEG named .png: the bytes decide its type, not the name.
    r = post_brand(
        alice_web,
        logo=upload("logo.png", image_bytes("JPEG")),
        photo=upload("me.webp", image_bytes("WEBP")),
    )
    assert r.status_code == 302 and r["Location"] == BRAND
    alice.refresh_from_db()
    assert (alice.business_name, alice.accent_color) == ("Archer Strength", "#ffd43b")
    assert (alice.logo_type, alice.photo_type) == ("image/jpeg", "image/webp")

    html = WebClient().get("/book/alice/").content.decode()
    assert "<title>Book with Archer Strength · Archer Strength</title>" in html
    assert re.search(r'class="brand brand-trainer" href="/book/alice/"><img src="([^"]+)"', html)
    assert "TrainerHub</a>" not in html
    assert "Ten years of coaching.<br>Studio in Camden." in html
    logo = re.search(r'<img src="(/book/alice/brand/logo/\?v=[0-9a-f]+)"', html).group(1)
    photo = re.search(r'<img src="(/book/alice/brand/photo/\?v=[0-9a-f]+)"', html).group(1)
    served = WebClient().get(logo)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == image_bytes("JPEG")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert WebClient().get(photo)["Content-Type"] == "image/webp"


def test_the_accent_is_kept_readable_on_both_themes(alice_web, alice, media, service):
    post_brand(alice_web)  # a light yellow: unreadable as link text on white as it is
    html = WebClient().get("/book/alice/").content.decode()
    light = re.search(r":root \{ --primary: (#[0-9a-f]{6}); --primary-text: (#[0-9a-f]{6})", html)
    dark = re.search(r':root\[data-theme="dark"\] \{ --primary: (#[0-9a-f]{6})', html)
    assert light and dark
    assert contrast(light.group(1), LIGHT_BACKGROUND) >= 4.5
    assert contrast(light.group(1), light.group(2)) >= 4.5
    assert contrast(dark.group(1), DARK_BACKGROUND) >= 4.5
    assert light.group(1) != "#ffd43b"  # darkened, same hue


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("logo.png", b"just some text, not an image", "This type of file is not allowed"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "This type of file is not allowed",
        ),
        ("logo.png", b"", "The submitted file is empty"),
    ],
)
def test_bad_images_are_refused_next_to_the_field(alice_web, alice, media, name, data, message):
    r = post_brand(alice_web, logo=upload(name, data))
    assert r.status_code == 400
    assert message in " ".join(r.context["form"].errors["logo"])
    alice.refresh_from_db()
    # Nothing of the refused change is kept, not even the bytes.
    assert not alice.logo and alice.business_name == "Alice Archer Coaching"
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_a_bad_colour_is_refused_next_to_the_field(alice_web, alice, media):
    r = post_brand(alice_web, accent_color="red")
    assert r.status_code == 400
    assert r.context["form"].errors["accent_color"] == ["Use a colour like #3b82f6."]


def test_remove_the_logo_and_its_bytes(alice_web, alice, media, django_capture_on_commit_callbacks):
    post_brand(alice_web, logo=upload("l.png", image_bytes()))
    alice.refresh_from_db()
    stored = alice.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        assert post_brand(alice_web, remove_logo="on").status_code == 302
    alice.refresh_from_db()
    assert not alice.logo and alice.logo_type == ""
    assert WebClient().get("/book/alice/brand/logo/").status_code == 404
    assert not os.path.exists(stored)


def test_brand_image_of_a_disabled_page_or_unknown_kind_is_404(alice_web, alice, media):
    from trainerhub.portal.models import PortalSettings

    post_brand(alice_web, logo=upload("l.png", image_bytes()))
    assert WebClient().get("/book/alice/brand/banner/").status_code == 404
    PortalSettings.objects.filter(trainer=alice).update(enabled=False)
    assert WebClient().get("/book/alice/brand/logo/").status_code == 404


def test_client_emails_wear_the_brand(client, smtp, alice, media, service, free_start):
    web = WebClient()
    web.force_login(alice)
    post_brand(web, logo=upload("l.png", image_bytes()))
    assert client.post("/book/alice/details/", form_data(service, free_start, step="confirm"))
    dispatch_due()
    to_client = [m for m in smtp.messages if m["To"] == "carol@example.com"]
    to_trainer = [m for m in smtp.messages if m["To"] == "alice@example.com"]
    (message,) = to_client
    assert parseaddr(message["From"])[0] == "Archer Strength"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert re.search(r'<img src="https://hub\.example\.com/book/alice/brand/logo/\?v=', html)
    alice.refresh_from_db()
    from trainerhub.core.colors import palette

    assert f"background:{palette('#ffd43b').email};" in html
    # The trainer's own email keeps the product's look.
    trainer_html = to_trainer[0].get_body(preferencelist=("html",)).get_content()
    assert "/brand/logo/" not in trainer_html


def test_branding_page_is_for_trainers_only(client, alice, media):
    assert client.get(BRAND).status_code == 302  # to the login page
    client_user = User.objects.create_user("c@example.com", "pw-long-enough-1", role="client")
    client.force_login(client_user)
    assert client.get(BRAND).status_code == 404
