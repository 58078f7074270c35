"""The trainer's services (session types), their add-ons and the trainer's discount codes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from trainerhub.core.errors import InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.plans import services as plans
from trainerhub.plans.models import SERVICES
from trainerhub.scheduling import pricing
from trainerhub.scheduling.models import DiscountCode, Service, ServiceAddon
from trainerhub.scheduling.services._common import clean_or_raise, set_fields

SERVICE_FIELDS = {*Service.EDITABLE_FIELDS, "is_active"}
ADDON_FIELDS = set(ServiceAddon.EDITABLE_FIELDS)
DISCOUNT_FIELDS = set(DiscountCode.EDITABLE_FIELDS)
CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _check_group_addons(service: Service) -> None:
    """A group service's add-ons cannot lengthen its sessions (one time for everyone)."""
    if service.capacity > 1 and service.pk and service.addons.filter(extra_minutes__gt=0).exists():
        raise InvalidInput(
            {
                "capacity": [
                    "Some add-ons of this service add minutes: a group session is one time "
                    "for every attendee. Set their extra minutes to 0 first."
                ]
            }
        )


@transaction.atomic
def service_create(*, trainer: TrainerRef, **fields: Any) -> Service:
    service = Service(trainer_id=trainer_id_of(trainer))
    set_fields(service, fields, SERVICE_FIELDS)
    clean_or_raise(service, exclude=["trainer"])
    if service.is_active:
        plans.limit_check(service.trainer, SERVICES)
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, **fields: Any) -> Service:
    was_active = service.is_active if service.pk else True
    set_fields(service, fields, SERVICE_FIELDS)
    clean_or_raise(service, exclude=["trainer"])
    _check_group_addons(service)
    if service.is_active and not was_active:
        plans.limit_check(service.trainer, SERVICES)
    service.save()
    return service


@transaction.atomic
def service_deactivate(*, service: Service) -> Service:
    """Hidden from new bookings; its sessions and bookings stay as they were."""
    service.is_active = False
    service.save(update_fields=["is_active", "updated_at"])
    return service


# --- Add-ons ---------------------------------------------------------------------------------


def _clean_addon(addon: ServiceAddon) -> None:
    addon.name = (addon.name or "").strip()
    clean_or_raise(addon, exclude=["trainer", "service"])
    refusal = pricing.addon_refusal(service=addon.service, extra_minutes=addon.extra_minutes)
    if refusal:
        raise InvalidInput({"extra_minutes": [refusal]})


@transaction.atomic
def addon_create(*, service: Service, **fields: Any) -> ServiceAddon:
    addon = ServiceAddon(trainer_id=service.trainer_id, service=service)
    set_fields(addon, fields, ADDON_FIELDS)
    _clean_addon(addon)
    addon.save()
    return addon


@transaction.atomic
def addon_update(*, addon: ServiceAddon, **fields: Any) -> ServiceAddon:
    set_fields(addon, fields, ADDON_FIELDS)
    _clean_addon(addon)
    addon.save()
    return addon


@transaction.atomic
def addon_delete(*, addon: ServiceAddon) -> None:
    """Gone from the service; bookings that took it keep it in their price snapshot."""
    addon.delete()


# --- Discount codes --------------------------------------------------------------------------


def _clean_discount(discount: DiscountCode, services: list[Service] | None) -> None:
    discount.code = pricing.normalise_code(discount.code)
    errors: dict[str, list[str]] = {}
    if discount.code and not set(discount.code) <= CODE_CHARACTERS:
        errors["code"] = ["Use letters, digits, - and _ only."]
    if discount.percent_off is not None and discount.amount_off is not None:
        errors["amount_off"] = ["Give a percentage or an amount off, not both."]
    elif discount.percent_off is None and discount.amount_off is None:
        errors["percent_off"] = ["Give a percentage or an amount off."]
    if (
        discount.valid_from is not None
        and discount.valid_until is not None
        and discount.valid_until < discount.valid_from
    ):
        errors["valid_until"] = ["The last day must not be before the first."]
    if discount.max_uses is not None and discount.max_uses < discount.uses:
        errors["max_uses"] = [f"It has been used {discount.uses} times already."]
    if services is not None and any(s.trainer_id != discount.trainer_id for s in services):
        errors["services"] = ["Unknown service."]
    if errors:
        raise InvalidInput(errors)
    clean_or_raise(discount, exclude=["trainer", "uses"], validate_constraints=False)
    taken = DiscountCode.objects.filter(
        trainer_id=discount.trainer_id, code__iexact=discount.code
    ).exclude(pk=discount.pk)
    if taken.exists():
        raise InvalidInput({"code": ["You already have a code with this name."]})


def _save_discount(discount: DiscountCode, services: list[Service] | None) -> DiscountCode:
    try:
        with transaction.atomic():
            discount.save()
    except IntegrityError:
        # A concurrent create of the same code: the unique index is the last word.
        raise InvalidInput({"code": ["You already have a code with this name."]}) from None
    if services is not None:
        discount.services.set(services)
    return discount


@transaction.atomic
def discount_create(
    *, trainer: TrainerRef, services: Iterable[Service] = (), **fields: Any
) -> DiscountCode:
    discount = DiscountCode(trainer_id=trainer_id_of(trainer))
    set_fields(discount, fields, DISCOUNT_FIELDS)
    chosen = list(services)
    _clean_discount(discount, chosen)
    return _save_discount(discount, chosen)


@transaction.atomic
def discount_update(
    *, discount: DiscountCode, services: Iterable[Service] | None = None, **fields: Any
) -> DiscountCode:
    discount = DiscountCode.objects.select_for_update().get(pk=discount.pk)
    set_fields(discount, fields, DISCOUNT_FIELDS)
    chosen = None if services is None else list(services)
    _clean_discount(discount, chosen)
    return _save_discount(discount, chosen)


@transaction.atomic
def discount_deactivate(*, discount: DiscountCode) -> DiscountCode:
    """No longer accepted; the bookings made with it keep their discount."""
    DiscountCode.objects.filter(pk=discount.pk).update(is_active=False)
    discount.is_active = False
    return discount
