"""Packages bought online from the client portal: the checkout is for the catalogue package
(`OnlinePayment.package`); the client's package, with its credits, is made when the money
arrives (packages' own `package_sell`, without a payment: billing records the online one)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from trainerhub.billing.models import OnlinePayment
from trainerhub.billing.online import checkout_allowed
from trainerhub.core.errors import InvalidInput

if TYPE_CHECKING:
    from trainerhub.clients.models import Client
    from trainerhub.packages.models import Package


def grant(*, online: OnlinePayment) -> object:
    """The client package the paid checkout bought (made once: settling locks the row)."""
    from trainerhub.packages.services import package_sell

    if online.client_package_id:
        return online.client_package
    package = online.package
    if package is None:
        raise InvalidInput({"package": ["This payment buys no package."]})
    cp = package_sell(trainer=online.trainer, package=package, client=online.client)
    OnlinePayment.objects.filter(pk=online.pk).update(client_package=cp)
    online.client_package = cp
    return cp


def package_checkout_open(*, package: Package, client: Client) -> OnlinePayment:
    """An online payment for `package` by `client` (a signed-in portal client)."""
    account = checkout_allowed(package.trainer_id)
    if not package.is_active or getattr(client, "trainer_id", None) != package.trainer_id:
        raise InvalidInput({"package": ["Unknown package."]})
    return OnlinePayment.objects.create(
        trainer_id=package.trainer_id,
        client=client,
        package=package,
        amount=package.price,
        currency=package.currency,
        hold_until=timezone.now() + timedelta(minutes=account.hold_minutes),
    )


def account_clients(user: Any) -> list[Client]:
    """A signed-in client's records with every trainer they book with."""
    from trainerhub.clients.models import Client

    return list(
        Client.objects.filter(account_id=getattr(user, "pk", None), erased_at__isnull=True)
        .select_related("trainer")
        .order_by("trainer_id")
    )


def packages_on_sale(trainer_id: int) -> list[Package]:
    from trainerhub.packages.models import Package

    return list(Package.objects.filter(trainer_id=trainer_id, is_active=True).order_by("name"))


def package_on_sale(*, pk: int, trainer_ids: list[int]) -> Package | None:
    from trainerhub.packages.models import Package

    return Package.objects.filter(pk=pk, trainer_id__in=trainer_ids, is_active=True).first()


def online_of_account(*, pk: int, user: Any) -> OnlinePayment | None:
    """A package checkout of this signed-in client (None for anyone else's)."""
    return OnlinePayment.objects.filter(
        pk=pk, client__account_id=getattr(user, "pk", None), package__isnull=False
    ).first()
