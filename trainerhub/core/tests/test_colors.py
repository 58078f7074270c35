"""Accent colours are adjusted to readable shades, never refused."""

from __future__ import annotations

import pytest

from trainerhub.core.colors import (
    DARK_BACKGROUND,
    EMAIL_BACKGROUND,
    LIGHT_BACKGROUND,
    contrast,
    palette,
    readable_on,
    text_on,
)

ACCENTS = ["#ffd43b", "#ffffff", "#000000", "#3b5bdb", "#ff0000", "#00ff00", "#7b93ff", "#777777"]


def test_contrast_of_black_on_white_is_21():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


@pytest.mark.parametrize("accent", ACCENTS)
def test_every_accent_gets_readable_shades(accent):
    p = palette(accent)
    assert contrast(p.light, LIGHT_BACKGROUND) >= 4.5
    assert contrast(p.dark, DARK_BACKGROUND) >= 4.5
    assert contrast(p.email, EMAIL_BACKGROUND) >= 4.5
    for shade, text in ((p.light, p.light_text), (p.dark, p.dark_text), (p.email, p.email_text)):
        assert contrast(shade, text) >= 4.5


def test_a_readable_accent_is_kept_as_it_is():
    assert readable_on("#1e3a8a", "#ffffff") == "#1e3a8a"


def test_text_on_picks_the_readable_one():
    assert text_on("#ffd43b") == "#000000"
    assert text_on("#1e3a8a") == "#ffffff"
