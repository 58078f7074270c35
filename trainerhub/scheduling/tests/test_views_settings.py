"""Settings pages: weekly hours, date overrides, time off, services."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from trainerhub.scheduling.models import DateOverride, Service, TimeOff, WeeklyInterval
from trainerhub.scheduling.tests.factories import make_service

pytestmark = pytest.mark.django_db

PAGES = [
    "scheduling:hours",
    "scheduling:overrides",
    "scheduling:time_off",
    "scheduling:services",
    "scheduling:service_create",
]


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_a_signed_in_trainer(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_with_the_settings_nav(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'aria-label="Settings"' in response.content


def test_a_client_account_gets_404(client, alice):
    from trainerhub.accounts.models import User

    user = User.objects.create_user("c@example.com", "pw-long-enough-1", name="C", role="client")
    client.force_login(user)
    assert client.get(reverse("scheduling:hours")).status_code == 404


def test_hours_add_and_remove_with_htmx(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:hours_add"),
        {"weekday": 0, "start": "09:00", "end": "12:00", "service": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"09:00" in response.content and b'id="day-0"' in response.content
    interval = WeeklyInterval.objects.get(trainer=alice)
    assert (interval.weekday, interval.start, interval.end) == (0, time(9), time(12))
    response = client.post(
        reverse("scheduling:hours_delete", args=[interval.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert not WeeklyInterval.objects.filter(trainer=alice).exists()


def test_hours_reject_an_end_before_the_start(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:hours_add"),
        {"weekday": 2, "start": "12:00", "end": "09:00"},
        HTTP_HX_REQUEST="true",
    )
    assert b"The end must be after the start." in response.content
    assert not WeeklyInterval.objects.exists()


def test_hours_without_htmx_redirect_with_a_message(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:hours_add"),
        {"weekday": 4, "start": "07:00", "end": "10:00"},
        follow=True,
    )
    assert b"Added hours on Friday." in response.content


def test_hours_page_queries_do_not_grow_with_intervals(
    client, alice, django_assert_max_num_queries
):
    pt = make_service(alice)
    for weekday in range(7):
        for hour in (7, 12, 17):
            WeeklyInterval.objects.create(
                trainer=alice, weekday=weekday, start=time(hour), end=time(hour + 3), service=pt
            )
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("scheduling:hours"))
    assert response.content.count(b"Personal training only") == 21


def test_override_closed_and_custom(client, alice):
    client.force_login(alice)
    day = date.today() + timedelta(days=10)
    response = client.post(
        reverse("scheduling:overrides"), {"date": day.isoformat(), "closed": "on"}, follow=True
    )
    assert b"Saved the hours of" in response.content
    assert DateOverride.objects.get(trainer=alice, date=day).closed
    client.post(
        reverse("scheduling:overrides"),
        {"date": day.isoformat(), "intervals": "10:00-12:00, 14:00-16:30"},
    )
    override = DateOverride.objects.get(trainer=alice, date=day)
    assert not override.closed
    assert override.intervals == [
        {"start": "10:00", "end": "12:00"},
        {"start": "14:00", "end": "16:30"},
    ]


@pytest.mark.parametrize(
    "intervals, message",
    [("", "Give the hours of that day"), ("10-", "is not an interval"), ("12:00-10:00", "end")],
)
def test_override_rejects_bad_intervals(client, alice, intervals, message):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:overrides"), {"date": "2030-01-02", "intervals": intervals}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DateOverride.objects.exists()


def test_time_off_is_read_in_the_trainers_zone(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:time_off"),
        {"start": "2030-07-01T09:00", "end": "2030-07-01T12:00", "reason": "Dentist"},
        follow=True,
    )
    assert b"Time off added" in response.content
    off = TimeOff.objects.get(trainer=alice)
    # London is UTC+1 in July.
    assert off.start.isoformat() == "2030-07-01T08:00:00+00:00"
    response = client.post(reverse("scheduling:time_off_delete", args=[off.pk]), follow=True)
    assert b"Time off removed." in response.content
    assert not TimeOff.objects.exists()


def test_time_off_rejects_an_end_before_the_start(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:time_off"), {"start": "2030-07-01T12:00", "end": "2030-07-01T09:00"}
    )
    assert response.status_code == 400
    assert b"The end must be after the start." in response.content


def _service_data(**overrides):
    data = {
        "name": "Boxing",
        "description": "",
        "duration_minutes": 45,
        "price": "40.00",
        "currency": "GBP",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "slot_interval_minutes": "",
        "capacity": 1,
        "min_notice_minutes": 60,
        "max_advance_days": 60,
        "max_per_day": "",
        "location": "Gym",
        "color": "#ff0000",
        "bookable_online": "on",
    }
    data.update(overrides)
    return data


def test_service_create_edit_deactivate(client, alice):
    client.force_login(alice)
    response = client.post(reverse("scheduling:service_create"), _service_data(), follow=True)
    assert "Service “Boxing” added." in response.content.decode()
    assert b"data-confirm" in response.content  # deactivating asks first
    service = Service.objects.get(trainer=alice)
    assert (service.duration_minutes, service.buffer_after_minutes) == (45, 15)
    response = client.post(
        reverse("scheduling:service_edit", args=[service.pk]),
        _service_data(name="Boxing 1:1", capacity=3),
        follow=True,
    )
    service.refresh_from_db()
    assert (service.name, service.capacity) == ("Boxing 1:1", 3)
    response = client.post(reverse("scheduling:service_deactivate", args=[service.pk]), follow=True)
    assert "no longer bookable" in response.content.decode()
    service.refresh_from_db()
    assert not service.is_active


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("duration_minutes", 2, "greater than or equal to 5"),
        ("duration_minutes", 600, "less than or equal to 480"),
        ("color", "red", "#3b82f6"),
        ("name", "", "required"),
        ("price", "-1", "greater than or equal to 0"),
        ("buffer_after_minutes", 999, "less than or equal to 240"),
    ],
)
def test_service_form_rejects_bad_input(client, alice, field, value, message):
    client.force_login(alice)
    response = client.post(reverse("scheduling:service_create"), _service_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Service.objects.exists()


def test_bob_gets_404_on_alices_settings_objects(client, alice, bob):
    service = make_service(alice)
    interval = WeeklyInterval.objects.create(trainer=alice, weekday=1, start=time(9), end=time(10))
    override = DateOverride.objects.create(trainer=alice, date=date(2030, 1, 1), closed=True)
    from datetime import UTC, datetime

    off = TimeOff.objects.create(
        trainer=alice,
        start=datetime(2030, 1, 1, 9, tzinfo=UTC),
        end=datetime(2030, 1, 1, 10, tzinfo=UTC),
    )
    client.force_login(bob)
    urls = [
        ("get", reverse("scheduling:service_edit", args=[service.pk])),
        ("post", reverse("scheduling:service_edit", args=[service.pk])),
        ("post", reverse("scheduling:service_deactivate", args=[service.pk])),
        ("post", reverse("scheduling:hours_delete", args=[interval.pk])),
        ("post", reverse("scheduling:override_delete", args=[override.pk])),
        ("post", reverse("scheduling:time_off_delete", args=[off.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert WeeklyInterval.objects.filter(pk=interval.pk).exists()
    assert DateOverride.objects.filter(pk=override.pk).exists()
    assert TimeOff.objects.filter(pk=off.pk).exists()
    service.refresh_from_db()
    assert service.is_active
