from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trainerhub.clients import notes, selectors
from trainerhub.clients.tests.factories import ClientFactory, TagFactory, make_booking

pytestmark = pytest.mark.django_db


def test_access_function_is_404_for_other_trainer(alice, bob, anna):
    assert selectors.client_get_for_trainer(trainer=alice, pk=anna.pk) == anna
    for pk in (anna.pk, "abc", None, 10**9):
        with pytest.raises(Http404):
            selectors.client_get_for_trainer(trainer=bob, pk=pk)


def test_search_any_part_case_and_accent_insensitive(alice, bob, anna):
    ClientFactory(trainer=alice, first_name="José", last_name="Núñez", email="jn@corp.es")
    ClientFactory(trainer=bob, first_name="Anna", last_name="Other")

    def names(q):
        return [c.first_name for c in selectors.clients_search(trainer=alice, query=q)]

    assert names("ann") == ["Anna"]
    assert names("MÜLLER") == names("muller") == names("Mül") == ["Anna"]
    assert names("nunez") == names("NÚÑ") == ["José"]
    assert names("corp.es") == ["José"]
    assert names("example.com") == ["Anna"]
    assert names("07911 123 456") == names("+44 7911") == names("123456") == ["Anna"]
    assert names("müller anna") == ["Anna"]
    assert names("nobody") == []


@pytest.mark.parametrize("ordering", ["name", "-name"])
def test_a_searched_list_keeps_the_lists_name_order(alice, ordering):
    """A name fragment's matches come in the order of the whole list (on PostgreSQL the
    search sorts by an unindexed form of the name: same order, faster plan)."""
    for first, last in [("Zed", "Martin"), ("Amy", "Martin"), ("Bo", "Marsh"), ("Al", "de Mart")]:
        ClientFactory(trainer=alice, first_name=first, last_name=last)

    def ids(query):
        found = selectors.clients_search(trainer=alice, query=query, ordering=ordering)
        return [c.pk for c in found]

    whole = ids("")
    assert ids("mart") == [pk for pk in whole if pk in set(ids("mart"))]
    assert len(ids("mart")) == 3 and len(ids("mar")) == 4


def test_filters(alice):
    now = timezone.now()
    vip = TagFactory(trainer=alice, name="VIP")
    regular = ClientFactory(trainer=alice, first_name="Regular")
    lapsed = ClientFactory(trainer=alice, first_name="Lapsed")
    never = ClientFactory(trainer=alice, first_name="Never")
    regular.tags.add(vip, through_defaults={"trainer": alice})
    make_booking(regular, now - timedelta(days=3), status="completed")
    make_booking(regular, now + timedelta(days=3))
    make_booking(lapsed, now - timedelta(days=60), status="completed")
    make_booking(lapsed, now + timedelta(days=5), status="cancelled")

    def names(**kw):
        return sorted(c.first_name for c in selectors.clients_search(trainer=alice, **kw))

    assert names(tag=vip.pk) == names(tag="vip") == ["Regular"]
    assert names(upcoming=True) == ["Regular"]
    assert names(upcoming=False) == ["Lapsed", "Never"]
    assert names(no_visit_days=30) == ["Lapsed", "Never"]
    ordered = [
        c.first_name for c in selectors.clients_search(trainer=alice, ordering="-last_visit")
    ]
    assert ordered == ["Regular", "Lapsed", "Never"]
    ordered = [
        c.first_name for c in selectors.clients_search(trainer=alice, ordering="next_booking")
    ]
    assert ordered[0] == "Regular"
    newest = next(iter(selectors.clients_search(trainer=alice, ordering="-created")))
    assert newest.first_name == "Never"
    del never


def test_stats(anna):
    now = timezone.now()
    first = make_booking(anna, now - timedelta(days=30), status="completed")
    last = make_booking(anna, now - timedelta(days=10), status="completed")
    make_booking(anna, now - timedelta(days=8), status="cancelled", late=True)
    make_booking(anna, now - timedelta(days=6), status="cancelled")
    make_booking(anna, now - timedelta(days=4), status="no_show")
    upcoming = make_booking(anna, now + timedelta(days=4))
    stats = selectors.client_stats(client=anna, now=now)
    assert (stats.completed, stats.cancelled, stats.late_cancelled, stats.no_shows) == (2, 2, 1, 1)
    assert stats.attendance_rate == 0.5  # 2 of 4 due (2 completed, 1 no-show, 1 late)
    assert stats.first_visit == first.start and stats.last_visit == last.start
    assert stats.next_booking == upcoming.start and stats.upcoming == 1


def test_stats_of_a_new_client(anna):
    stats = selectors.client_stats(client=anna)
    assert stats.completed == 0 and stats.attendance_rate is None and stats.next_booking is None


def test_timeline_merges_newest_first(anna):
    booking = make_booking(
        anna,
        timezone.now() - timedelta(days=2),
        status="cancelled",
        late=True,
        reason="Sick",
    )
    notes.note_create(client=anna, body="Check knee", booking=booking)
    from django.core.files.uploadedfile import SimpleUploadedFile

    notes.client_file_upload(client=anna, upload=SimpleUploadedFile("a.txt", b"hello"))
    timeline = selectors.client_timeline(client=anna)
    kinds = [e.kind for e in timeline]
    assert set(kinds) == {"note", "booking", "file"}
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)
    cancelled = next(e for e in timeline if e.title.startswith("Cancelled"))
    assert "Sick" in cancelled.detail and "(late)" in cancelled.detail


def _list_queries(alice_api, size: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = alice_api.get(f"/api/v1/clients/?page_size={size}&ordering=-last_visit")
    assert response.status_code == 200 and len(response.json()["results"]) == size
    return len(ctx.captured_queries)


def test_list_query_count_is_fixed(alice, alice_api):
    vip = TagFactory(trainer=alice, name="VIP")
    for i in range(100):
        c = ClientFactory(trainer=alice)
        c.tags.add(vip, through_defaults={"trainer": alice})
        if i % 10 == 0:
            make_booking(c, timezone.now() - timedelta(days=i + 1), status="completed")
    assert _list_queries(alice_api, 10) == _list_queries(alice_api, 100)


def test_list_page_query_count_is_fixed(alice_web, alice):
    vip = TagFactory(trainer=alice, name="VIP")
    for _ in range(100):
        ClientFactory(trainer=alice).tags.add(vip, through_defaults={"trainer": alice})
    counts = []
    for size in (25, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert alice_web.get(f"/clients/?page_size={size}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_timeline_shows_messages_sent_to_the_client_but_not_waiting_ones(anna):
    from trainerhub.notifications.models import Kind, Notification

    # Booking writes the client's confirmation and two reminders to the outbox; the worker
    # then sent the first, failed the second, and the third is still waiting.
    booking = make_booking(anna, timezone.now() + timedelta(days=2))
    outbox = Notification.objects.filter(booking=booking, recipient=Notification.Recipient.CLIENT)
    assert outbox.count() == 3
    outbox.filter(kind=Kind.BOOKING_CONFIRMED).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), subject="Your session is booked"
    )
    outbox.filter(kind=Kind.REMINDER, offset_minutes=120).update(
        status=Notification.Status.FAILED, last_error="Mailbox full"
    )
    messages = [e for e in selectors.client_timeline(client=anna) if e.kind == "message"]
    titles = {m.title for m in messages}
    assert titles == {
        "Email: Your session is booked",
        "Email: Reminder before the session (to client)",
    }
    failed = next(m for m in messages if "Reminder" in m.title)
    assert failed.detail == "Failed (Mailbox full)"
