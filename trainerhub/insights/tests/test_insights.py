"""Every insight of the hand-counted practice (tests/factories.py), on the API and page."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import api_client_for
from trainerhub.insights import selectors
from trainerhub.insights.tests.factories import at, make_booking, make_client, practice

pytestmark = pytest.mark.django_db
NOW = "2026-03-18T12:00:00Z"
Q = "?from=2026-03-01&to=2026-03-15"


@pytest.fixture
def world(alice):
    with time_machine.travel(NOW, tick=False):
        yield practice(alice)


def test_heatmap_counts_by_local_weekday_and_hour(world, alice_api):
    body = alice_api.get("/api/v1/insights/heatmap" + Q).json()
    sessions, missed = body["sessions"], body["missed"]
    assert (sessions[0][10], sessions[1][10], sessions[3][10]) == (2, 1, 1)
    assert sum(map(sum, sessions)) == 4
    assert (missed[2][14], missed[3][9], sum(map(sum, missed))) == (1, 1, 2)
    assert body["busiest"][0] == {"weekday": "Mon", "hour": 10, "sessions": 2}
    assert body["emptiest"][0] == {"weekday": "Mon", "hour": 9, "sessions": 0}
    # Previous period 14-28 Feb: nothing (Eve's 10 Feb is before it).
    assert body["totals"]["sessions"] == {"current": 4, "previous": 0, "change": None}
    assert body["previous"] == {"from": "2026-02-14", "to": "2026-02-28"}


def test_heatmap_is_in_the_trainers_zone(bob):
    # 10:00 in New York is 15:00 UTC: the cell is 10.
    with time_machine.travel(NOW, tick=False):
        make_booking(make_client(bob), at(bob, "2026-03-02", "10:00"), status="completed")
        body = api_client_for(bob).get("/api/v1/insights/heatmap" + Q).json()
    assert body["sessions"][0][10] == 1 and body["timezone"] == "America/New_York"


def test_utilisation_reads_hours_overrides_and_time_off(world, alice_api):
    weeks = alice_api.get("/api/v1/insights/utilisation" + Q).json()["weeks"]
    assert len(weeks) == 12 and weeks[-1]["week"] == "2026-03-09"
    # Week of 9 Mar: 5 x 480 - 240 off = 2160; booked Chris's 9 Mar (the no-show and the
    # cancelled session hold no seat).
    assert weeks[-1] == {
        "week": "2026-03-09",
        "available_minutes": 2160,
        "booked_minutes": 60,
        "utilisation": 2.8,
    }
    # Week of 2 Mar: Tuesday only 09:00-11:00 -> 2040; three sessions booked.
    assert weeks[-2] == {
        "week": "2026-03-02",
        "available_minutes": 2040,
        "booked_minutes": 180,
        "utilisation": 8.8,
    }
    # Week of 9 Feb: Eve's session, 2400 available.
    assert weeks[-5]["booked_minutes"] == 60 and weeks[-5]["utilisation"] == 2.5


def test_clients_new_returning_repeat(world, alice_api):
    body = alice_api.get("/api/v1/insights/clients" + Q).json()
    assert (body["clients"], body["new"], body["returning"]) == (3, 2, 1)
    assert body["repeat_pct"] == 33.3 and body["visits"] == 4
    # 4 visits / 3 clients; a period shorter than a month counts as one month.
    assert body["sessions_per_client_month"] == 1.33
    assert body["top"][0] == {"client": world["chris"].pk, "name": "Chris Cole", "visits": 2}
    assert body["comparison"]["clients"]["previous"] == 0


def test_service_filter_and_bad_input(world, alice_api, bob):
    bob_api = api_client_for(bob)
    other = alice_api.get(f"/api/v1/insights/clients{Q}&service={world['service'].pk + 99}")
    assert other.status_code == 400 and other.json() == {"service": ["No such service."]}
    # Bob naming alice's service is the same 400: he never learns it exists.
    stolen = bob_api.get(f"/api/v1/insights/heatmap{Q}&service={world['service'].pk}")
    assert stolen.status_code == 400 and stolen.json() == {"service": ["No such service."]}
    assert alice_api.get("/api/v1/insights/heatmap?from=2026-03-10&to=2026-03-01").json() == {
        "to": ["'to' must not be before 'from'."]
    }
    assert alice_api.get("/api/v1/insights/heatmap?from=2026-03-10").status_code == 400
    assert (
        alice_api.get("/api/v1/insights/heatmap?from=2026-13-45&to=2026-03-01").status_code == 400
    )
    # Bob's own insights show none of alice's bookings.
    assert sum(map(sum, bob_api.get("/api/v1/insights/heatmap" + Q).json()["sessions"])) == 0


def test_cancellations(world, alice_api):
    body = alice_api.get("/api/v1/insights/cancellations" + Q).json()
    assert (body["total"], body["cancelled"], body["late"], body["no_show"]) == (6, 1, 1, 1)
    assert (body["cancel_rate"], body["late_rate"], body["no_show_rate"]) == (16.7, 16.7, 20.0)
    assert body["months"] == [
        {
            "month": "2026-03",
            "total": 6,
            "cancelled": 1,
            "late": 1,
            "no_show": 1,
            "completed": 4,
            "cancel_rate": 16.7,
            "late_rate": 16.7,
            "no_show_rate": 20.0,
        }
    ]
    assert body["reasons"] == [{"reason": "Work", "count": 1}]
    assert [c["name"] for c in body["clients"]] == ["Dana Diaz", "Chris Cole"]


def test_reason_groups():
    assert selectors.reason_group("Feeling sick today") == "Illness"
    assert selectors.reason_group("stuck at the office") == "Work"
    assert selectors.reason_group("") == "No reason given"
    assert selectors.reason_group("something came up") == "Other"


def test_retention_cohorts(alice):
    with time_machine.travel("2026-05-20T12:00:00Z", tick=False):
        a, b, c = (make_client(alice, n) for n in ("Ann", "Ben", "Cat"))
        for client, days in (
            (a, ("01-10", "02-10", "04-10")),
            (b, ("01-12",)),
            (c, ("02-11", "03-11")),
        ):
            for day in days:
                make_booking(client, at(alice, f"2026-{day}", "10:00"), status="completed")
        body = (
            api_client_for(alice)
            .get("/api/v1/insights/retention?from=2026-01-01&to=2026-02-28")
            .json()
        )
    assert body["cohorts"] == [
        {"month": "2026-01", "size": 2, "retained": {"1": 50.0, "2": 0.0, "3": 50.0, "6": None}},
        {"month": "2026-02", "size": 1, "retained": {"1": 100.0, "2": 0.0, "3": None, "6": None}},
    ]


def test_page_and_csv(world, client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/insights/" + Q)
        csv = client.get("/insights/export/clients.csv" + Q)
        bad = client.get("/insights/?from=2026-03-10&to=2026-03-01")
        missing = client.get("/insights/export/nothing.csv")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Table view" in html
        and 'id="insights-data"' in html
        and "<script>" not in html.split("</head>")[1]
    )
    assert csv["Content-Type"].startswith("text/csv")
    assert "Returning clients,1,0," in csv.content.decode()
    assert bad.status_code == 200 and "must not be before" in bad.content.decode()
    assert missing.status_code == 404


def _more_data(alice, n):
    with time_machine.travel(NOW, tick=False):
        for i in range(n):
            client = make_client(alice, f"Extra{i}")
            make_booking(client, at(alice, "2026-03-04", f"{11 + i}:00"), status="completed")
            make_booking(
                client, at(alice, "2026-03-06", f"{11 + i}:00"), status="cancelled", reason="ill"
            )


@pytest.mark.parametrize(
    "name",
    ["heatmap", "utilisation", "clients", "retention", "cancellations", "money", "at-risk"],
)
def test_fixed_number_of_queries(world, alice, alice_api, name):
    counts = []
    for extra in (0, 3):
        _more_data(alice, extra)
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
            assert alice_api.get(f"/api/v1/insights/{name}" + Q).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_money(world, alice_api):
    body = alice_api.get("/api/v1/insights/money" + Q).json()
    # Held bookings 1-15 Mar: Chris 2 + no-show, Dana 1, Eve 1 = 5 x 50.00 (cancelled: none).
    assert body["totals"] == [
        {
            "currency": "GBP",
            "revenue": "250.00",
            "average_booking_value": "50.00",
            "previous_revenue": "0.00",
        }
    ]
    assert body["months"] == [{"month": "2026-03", "currency": "GBP", "revenue": "250.00"}]
    assert body["by_service"] == [
        {"service": "Personal training", "currency": "GBP", "revenue": "250.00", "bookings": 5}
    ]
    assert body["credits"] == {"sold": 0, "used": 0, "forfeited": 0, "expired": 0}
    assert isinstance(body["outstanding"], list)


def test_lifetime_value_and_outstanding_from_billing(world, alice, alice_api):
    from trainerhub.billing import selectors as billing
    from trainerhub.billing import services as payments
    from trainerhub.scheduling.models import Booking

    chris = world["chris"]
    with time_machine.travel(NOW, tick=False):
        first, second = Booking.objects.filter(client=chris, status="completed").order_by("start")
        paid = payments.payment_record(
            trainer=alice, client=chris, booking=first, amount="50.00", method="cash"
        )
        payments.payment_record(
            trainer=alice, client=chris, booking=second, amount="50.00", method="cash"
        )
        payments.payment_refund(payment=paid, amount="10.00")
        clients = alice_api.get("/api/v1/insights/clients" + Q).json()
        money = alice_api.get("/api/v1/insights/money" + Q).json()
        balances = billing.balances(trainer=alice)
    # Chris paid 100.00 and got 10.00 back; nobody else paid.
    assert clients["lifetime_value"] == [
        {
            "currency": "GBP",
            "paying_clients": 1,
            "total": "90.00",
            "average": "90.00",
            "top": [{"client": chris.pk, "name": "Chris Cole", "paid": "90.00"}],
        }
    ]
    # Owed: 5 completed sessions of 50.00 (Chris 2, Dana 1, Eve 2) less the 90.00 Chris paid.
    assert money["outstanding"] == [{"currency": "GBP", "amount": "160.00"}]
    assert sum(b.total for b in balances) == 160
