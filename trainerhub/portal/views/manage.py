"""A booking seen by its client: through the private manage link or from "My appointments".

Both routes share these views; only how the booking is found (token or own id) and the
URLs differ, so one set of rules and templates serves both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from trainerhub.accounts.decorators import client_required
from trainerhub.billing import refunds
from trainerhub.core.errors import Conflict, DomainError, NotAllowed
from trainerhub.core.timezones import is_valid_timezone
from trainerhub.notifications.reach import client_reach
from trainerhub.portal import claims, selectors, services
from trainerhub.portal.forms import CancelForm, StartForm, parse_start
from trainerhub.portal.ics import ics_response
from trainerhub.portal.views.common import (
    booking_times,
    error_messages,
    local,
    page_rate_limited,
    picker_context,
    too_many,
    visitor_tz,
    with_query,
)
from trainerhub.scheduling.models import Booking


@dataclass(frozen=True)
class Place:
    """Where a booking's pages live: under /manage/<token>/ or under /my/bookings/<id>/."""

    booking: Booking
    home: str
    cancel: str
    reschedule: str
    ics: str
    manage_url: str  # the private link, for the calendar file
    account: str | None = None

    @classmethod
    def by_token(cls, request: HttpRequest, token: str) -> Place:
        booking = selectors.booking_for_token(token)
        return cls(
            booking=booking,
            home=reverse("portal:manage", args=[token]),
            cancel=reverse("portal:manage_cancel", args=[token]),
            reschedule=reverse("portal:manage_reschedule", args=[token]),
            ics=reverse("portal:manage_ics", args=[token]),
            manage_url=request.build_absolute_uri(reverse("portal:manage", args=[token])),
            account=reverse("portal:manage_account", args=[token]),
        )

    @classmethod
    def by_owner(cls, request: HttpRequest, pk: Any) -> Place:
        booking = selectors.client_booking_get(user=request.user, pk=pk)
        token = booking.manage_token or ""
        return cls(
            booking=booking,
            home=reverse("portal:my_booking", args=[booking.pk]),
            cancel=reverse("portal:my_cancel", args=[booking.pk]),
            reschedule=reverse("portal:my_reschedule", args=[booking.pk]),
            ics=reverse("portal:my_ics", args=[booking.pk]),
            manage_url=request.build_absolute_uri(reverse("portal:manage", args=[token]))
            if token
            else request.build_absolute_uri(reverse("portal:my_booking", args=[booking.pk])),
        )


def _tz(request: HttpRequest, booking: Booking) -> tuple[str, bool]:
    user = request.user
    default = booking.trainer.timezone
    if user.is_authenticated and not user.is_trainer and user.timezone != "UTC":
        default = user.timezone if is_valid_timezone(user.timezone) else default
    return visitor_tz(request, default)


def _context(request: HttpRequest, place: Place) -> dict[str, Any]:
    booking = place.booking
    tz, bad_tz = _tz(request, booking)
    window = selectors.portal_settings_for(booking.trainer).cancellation_window_hours
    refusal = selectors.change_refusal(booking)
    return {
        "place": place,
        "booking": booking,
        "trainer": booking.trainer,
        "service": booking.service,
        "tz": tz,
        "bad_tz": bad_tz,
        "window_hours": window,
        "late_now": selectors.cancellation_would_be_late(booking),
        # Only which buttons to show: the services refuse a change themselves.
        "can_change": refusal is None,
        "refusal": refusal,
        **booking_times(booking, tz),
    }


def booking_page(request: HttpRequest, place: Place, *, status: int = 200) -> HttpResponse:
    ctx = _context(request, place)
    ctx["show_account"] = (
        place.account is not None and not place.booking.client.account_id and ctx["can_change"]
    )
    ctx["reach"] = client_reach(place.booking.client)
    ctx["online_money"] = refunds.booking_online_money(place.booking)
    return render(request, "portal/manage.html", ctx, status=status)


def refused(request: HttpRequest, place: Place, exc: NotAllowed) -> HttpResponse:
    """The service said no: the booking's page, unchanged, with why (409 like the API)."""
    messages.error(request, exc.detail)
    return booking_page(request, place, status=409)


def _nothing_to_change(request: HttpRequest, place: Place, ctx: dict[str, Any]) -> HttpResponse:
    # A form that could only be refused is not shown; the booking's page says why.
    messages.info(request, ctx["refusal"])
    return redirect(with_query(place.home, tz=ctx["tz"]))


