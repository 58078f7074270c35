"""What a trainer's brand shows: on their public pages (relative links) and in the emails
to their clients (absolute links). The images are served by the portal's public address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from trainerhub.core.colors import Palette, palette

if TYPE_CHECKING:
    from trainerhub.accounts.models import User

BRAND_KINDS = ("logo", "photo")


@dataclass(frozen=True)
class Brand:
    name: str
    bio: str
    logo_url: str
    photo_url: str
    palette: Palette | None
    book_url: str


def _url(path: str, *, absolute: bool) -> str:
    return (settings.SITE_URL + path) if absolute and path else path


def _image_url(trainer: User, kind: str, *, absolute: bool) -> str:
    stored = getattr(trainer, kind)
    if not stored or not trainer.slug:
        return ""
    # The version changes with each upload, so a long cache never shows an old image.
    version = stored.name.rsplit("/", 1)[-1][:8]
    try:
        path = reverse("portal:brand_image", args=[trainer.slug, kind]) + f"?v={version}"
    except NoReverseMatch:
        return ""
    return _url(path, absolute=absolute)


# What a trainer may show of their brand can depend on more than their settings (plans'
# custom branding feature, decided a layer above this one): such a rule registers here, so
# every caller of brand_for (the public pages, the emails, the brand page) gets one answer.
BrandRule = Callable[["User", Brand], Brand]
_rules: list[BrandRule] = []


def brand_rule_add(rule: BrandRule) -> None:
    if rule not in _rules:
        _rules.append(rule)


def brand_for(trainer: User, *, absolute: bool = False) -> Brand:
    try:
        book = reverse("portal:book", args=[trainer.slug]) if trainer.slug else ""
    except NoReverseMatch:
        book = ""
    brand = Brand(
        name=trainer.display_name,
        bio=trainer.bio or "",
        logo_url=_image_url(trainer, "logo", absolute=absolute),
        photo_url=_image_url(trainer, "photo", absolute=absolute),
        palette=palette(trainer.accent_color) if trainer.accent_color else None,
        book_url=_url(book, absolute=absolute),
    )
    for rule in _rules:
        brand = rule(trainer, brand)
    return brand


def brand_image(trainer: User, kind: str) -> tuple[Any, str]:
    """The stored image and its checked type; LookupError when there is none."""
    if kind not in BRAND_KINDS or not getattr(trainer, kind):
        raise LookupError(kind)
    return getattr(trainer, kind), getattr(trainer, f"{kind}_type")
