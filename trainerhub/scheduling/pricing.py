"""Prices: what a booking costs, and the one place that decides it.

- A service's base price is `fixed` (per session) or `per_hour` (price * duration / 60).
- Add-ons add their price; their `extra_minutes` lengthen the session (1:1 services only: a
  group session is one stretch of time for every attendee, so there add-ons are price-only).
- A discount code takes a percentage or an amount off base + add-ons, never below zero.
- The deposit is a fixed amount or a percentage of the total, never more than the total.
- Every amount is rounded to the cent, half up, at each step that can make fractions.

A booking keeps what this module answered (`Quote`) as its price snapshot; nothing here is
ever recomputed for a booking that exists. The functions that read rows (add-ons, codes)
are here too, so pages, the API, the portal and the public API share one verdict:
`addons_for` (400 `addons`), `discount_for` (409 `discount_invalid` / `discount_used_up`),
`discount_consume` (the concurrency-safe use count).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F

from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.scheduling.models import Booking, DiscountCode, Service, ServiceAddon

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MAX_ADDONS = 20

DISCOUNT_INVALID = "discount_invalid"
DISCOUNT_USED_UP = "discount_used_up"


def money(value: Decimal | int | str) -> Decimal:
    """An amount rounded to the cent (half up)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | int | str) -> str:
    """JSON money: a decimal string with two places."""
    return f"{money(value):.2f}"


# --- pure rules ------------------------------------------------------------------------------


def base_price(price: Decimal, mode: str, duration_minutes: int) -> Decimal:
    if mode == Service.PriceMode.PER_HOUR:
        return money(Decimal(price) * duration_minutes / 60)
    return money(price)


def discount_amount(
    subtotal: Decimal, *, percent_off: int | None, amount_off: Decimal | None
) -> Decimal:
    """What a code takes off `subtotal`: never more than it."""
    if percent_off is not None:
        off = money(subtotal * percent_off / HUNDRED)
    elif amount_off is not None:
        off = money(amount_off)
    else:
        off = ZERO
    return min(off, money(subtotal))


def deposit_amount(total: Decimal, *, kind: str, value: Decimal) -> Decimal:
    if kind == Service.DepositKind.AMOUNT:
        return min(money(value), money(total))
    if kind == Service.DepositKind.PERCENT:
        return min(money(total * Decimal(value) / HUNDRED), money(total))
    return ZERO


@dataclass(frozen=True, slots=True)
class AddonLine:
    id: int
    name: str
    price: Decimal
    extra_minutes: int


@dataclass(frozen=True, slots=True)
class Quote:
    base: Decimal
    addons: tuple[AddonLine, ...]
    discount_code: str
    discount_amount: Decimal
    total: Decimal
    currency: str
    deposit_due: Decimal
    extra_minutes: int

    @property
    def subtotal(self) -> Decimal:
        return money(self.base + sum((a.price for a in self.addons), ZERO))


def quote(
    service: Service, addons: Sequence[ServiceAddon] = (), discount: DiscountCode | None = None
) -> Quote:
    """The price of one booking of `service` with these add-ons and this (valid) code."""
    base = base_price(service.price, service.price_mode, service.duration_minutes)
    lines = tuple(AddonLine(a.pk, a.name, money(a.price), a.extra_minutes) for a in addons)
    subtotal = money(base + sum((line.price for line in lines), ZERO))
    off = ZERO
    if discount is not None:
        off = discount_amount(
            subtotal, percent_off=discount.percent_off, amount_off=discount.amount_off
        )
    total = money(subtotal - off)
    return Quote(
        base=base,
        addons=lines,
        discount_code=discount.code if discount is not None else "",
        discount_amount=off,
        total=total,
        currency=service.currency,
        deposit_due=deposit_amount(total, kind=service.deposit_kind, value=service.deposit_value),
        extra_minutes=sum(line.extra_minutes for line in lines),
    )


def snapshot_fields(q: Quote) -> dict[str, object]:
    """The Booking columns that keep a quote."""
    return {
        "price": q.total,
        "currency": q.currency,
        "price_base": q.base,
        "price_addons": [
            {"id": a.id, "name": a.name, "price": money_text(a.price), "minutes": a.extra_minutes}
            for a in q.addons
        ],
        "discount_code": q.discount_code,
        "discount_amount": q.discount_amount,
        "deposit_due": q.deposit_due,
        "extra_minutes": q.extra_minutes,
    }


def price_answer(booking: Booking) -> dict[str, object]:
    """A booking's `price` in every API answer (trainer and public), from its snapshot."""
    discount = None
    if booking.discount_code:
        discount = {"code": booking.discount_code, "amount": money_text(booking.discount_amount)}
    return {
        "base": money_text(booking.price_base),
        "addons": [
            {"name": str(a.get("name", "")), "price": money_text(a.get("price", "0"))}
            for a in booking.price_addons or ()
        ],
        "discount": discount,
        "total": money_text(booking.price),
        "currency": booking.currency,
        "deposit_due": money_text(booking.deposit_due),
        "pay_at_session": booking.pay_at_session,
    }


def quote_answer(q: Quote) -> dict[str, object]:
    """A quote as the API and the live total show it (same shape as `price_answer`)."""
    discount = None
    if q.discount_code:
        discount = {"code": q.discount_code, "amount": money_text(q.discount_amount)}
    return {
        "base": money_text(q.base),
        "addons": [{"name": a.name, "price": money_text(a.price)} for a in q.addons],
        "discount": discount,
        "total": money_text(q.total),
        "currency": q.currency,
        "deposit_due": money_text(q.deposit_due),
    }