def cancel_page(request: HttpRequest, place: Place) -> HttpResponse:
    ctx = _context(request, place)
    if request.method == "GET" and not ctx["can_change"]:
        return _nothing_to_change(request, place, ctx)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            booking = services.client_cancel(
                booking=place.booking, reason=form.cleaned_data["reason"], actor_user=user
            )
        except NotAllowed as exc:
            return refused(request, place, exc)
        except DomainError as exc:
            for msg in error_messages(exc):
                form.add_error(None, msg)
        else:
            note = " It was recorded as a late cancellation." if booking.late_cancellation else ""
            messages.success(request, "Your booking is cancelled." + note)
            return redirect(with_query(place.home, tz=ctx["tz"]))
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/cancel.html", {**ctx, "form": form}, status=status)


def reschedule_page(request: HttpRequest, place: Place) -> HttpResponse:
    """GET: pick a new time (or confirm one given as ?start=); POST: move the booking."""
    ctx = _context(request, place)
    booking, tz = place.booking, ctx["tz"]
    if request.method == "GET" and not ctx["can_change"]:
        return _nothing_to_change(request, place, ctx)
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            try:
                services.client_reschedule(
                    booking=booking, start=form.cleaned_data["start"], actor_user=user
                )
            except NotAllowed as exc:
                return refused(request, place, exc)
            except Conflict as exc:
                messages.error(request, f"{exc.detail} Please pick another time.")
            except DomainError as exc:
                for msg in error_messages(exc):
                    messages.error(request, msg)
            else:
                messages.success(request, "Your booking has been moved.")
                return redirect(with_query(place.home, tz=tz))
        else:
            messages.error(request, "Pick a time from the list.")
    elif request.GET.get("start"):
        try:
            start = parse_start(request.GET["start"])
        except Exception:
            messages.error(request, "Pick a time from the list.")
        else:
            return render(
                request,
                "portal/reschedule_confirm.html",
                {**ctx, "new_start": local(start, tz), "new_start_iso": start.isoformat()},
            )

    def time_url(start: datetime) -> str:
        return with_query(place.reschedule, start=start.isoformat(), tz=tz)

    picker = picker_context(
        request,
        trainer=booking.trainer,
        service=booking.service,
        tz=tz,
        page_url=place.reschedule,
        time_url=time_url,
        params={},
    )
    status = 409 if request.method == "POST" else 200
    return render(request, "portal/reschedule.html", {**ctx, "picker": picker}, status=status)


# --- Manage link routes -------------------------------------------------------------------


def _limited(request: HttpRequest) -> bool:
    # One shared bucket per manage link, not one for all of them: a flood of one link (or of
    # made-up ones) must not stop other clients managing theirs.
    match = request.resolver_match
    token = match.kwargs.get("token", "") if match else ""
    return page_rate_limited(request, trainer_key=f"manage:{token}")


@require_http_methods(["GET"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request):
        return too_many(request)
    return booking_page(request, Place.by_token(request, token))


@require_http_methods(["GET", "POST"])
def manage_cancel(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request):
        return too_many(request)
    return cancel_page(request, Place.by_token(request, token))


@require_http_methods(["GET", "POST"])
def manage_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request):
        return too_many(request)
    return reschedule_page(request, Place.by_token(request, token))


@require_http_methods(["GET"])
def manage_ics(request: HttpRequest, token: str) -> HttpResponse:
    place = Place.by_token(request, token)
    return ics_response(place.booking)


@require_http_methods(["GET", "POST"])
def manage_account(request: HttpRequest, token: str) -> HttpResponse:
    """ "Email me a link to create my account": a manage link manages its booking only; the
    account comes from the link mailed to the booking's address (portal.claims)."""
    if _limited(request):
        return too_many(request)
    place = Place.by_token(request, token)
    booking = place.booking
    if booking.client.account_id:
        messages.info(request, "This booking already belongs to an account: log in to see it.")
        return redirect("portal:my_login")
    refusal = selectors.change_refusal(booking)
    if refusal is not None:
        if request.method == "GET":
            messages.info(request, refusal)
            return redirect(place.home)
        return refused(request, place, NotAllowed(refusal, code="no_longer_changeable"))
    if request.method == "POST":
        claims.claim_link_send(booking=booking)
        messages.success(request, claims.LINK_SENT)
        return redirect(place.home)
    ctx = {"place": place, "booking": booking, "trainer": booking.trainer}
    return render(request, "portal/account_from_booking.html", ctx)


# --- My appointments routes ---------------------------------------------------------------


@client_required
@require_http_methods(["GET"])
def my_booking(request: HttpRequest, pk: int) -> HttpResponse:
    return booking_page(request, Place.by_owner(request, pk))


@client_required
@require_http_methods(["GET", "POST"])
def my_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return cancel_page(request, Place.by_owner(request, pk))


@client_required
@require_http_methods(["GET", "POST"])
def my_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    return reschedule_page(request, Place.by_owner(request, pk))


@client_required
@require_http_methods(["GET"])
def my_ics(request: HttpRequest, pk: int) -> HttpResponse:
    place = Place.by_owner(request, pk)
    return ics_response(place.booking)
