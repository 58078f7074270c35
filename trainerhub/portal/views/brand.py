"""The trainer's brand: the settings page that edits it, and the public address of the logo
and photo (served with the type their bytes were checked to have)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trainerhub.accounts.branding import brand_for
from trainerhub.accounts.branding import brand_image as stored_brand_image
from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.plans import branding as plan_branding
from trainerhub.plans.models import CUSTOM_BRANDING
from trainerhub.plans.services import feature_refusal
from trainerhub.portal import branding, selectors
from trainerhub.portal.forms_branding import BrandingForm

DEFAULT_ACCENT = "#3b5bdb"  # TrainerHub blue, what the colour picker starts from


@trainer_required
@require_http_methods(["GET", "POST"])
def portal_branding(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    initial = {
        "business_name": trainer.business_name,
        "bio": trainer.bio,
        "accent_color": trainer.accent_color or DEFAULT_ACCENT,
        "use_accent": bool(trainer.accent_color),
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    custom = plan_branding.custom_branding(trainer)
    if not custom:
        # The plan has no custom branding: those fields are not offered, the stored ones stay.
        for name in plan_branding.CUSTOM_FIELDS:
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accent = trainer.accent_color
        if custom:
            accent = data["accent_color"] if data["use_accent"] else ""
        try:
            branding.portal_branding_update(
                trainer=trainer,
                business_name=data["business_name"],
                bio=data["bio"],
                accent_color=accent,
                logo=data.get("logo"),
                photo=data.get("photo"),
                remove_logo=data.get("remove_logo", False),
                remove_photo=data.get("remove_photo", False),
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Your brand is saved.")
            return redirect("portal:branding")
    trainer.refresh_from_db()  # a refused change leaves the page showing what is stored
    ctx = {
        "form": form,
        "brand": brand_for(trainer),
        "custom_branding": custom,
        "plan_refusal": "" if custom else _branding_refusal(trainer),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/branding.html", ctx, status=status)


def _branding_refusal(trainer: User) -> str:
    refusal = feature_refusal(trainer, CUSTOM_BRANDING)
    return refusal.detail if refusal is not None else ""


@require_http_methods(["GET"])
def brand_image(request: HttpRequest, slug: str, kind: str) -> HttpResponseBase:
    trainer, _settings = selectors.public_trainer(slug)
    if not plan_branding.custom_branding(trainer):
        raise Http404  # not shown on this plan, so not served either
    try:
        stored, content_type = stored_brand_image(trainer, kind)
    except LookupError:
        raise Http404 from None
    response = FileResponse(stored.open("rb"), content_type=content_type)
    # Addressed with ?v=<upload>: a new upload gets a new address, so caching long is safe.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = "inline"
    return response
