from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, ImageDraw

from trainerhub.contracts import services
from trainerhub.contracts.tests.conftest import SIGNER, sent_contract

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    image = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 100), (150, 20), (290, 90)], fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(_png()).decode()


def test_points_alone_are_drawn_into_a_png_and_kept(alice, waiver, chris, booking):
    strokes = [{"points": [{"x": 5, "y": 5, "time": 1}, {"x": 120, "y": 60, "time": 2}]}]
    contract = services.contract_sign(
        contract=sent_contract(alice, waiver, chris, booking),
        fields={"field_1": "x", "field_2": True, "field_3": "cc"},
        consent=True,
        signature={"type": "drawn", "points": strokes},
        actor=SIGNER,
    )
    signature = contract.signatures.get()
    assert signature.points == [
        {"points": [{"x": 5.0, "y": 5.0, "time": 1}, {"x": 120.0, "y": 60.0, "time": 2}]}
    ]
    assert bytes(signature.png).startswith(b"\x89PNG")


def test_a_blank_drawing_is_refused(alice, waiver, chris, booking):
    blank = Image.new("RGBA", (50, 50), (255, 255, 255, 0))
    out = io.BytesIO()
    blank.save(out, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    from trainerhub.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.contract_sign(
            contract=sent_contract(alice, waiver, chris, booking),
            fields={"field_1": "x", "field_2": True, "field_3": "cc"},
            consent=True,
            signature={"type": "drawn", "png": url},
            actor=SIGNER,
        )
    assert exc.value.errors["signature"] == ["The signature is empty: draw it in the box."]
