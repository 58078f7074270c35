"""Clients and tags for the CRM's tests, made through the CRM's services; services and
bookings come from the shared factories (`core/tests/factories.py`), through the scheduling
services like every other app's tests."""

from __future__ import annotations

from typing import Any

import factory

from trainerhub.clients import services
from trainerhub.clients.models import Client, Tag
from trainerhub.core.tests.factories import make_booking, make_service

__all__ = ["ClientFactory", "TagFactory", "make_booking", "make_service"]


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Sequence(lambda n: f"Client{n}")
    last_name = "Tester"
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = ""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, trainer: Any, **kwargs: Any) -> Client:
        return services.client_create(trainer=trainer, **kwargs)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")

    @classmethod
    def _create(cls, model_class: Any, *args: Any, trainer: Any, **kwargs: Any) -> Tag:
        return services.tag_create(trainer=trainer, **kwargs)
