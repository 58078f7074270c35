"""The brand clients see, as the trainer's plan allows: custom branding (logo, photo, accent
colour) is a plan feature; without it the public pages, the brand images and the emails to
clients keep the product's look. The trainer's name and bio are their words, not branding:
they always show. `plan_brand_rule` is registered with accounts.branding (PlansConfig.ready),
so every brand_for answers the same."""

from __future__ import annotations

from dataclasses import replace

from trainerhub.accounts.branding import Brand
from trainerhub.accounts.models import User
from trainerhub.plans.models import CUSTOM_BRANDING
from trainerhub.plans.services import feature_enabled

# The branding settings' fields that only a plan with custom branding offers.
CUSTOM_FIELDS = ("accent_color", "use_accent", "logo", "remove_logo", "photo", "remove_photo")


def custom_branding(trainer: User) -> bool:
    return feature_enabled(trainer, CUSTOM_BRANDING)


def plan_brand_rule(trainer: User, brand: Brand) -> Brand:
    """The brand without the logo, photo and accent colour when the plan has no custom
    branding (they stay stored, and show again on a plan that includes it)."""
    if custom_branding(trainer):
        return brand
    return replace(brand, logo_url="", photo_url="", palette=None)
