"""Demo data never sends (issue 18): the seeded demo practice's messages are logged as "not
sent: demo account" by the worker, even with a real SMTP server configured, while another
trainer's message in the same pass is delivered; the demo trainer's pages say so."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.notifications.dispatcher import DEMO_NOT_SENT, dispatch_due
from trainerhub.notifications.models import Notification
from trainerhub.notifications.tests.conftest import make_booking


def _demo() -> User:
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(email="demo@trainerhub.local")


def test_seed_demo_marks_its_trainer_as_demo(db):
    assert _demo().is_demo is True


def test_nothing_of_the_demo_reaches_smtp_while_a_real_message_does(
    alice, pt, carol, in_three_days, smtp
):
    demo = _demo()
    queued = Notification.objects.filter(trainer=demo, status="pending")
    assert queued.exists()
    make_booking(alice, carol, pt, in_three_days)

    dispatch_due(limit=500)

    assert [to for _, to, _ in smtp.envelopes] == [["carol@example.com"]]
    # Reminders due later stay queued; the worker skips them the same way when they are due.
    due = Notification.objects.filter(trainer=demo, due_at__lte=timezone.now())
    demo_rows = due.exclude(channel="inapp")
    assert demo_rows.count() >= 20
    assert set(demo_rows.values_list("status", "last_error")) == {("skipped", DEMO_NOT_SENT)}
    assert not demo_rows.filter(attempt_rows__isnull=False).exists()


def test_the_demo_trainers_pages_say_messages_are_not_sent(client, alice, db):
    demo = _demo()
    client.force_login(demo)
    banner = "This is a demo account: its messages are logged in the message log, never sent"
    assert banner in client.get(reverse("dashboard:home")).content.decode()
    dispatch_due(limit=500)
    assert DEMO_NOT_SENT in client.get(reverse("notifications:log")).content.decode()
    client.force_login(alice)
    assert banner not in client.get(reverse("dashboard:home")).content.decode()
