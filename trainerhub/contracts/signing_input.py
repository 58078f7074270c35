"""What a signer sends as their signature, checked: a drawn one (signature_pad's PNG and/or its
stroke points) or a typed name."""

from __future__ import annotations

import base64
import binascii
import io
import json
from dataclasses import dataclass
from typing import Any

from trainerhub.core.errors import InvalidInput

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PNG_BYTES = 1024 * 1024
MAX_SIDE = 4000
MAX_POINTS = 20_000


@dataclass(frozen=True)
class SignatureInput:
    kind: str  # "drawn" | "typed"
    typed_name: str = ""
    points: list[Any] | None = None
    png: bytes | None = None


def _bad(message: str) -> InvalidInput:
    return InvalidInput({"signature": [message]})


def decode_png(raw: Any) -> bytes:
    if not isinstance(raw, str) or not raw:
        raise _bad("Send the drawn signature as a PNG image.")
    if raw.startswith("data:"):
        head, _, raw = raw.partition(",")
        if head.split(";")[0] != "data:image/png":
            raise _bad("The signature image must be a PNG.")
    if len(raw) > (MAX_PNG_BYTES * 4) // 3 + 8:
        raise _bad("The signature image is over 1 MB.")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise _bad("The signature image is not valid base64.") from None
    if len(data) > MAX_PNG_BYTES:
        raise _bad("The signature image is over 1 MB.")
    if not data.startswith(PNG_MAGIC):
        raise _bad("The signature image must be a PNG.")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            rgba = image.convert("RGBA")
    except Exception:
        raise _bad("The signature image is not a readable PNG.") from None
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _bad(f"The signature image is larger than {MAX_SIDE} pixels on a side.")
    if rgba.getchannel("A").getbbox() is None and _blank_opaque(rgba):
        raise _bad("The signature is empty: draw it in the box.")
    return data


def _blank_opaque(rgba: Any) -> bool:
    # An opaque image is blank when every pixel is the same colour.
    extrema = rgba.convert("RGB").getextrema()
    return all(low == high for low, high in extrema)


def check_points(raw: Any) -> list[Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise _bad("The stroke points are not valid JSON.") from None
    if not isinstance(raw, list):
        raise _bad("Send the stroke points as a list of strokes.")
    total = 0
    strokes: list[Any] = []
    for stroke in raw:
        points = stroke.get("points") if isinstance(stroke, dict) else stroke
        if not isinstance(points, list):
            raise _bad("Each stroke holds a list of points.")
        clean = []
        for point in points:
            if not isinstance(point, dict):
                raise _bad("Each point has x and y.")
            x, y = point.get("x"), point.get("y")
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
                raise _bad("Each point has numeric x and y.")
            item: dict[str, Any] = {"x": round(float(x or 0), 2), "y": round(float(y or 0), 2)}
            for extra in ("time", "pressure"):
                value = point.get(extra)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    item[extra] = value
            clean.append(item)
        total += len(clean)
        if total > MAX_POINTS:
            raise _bad(f"The signature has more than {MAX_POINTS} points.")
        if clean:
            keep = {"points": clean}
            if isinstance(stroke, dict):
                for extra in ("penColor", "dotSize", "minWidth", "maxWidth"):
                    if isinstance(stroke.get(extra), str | int | float):
                        keep[extra] = stroke[extra]
            strokes.append(keep)
    if not strokes:
        raise _bad("The signature is empty: draw it in the box.")
    return strokes


def points_to_png(strokes: list[Any]) -> bytes:
    """A PNG drawn from the stroke points (when only the points were sent)."""
    from PIL import Image, ImageDraw

    xs = [p["x"] for s in strokes for p in s["points"]]
    ys = [p["y"] for s in strokes for p in s["points"]]
    pad = 8
    width = int(max(xs) - min(0, min(xs))) + 2 * pad
    height = int(max(ys) - min(0, min(ys))) + 2 * pad
    width, height = min(max(width, 40), MAX_SIDE), min(max(height, 20), MAX_SIDE)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        line = [(p["x"] + pad, p["y"] + pad) for p in stroke["points"]]
        if len(line) == 1:
            x, y = line[0]
            draw.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=(0, 0, 0, 255))
        else:
            draw.line(line, fill=(0, 0, 0, 255), width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def parse_signature(raw: Any) -> SignatureInput:
    if not isinstance(raw, dict):
        raise _bad("Sign by drawing or by typing your name.")
    kind = raw.get("type")
    if kind == "typed":
        name = raw.get("name")
        name = " ".join(name.split()) if isinstance(name, str) else ""
        if len(name) < 2:
            raise _bad("Type your full name to sign.")
        if len(name) > 150:
            raise _bad("Your typed name is over 150 characters.")
        return SignatureInput(kind="typed", typed_name=name)
    if kind == "drawn":
        png = decode_png(raw["png"]) if raw.get("png") not in (None, "") else None
        points = check_points(raw["points"]) if raw.get("points") not in (None, "", "[]") else None
        if png is None and points is None:
            raise _bad("The signature is empty: draw it in the box.")
        if png is None:
            png = points_to_png(points or [])
        return SignatureInput(kind="drawn", points=points or [], png=png)
    raise _bad("The signature type is “drawn” or “typed”.")


def png_data_url(png: bytes | memoryview | None) -> str:
    if not png:
        return ""
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")
