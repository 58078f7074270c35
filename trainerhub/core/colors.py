"""Readable colours from a brand's accent (pure: plain values in, plain values out).

The accent is adjusted, never refused: buttons and links take its hue at the nearest shade
that stays readable (WCAG AA, 4.5:1) on the light theme, the dark theme and in emails.
"""

from __future__ import annotations

from dataclasses import dataclass

AA = 4.6  # 4.5:1 with a little room for rounding in browsers
# The darkest background of the light theme and the lightest of the dark theme (app.css).
LIGHT_BACKGROUND = "#f0f1f6"
DARK_BACKGROUND = "#242734"
EMAIL_BACKGROUND = "#ffffff"


def _rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(hex_color: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on the colour (always at least 4.58:1)."""
    return (
        "#000000"
        if contrast(background, "#000000") >= contrast(background, "#ffffff")
        else ("#ffffff")
    )


def readable_on(color: str, background: str) -> str:
    """The colour, darkened or lightened towards black or white in small steps until it
    reads on the background."""
    target = (0.0, 0.0, 0.0) if luminance(background) > 0.18 else (1.0, 1.0, 1.0)
    rgb = _rgb(color)
    for step in range(0, 101, 2):
        t = step / 100
        candidate = _hex(tuple(c + (g - c) * t for c, g in zip(rgb, target, strict=True)))  # type: ignore[arg-type]
        if contrast(candidate, background) >= AA:
            return candidate
    return _hex(target)


@dataclass(frozen=True)
class Palette:
    light: str
    light_text: str
    dark: str
    dark_text: str
    email: str
    email_text: str


def palette(accent: str) -> Palette:
    light = readable_on(accent, LIGHT_BACKGROUND)
    dark = readable_on(accent, DARK_BACKGROUND)
    email = readable_on(accent, EMAIL_BACKGROUND)
    return Palette(light, text_on(light), dark, text_on(dark), email, text_on(email))
