"""The client's last-visit and next-booking columns follow every booking change (in the
booking's transaction) and the list reads them exact, also once a next booking has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from trainerhub.clients import selectors, visits
from trainerhub.clients.models import Client
from trainerhub.clients.tests.factories import ClientFactory, make_booking
from trainerhub.scheduling import services

pytestmark = pytest.mark.django_db


def columns(client: Client) -> tuple:
    client.refresh_from_db()
    return client.last_visit_at, client.next_booking_at


def test_booking_changes_keep_the_columns(anna):
    now = timezone.now()
    assert columns(anna) == (None, None)
    seen = make_booking(anna, now - timedelta(days=3), status="completed")
    assert columns(anna) == (seen.start, None)
    soon = make_booking(anna, now + timedelta(days=2))
    later = make_booking(anna, now + timedelta(days=9))
    assert columns(anna) == (seen.start, soon.start)
    services.booking_cancel(booking=soon, actor="trainer")
    assert columns(anna) == (seen.start, later.start)
    moved = services.booking_reschedule(
        booking=later, start=later.start + timedelta(days=1), actor="trainer", override_rules=True
    )
    assert columns(anna) == (seen.start, moved.start)
    make_booking(anna, now - timedelta(days=5), status="no_show")
    assert columns(anna) == (seen.start, moved.start)


def test_a_failed_booking_leaves_the_columns(anna):
    now = timezone.now()
    first = make_booking(anna, now + timedelta(days=2))
    with pytest.raises(Exception):  # noqa: B017 (the refusal's class is not the point)
        make_booking(anna, first.start)  # the same time: refused, rolled back
    assert columns(anna) == (None, first.start)


def test_a_next_booking_that_has_passed_is_recomputed_before_the_list(alice, anna):
    now = timezone.now()
    passed = make_booking(anna, now - timedelta(hours=2))  # booked ahead, then its time came
    following = make_booking(anna, now + timedelta(days=4))
    Client.objects.filter(pk=anna.pk).update(next_booking_at=passed.start)  # as it was then
    row = next(iter(selectors.clients_search(trainer=alice, ordering="next_booking")))
    assert row.next_booking == following.start
    assert columns(anna) == (None, following.start)
    assert visits.refresh_passed(trainer_id=alice.pk) == 0


def test_the_list_sorts_by_the_columns(alice):
    now = timezone.now()
    recent, older, never = (ClientFactory(trainer=alice, first_name=n) for n in "ROV")
    make_booking(recent, now - timedelta(days=1), status="completed")
    make_booking(older, now - timedelta(days=20), status="completed")
    make_booking(older, now + timedelta(days=1))
    make_booking(never, now + timedelta(days=3))

    def order(key: str) -> list[str]:
        return [c.first_name for c in selectors.clients_search(trainer=alice, ordering=key)]

    assert order("-last_visit")[:3] == ["R", "O", "V"]
    assert order("last_visit")[:2] == ["O", "R"]
    assert order("next_booking")[:2] == ["O", "V"]
    assert sorted(c.first_name for c in selectors.clients_search(trainer=alice, upcoming=True)) == [
        "O",
        "V",
    ]