# --- add-ons ---------------------------------------------------------------------------------


def addon_refusal(*, service: Service, extra_minutes: int) -> str | None:
    """Why an add-on with these minutes cannot belong to `service`, or None."""
    if extra_minutes and service.capacity > 1:
        return (
            "Add-ons of a group service cannot lengthen the session (it is one time for "
            "every attendee): set the extra minutes to 0."
        )
    return None


def addons_for(*, service: Service, ids: Iterable[int]) -> list[ServiceAddon]:
    """The service's active add-ons with these ids, in the service's order; 400 `addons` for
    an id that is not one (another service's, another trainer's, inactive, unknown)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    if len(wanted) > MAX_ADDONS:
        raise InvalidInput({"addons": [f"Choose at most {MAX_ADDONS} add-ons."]})
    found = list(
        ServiceAddon.objects.filter(
            trainer_id=service.trainer_id, service=service, is_active=True, pk__in=wanted
        )
    )
    if len(found) != len(wanted):
        raise InvalidInput({"addons": ["Choose among this service's add-ons."]})
    for addon in found:
        refusal = addon_refusal(service=service, extra_minutes=addon.extra_minutes)
        if refusal:
            raise InvalidInput({"addons": [refusal]})
    return found


# --- discount codes --------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return (code or "").strip()


def discount_by_code(*, trainer: TrainerRef, code: str) -> DiscountCode | None:
    return DiscountCode.objects.filter(
        trainer_id=trainer_id_of(trainer), code__iexact=normalise_code(code)
    ).first()


def _invalid(detail: str = "This discount code is not valid.") -> Conflict:
    return Conflict(detail, code=DISCOUNT_INVALID, field="discount_code")


def _used_up(detail: str = "This discount code has been used up.") -> Conflict:
    return Conflict(detail, code=DISCOUNT_USED_UP, field="discount_code")


def discount_for(
    *,
    trainer: TrainerRef,
    service: Service,
    code: str,
    today: date,
    client_id: int | None = None,
) -> DiscountCode | None:
    """The code's row if it may be used for this service today (by this client): None for no
    code; 409 `discount_invalid` (unknown, inactive, out of its dates, another service) or
    `discount_used_up` (no use left overall, or for this client)."""
    code = normalise_code(code)
    if not code:
        return None
    if len(code) > 40:
        raise _invalid()
    discount = discount_by_code(trainer=trainer, code=code)
    if discount is None or not discount.is_active:
        raise _invalid()
    if discount.valid_from is not None and today < discount.valid_from:
        raise _invalid("This discount code is not valid yet.")
    if discount.valid_until is not None and today > discount.valid_until:
        raise _invalid("This discount code has expired.")
    allowed = {s.pk for s in discount.services.all()}
    if allowed and service.pk not in allowed:
        raise _invalid("This discount code is not valid for this service.")
    if discount.max_uses is not None and discount.uses >= discount.max_uses:
        raise _used_up()
    if client_id is not None and discount.max_uses_per_client is not None:
        used = Booking.objects.filter(discount=discount, client_id=client_id).count()
        if used >= discount.max_uses_per_client:
            raise _used_up("This discount code has been used as many times as one client may.")
    return discount


def discount_consume(discount: DiscountCode) -> None:
    """Take one use, or 409 `discount_used_up`: one conditional UPDATE, so N concurrent
    bookings with one use left give exactly one winner on every database."""
    rows = DiscountCode.objects.filter(pk=discount.pk)
    if discount.max_uses is not None:
        rows = rows.filter(uses__lt=F("max_uses"))
    if rows.update(uses=F("uses") + 1) != 1:
        raise _used_up()


# --- previews (the live total of the booking forms) ------------------------------------------


@dataclass(frozen=True, slots=True)
class Preview:
    quote: Quote
    addons: tuple[ServiceAddon, ...]  # the service's active add-ons, to choose from
    chosen: frozenset[int]
    errors: dict[str, str]  # field -> the refusal booking_create would give


def preview(
    *,
    trainer: TrainerRef,
    service: Service,
    addon_ids: Iterable[int],
    code: str,
    today: date,
    client_id: int | None = None,
) -> Preview:
    """What the booking would cost as the form stands, with the refusals booking_create would
    give (nothing is reserved or counted: the booking itself decides)."""
    offered = tuple(
        ServiceAddon.objects.filter(
            trainer_id=trainer_id_of(trainer), service=service, is_active=True
        ).order_by("name", "id")
    )
    errors: dict[str, str] = {}
    chosen_ids = {i for i in addon_ids if any(a.pk == i for a in offered)}
    try:
        chosen = addons_for(service=service, ids=chosen_ids)
    except InvalidInput as exc:
        errors["addons"], chosen = exc.detail, []
    discount = None
    try:
        discount = discount_for(
            trainer=trainer, service=service, code=code, today=today, client_id=client_id
        )
    except Conflict as exc:
        errors["discount_code"] = exc.detail
    return Preview(
        quote=quote(service, chosen, discount),
        addons=offered,
        chosen=frozenset(a.pk for a in chosen),
        errors=errors,
    )
