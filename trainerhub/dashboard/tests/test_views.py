"""The dashboard page and its figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from trainerhub.clients.models import Client
from trainerhub.core.tests.factories import make_client, make_service, open_every_day
from trainerhub.core.timezones import zone
from trainerhub.dashboard import selectors
from trainerhub.scheduling import services

pytestmark = pytest.mark.django_db
LONDON = zone("Europe/London")
# A Wednesday morning in London.
NOW = datetime(2030, 3, 13, 8, 0, tzinfo=LONDON)


@pytest.fixture
def practice(alice):
    open_every_day(alice, "09:00", "17:00")
    pt = make_service(alice, price="50.00", currency="GBP", color="#ff0000")
    carol = make_client(alice, "Carol", last_name="Clark")
    return alice, pt, carol


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LONDON)


def test_dashboard_needs_login(client):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_empty_dashboard_says_what_to_do(client, alice):
    client.force_login(alice)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "Nothing booked today" in html
    assert "Set your weekly hours" in html
    assert 'id="chart-data"' in html


def test_figures_follow_the_bookings(client, practice):
    alice, pt, carol = practice
    Client.objects.filter(pk=carol.pk).update(created_at=NOW)
    with time_machine.travel(NOW, tick=False):
        today = NOW.date()
        b1 = services.booking_create(trainer=alice, client=carol, service=pt, start=at(today, 10))
        services.booking_create(
            trainer=alice, client=carol, service=pt, start=at(today + timedelta(days=1), 9)
        )
        b3 = services.booking_create(
            trainer=alice, client=carol, service=pt, start=at(today + timedelta(days=2), 9)
        )
        services.booking_cancel(booking=b3, actor="trainer", reason="Away", late=True)
    with time_machine.travel(NOW + timedelta(hours=4), tick=False):
        services.booking_complete(booking=b1, actor="trainer")
        client.force_login(alice)
        response = client.get(reverse("dashboard:home"))
    ctx = response.context
    figures = ctx["figures"]
    assert (figures.total, figures.upcoming, figures.cancelled, figures.late_cancelled) == (
        3,
        1,
        1,
        1,
    )
    assert figures.attendance_rate == 100.0 and figures.no_show_rate == 0.0
    assert figures.revenue == [("GBP", 100)]
    assert figures.new_clients == 1
    assert [b.pk for b in ctx["schedule"]] == [b1.pk]
    assert ctx["charts"]["services"]["counts"] == [2]
    assert sum(ctx["charts"]["weeks"]["counts"]) == 2
    html = response.content.decode()
    assert "Cancelled: Personal training with Carol Clark" in html and "“Away”" in html
    assert "Client added: Carol Clark" in html


def test_free_gaps_leave_out_sessions_and_the_past(practice):
    alice, pt, carol = practice
    with time_machine.travel(NOW, tick=False):
        today = NOW.date()
        services.booking_create(trainer=alice, client=carol, service=pt, start=at(today, 10))
        gaps = selectors.free_gaps(
            trainer=alice, now=NOW, today=today, last_day=today + timedelta(days=1)
        )
    local = [(g.start.astimezone(LONDON).time(), g.end.astimezone(LONDON).time()) for g in gaps]
    assert local[:3] == [(time(9), time(10)), (time(11), time(17)), (time(9), time(17))]


def test_periods():
    today = date(2030, 3, 13)
    assert selectors.period_for("week", today=today, tz="UTC").first_day == date(2030, 3, 11)
    month = selectors.period_for("month", today=today, tz="UTC")
    assert (month.first_day, month.last_day) == (date(2030, 3, 1), date(2030, 3, 31))
    assert selectors.period_for("30d", today=today, tz="UTC").first_day == date(2030, 2, 12)
    custom = selectors.period_for(
        "custom", today=today, tz="UTC", first=date(2030, 1, 1), last=date(2030, 1, 5)
    )
    assert custom.key == "custom"
    # A backwards custom range falls back to this week rather than failing.
    bad = selectors.period_for(
        "custom", today=today, tz="UTC", first=date(2030, 2, 1), last=date(2030, 1, 5)
    )
    assert bad.key == "week"


def test_pending_requests_have_buttons(client, practice):
    alice, pt, carol = practice
    pt.requires_confirmation = True
    pt.save()
    with time_machine.travel(NOW, tick=False):
        booking = services.booking_create(
            trainer=alice,
            client=carol,
            service=pt,
            start=at(NOW.date() + timedelta(days=1), 9),
            source="client",
        )
        client.force_login(alice)
        html = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("scheduling:booking_action", args=[booking.pk, "confirm"]) in html


def test_dashboard_in_a_fixed_number_of_queries(client, practice, django_assert_max_num_queries):
    alice, pt, _ = practice
    with time_machine.travel(NOW, tick=False):
        for days in range(1, 15):
            for hour in (9, 11, 13):
                services.booking_create(
                    trainer=alice,
                    client=make_client(alice, f"C{days}{hour}"),
                    service=pt,
                    start=at(NOW.date() + timedelta(days=days), hour),
                )
        client.force_login(alice)
        # 16, one for the setup checklist's state (trainerhub/dashboard/setup.py), three
        # for the clients at risk (trainerhub/insights/risk.py) and two for its signals
        # (falling adherence, unused credits expiring: trainerhub/insights/signals.py), one
        # for the connected calendars' warning (trainerhub/calendars/templatetags).
        with django_assert_max_num_queries(23):
            response = client.get(reverse("dashboard:home"), {"period": "month"})
    assert response.status_code == 200


def test_custom_period_from_the_query_string(client, alice):
    client.force_login(alice)
    response = client.get(
        reverse("dashboard:home"), {"period": "custom", "from": "2030-01-01", "to": "2030-01-31"}
    )
    assert response.context["period"].key == "custom"
    assert b"1 Jan" in response.content
