"""CalDAV calendars read from a real CalDAV server (Radicale, started by the test, with
htpasswd authentication): events PUT into a calendar, read with a calendar-query REPORT for
the window, expanded by the same code as ICS addresses; the slot engine refuses those times;
a wrong password, a missing calendar, a silent server and a server that is no CalDAV server
are shown with the last good read kept; the app password never reaches an answer or a log;
an account's address reads all its calendars; private hosts are refused at every hop."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.utils import timezone as django_timezone

from trainerhub.calendars import services
from trainerhub.calendars.models import CalendarSubscription
from trainerhub.calendars.tests.caldav_server import PASSWORD, USER
from trainerhub.calendars.tests.server import Route
from trainerhub.core.tests.factories import local_at, make_client, make_service, open_every_day
from trainerhub.notifications.worker import tick
from trainerhub.scheduling.models import Booking, ExternalBusy

pytestmark = pytest.mark.django_db

CALDAV = CalendarSubscription.Kind.CALDAV
PLUS3 = timezone(timedelta(hours=3))


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _vcalendar(*lines: str) -> str:
    return (
        "\r\n".join(
            ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN", *lines, "END:VCALENDAR"]
        )
        + "\r\n"
    )


def recurring(alice) -> str:
    """Daily at 10:00 London for four days from day 2; day 3 taken out (EXDATE); day 4 moved
    to 15:00 (an override with RECURRENCE-ID)."""
    first, gone, moved = (local_at(alice, d, "10:00") for d in (2, 3, 4))
    return _vcalendar(
        "BEGIN:VEVENT",
        "UID:school-run@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=Europe/London:{_local(first)}",
        f"DTEND;TZID=Europe/London:{_local(first + timedelta(hours=1))}",
        "RRULE:FREQ=DAILY;COUNT=4",
        f"EXDATE;TZID=Europe/London:{_local(gone)}",
        "SUMMARY:School run",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:school-run@example.com",
        "DTSTAMP:20260101T000000Z",
        f"RECURRENCE-ID;TZID=Europe/London:{_local(moved)}",
        f"DTSTART;TZID=Europe/London:{_local(local_at(alice, 4, '15:00'))}",
        f"DTEND;TZID=Europe/London:{_local(local_at(alice, 4, '16:00'))}",
        "SUMMARY:School run (late)",
        "END:VEVENT",
    )


def all_day(alice) -> str:
    day = local_at(alice, 6, "00:00").date()
    return _vcalendar(
        "BEGIN:VEVENT",
        "UID:holiday@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        "SUMMARY:Away",
        "END:VEVENT",
    )


def transparent(alice) -> str:
    return _vcalendar(
        "BEGIN:VEVENT",
        "UID:reminder@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{local_at(alice, 2, '13:00').astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{local_at(alice, 2, '14:00').astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "TRANSP:TRANSPARENT",
        "SUMMARY:Think about taxes (free)",
        "END:VEVENT",
    )


def own_zone(alice) -> tuple[str, tuple[datetime, datetime]]:
    """An event in a zone known only from its own VTIMEZONE (UTC+3, no daylight saving)."""
    day = local_at(alice, 3, "00:00").date()
    start = datetime(day.year, day.month, day.day, 12, 0, tzinfo=PLUS3)
    text = _vcalendar(
        "BEGIN:VTIMEZONE",
        "TZID:TrainerHub Test Zone",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0300",
        "TZNAME:T3",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:dentist@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=TrainerHub Test Zone:{_local(start)}",
        f"DTEND;TZID=TrainerHub Test Zone:{_local(start + timedelta(hours=1))}",
        "SUMMARY:Dentist",
        "END:VEVENT",
    )
    return text, (start.astimezone(UTC), (start + timedelta(hours=1)).astimezone(UTC))


def far_away(alice) -> str:
    start = local_at(alice, 400, "10:00").astimezone(UTC)
    return _vcalendar(
        "BEGIN:VEVENT",
        "UID:next-year@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
        "END:VEVENT",
    )


def busy_of(row) -> list[tuple[datetime, datetime]]:
    return list(
        ExternalBusy.objects.filter(calendar_id=row.pk)
        .order_by("start")
        .values_list("start", "end")
    )


@pytest.fixture
def expected(alice) -> list[tuple[datetime, datetime]]:
    _text, dentist = own_zone(alice)
    return [
        (local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00")),
        dentist,
        (local_at(alice, 4, "15:00"), local_at(alice, 4, "16:00")),
        (local_at(alice, 5, "10:00"), local_at(alice, 5, "11:00")),
        (local_at(alice, 6, "00:00"), local_at(alice, 7, "00:00")),
    ]


@pytest.fixture
def family_url(alice, caldav_host) -> str:
    return caldav_host.make_calendar(
        "family",
        recurring(alice),
        all_day(alice),
        transparent(alice),
        own_zone(alice)[0],
        far_away(alice),
    )


def add_family(alice, url: str) -> CalendarSubscription:
    return services.subscription_create(
        trainer=alice, name="Family", kind=CALDAV, url=url, username=USER, password=PASSWORD
    )


@pytest.fixture
def connected(alice, family_url) -> CalendarSubscription:
    row = add_family(alice, family_url)
    assert services.subscription_refresh(subscription=row) is True, row.last_error
    return row


# --- reading ---------------------------------------------------------------------------------


def test_the_calendar_is_read_and_expanded_like_an_ics_address(connected, expected):
    connected.refresh_from_db()
    # Recurring with EXDATE and an override, own VTIMEZONE, all-day in the trainer's zone;
    # the transparent event and the one beyond the horizon do not block.
    assert busy_of(connected) == expected
    assert connected.busy_count == 5 and connected.last_error == ""
    assert connected.last_success_at is not None


def test_the_app_password_is_stored_encrypted(connected):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT password, url FROM calendars_calendarsubscription WHERE id = %s",
            [connected.pk],
        )
        stored_password, stored_url = cursor.fetchone()
    assert stored_password.startswith("enc1:") and PASSWORD not in stored_password
    assert stored_url.startswith("enc1:")
    connected.refresh_from_db()
    assert connected.password == PASSWORD


def test_an_unchanged_calendar_is_not_queried_again(connected, caldav_host, expected):
    before = len(caldav_host.requests)
    later = django_timezone.now() + timedelta(minutes=11)
    assert services.subscription_refresh(subscription=connected, now=later) is True
    # Its sync token is asked for (a PROPFIND); the REPORT is skipped, the ranges kept.
    methods = [line.split()[0] for line in caldav_host.requests[before:]]
    assert "PROPFIND" in methods and "REPORT" not in methods
    connected.refresh_from_db()
    assert busy_of(connected) == expected and connected.last_success_at == later


def test_a_new_event_is_read_on_the_next_round(alice, connected, caldav_host, expected):
    extra = _vcalendar(
        "BEGIN:VEVENT",
        "UID:physio@example.com",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{local_at(alice, 8, '09:00').astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{local_at(alice, 8, '09:30').astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "END:VEVENT",
    )
    caldav_host.put("family", extra)
    later = django_timezone.now() + timedelta(minutes=11)
    assert services.subscription_refresh(subscription=connected, now=later) is True
    assert busy_of(connected) == [
        *expected,
        (local_at(alice, 8, "09:00"), local_at(alice, 8, "09:30")),
    ]


def test_the_worker_reads_caldav_calendars_on_the_ics_schedule(
    alice, family_url, expected, settings
):
    settings.CALENDAR_FETCH_MINUTES = 10
    row = add_family(alice, family_url)
    now = django_timezone.now()
    tick(now=now)
    row.refresh_from_db()
    assert busy_of(row) == expected and row.last_attempt_at == now
    tick(now=now + timedelta(minutes=9))  # not due yet
    row.refresh_from_db()
    assert row.last_attempt_at == now
    tick(now=now + timedelta(minutes=10))
    row.refresh_from_db()
    assert row.last_attempt_at == now + timedelta(minutes=10) and row.last_error == ""


# --- the slot engine -------------------------------------------------------------------------


def test_the_slots_leave_the_busy_times_out_and_bookings_there_are_refused(
    alice, alice_api, connected
):
    open_every_day(alice)
    service = make_service(alice, duration_minutes=60)
    day = local_at(alice, 2, "00:00").date().isoformat()
    res = alice_api.get("/api/v1/slots/", {"service": service.pk, "from": day, "to": day})
    assert res.status_code == 200, res.json()
    starts = [datetime.fromisoformat(s["start"]).strftime("%H:%M") for s in res.json()["slots"]]
    # Busy 10:00-11:00; the transparent 13:00-14:00 does not block.
    assert "10:00" not in starts and {"09:00", "11:00", "13:00"} <= set(starts)
    assert len(starts) == 14 - 1
    carol = make_client(alice, "Carol")
    payload = {"client": carol.pk, "service": service.pk}
    busy = local_at(alice, 4, "15:00").isoformat()  # the moved occurrence
    res = alice_api.post("/api/v1/bookings/", {**payload, "start": busy}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "time_off"
    free = local_at(alice, 3, "10:00").isoformat()  # the EXDATE occurrence
    res = alice_api.post("/api/v1/bookings/", {**payload, "start": free}, format="json")
    assert res.status_code == 201, res.json()
    assert Booking.objects.count() == 1


# --- failures --------------------------------------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers (a server that hangs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/alice/family/"
    listener.close()
    for conn in held:
        conn.close()


def test_a_wrong_password_is_shown_with_the_last_good_read_kept(
    alice, connected, expected, client, caplog
):
    good = connected.last_success_at
    services.subscription_update(subscription=connected, password="not-the-password")
    later = django_timezone.now() + timedelta(minutes=11)
    with caplog.at_level(logging.WARNING, logger="trainerhub.calendars"):
        assert services.subscription_refresh(subscription=connected, now=later) is False
    connected.refresh_from_db()
    assert connected.last_error == (
        "The server refused the user name or app password (HTTP 401): check them, "
        "or create a new app password in your calendar account."
    )
    assert connected.last_success_at == good and connected.last_attempt_at == later
    assert busy_of(connected) == expected
    assert "not-the-password" not in caplog.text and PASSWORD not in caplog.text
    # The settings page shows the error and the time of the last good read.
    client.force_login(alice)
    page = client.get("/calendars/").content.decode()
    assert "Could not read this calendar:" in page
    assert "The server refused the user name or app password (HTTP 401)" in page
    assert "Last good read" in page and "its busy times still block bookings" in page
    assert "not-the-password" not in page and PASSWORD not in page
    # And the dashboard warns, with the same words.
    dashboard = client.get("/").content.decode()
    assert "A calendar could not be read" in dashboard
    assert "<strong>Family</strong>: The server refused the user name or app password" in dashboard
    assert "those busy times still block bookings" in dashboard


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing", "The calendar was not found (HTTP 404): check the calendar's address."),
        ("silent", "The calendar did not answer in time."),
        ("web-page", "The server's answer is not CalDAV: is this the calendar's CalDAV address?"),
        ("refused", "The server refused the calendar query"),
        ("too-large", "The calendar is larger than 2 MB."),
        ("too-large-chunked", "The calendar is larger than 2 MB."),
    ],
)
def test_other_failures_keep_the_last_good_read(
    connected, expected, caldav_host, silent_server, calendar_host, settings, where, message
):
    settings.CALENDAR_FETCH_TIMEOUT = 2
    calendar_host.routes["/web/"] = Route(body=b"<html>Hello</html>", content_type="text/html")
    calendar_host.routes["/refused/"] = Route(status=405, body=b"Method Not Allowed")
    settings.CALENDAR_MAX_BYTES = 2 * 1024 * 1024
    huge = b"<?xml version='1.0'?>" + b" " * 3_000_000
    calendar_host.routes["/big/"] = Route(body=huge, content_type="application/xml")
    calendar_host.routes["/big-chunked/"] = Route(body=huge, chunked=True)
    url = {
        "missing": caldav_host.calendar_url("nowhere"),
        "silent": silent_server,
        "web-page": calendar_host.url("/web/"),
        "refused": calendar_host.url("/refused/"),
        "too-large": calendar_host.url("/big/"),
        "too-large-chunked": calendar_host.url("/big-chunked/"),
    }[where]
    # A changed address starts afresh, so the row is pointed there in the database alone:
    # what is tested is a calendar that stopped answering at its known address.
    CalendarSubscription.objects.filter(pk=connected.pk).update(url=url)
    connected.refresh_from_db()
    began = time.monotonic()
    assert services.subscription_refresh(subscription=connected) is False
    # A silent server is waited for once (the library's second try fails at once).
    assert time.monotonic() - began < 2 * settings.CALENDAR_FETCH_TIMEOUT - 0.5
    connected.refresh_from_db()
    assert connected.last_error.startswith(message), connected.last_error
    assert busy_of(connected) == expected


# --- the API ---------------------------------------------------------------------------------


def test_the_api_creates_a_caldav_calendar_and_never_answers_the_password(
    alice_api, family_url, expected
):
    res = alice_api.post(
        "/api/v1/calendars/",
        {
            "name": "Family",
            "kind": "caldav",
            "url": family_url,
            "username": USER,
            "password": PASSWORD,
        },
        format="json",
    )
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["kind"] == "caldav" and body["username"] == USER
    assert body["password_masked"] == "••••••••q9zw" and "password" not in body
    pk = body["id"]
    res = alice_api.post(f"/api/v1/calendars/{pk}/refresh")
    assert res.status_code == 200 and res.json()["busy_count"] == len(expected)
    assert PASSWORD not in str(alice_api.get("/api/v1/calendars/").json())


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"kind": "caldav"},
            {
                "username": ["Enter the user name of your calendar account."],
                "password": ["Enter an app password of your calendar account."],
            },
        ),
        (
            {"username": "alice", "password": "x"},
            {
                "username": ["Only a CalDAV calendar has a user name."],
                "password": ["Only a CalDAV calendar has a password."],
            },
        ),
        (
            {
                "kind": "caldav",
                "username": "a",
                "password": "b",
                "url": "https://a:b@dav.example.com/c/",
            },
            {"url": ["Leave the user name and password out of the address."]},
        ),
        ({"kind": "exchange"}, {"kind": ['"exchange" is not a valid choice.']}),
    ],
    ids=["caldav-without-credentials", "ics-with-credentials", "credentials-in-url", "bad-kind"],
)
def test_the_api_refuses_bad_input_by_field(alice_api, payload, errors):
    data = {"name": "Work", "url": "https://dav.example.com/alice/work/", **payload}
    res = alice_api.post("/api/v1/calendars/", data, format="json")
    assert res.status_code == 400
    for field, messages in errors.items():
        assert res.json()[field] == messages, res.json()
    assert not CalendarSubscription.objects.exists()


def test_the_api_changes_the_password_but_not_the_kind(alice_api, connected, expected):
    url = f"/api/v1/calendars/{connected.pk}/"
    res = alice_api.patch(url, {"kind": "ics"}, format="json")
    assert res.status_code == 400
    assert res.json()["kind"] == [
        "The kind of a calendar cannot change: add the other kind as a new one."
    ]
    res = alice_api.patch(url, {"password": "new-app-password"}, format="json")
    assert res.status_code == 200 and res.json()["password_masked"] == "••••••••word"
    connected.refresh_from_db()
    # A new password is the same calendar: what was read stays until the next read.
    assert connected.password == "new-app-password" and busy_of(connected) == expected


def test_another_trainers_caldav_calendar_is_a_404(bob_api, connected):
    assert bob_api.get(f"/api/v1/calendars/{connected.pk}/").status_code == 404
    assert (
        bob_api.patch(
            f"/api/v1/calendars/{connected.pk}/", {"password": "x"}, format="json"
        ).status_code
        == 404
    )


# --- the settings page -----------------------------------------------------------------------


def test_the_page_connects_a_caldav_calendar_and_reads_it(alice, client, family_url, expected):
    client.force_login(alice)
    res = client.post(
        "/calendars/",
        {
            "kind": "caldav",
            "caldav-name": "Family",
            "caldav-url": family_url,
            "caldav-username": USER,
            "caldav-password": PASSWORD,
            "caldav-is_active": "on",
        },
        follow=True,
    )
    page = res.content.decode()
    assert "Connected Family: its busy times now block bookings." in page
    assert "CalDAV · alice" in page and PASSWORD not in page
    row = CalendarSubscription.objects.get()
    assert row.kind == CALDAV and busy_of(row) == expected


def test_the_page_shows_messages_next_to_the_caldav_fields(alice, client):
    client.force_login(alice)
    res = client.post(
        "/calendars/",
        {
            "kind": "caldav",
            "caldav-name": "Work",
            "caldav-url": "ftp://dav.example.com/",
            "caldav-username": "alice",
            "caldav-password": "secret-typed",
        },
    )
    assert res.status_code == 400
    form = res.context["caldav_form"]
    assert form.errors == {"url": ["Use the calendar's https:// or webcal:// address."]}
    assert "secret-typed" not in res.content.decode()  # a password is never shown back
    assert '<details class="action-box mt-4" open>' in res.content.decode()  # unfolded
    assert not res.context["form"].errors  # the ICS form stays untouched
    res = client.post("/calendars/", {"kind": "caldav", "caldav-name": "Work"})
    assert res.status_code == 400
    assert set(res.context["caldav_form"].errors) == {"url", "username", "password"}
    assert not CalendarSubscription.objects.exists()


def test_the_edit_page_keeps_the_password_when_left_empty(alice, client, connected, expected):
    client.force_login(alice)
    page = client.get(f"/calendars/{connected.pk}/").content.decode()
    assert "app password <code>••••••••q9zw</code>" in page and PASSWORD not in page
    res = client.post(
        f"/calendars/{connected.pk}/",
        {"name": "Home", "url": "", "username": USER, "password": "", "is_active": "on"},
    )
    assert res.status_code == 302
    connected.refresh_from_db()
    assert connected.name == "Home" and connected.password == PASSWORD
    assert busy_of(connected) == expected


# --- an account's address --------------------------------------------------------------------


def event_at(alice, uid: str, days: int, start: str, end: str) -> str:
    return _vcalendar(
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{local_at(alice, days, start).astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{local_at(alice, days, end).astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "END:VEVENT",
    )


@pytest.mark.parametrize("address", ["root", "principal"])
def test_an_account_address_reads_every_calendar_of_the_account(alice, caldav_host, address):
    caldav_host.make_calendar("family", event_at(alice, "school@x", 2, "08:00", "09:00"))
    caldav_host.make_calendar("work", event_at(alice, "meeting@x", 3, "16:00", "17:00"))
    url = caldav_host.base if address == "root" else f"{caldav_host.base}{USER}/"
    row = add_family(alice, url)
    assert services.subscription_refresh(subscription=row) is True, row.last_error
    assert busy_of(row) == [
        (local_at(alice, 2, "08:00"), local_at(alice, 2, "09:00")),
        (local_at(alice, 3, "16:00"), local_at(alice, 3, "17:00")),
    ]


def test_an_account_without_calendars_says_so(alice, caldav_host):
    row = add_family(alice, caldav_host.base)
    assert services.subscription_refresh(subscription=row) is False
    row.refresh_from_db()
    assert row.last_error == "No calendar with events was found at this address."


# --- the SSRF guard --------------------------------------------------------------------------


def test_a_private_address_is_refused_before_any_request(alice, settings):
    settings.CALENDAR_ALLOW_PRIVATE = False
    row = add_family(alice, "https://127.0.0.1:8443/alice/family/")
    assert services.subscription_refresh(subscription=row) is False
    row.refresh_from_db()
    assert row.last_error == "The host 127.0.0.1 is a private or local address."


def test_a_redirect_to_a_private_address_is_refused(alice, calendar_host, settings, monkeypatch):
    # The first hop is allowed (as if public); the redirect to the metadata address is not,
    # and is never requested.
    calendar_host.routes["/dav/"] = Route(status=301, location="https://169.254.169.254/dav/")
    from trainerhub.calendars import caldav_reading

    real = caldav_reading.check_host

    def guard(url):
        settings.CALENDAR_ALLOW_PRIVATE = "169.254" not in url
        try:
            real(url)
        finally:
            settings.CALENDAR_ALLOW_PRIVATE = True

    monkeypatch.setattr(caldav_reading, "check_host", guard)
    row = add_family(alice, calendar_host.url("/dav/"))
    assert services.subscription_refresh(subscription=row) is False
    row.refresh_from_db()
    assert row.last_error == "The host 169.254.169.254 is a private or local address."
