"""Packages through the product's services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from trainerhub.packages import services
from trainerhub.packages.models import ClientPackage, Package


def make_package(trainer: Any, **fields: Any) -> Package:
    defaults: dict[str, Any] = {
        "name": "Ten sessions",
        "sessions_count": 10,
        "price": Decimal("500.00"),
        "currency": "GBP",
        "valid_days": 90,
    }
    return services.package_create(trainer=trainer, **{**defaults, **fields})


def sell(client: Any, package: Package | None = None, **fields: Any) -> ClientPackage:
    trainer = client.trainer
    package = package or make_package(trainer)
    return services.package_sell(trainer=trainer, package=package, client=client, **fields)
