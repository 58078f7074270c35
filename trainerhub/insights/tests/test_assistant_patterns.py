"""The assistant's pattern library, question by question, against answers counted by hand.

The practice (alice, London; the clock on Wed 18 Nov 2026 12:00 UTC), all at 10:00 local:
  Ann Archer: PT Tue 6, Tue 13 Oct, Yoga Tue 20 Oct (completed), PT Tue 27 Oct (no-show),
              PT Tue 3 Nov (completed), PT Tue 24 Nov (confirmed, ahead).
  Ben Brown:  Yoga Wed 2 Sep, PT Wed 23 Sep and Wed 7 Oct (completed),
              PT Wed 14 Oct (cancelled late, "sick").
  Cara Cole:  PT Wed 5 Aug (completed).
Personal training (PT) costs 50.00 GBP, Yoga 20.00 GBP.
"""

from __future__ import annotations

import pytest
import time_machine

from conftest import api_client_for
from trainerhub.insights.assistant import patterns
from trainerhub.insights.assistant.periods import parse_period
from trainerhub.insights.tests.factories import at, make_booking, make_client, make_service

NOW = "2026-11-18T12:00:00Z"


@pytest.fixture
def practice(alice):
    with time_machine.travel(NOW, tick=False):
        pt = make_service(alice, name="Personal training", price="50.00")
        yoga = make_service(alice, name="Yoga", price="20.00")
        ann = make_client(alice, "Ann", last_name="Archer")
        ben = make_client(alice, "Ben", last_name="Brown")
        cara = make_client(alice, "Cara", last_name="Cole")
        for day in ("2026-10-06", "2026-10-13", "2026-11-03"):
            make_booking(ann, at(alice, day, "10:00"), status="completed", service=pt)
        make_booking(ann, at(alice, "2026-10-20", "10:00"), status="completed", service=yoga)
        make_booking(ann, at(alice, "2026-10-27", "10:00"), status="no_show", service=pt)
        make_booking(ann, at(alice, "2026-11-24", "10:00"), service=pt)
        make_booking(ben, at(alice, "2026-09-02", "10:00"), status="completed", service=yoga)
        for day in ("2026-09-23", "2026-10-07"):
            make_booking(ben, at(alice, day, "10:00"), status="completed", service=pt)
        make_booking(
            ben,
            at(alice, "2026-10-14", "10:00"),
            status="cancelled",
            late=True,
            reason="sick",
            service=pt,
        )
        make_booking(cara, at(alice, "2026-08-05", "10:00"), status="completed", service=pt)
        yield api_client_for(alice)


