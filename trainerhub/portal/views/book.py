"""The public booking page: service → day and time → details → summary → booked."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trainerhub.accounts.models import User
from trainerhub.billing import refunds
from trainerhub.clients.models import IntakeField
from trainerhub.core.errors import Conflict, DomainError
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.packages.selectors import packages_for_account
from trainerhub.packages.services import PACKAGE_REFUSALS
from trainerhub.portal import payments, selectors, services
from trainerhub.portal.embedding import embed_param, embeddable, is_embedded
from trainerhub.portal.forms import BookingDetailsForm, parse_start, started_token
from trainerhub.portal.views.common import (
    local,
    page_rate_limited,
    picker_context,
    too_many,
    visitor_tz,
    with_query,
)
from trainerhub.scheduling import pricing
from trainerhub.scheduling.models import Service
from trainerhub.scheduling.purchase import Purchase


def _intake_fields(trainer: User) -> list[IntakeField]:
    return selectors.booking_form_fields(trainer)


def _page(request: HttpRequest, slug: str) -> tuple[Any, Any]:
    trainer, settings = selectors.public_trainer(slug)
    return trainer, settings


@embeddable
@require_http_methods(["GET"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    trainer, settings = _page(request, slug)
    if page_rate_limited(request, trainer_key=slug):
        return too_many(request)
    tz, bad_tz = visitor_tz(request, trainer.timezone)
    ctx: dict[str, Any] = {
        "trainer": trainer,
        "settings": settings,
        "tz": tz,
        "bad_tz": bad_tz,
        "embed": is_embedded(request),
    }
    service_id = request.GET.get("service")
    if not service_id:
        ctx["services"] = list(selectors.public_services(trainer))
        return render(request, "portal/book.html", ctx)
    service = selectors.public_service_get(trainer=trainer, pk=service_id)
    ctx.update(_picker(request, trainer, service, tz))
    return render(request, "portal/book.html", ctx)


def _picker(request: HttpRequest, trainer: User, service: Service, tz: str) -> dict[str, Any]:
    page_url = reverse("portal:book", args=[trainer.slug])
    details_url = reverse("portal:book_details", args=[trainer.slug])

    embed = embed_param(request)

    def time_url(start: datetime) -> str:
        return with_query(
            details_url, service=service.pk, start=start.isoformat(), tz=tz, embed=embed
        )

    return {
        "service": service,
        "picker": picker_context(
            request,
            trainer=trainer,
            service=service,
            tz=tz,
            page_url=page_url,
            time_url=time_url,
            params={"service": service.pk, "embed": embed},
        ),
    }


def _summary(
    trainer: User, service: Service, start: datetime, tz: str, extra_minutes: int = 0
) -> dict[str, Any]:
    from datetime import timedelta

    end = start + timedelta(minutes=service.duration_minutes + extra_minutes)
    return {
        "start_local": local(start, tz),
        "end_local": local(end, tz),
        "start_trainer": local(start, trainer.timezone) if tz != trainer.timezone else None,
        "end_trainer": local(end, trainer.timezone) if tz != trainer.timezone else None,
    }


@embeddable
@require_http_methods(["GET", "POST"])
def book_details(request: HttpRequest, slug: str) -> HttpResponse:
    trainer, settings = _page(request, slug)
    if page_rate_limited(request, trainer_key=slug):
        return too_many(request)
    source = request.POST if request.method == "POST" else request.GET
    service = selectors.public_service_get(trainer=trainer, pk=source.get("service"))
    tz, _ = visitor_tz(request, trainer.timezone)
    try:
        start = parse_start(source.get("start", ""))
    except Exception:
        messages.error(request, "Pick a time from the list.")
        book_url = reverse("portal:book", args=[slug])
        return redirect(with_query(book_url, service=service.pk, tz=tz, embed=embed_param(request)))
    fields = _intake_fields(trainer)
    addons = selectors.public_addons(trainer, [service])[service.pk]
    money: dict[str, Any] = {
        "service": service,
        "addons": addons,
        "package_choices": packages_for_account(
            user=request.user, trainer=trainer, service=service
        ),
    }
    ctx: dict[str, Any] = {
        "trainer": trainer,
        "settings": settings,
        "service": service,
        "tz": tz,
        "embed": is_embedded(request),
        **_summary(trainer, service, start, tz),
    }
    if request.method == "GET":
        if not selectors.slot_is_offered(trainer=trainer, service=service, start=start):
            # A stale link or a second tab: say so now, not after the visitor typed it all.
            return _taken(request, trainer, settings, service, start, tz)
        initial = {
            "service": service.pk,
            "start": start.isoformat(),
            "tz": tz,
            "started": started_token(),
        }
        user = request.user
        if user.is_authenticated and not user.is_trainer:
            first, _, last = user.name.partition(" ")
            initial.update(email=user.email, first_name=first, last_name=last)
        form = BookingDetailsForm(initial=initial, intake_fields=fields, **money)
        ctx.update(_price(trainer, service, form))
        return render(request, "portal/details.html", {**ctx, "form": form})
    form = BookingDetailsForm(request.POST, intake_fields=fields, **money)
    step = request.POST.get("step", "review")
    if not form.is_valid() or step == "edit":
        if step == "edit":
            posted = cast(QueryDict, form.data)
            form = BookingDetailsForm(
                initial={
                    **posted.dict(),
                    "addons": posted.getlist("addons"),
                    "started": started_token(),
                },
                intake_fields=fields,
                **money,
            )
        status = 200 if step == "edit" else 400
        ctx.update(_price(trainer, service, form))
        return render(request, "portal/details.html", {**ctx, "form": form}, status=status)
    ctx.update(_price(trainer, service, form))
    if ctx["price_errors"]:
        # A wrong code or add-on: say so next to it before the visitor confirms anything.
        for name, message in ctx["price_errors"].items():
            form.add_error(name if name in form.fields else None, message)
        return render(request, "portal/details.html", {**ctx, "form": form}, status=400)
    extra = ctx["extra_minutes"]
    ctx.update(_summary(trainer, service, start, tz, extra))
    if step != "confirm":
        if not selectors.slot_is_offered(
            trainer=trainer, service=service, start=start, extra_minutes=extra
        ):
            return _taken(request, trainer, settings, service, start, tz)
        return render(request, "portal/summary.html", {**ctx, "form": form})
    return _confirm(request, trainer, settings, service, form, ctx)


def _price(trainer: User, service: Service, form: BookingDetailsForm) -> dict[str, Any]:
    """The live price as the form stands (its add-ons and code), and the refusals the booking
    would give; nothing is reserved here."""
    if form.is_bound:
        data = cast(QueryDict, form.data)
        ids, code = data.getlist("addons"), data.get("discount_code", "")
    else:
        ids, code = form.initial.get("addons") or [], form.initial.get("discount_code", "")
    found = pricing.preview(
        trainer=trainer,
        service=service,
        addon_ids=[int(v) for v in ids if str(v).isdigit() and len(str(v)) < 19],
        code=str(code or "")[:40],
        today=local(timezone.now(), trainer.timezone).date(),
    )
    return {
        "price": pricing.quote_answer(found.quote),
        "price_errors": found.errors,
        "extra_minutes": found.quote.extra_minutes,
    }


def _confirm(
    request: HttpRequest,
    trainer: User,
    settings: Any,
    service: Service,
    form: BookingDetailsForm,
    ctx: dict[str, Any],
) -> HttpResponse:
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    try:
        booking = services.public_booking_create(
            trainer=trainer,
            service=service,
            start=data["start"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            note=data["note"],
            fields=form.answers(),
            actor_user=user,
            tz=data["tz"],
            purchase=Purchase(
                addons=tuple(data.get("addons") or ()),
                discount_code=data.get("discount_code") or "",
                pay_at_session=bool(data.get("pay_at_session")),
                client_package=data.get("client_package"),
            ),
        )
    except Conflict as exc:
        if exc.code in PACKAGE_REFUSALS:
            domain_errors_to_form(form, exc, refusal_field="client_package")
            return render(request, "portal/details.html", {**ctx, "form": form}, status=400)
        if exc.field == "discount_code":
            domain_errors_to_form(form, exc)
            return render(request, "portal/details.html", {**ctx, "form": form}, status=400)
        return _taken(request, trainer, settings, service, data["start"], ctx["tz"])
    except DomainError as exc:
        domain_errors_to_form(form, exc)
        return render(request, "portal/details.html", {**ctx, "form": form}, status=400)
    try:
        checkout = payments.checkout_for(request, booking, ctx["tz"])
    except Conflict as exc:
        form.add_error(None, exc.detail)
        return render(request, "portal/details.html", {**ctx, "form": form}, status=409)
    if checkout is not None and not is_embedded(request):
        return redirect(checkout.checkout_url)
    # Embedded, the checkout must not open inside the frame (Stripe refuses to be framed):
    # the held booking's page offers it with a link that opens in the top window.
    done = reverse("portal:book_done", args=[trainer.slug, booking.manage_token])
    return redirect(with_query(done, tz=ctx["tz"], embed=embed_param(request)))


def _taken(
    request: HttpRequest, trainer: User, settings: Any, service: Service, start: datetime, tz: str
) -> HttpResponse:
    """The time went while the visitor was typing: say so and show the day's fresh times.

    The page answers a POST to the details address, which means nothing without its form:
    it carries the picker's own address so the browser's address bar (and a reload) points
    at the fresh times, and the zone is already known, so it never reloads itself."""
    day = local(start, tz).date()
    query = request.GET.copy()
    query["date"] = day.isoformat()
    query.pop("month", None)
    request.GET = query  # type: ignore[assignment]  # the picker below reads the fresh day
    page_url = reverse("portal:book", args=[trainer.slug])
    ctx = {
        "trainer": trainer,
        "settings": settings,
        "tz": tz,
        "taken": True,
        "embed": is_embedded(request),
        "page_address": with_query(
            page_url,
            service=service.pk,
            tz=tz,
            month=day.strftime("%Y-%m"),
            date=day.isoformat(),
            embed=embed_param(request),
        ),
        **_picker(request, trainer, service, tz),
    }
    return render(request, "portal/book.html", ctx, status=409)


@embeddable
@require_http_methods(["GET"])
def book_done(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    trainer, settings = _page(request, slug)
    booking = selectors.booking_for_token(token)
    if booking.trainer_id != trainer.pk:
        raise Http404
    booking = payments.settle_on_return(booking)
    checkout = payments.pending_checkout(booking)
    tz, _ = visitor_tz(request, trainer.timezone)
    manage_url = request.build_absolute_uri(reverse("portal:manage", args=[token]))
    return render(
        request,
        "portal/done.html",
        {
            "trainer": trainer,
            "settings": settings,
            "booking": booking,
            "service": booking.service,
            "tz": tz,
            "embed": is_embedded(request),
            "manage_url": manage_url,
            "price": pricing.price_answer(booking),
            "checkout": checkout,
            "hold_until_local": local(checkout.hold_until, tz) if checkout else None,
            "online_money": refunds.booking_online_money(booking),
            **_summary(trainer, booking.service, booking.start, tz, booking.extra_minutes),
        },
    )


@embeddable
@require_http_methods(["GET"])
def book_price(request: HttpRequest, slug: str) -> HttpResponse:
    """The live price of the details form (htmx): its add-ons and code as they stand."""
    trainer, _ = _page(request, slug)
    if page_rate_limited(request, trainer_key=slug):
        return too_many(request)
    service = selectors.public_service_get(trainer=trainer, pk=request.GET.get("service"))
    addons = selectors.public_addons(trainer, [service])[service.pk]
    form = BookingDetailsForm(request.GET, service=service, addons=addons)
    ctx = {"trainer": trainer, "service": service, "live": True, **_price(trainer, service, form)}
    ctx["pay_at_session"] = "pay_at_session" in form.fields and bool(
        request.GET.get("pay_at_session")
    )
    return render(request, "portal/_price.html", ctx)
