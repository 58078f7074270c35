"""Recurring bookings on the trainer's booking form (and the calendar's panel, the same
form): every N weeks, a count or an end date, a live preview of the dates with the ones that
collide and why, all-or-nothing or keep the rest; and "cancel this and following". The page
and the API give the same verdicts (series_create / series_preview decide)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from trainerhub.scheduling import services
from trainerhub.scheduling.models import Booking, BookingSeries, TimeOff
from trainerhub.scheduling.tests.factories import local_at

pytestmark = pytest.mark.django_db


def wall(value):
    return value.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def away_week_three(open_alice):
    third = local_at(open_alice, 15, "10:00")
    TimeOff.objects.create(trainer=open_alice, start=third, end=third + timedelta(hours=2))
    return third


def form(carol, pt, start, **repeat):
    values = {
        "client": carol.pk,
        "service": pt.pk,
        "start": wall(start),
        "repeat": "on",
        "every_weeks": "1",
        "ends": "count",
        "count": "4",
        "all_or_nothing": "1",
    }
    values.update(repeat)
    return values


def test_the_form_offers_the_repeat_options(client, open_alice):
    client.force_login(open_alice)
    page = client.get(reverse("scheduling:booking_new"), HTTP_HX_REQUEST="true").content.decode()
    for text in (
        "Repeat this booking",
        "Every (weeks)",
        "After a number of sessions",
        "On a date",
        "Book nothing: every date or none",
        "Book the free dates and skip the others",
    ):
        assert text in page


def test_the_preview_lists_the_dates_and_why_one_is_not_free(
    client, open_alice, carol, pt, away_week_three
):
    client.force_login(open_alice)
    start = local_at(open_alice, 1, "10:00")
    page = client.get(reverse("scheduling:series_preview"), form(carol, pt, start)).content.decode()
    assert '4 dates</strong>, <strong class="error">1 not free</strong>' in page
    assert page.count('class="occurrence is-free"') == 3
    assert "not free: The trainer is away at this time." in page
    assert f'data-occurrence="{away_week_three.date().isoformat()}"' in page
    assert Booking.objects.count() == 0


def test_the_preview_by_end_date_every_two_weeks(client, open_alice, carol, pt):
    client.force_login(open_alice)
    start = local_at(open_alice, 1, "10:00")
    until = local_at(open_alice, 30, "10:00").date().isoformat()
    values = form(carol, pt, start, every_weeks="2", ends="until", count="", until=until)
    page = client.get(reverse("scheduling:series_preview"), values).content.decode()
    assert page.count('class="occurrence is-free"') == 3


def test_the_preview_asks_for_what_is_missing(client, open_alice, carol, pt):
    client.force_login(open_alice)
    values = form(carol, pt, local_at(open_alice, 1, "10:00"))
    values.pop("client")
    page = client.get(reverse("scheduling:series_preview"), values).content.decode()
    assert "Choose the client, the service and the first start to see the dates." in page


def test_all_or_nothing_books_nothing_and_says_why_on_page_and_api(
    client, alice_api, open_alice, carol, pt, away_week_three
):
    client.force_login(open_alice)
    start = local_at(open_alice, 1, "10:00")
    response = client.post(reverse("scheduling:booking_new"), form(carol, pt, start))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was booked: 1 date is not free" in page
    assert "not free: The trainer is away at this time." in page
    api = alice_api.post(
        "/api/v1/bookings/recurring",
        {
            "client": carol.pk,
            "service": pt.pk,
            "start": start.isoformat(),
            "every_weeks": 1,
            "count": 4,
            "all_or_nothing": True,
        },
        format="json",
    )
    assert api.status_code == 409
    assert [(r["code"], r["detail"]) for r in api.json()["refused"]] == [
        ("time_off", "The trainer is away at this time.")
    ]
    assert Booking.objects.count() == 0 and BookingSeries.objects.count() == 0


def test_keep_the_rest_books_the_free_dates(client, open_alice, carol, pt, away_week_three):
    client.force_login(open_alice)
    start = local_at(open_alice, 1, "10:00")
    response = client.post(
        reverse("scheduling:booking_new"), form(carol, pt, start, all_or_nothing="0")
    )
    assert response.status_code == 302
    booked = list(Booking.objects.order_by("start"))
    assert [b.start for b in booked] == [local_at(open_alice, d, "10:00") for d in (1, 8, 22)]
    assert len({b.series_id for b in booked}) == 1
    assert response["Location"] == reverse("scheduling:booking_detail", args=[booked[0].pk])


def test_the_panel_books_a_series_and_closes(client, open_alice, carol, pt):
    client.force_login(open_alice)
    start = local_at(open_alice, 1, "10:00")
    response = client.post(
        reverse("scheduling:booking_new"), form(carol, pt, start), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Trigger"] == "bookingChanged"
    assert "Booked 4 Personal training sessions with Carol Clark, every week." in (
        response.content.decode()
    )


def test_cancel_this_and_following_from_the_detail(client, open_alice, carol, pt):
    _series, bookings, _ = services.series_create(
        trainer=open_alice,
        client=carol,
        service=pt,
        start=local_at(open_alice, 1, "10:00"),
        every_weeks=1,
        count=4,
        all_or_nothing=True,
        source="trainer",
    )
    client.force_login(open_alice)
    page = client.get(
        reverse("scheduling:booking_detail", args=[bookings[1].pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Cancel this and following (3 sessions)" in page
    assert 'hx-confirm="Cancel 3 sessions, from' in page
    response = client.post(
        reverse("scheduling:booking_cancel", args=[bookings[1].pk]),
        {"following": "on", "reason": "Moving away"},
        HTTP_HX_REQUEST="true",
    )
    assert "Cancelled 3 sessions of the series." in response.content.decode()
    statuses = [Booking.objects.get(pk=b.pk).status for b in bookings]
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]
    # A single booking offers no such action.
    page = client.get(
        reverse("scheduling:booking_detail", args=[bookings[0].pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Cancel this and following" not in page