WEEKDAYS = [
    ["Monday", 0],
    ["Tuesday", 4],
    ["Wednesday", 1],
    ["Thursday", 0],
    ["Friday", 0],
    ["Saturday", 0],
    ["Sunday", 0],
]
CASES = [
    ("Who booked most last month?", "who_booked_most", [["Ann Archer", 4], ["Ben Brown", 1]]),
    ("How many no-shows in October?", "count_no_shows", [[1]]),
    ("How many cancellations last month?", "count_cancellations", [[1]]),
    ("How many late cancellations in October?", "count_late", [[1]]),
    ("What is my no-show rate in October?", "no_show_rate", [[20.0, 1, 5]]),
    ("What's the cancellation rate last month?", "cancellation_rate", [[16.7, 1, 6]]),
    ("Which clients haven't been in since September?", "not_since", [["Cara Cole", "2026-08-05"]]),
    ("How many new clients this year?", "count_new_clients", [[3]]),
    ("Who are my new clients in October?", "list_new_clients", [["Ann Archer", "2026-10-06"]]),
    ("How many clients came last month?", "count_clients", [[2]]),
    ("How many sessions in October?", "count_sessions", [[4]]),
    ("How many bookings in October?", "count_bookings", [[5]]),
    ("How much revenue last month?", "revenue", [["GBP", "220.00"]]),
    (
        "Revenue by service in October",
        "revenue_by_service",
        [["Personal training", "GBP", "200.00"], ["Yoga", "GBP", "20.00"]],
    ),
    (
        "Revenue by month this year",
        "revenue_by_month",
        [
            ["2026-08", "GBP", "50.00"],
            ["2026-09", "GBP", "70.00"],
            ["2026-10", "GBP", "220.00"],
            ["2026-11", "GBP", "100.00"],
        ],
    ),
    ("Average booking value in October", "average_value", [["GBP", "44.00"]]),
    ("Bookings by service in October", "by_service", [["Personal training", 4], ["Yoga", 1]]),
    ("Bookings by weekday in October", "by_weekday", WEEKDAYS),
    ("What is my busiest day in October?", "busiest_day", [["Tuesday", 4]]),
    ("What is my busiest hour in October?", "busiest_hour", [["10:00", 5]]),
    ("Who cancels most this year?", "who_cancels_most", [["Ben Brown", 1]]),
    ("Who misses most sessions this year?", "who_no_shows_most", [["Ann Archer", 1]]),
    (
        "Which clients are at risk?",
        "at_risk",
        [["Ben Brown", "usually every 18 days; last session 42 days ago; no booking ahead."]],
    ),
    (
        "Which clients have lapsed?",
        "lapsed",
        [["Cara Cole", "came once; last session 105 days ago; no booking ahead."]],
    ),
    (
        "When did Ann Archer last come?",
        "client_last_visit",
        [["Ann Archer", "Tue 03 Nov 2026 10:00"]],
    ),
    (
        "When is Ann's next session?",
        "client_next",
        [["Ann Archer", "Tue 24 Nov 2026 10:00", "Personal training"]],
    ),
    ("How many sessions did Ben Brown have this year?", "count_sessions", [[3]]),
    ("How many sessions of Yoga in October?", "count_sessions", [[1]]),
    ("What share of clients came back this year?", "repeat_rate", [[66.7, 3]]),
    ("How many upcoming bookings this month?", "count_upcoming", [[1]]),
    (
        "What is booked next week?",
        "list_bookings",
        [["Tue 24 Nov 10:00", "Ann Archer", "Personal training", "confirmed"]],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("question", "key", "rows"), CASES, ids=[c[0] for c in CASES])
def test_each_pattern_answers_right(practice, question, key, rows):
    with time_machine.travel(NOW, tick=False):
        body = practice.post("/api/v1/assistant/ask", {"question": question}, format="json").json()
    assert body["source"] == "pattern" and body["outcome"] == "answered"
    assert body["rows"] == rows
    assert "sql" not in body


def test_the_library_is_large_and_every_pattern_is_tested():
    assert len(patterns.PATTERNS) >= 25
    tested = {key for _, key, _ in CASES}
    assert tested == {p.key for p in patterns.PATTERNS} - {"utilisation"}


@pytest.mark.django_db
def test_utilisation_and_understood(practice):
    with time_machine.travel(NOW, tick=False):
        body = practice.post(
            "/api/v1/assistant/ask", {"question": "How full were my hours lately?"}
        ).json()
        booked = practice.post(
            "/api/v1/assistant/ask", {"question": "Who booked most last month?"}
        ).json()
    assert len(body["rows"]) == 12 and all(r[1] is None for r in body["rows"])  # no weekly hours
    assert booked["understood"] == "Clients by number of bookings, last month"
    assert booked["chart"] == {
        "type": "bar",
        "label": "Bookings",
        "labels": ["Ann Archer", "Ben Brown"],
        "values": [4, 1],
    }


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("in october", "2026-10-01", "2026-10-31"),
        ("in december", "2025-12-01", "2025-12-31"),
        ("in march 2024", "2024-03-01", "2024-03-31"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("this year", "2026-01-01", "2026-12-31"),
        ("last year", "2025-01-01", "2025-12-31"),
        ("last week", "2026-11-09", "2026-11-15"),
        ("since september", "2026-09-01", "2026-11-18"),
        ("the last 30 days", "2026-10-20", "2026-11-18"),
        ("in 2025", "2025-01-01", "2025-12-31"),
        ("yesterday", "2026-11-17", "2026-11-17"),
    ],
)
def test_periods(text, first, last):
    from datetime import date

    period, _, _ = parse_period(text, today=date(2026, 11, 18), tz="Europe/London")
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)


@pytest.mark.django_db
def test_suggestions_page_history_and_unknown_questions(practice, alice, client, bob):
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/insights/assistant/")
        asked = client.post("/insights/assistant/", {"question": "Who booked most last month?"})
        unknown = practice.post(
            "/api/v1/assistant/ask", {"question": "What is the meaning of life?"}
        ).json()
        empty = practice.post("/api/v1/assistant/ask", {"question": "  "})
        wrong = practice.post("/api/v1/assistant/ask", {"question": ["x"]}, format="json")
        history = practice.get("/api/v1/assistant/history").json()
        bobs = api_client_for(bob).get("/api/v1/assistant/history").json()
        log = client.get("/insights/assistant/history/")
    html = page.content.decode()
    assert 'data-suggestion="Who booked most last month?"' in html
    # The named client is the one seen most recently (Ann, on 3 November).
    assert 'data-suggestion="When did Ann Archer last come?"' in html
    assert "Ann Archer" in asked.content.decode()
    assert unknown["outcome"] == "not_understood" and unknown["rows"] == []
    assert empty.status_code == 400 and empty.json() == {"question": ["Type a question."]}
    assert wrong.status_code == 400
    assert [h["question"] for h in history["results"]] == [
        "What is the meaning of life?",
        "Who booked most last month?",
    ]
    assert bobs["results"] == []
    assert "What is the meaning of life?" in log.content.decode()
