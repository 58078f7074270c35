"""Custom branding is a plan feature: while plans are on, a plan without it shows the
product's look on the public pages (no logo, photo or accent colour; the images are not
served), and the brand page offers only the name and bio, keeping what was stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient

from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.portal.tests.conftest import day_at, hours, service  # noqa: F401 (fixtures)
from trainerhub.portal.tests.conftest import form_data as booking_form
from trainerhub.portal.tests.test_branding import (  # noqa: F401 (fixtures)
    BRAND,
    alice_web,
    image_bytes,
    media,
    post_brand,
    upload,
)

pytestmark = pytest.mark.django_db

LOGO = re.compile(r'<img src="(/book/alice/brand/logo/\?v=[0-9a-f]+)"')


@pytest.fixture
def branded(alice_web, media, service):  # noqa: F811
    """alice set her logo, photo and accent colour while plans were off."""
    post_brand(
        alice_web,
        logo=upload("logo.png", image_bytes()),
        photo=upload("me.png", image_bytes()),
    )
    html = WebClient().get("/book/alice/").content.decode()
    return LOGO.search(html).group(1)


def test_self_hosted_wears_the_brand(branded):
    html = WebClient().get("/book/alice/").content.decode()
    assert LOGO.search(html) and "--primary:" in html
    assert WebClient().get(branded).status_code == 200


def test_a_plan_without_custom_branding_shows_the_products_look(branded, plans_on, free_plan):
    html = WebClient().get("/book/alice/").content.decode()

    assert not LOGO.search(html) and "/brand/photo/" not in html
    assert "--primary:" not in html
    assert "Archer Strength" in html and "Ten years of coaching." in html  # her words stay
    assert WebClient().get(branded).status_code == 404


def test_client_emails_keep_the_products_look_too(
    branded,
    service,  # noqa: F811 (the fixture imported above)
    plans_on,
    free_plan,
    mailoutbox,
):
    data = booking_form(service, day_at(2, 10), step="confirm")
    answer = WebClient().post("/book/alice/details/", data)
    assert answer.status_code == 302

    dispatch_due()

    [to_client] = [m for m in mailoutbox if m.to == ["carol@example.com"]]
    html = next(body for body, kind in to_client.alternatives if kind == "text/html")
    assert "/brand/logo/" not in html
    assert "background:#2563eb;" in html  # the product's button colour
    assert "Archer Strength" in html  # her business name stays


def test_the_brand_page_offers_only_name_and_bio(alice_web, alice, branded, plans_on, free_plan):  # noqa: F811
    page = alice_web.get(BRAND).content.decode()
    assert 'name="logo"' not in page and 'name="accent_color"' not in page
    assert 'name="business_name"' in page
    assert "Your plan (Free) does not include custom branding." in page

    answer = post_brand(alice_web, business_name="Archer Studio", accent_color="#000000")

    assert answer.status_code == 302
    alice.refresh_from_db()
    assert alice.business_name == "Archer Studio"
    assert alice.accent_color == "#ffd43b" and alice.logo  # kept, just not shown


def test_a_plan_with_custom_branding_wears_it(branded, plans_on, free_plan):
    free_plan.custom_branding = True
    free_plan.save()  # alice has no subscription: the default plan applies

    html = WebClient().get("/book/alice/").content.decode()
    assert LOGO.search(html) and "--primary:" in html
    assert WebClient().get(branded).status_code == 200
