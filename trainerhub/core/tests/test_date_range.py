"""Every date the product accepts lies in 1900..2200: the issue's list of today's 500s, each
with its one right answer, and nothing written on the way (SQLite and PostgreSQL).

PostgreSQL is where "0001-01-01T00:00:00+05:00" was stored as a BC timestamp that Python
could not read back; near 9999 the slot engine's day arithmetic overflowed on both.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from trainerhub.core.tests.factories import (
    local_at,
    make_booking,
    make_client,
    make_service,
    open_every_day,
)
from trainerhub.core.validation import (
    BAD_DAY,
    OUT_OF_RANGE,
    day_from_text,
    instant_from_text,
    instant_in_range,
)
from trainerhub.portal.models import PortalSettings
from trainerhub.scheduling.models import Booking, TimeOff

pytestmark = pytest.mark.django_db

YEAR_9999 = "9999-12-25T10:00:00+00:00"
YEAR_1 = "0001-01-01T00:00:00+05:00"
DAY_MESSAGE = "Use a date (YYYY-MM-DD) or an ISO 8601 date and time."


@pytest.fixture
def alice_web(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def practice(alice):
    open_every_day(alice)
    service = make_service(alice, bookable_online=True)
    client = make_client(alice, "Carol", email="carol@example.com")
    booking = make_booking(client, local_at(alice, 3, "10:00"), service=service)
    PortalSettings.objects.update_or_create(trainer=alice, defaults={"enabled": True})
    return {"service": service, "client": client, "booking": booking}


def api_cases(p):
    s, c, b = p["service"].pk, p["client"].pk, p["booking"].pk
    return [
        ("get", "/api/v1/bookings/?to=9999-12-31", None, {"to": [OUT_OF_RANGE]}),
        ("get", "/api/v1/bookings/?from=2026-13-45", None, {"from": [DAY_MESSAGE]}),
        (
            "get",
            f"/api/v1/bookings/?from={YEAR_1.replace('+', '%2B')}",
            None,
            {"from": [OUT_OF_RANGE]},
        ),
        ("get", f"/api/v1/slots/?service={s}&from=9999-12-25", None, {"from": [OUT_OF_RANGE]}),
        ("get", f"/api/v1/slots/?service={s}&to=0001-01-01", None, {"to": [OUT_OF_RANGE]}),
        (
            "post",
            "/api/v1/bookings/",
            {"client": c, "service": s, "start": YEAR_9999},
            {"start": [OUT_OF_RANGE]},
        ),
        (
            "post",
            f"/api/v1/bookings/{b}/reschedule",
            {"start": YEAR_9999},
            {"start": [OUT_OF_RANGE]},
        ),
        (
            "post",
            "/api/v1/bookings/recurring",
            {"client": c, "service": s, "start": YEAR_9999, "count": 3},
            {"start": [OUT_OF_RANGE]},
        ),
        (
            "post",
            "/api/v1/bookings/recurring",
            {"client": c, "service": s, "start": "2030-01-07T10:00:00Z", "until": "9999-12-31"},
            {"until": [OUT_OF_RANGE]},
        ),
        (
            "post",
            "/api/v1/availability/time-off/",
            {"start": YEAR_1, "end": "2030-01-01T00:00:00Z"},
            {"start": [OUT_OF_RANGE]},
        ),
        (
            "post",
            "/api/v1/availability/overrides/",
            {"date": "9999-12-31", "closed": True},
            {"date": [OUT_OF_RANGE]},
        ),
    ]


def test_every_trainer_api_surface_answers_400_naming_the_field(alice_api, practice):
    bookings, time_off = Booking.objects.count(), TimeOff.objects.count()
    for method, url, body, expected in api_cases(practice):
        response = getattr(alice_api, method)(url, body, format="json")
        assert (response.status_code, response.json()) == (400, expected), (method, url)
    assert (Booking.objects.count(), TimeOff.objects.count()) == (bookings, time_off)


def test_public_api_surfaces_answer_400_naming_the_field(anon_api, practice):
    s = practice["service"].pk
    response = anon_api.get(f"/api/v1/public/alice/slots?service={s}&from=9999-12-25")
    assert (response.status_code, response.json()) == (400, {"from": [OUT_OF_RANGE]})
    body = {
        "service": s,
        "start": YEAR_9999,
        "first_name": "Mallory",
        "last_name": "M",
        "email": "mallory@example.com",
    }
    count = Booking.objects.count()
    response = anon_api.post("/api/v1/public/alice/bookings", body, format="json")
    assert (response.status_code, response.json()) == (400, {"start": [OUT_OF_RANGE]})
    assert Booking.objects.count() == count


def test_the_time_off_of_year_one_is_refused_and_the_trainer_keeps_working(
    alice_api, alice_web, practice
):
    body = {"start": YEAR_1, "end": "0001-01-02T00:00:00+05:00"}
    response = alice_api.post("/api/v1/availability/time-off/", body, format="json")
    assert response.status_code == 400
    assert not TimeOff.objects.exists()
    for url in (
        "/api/v1/availability/time-off/",
        "/api/v1/bookings/",
        f"/api/v1/slots/?service={practice['service'].pk}",
    ):
        assert alice_api.get(url).status_code == 200, url
    assert alice_web.get("/").status_code == 200  # the dashboard


def test_calendar_events_refuse_year_one(alice_web, practice):
    response = alice_web.get(
        "/scheduling/calendar/events/",
        {"start": "0001-01-01T00:00:00", "end": "0001-01-08T00:00:00"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Give start and end as ISO 8601 dates."}


def test_the_new_booking_page_ignores_a_start_of_year_one(alice_web, practice):
    response = alice_web.get("/scheduling/bookings/new/", {"start": "0001-01-01T00:00:00"})
    assert response.status_code == 200
    assert "start" not in response.context["form"].initial
    start_input = response.content.decode().split('name="start"', 1)[1].split(">", 1)[0]
    assert 'value=""' in start_input


def test_the_new_booking_page_refuses_year_9999_next_to_the_field(alice_web, practice):
    response = alice_web.post(
        "/scheduling/bookings/new/",
        {
            "client": practice["client"].pk,
            "service": practice["service"].pk,
            "start": "9999-12-31T10:00",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"start": [OUT_OF_RANGE]}
    assert Booking.objects.count() == 1


def test_the_time_off_page_refuses_year_one_next_to_the_field(alice_web, practice):
    response = alice_web.post(
        "/scheduling/settings/time-off/", {"start": "0001-01-01T00:00", "end": "2030-01-01T00:00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start"] == [OUT_OF_RANGE]
    assert not TimeOff.objects.exists()


def test_the_public_details_page_sends_a_start_of_year_9999_back_to_the_picker(client, practice):
    s = practice["service"].pk
    response = client.get(
        "/book/alice/details/", {"service": s, "start": "9999-12-31T23:00:00+00:00"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/book/alice/?service={s}&tz=Europe%2FLondon"


def test_the_public_picker_ignores_a_day_of_year_9999(client, practice):
    s = practice["service"].pk
    response = client.get("/book/alice/", {"service": s, "date": "9999-12-31", "month": "9999-12"})
    assert response.status_code == 200


def test_the_dashboard_ignores_a_period_of_year_9999(alice_web, practice):
    assert alice_web.get("/", {"from": "9999-12-31", "to": "0001-01-01"}).status_code == 200


# --- the rule itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("1900-01-01T00:00:00Z", True),
        ("1899-12-31T23:59:59Z", False),
        ("1900-01-01T00:30:00+01:00", False),  # 1899-12-31T23:30 UTC
        ("2200-12-31T23:59:59Z", True),
        ("2200-12-31T23:30:00-01:00", False),  # 2201-01-01T00:30 UTC
        (YEAR_1, False),
        ("9999-12-31T23:59:59-05:00", False),
    ],
)
def test_the_range_of_an_instant_is_read_in_utc(raw, ok):
    assert instant_in_range(datetime.fromisoformat(raw)) is ok


def test_text_helpers_say_what_is_wrong():
    assert day_from_text("2200-12-31") == date(2200, 12, 31)
    with pytest.raises(ValidationError) as bad:
        day_from_text("2026-13-45")
    assert bad.value.messages == [BAD_DAY]
    with pytest.raises(ValidationError) as far:
        instant_from_text("9999-01-01T00:00:00Z")
    assert far.value.messages == [OUT_OF_RANGE]
