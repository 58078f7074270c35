from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.scheduling.models import Booking, Service

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo@trainerhub.local / demo-password-2024" in out.getvalue()
    trainer = User.objects.get(email="demo@trainerhub.local")
    assert (trainer.name, trainer.business_name, trainer.slug, trainer.timezone) == (
        "Dana Demo",
        "Dana Moves Studio",
        "demo",
        "Europe/London",
    )
    assert trainer.check_password("demo-password-2024")
    assert Service.objects.filter(trainer=trainer).count() == 4
    assert Client.objects.filter(trainer=trainer, first_name="Zoë", last_name="Müller").exists()
    bookings = Booking.objects.filter(trainer=trainer)
    assert 30 <= bookings.count() <= 60
    statuses = set(bookings.values_list("status", flat=True))
    assert {"completed", "cancelled", "confirmed"} <= statuses
    assert all(b.events.exists() for b in bookings)
    counts = (Booking.objects.count(), Client.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already exists" in out.getvalue()
    assert (Booking.objects.count(), Client.objects.count()) == counts
