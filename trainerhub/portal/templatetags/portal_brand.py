"""The trainer's brand in the portal's templates: header, accent colours, photo and bio."""

from __future__ import annotations

from typing import Any

from django import template

from trainerhub.accounts.branding import Brand, brand_for

register = template.Library()


def _trainer(candidates: tuple[Any, ...]) -> Any:
    # The first trainer named (a page's trainer, else its booking's). Only a trainer has a
    # brand; a client's own pages (/my/) keep the product's.
    return next((c for c in candidates if getattr(c, "is_trainer", False)), None)


@register.simple_tag
def portal_brand(*candidates: Any) -> Brand | None:
    trainer = _trainer(candidates)
    return brand_for(trainer) if trainer is not None else None


@register.inclusion_tag("portal/_brand_style.html", takes_context=True)
def brand_style(context: template.Context, *candidates: Any) -> dict[str, Any]:
    # The <style> is inline: it carries the request's Content-Security-Policy nonce.
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    return {"brand": portal_brand(*candidates), "csp_nonce": nonce}


@register.inclusion_tag("portal/_brand_header.html")
def brand_header(*candidates: Any) -> dict[str, Any]:
    return {"brand": portal_brand(*candidates)}
