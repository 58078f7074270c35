"""Fetching a calendar from a local stand-in host: conditional GET, failures shown with the
last good read kept, the worker's schedule, and the SSRF guard."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from trainerhub.calendars import services
from trainerhub.calendars.fetching import FetchError, check_host, masked, normalise_url
from trainerhub.calendars.tests.ics_builder import ics
from trainerhub.calendars.tests.server import Route
from trainerhub.core.errors import InvalidInput
from trainerhub.core.tests.factories import local_at
from trainerhub.notifications.worker import tick
from trainerhub.scheduling.models import ExternalBusy

pytestmark = pytest.mark.django_db

SECRET = "/calendar/ical/alice%40example.com/private-5ecre7t0ken/basic.ics"


def busy_of(row):
    return list(
        ExternalBusy.objects.filter(calendar_id=row.pk)
        .order_by("start")
        .values_list("start", "end")
    )


@pytest.fixture
def dentist(alice):
    return (local_at(alice, 2, "10:00"), local_at(alice, 2, "11:30"))


@pytest.fixture
def connected(alice, calendar_host, dentist):
    calendar_host.routes[SECRET] = Route(body=ics(dentist), etag='"v1"')
    row = services.subscription_create(trainer=alice, name="Family", url=calendar_host.url(SECRET))
    assert services.subscription_refresh(subscription=row) is True
    return row


def test_first_read_stores_the_busy_ranges(connected, dentist):
    connected.refresh_from_db()
    assert busy_of(connected) == [dentist]
    assert connected.busy_count == 1 and connected.last_error == ""
    assert connected.etag == '"v1"' and connected.last_success_at is not None


def test_second_read_is_conditional_and_a_304_keeps_the_data(connected, calendar_host, dentist):
    later = timezone.now() + timedelta(minutes=11)
    assert services.subscription_refresh(subscription=connected, now=later) is True
    assert calendar_host.requests[-1]["if-none-match"] == '"v1"'
    connected.refresh_from_db()
    assert busy_of(connected) == [dentist]
    assert connected.last_success_at == later


def test_a_changed_calendar_replaces_its_ranges(alice, connected, calendar_host):
    moved = (local_at(alice, 3, "08:00"), local_at(alice, 3, "09:00"))
    calendar_host.routes[SECRET] = Route(body=ics(moved), etag='"v2"')
    assert services.subscription_refresh(subscription=connected) is True
    assert busy_of(connected) == [moved]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=401, body=b"Unauthorized"), "refused access (HTTP 401)"),
        (Route(status=404, body=b"Gone"), "not found (HTTP 404)"),
        (Route(body=b"<html>Sign in</html>", content_type="text/html"), "not an iCalendar"),
        (Route(status=500, body=b"oops"), "answered HTTP 500"),
        (Route(body=b"BEGIN:VCALENDAR\r\n", delay=2.5), "did not answer in time"),
        (Route(body=b"BEGIN:VCALENDAR\r\n" + b"X" * 3_000_000), "larger than 2 MB"),
    ],
    ids=["401", "404", "html", "500", "timeout", "too-large"],
)
def test_a_failure_keeps_the_last_good_data(
    connected, calendar_host, dentist, route, message, settings, caplog
):
    settings.CALENDAR_MAX_BYTES = 2 * 1024 * 1024
    good = connected.last_success_at
    calendar_host.routes[SECRET] = route
    later = timezone.now() + timedelta(minutes=11)
    with caplog.at_level(logging.WARNING, logger="trainerhub.calendars"):
        assert services.subscription_refresh(subscription=connected, now=later) is False
    connected.refresh_from_db()
    assert message in connected.last_error
    assert connected.last_success_at == good and connected.last_attempt_at == later
    assert busy_of(connected) == [dentist]
    # The worker's log names the calendar by its masked address: the secret is not in it.
    record = caplog.records[-1]
    assert record.calendar_id == connected.pk and record.url.endswith("/…0ken")
    assert "5ecre7t0ken" not in caplog.text


def test_the_worker_tick_reads_due_calendars_only(alice, calendar_host, dentist, settings):
    settings.CALENDAR_FETCH_MINUTES = 10
    calendar_host.routes[SECRET] = Route(body=ics(dentist), etag='"v1"')
    row = services.subscription_create(trainer=alice, name="Family", url=calendar_host.url(SECRET))
    paused = services.subscription_create(
        trainer=alice, name="Paused", url=calendar_host.url("/paused.ics"), is_active=False
    )
    now = timezone.now()
    tick(now=now)
    assert busy_of(row) == [dentist] and len(calendar_host.requests) == 1
    tick(now=now + timedelta(minutes=9))  # not due yet
    assert len(calendar_host.requests) == 1
    tick(now=now + timedelta(minutes=10))
    assert len(calendar_host.requests) == 2 and calendar_host.requests[1]["path"] == SECRET
    assert busy_of(paused) == []


def test_pausing_or_removing_a_calendar_drops_its_ranges(connected):
    services.subscription_update(subscription=connected, is_active=False)
    assert busy_of(connected) == [] and connected.last_success_at is None
    services.subscription_update(subscription=connected, is_active=True)
    assert services.subscription_refresh(subscription=connected) is True
    assert len(busy_of(connected)) == 1
    pk = connected.pk
    services.subscription_delete(subscription=connected)
    assert not ExternalBusy.objects.filter(calendar_id=pk).exists()


def test_a_redirect_is_followed(alice, calendar_host, dentist):
    calendar_host.routes["/new.ics"] = Route(body=ics(dentist))
    calendar_host.routes["/old.ics"] = Route(status=301, location="/new.ics")
    row = services.subscription_create(
        trainer=alice, name="Moved", url=calendar_host.url("/old.ics")
    )
    assert services.subscription_refresh(subscription=row) is True
    assert busy_of(row) == [dentist]


# --- addresses -------------------------------------------------------------------------------


def test_webcal_becomes_https_and_the_address_is_shown_masked(settings):
    settings.CALENDAR_ALLOW_PRIVATE = False
    url = normalise_url("  webcal://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5abcd ")
    assert url == "https://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5abcd"
    assert masked(url) == "https://p42-caldav.icloud.com/…abcd"
    google = "https://calendar.google.com/calendar/ical/a%40b.c/private-0123456789ab/basic.ics"
    assert masked(google) == "https://calendar.google.com/…89ab"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://calendar.example.com/a.ics", "plain http is not accepted"),
        ("ftp://calendar.example.com/a.ics", "https:// or webcal://"),
        ("https:///a.ics", "no host name"),
        ("calendar.example.com/a.ics", "https:// or webcal://"),
    ],
)
def test_bad_addresses_are_refused_at_once(alice, settings, url, message):
    settings.CALENDAR_ALLOW_PRIVATE = False
    with pytest.raises(InvalidInput) as caught:
        services.subscription_create(trainer=alice, name="X", url=url)
    assert message in caught.value.errors["url"][0]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/a.ics",
        "https://localhost/a.ics",
        "https://10.1.2.3/a.ics",
        "https://192.168.0.10/a.ics",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/a.ics",
        "https://0.0.0.0/a.ics",
    ],
)
def test_private_and_local_addresses_are_refused(settings, url):
    settings.CALENDAR_ALLOW_PRIVATE = False
    with pytest.raises(FetchError, match="private or local address"):
        check_host(url)


def test_a_private_address_fails_visibly_not_silently(alice, settings):
    settings.CALENDAR_ALLOW_PRIVATE = False
    row = services.subscription_create(trainer=alice, name="LAN", url="https://127.0.0.1/x.ics")
    assert services.subscription_refresh(subscription=row) is False
    row.refresh_from_db()
    assert row.last_error == "The host 127.0.0.1 is a private or local address."


def test_a_redirect_to_a_private_address_is_refused(alice, calendar_host, settings, monkeypatch):
    # The first hop is allowed (as if public); the redirect to the metadata address is not.
    calendar_host.routes["/hop.ics"] = Route(status=302, location="https://169.254.169.254/x")
    row = services.subscription_create(trainer=alice, name="Hop", url=calendar_host.url("/hop.ics"))
    from trainerhub.calendars import fetching

    real = fetching.check_host

    def guard(url):
        if "169.254" in url:
            settings.CALENDAR_ALLOW_PRIVATE = False
        real(url)

    monkeypatch.setattr(fetching, "check_host", guard)
    assert services.subscription_refresh(subscription=row) is False
    row.refresh_from_db()
    assert row.last_error == "The host 169.254.169.254 is a private or local address."
