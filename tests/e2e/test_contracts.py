"""Signing a contract in the browser: a drawn signature at device pixel ratios 1, 2 and 3 and
on a 320 px wide screen keeps the whole drawing (its non-empty bounding box lies inside the
canvas, with the strokes drawn near the right and bottom edges present), and a typed
signature by keyboard only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import screenshot
from trainerhub.contracts import services
from trainerhub.contracts.evidence import Actor
from trainerhub.contracts.models import Contract, Signature
from trainerhub.core.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "<h2>Waiver</h2><p>I, {{ client.full_name }}, train with {{ trainer.business_name }}.</p>"
FIELDS = [
    {"kind": "text", "label": "Emergency contact"},
    {"kind": "checkbox", "label": "I have read the waiver"},
]
ACTOR = Actor(identified_by="test")


@pytest.fixture(scope="module")
def seal_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("seal")


@pytest.fixture(autouse=True)
def _seal(settings, seal_dir):
    # One key for the module: made on the first signature, reused by the others.
    settings.CONTRACTS_SEAL_KEY = str(seal_dir / "key.pem")
    settings.CONTRACTS_SEAL_CERT = str(seal_dir / "cert.pem")


def _contracts(alice: Any, count: int) -> list[Contract]:
    template = services.template_create(trainer=alice, name="Waiver", body=BODY, fields=FIELDS)
    client = factories.make_client(alice, "Chris", last_name="Cole", email="chris@example.com")
    out = []
    for _ in range(count):
        contract = services.contract_create(
            trainer=alice, template=template, client=client, actor=ACTOR
        )
        out.append(services.contract_send(contract=contract, actor=ACTOR))
    return out


def _draw_and_sign(page: Any, url: str) -> tuple[float, float]:
    page.goto(url)
    canvas = page.locator("canvas.signature-canvas")
    canvas.wait_for()
    screenshot(page, f"contract-sign-{page.viewport_size['width']}")
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    # A stroke across the whole box, ending close to its right and bottom edges.
    path = [(0.06, 0.5), (0.3, 0.15), (0.55, 0.8), (0.8, 0.3), (0.95, 0.92)]
    page.mouse.move(x + w * path[0][0], y + h * path[0][1])
    page.mouse.down()
    for fx, fy in path[1:]:
        page.mouse.move(x + w * fx, y + h * fy, steps=8)
    page.mouse.up()
    page.fill('input[name="fields.field_1"]', "Pat Cole")
    page.check('input[name="fields.field_2"]')
    page.check("#id_consent")
    page.click("#sign-button")
    page.locator("#signed").wait_for()
    return w, h


@pytest.mark.parametrize(("ratio", "width"), [(1, 1280), (2, 1280), (3, 1280), (2, 320)])
def test_drawn_signature_is_whole_at_every_pixel_ratio_and_at_320px(
    browser, live_server, alice, ratio, width
):
    (contract,) = _contracts(alice, 1)
    # One context per case, in the session's one browser.
    context = browser.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=ratio, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
    try:
        css_w, css_h = _draw_and_sign(page, f"{live_server.url}/contracts/sign/{contract.token}/")
        screenshot(page, f"contract-signed-{width}-dpr{ratio}")
        if width == 320:
            assert page.evaluate("document.documentElement.scrollWidth") <= 321
    finally:
        context.close()
    assert not errors, errors
    signature = Signature.objects.get(contract=contract)
    image = Image.open(io.BytesIO(bytes(signature.png)))
    assert image.size == (round(css_w * ratio), round(css_h * ratio)), (ratio, width)
    left, top, right, bottom = image.getchannel("A").getbbox()
    img_w, img_h = image.size
    label = f"ratio {ratio} at {width}px: bbox {(left, top, right, bottom)} of {image.size}"
    assert left > 0 and top > 0 and right < img_w and bottom < img_h, label
    # The strokes near the right and bottom edges are in the image: nothing cropped.
    assert right >= 0.85 * img_w and bottom >= 0.75 * img_h, label
    assert left <= 0.1 * img_w and top <= 0.2 * img_h, label
    assert signature.points and len(signature.points[0]["points"]) > 10
    contract.refresh_from_db()
    assert contract.status == "completed" and contract.final_sha256


def test_typed_signature_by_keyboard_only(page, alice):
    (contract,) = _contracts(alice, 1)
    page.goto(f"{page.base}/contracts/sign/{contract.token}/")
    page.locator("#id_field_1").focus()
    page.keyboard.type("Pat Cole")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the waiver's checkbox
    assert page.is_checked('input[name="fields.field_2"]')
    for _ in range(4):  # to the "Draw it" radio, then the arrow selects "Type my name"
        if page.evaluate("document.activeElement.name") == "signature_type":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "drawn"
    page.keyboard.press("ArrowRight")
    assert page.is_checked('input[name="signature_type"][value="typed"]')
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "typed_name":
            break
    page.keyboard.type("Chris Cole")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "sign-button"
    page.keyboard.press("Enter")
    page.locator("#signed").wait_for()
    signature = Signature.objects.get(contract=contract)
    assert (signature.kind, signature.typed_name) == ("typed", "Chris Cole")
