"""Expiry in the background worker and the week-ahead email: idempotent, safe with two
workers, in the trainer's zone, through the outbox (preferences, log, demo never sends)."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connections

from trainerhub.core import periodic
from trainerhub.core.tests.factories import make_client
from trainerhub.notifications.dispatcher import dispatch_due
from trainerhub.notifications.models import Notification
from trainerhub.packages import selectors, services
from trainerhub.packages.models import LedgerEntry
from trainerhub.packages.notices import expiry_pass
from trainerhub.packages.tests.factories import make_package, sell

BOUGHT = datetime.fromisoformat("2026-03-02T12:00:00+00:00")  # valid 30 days: to 1 April


@pytest.fixture
def cp(chris):
    with time_machine.travel(BOUGHT, tick=False):
        return sell(chris, make_package(chris.trainer, sessions_count=5, valid_days=30))


def _state(cp):
    return selectors.client_package_get_for_trainer(trainer=cp.trainer_id, pk=cp.pk).state


def test_the_worker_runs_the_expiry_pass():
    assert "packages.expiry" in periodic.names()


def test_credits_expire_after_the_last_day_in_the_trainers_zone(cp):
    assert cp.expires_on == date(2026, 4, 1)
    # 23:30 UTC on 1 April is 00:30 on 2 April in London (BST): past the last day.
    with time_machine.travel("2026-04-01T22:30:00+00:00", tick=False):
        expiry_pass()
        assert services.balance_of(cp) == 5
        assert _state(cp) == "active"
    with time_machine.travel("2026-04-01T23:30:00+00:00", tick=False):
        expiry_pass()
        expiry_pass()  # idempotent
        assert services.balance_of(cp) == 0
        assert _state(cp) == "expired"
    entries = LedgerEntry.objects.filter(client_package=cp, kind="expire")
    assert list(entries.values_list("sessions", flat=True)) == [-5]


def test_a_used_up_or_refunded_package_has_nothing_to_expire(cp, chris):
    services.client_package_adjust(client_package=cp, sessions=-5, reason="Used")
    with time_machine.travel("2026-04-03T12:00:00+00:00", tick=False):
        expiry_pass()
    assert not LedgerEntry.objects.filter(kind="expire").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_expire_once(alice):
    client = make_client(alice, "Two")
    with time_machine.travel(BOUGHT, tick=False):
        cp = sell(client, make_package(alice, sessions_count=5, valid_days=30))
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            services.expire_due(now=datetime.fromisoformat("2026-04-05T12:00:00+00:00"))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert LedgerEntry.objects.filter(client_package=cp, kind="expire").count() == 1
    assert services.balance_of(cp) == 0


def test_the_client_is_emailed_once_seven_days_before(cp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel("2026-03-24T12:00:00+00:00", tick=False):  # 8 days before
        expiry_pass()
    assert not Notification.objects.filter(kind="package_expiring").exists()
    with time_machine.travel("2026-03-25T12:00:00+00:00", tick=False):  # 7 days before
        expiry_pass()
        expiry_pass()
        dispatch_due()
    row = Notification.objects.get(kind="package_expiring")
    assert (row.client_id, row.channel, row.status) == (cp.client_id, "email", "sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chris@example.com"]
    assert message.subject == "5 session credits of Ten sessions expire on Wednesday 1 April 2026"
    assert "valid until Wednesday 1 April 2026" in message.body


def test_no_email_without_free_credits(cp):
    services.client_package_adjust(client_package=cp, sessions=-5, reason="Used")
    with time_machine.travel("2026-03-26T12:00:00+00:00", tick=False):
        expiry_pass()
    assert not Notification.objects.filter(kind="package_expiring").exists()


def test_a_demo_trainer_never_sends(cp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    trainer = cp.trainer
    trainer.is_demo = True
    trainer.save(update_fields=["is_demo"])
    with time_machine.travel("2026-03-26T12:00:00+00:00", tick=False):
        expiry_pass()
        dispatch_due()
    assert mail.outbox == []
