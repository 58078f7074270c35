"""Portal fixtures: alice (London) works every day 06:00-22:00 and offers a 60-minute
session bookable online; `free_start` is a slot two days ahead at 10:00 London time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.tests import factories
from trainerhub.core.timezones import zone
from trainerhub.notifications.tests.conftest import smtp  # noqa: F401  (a real SMTP server)
from trainerhub.portal.forms import started_token
from trainerhub.scheduling.models import Service

LONDON = zone("Europe/London")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_every_day(trainer) -> None:
    factories.open_every_day(trainer, "06:00", "22:00")


def make_service(trainer, **fields) -> Service:
    defaults = {
        "name": "Personal training",
        "duration_minutes": 60,
        "price": "50.00",
        "currency": "GBP",
        "min_notice_minutes": 60,
        "max_advance_days": 60,
        "location": "Studio 1",
    }
    return factories.make_service(trainer, **{**defaults, **fields})


@pytest.fixture
def hours(alice):
    open_every_day(alice)


@pytest.fixture
def service(alice, hours) -> Service:
    return make_service(alice)


def day_at(days: int, hour: int, tz=LONDON) -> datetime:
    day = timezone.now().astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=tz)


@pytest.fixture
def free_start() -> datetime:
    return day_at(2, 10)


def payload(service: Service, start: datetime, **extra) -> dict:
    return {
        "service": service.pk,
        "start": start.isoformat(),
        "first_name": "Carol",
        "last_name": "Client",
        "email": "carol@example.com",
        "phone": "+44 7911 123456",
        "note": "First time",
        **extra,
    }


def form_data(service: Service, start: datetime, *, step: str = "review", **extra) -> dict:
    """What the details form posts, filled 10 seconds ago by a person."""
    return {
        "service": service.pk,
        "start": start.isoformat(),
        "tz": "Europe/London",
        "started": started_token(timezone.now().timestamp() - 10),
        "first_name": "Carol",
        "last_name": "Client",
        "email": "carol@example.com",
        "phone": "+44 7911 123456",
        "note": "",
        "website": "",
        "step": step,
        **extra,
    }


def make_client_user(email: str, password: str) -> User:
    user = User(email=email, name="Client Person", role=User.Role.CLIENT)
    user.set_password(password)
    user.save()
    return user


def make_client(trainer, email: str, account=None, **fields) -> Client:
    return Client.objects.create(
        trainer=trainer,
        first_name="Carol",
        last_name="Client",
        email=email,
        account=account,
        **fields,
    )
