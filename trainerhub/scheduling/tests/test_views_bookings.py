"""Booking pages: list, detail, actions, booking by hand, the client picker and slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking
from trainerhub.scheduling.tests.factories import local_at, make_client

pytestmark = pytest.mark.django_db


def book(trainer, client, service, days=1, hhmm="09:00", **kw):
    return services.booking_create(
        trainer=trainer, client=client, service=service, start=local_at(trainer, days, hhmm), **kw
    )


@pytest.fixture
def booking(alice, carol, pt):
    return book(alice, carol, pt)


def test_pages_need_login(client, booking):
    for url in (
        reverse("scheduling:bookings"),
        reverse("scheduling:booking_detail", args=[booking.pk]),
        reverse("scheduling:booking_new"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_upcoming_bookings_in_the_trainers_zone(client, alice, booking):
    client.force_login(alice)
    response = client.get(reverse("scheduling:bookings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Carol Clark" in html and "09:00" in html and "Europe/London" in html


def test_list_empty_state(client, alice):
    client.force_login(alice)
    response = client.get(reverse("scheduling:bookings"))
    assert "No upcoming bookings" in response.content.decode()


def test_list_filters_and_rejects_bad_ranges(client, alice, carol, dave, pt, group):
    book(alice, carol, pt, days=1)
    book(alice, dave, group, days=2)
    client.force_login(alice)
    response = client.get(reverse("scheduling:bookings"), {"client": dave.pk})
    html = response.content.decode()
    assert "Dave Day" in html and "Carol Clark</td>" not in html
    response = client.get(reverse("scheduling:bookings"), {"status": "cancelled"})
    assert "No bookings match these filters" in response.content.decode()
    response = client.get(
        reverse("scheduling:bookings"), {"start": "2030-02-01", "end": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "must be on or after" in response.content.decode()


def test_list_paginates_in_a_fixed_number_of_queries(
    client, alice, pt, django_assert_max_num_queries
):
    for i in range(30):
        person = make_client(alice, f"P{i}")
        book(alice, person, pt, days=1 + i // 10, hhmm=f"{8 + i % 10:02d}:00")
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("scheduling:bookings"))
    assert response.content.decode().count('class="status-row-') == 25
    assert "Page 1 of 2" in response.content.decode()


def test_series_badge(client, alice, carol, pt):
    services.series_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=local_at(alice, 1, "10:00"),
        every_weeks=1,
        count=3,
        all_or_nothing=True,
        source="trainer",
    )
    client.force_login(alice)
    html = client.get(reverse("scheduling:bookings")).content.decode()
    assert html.count("badge-series") == 3


def test_detail_full_page_and_panel(client, alice, booking):
    client.force_login(alice)
    url = reverse("scheduling:booking_detail", args=[booking.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "History" in page and "Created" in page
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and 'id="booking-panel"' in panel


def test_cancel_with_reason_from_the_panel(client, alice, booking):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:booking_cancel", args=[booking.pk]),
        {"reason": "Client is ill", "late": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "bookingChanged"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancellation_reason == "Client is ill" and booking.late_cancellation
    assert "Booking cancelled." in response.content.decode()
    assert "“Client is ill”" in response.content.decode()  # in the history


def test_refused_action_shows_the_reason(client, alice, booking):
    client.force_login(alice)
    # Completing a session that has not started yet is refused by the state machine.
    response = client.post(
        reverse("scheduling:booking_action", args=[booking.pk, "complete"]), follow=True
    )
    refusal = (
        "This booking is confirmed and has not started yet; "
        "it cannot be marked completed before its start."
    )
    assert [m.message for m in response.context["messages"]] == [refusal]
    assert refusal in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_confirm_and_decline_pending_requests(client, alice, carol, dave, pt):
    pt.requires_confirmation = True
    pt.save()
    first = book(alice, carol, pt, days=2, source="client")
    second = book(alice, dave, pt, days=3, source="client")
    assert first.status == second.status == Booking.Status.PENDING
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:booking_action", args=[first.pk, "confirm"]),
        {"next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    client.post(reverse("scheduling:booking_action", args=[second.pk, "decline"]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "declined")


def test_unknown_action_and_offsite_next_are_404(client, alice, booking):
    client.force_login(alice)
    url = reverse("scheduling:booking_action", args=[booking.pk, "explode"])
    assert client.post(url).status_code == 404
    url = reverse("scheduling:booking_action", args=[booking.pk, "confirm"])
    assert client.post(url, {"next": "https://evil.example/"}).status_code == 404


def test_reschedule_form(client, alice, booking):
    client.force_login(alice)
    new = local_at(alice, 2, "14:00")
    response = client.post(
        reverse("scheduling:booking_reschedule", args=[booking.pk]),
        {"start": new.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "Booking moved." in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == new


def test_reschedule_refused_outside_hours(client, alice, booking):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:booking_reschedule", args=[booking.pk]),
        {"start": local_at(alice, 2, "23:00").strftime("%Y-%m-%dT%H:%M")},
        HTTP_HX_REQUEST="true",
    )
    # 200 so that htmx swaps the panel, which shows the refusal.
    assert response.status_code == 200
    assert 'class="message message-error" role="alert"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == local_at(alice, 1, "09:00")


def test_booking_new_creates_a_booking(client, alice, carol, pt):
    client.force_login(alice)
    start = local_at(alice, 3, "10:00")
    response = client.post(
        reverse("scheduling:booking_new"),
        {"client": carol.pk, "service": pt.pk, "start": start.strftime("%Y-%m-%dT%H:%M")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "bookingChanged"
    assert "data-booking-done" in response.content.decode()
    assert Booking.objects.get(trainer=alice).start == start


def test_booking_new_shows_the_refusal_next_to_the_start(client, alice, carol, pt):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:booking_new"),
        {
            "client": carol.pk,
            "service": pt.pk,
            "start": local_at(alice, 3, "22:30").strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="start-error"' in html
    assert not Booking.objects.exists()


def test_booking_new_refusal_reaches_the_htmx_panel(client, alice, carol, pt):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:booking_new"),
        {
            "client": carol.pk,
            "service": pt.pk,
            "start": local_at(alice, 3, "22:30").strftime("%Y-%m-%dT%H:%M"),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps 2xx answers only
    assert 'id="start-error"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_booking_new_rejects_missing_fields_and_other_trainers_clients(
    client, alice, bob, carol, pt
):
    bobs_client = make_client(bob, "Zed")
    client.force_login(alice)
    response = client.post(reverse("scheduling:booking_new"), {"client": bobs_client.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "This field is required" in html


def test_booking_new_prefills_from_the_calendar_and_lists_slots(client, alice, pt):
    client.force_login(alice)
    start = local_at(alice, 2, "11:00")
    response = client.get(
        reverse("scheduling:booking_new"),
        {"start": start.isoformat(), "service": pt.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert start.strftime("%Y-%m-%dT%H:%M") in html
    assert "Times clients are offered for Personal training" in html
    assert 'data-slot="' in html


def test_slots_and_client_options(client, alice, pt):
    from trainerhub.clients.services import client_create

    client_create(trainer=alice, first_name="Dave", last_name="Day")
    client_create(trainer=alice, first_name="Carol", last_name="Clark")
    client.force_login(alice)
    day = local_at(alice, 2, "00:00").date().isoformat()
    html = client.get(
        reverse("scheduling:booking_slots"), {"service": pt.pk, "start": day}
    ).content.decode()
    assert 'data-slot="' in html and ">07:00" in html
    html = client.get(reverse("scheduling:client_options"), {"q": "dav"}).content.decode()
    assert "Dave Day" in html and "Carol" not in html


def test_bob_gets_404_on_alices_booking(client, bob, booking):
    client.force_login(bob)
    assert client.get(reverse("scheduling:booking_detail", args=[booking.pk])).status_code == 404
    for url in (
        reverse("scheduling:booking_cancel", args=[booking.pk]),
        reverse("scheduling:booking_reschedule", args=[booking.pk]),
        reverse("scheduling:booking_action", args=[booking.pk, "confirm"]),
        reverse("scheduling:booking_move", args=[booking.pk]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancel_this_and_following_of_a_series(client, alice, carol, pt):
    _, made, _ = services.series_create(
        trainer=alice,
        client=carol,
        service=pt,
        start=local_at(alice, 1, "10:00"),
        every_weeks=1,
        count=4,
        all_or_nothing=True,
        source="trainer",
    )
    client.force_login(alice)
    page = client.get(reverse("scheduling:booking_detail", args=[made[1].pk])).content.decode()
    assert "Cancel this and following (3 sessions)" in page
    response = client.post(
        reverse("scheduling:booking_cancel", args=[made[1].pk]),
        {"reason": "Moving away", "following": "on"},
        follow=True,
    )
    assert "Cancelled 3 sessions of the series." in response.content.decode()
    statuses = [b.status for b in Booking.objects.filter(series=made[0].series).order_by("start")]
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]


# A fixed Monday morning: the listing starts "today", so the real clock must not decide
# which day the bookings fall on.
@time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
def test_second_page_keeps_the_default_listing(client, alice, carol, pt):

    from trainerhub.scheduling.models import Booking as B

    for i in range(27):
        book(alice, carol, pt, days=1 + i // 9, hhmm=f"{8 + i % 9:02d}:00")
    past = book(alice, carol, pt, days=5, hhmm="08:00")
    month = timedelta(days=30)
    B.objects.filter(pk=past.pk).update(start=past.start - month, end=past.end - month)
    client.force_login(alice)
    html = client.get(reverse("scheduling:bookings"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in html and html.count('class="status-row-') == 2


def test_list_rows_offer_the_actions_their_booking_allows(client, alice, carol, pt):
    upcoming = book(alice, carol, pt, days=2, hhmm="10:00")
    past = book(alice, carol, pt, days=3, hhmm="10:00")
    week = timedelta(days=7)
    Booking.objects.filter(pk=past.pk).update(start=past.start - week, end=past.end - week)
    client.force_login(alice)
    html = client.get(reverse("scheduling:bookings"), {"start": "2000-01-01"}).content.decode()
    detail = reverse("scheduling:booking_detail", args=[upcoming.pk])
    assert f'href="{detail}#cancel"' in html and f'href="{detail}#reschedule"' in html
    assert reverse("scheduling:booking_action", args=[past.pk, "complete"]) in html
    assert reverse("scheduling:booking_action", args=[past.pk, "no_show"]) in html
    # A future session cannot be completed yet; a past one is not moved from the list.
    assert reverse("scheduling:booking_action", args=[upcoming.pk, "complete"]) not in html
    past_detail = reverse("scheduling:booking_detail", args=[past.pk])
    assert f'href="{past_detail}#cancel"' not in html
