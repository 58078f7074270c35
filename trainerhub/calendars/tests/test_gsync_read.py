"""Reading connected Google / Microsoft calendars as busy times: incremental sync (sync token,
delta link), 410 Gone → full read, free / transparent events and our own events never busy,
tokens refreshed before expiry and after a 401, a refused refresh → "reconnect needed", errors
recorded with the last good data kept; against the local stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainerhub.calendars import services, sync
from trainerhub.calendars.models import Connection
from trainerhub.calendars.tests.ics_builder import ics
from trainerhub.calendars.tests.server import Route
from trainerhub.calendars.tests.sync_support import (
    connect_directly,
    primary_calendar,
    provider_fixture,  # noqa: F401 - the `provider` fixture
)
from trainerhub.core import periodic
from trainerhub.core.tests.factories import local_at, make_service, open_every_day
from trainerhub.scheduling.models import ExternalBusy

pytestmark = pytest.mark.django_db
BOTH = pytest.mark.parametrize("name", ["google", "microsoft"])


def _busy(trainer) -> list[tuple[datetime, datetime]]:
    return [
        (s.astimezone(UTC), e.astimezone(UTC))
        for s, e in ExternalBusy.objects.filter(trainer=trainer)
        .order_by("start")
        .values_list("start", "end")
    ]


def _utc(*pair: datetime) -> tuple[datetime, ...]:
    return tuple(p.astimezone(UTC) for p in pair)


@BOTH
def test_busy_events_block_and_free_or_own_ones_do_not(alice, alice_api, provider, name):
    open_every_day(alice)
    cid = primary_calendar(provider, name)
    busy = (local_at(alice, 2, "10:00"), local_at(alice, 2, "11:30"))
    provider.put(cid, "dentist", *busy, summary="Dentist")
    provider.put(cid, "lunch", local_at(alice, 2, "14:00"), local_at(alice, 2, "15:00"), free=True)
    provider.put(
        cid, "ours", local_at(alice, 2, "16:00"), local_at(alice, 2, "17:00"), booking="999"
    )
    day3 = local_at(alice, 3, "00:00")
    provider.put(cid, "holiday", day3.date(), (day3 + timedelta(days=1)).date())
    row = connect_directly(alice, provider, name)
    assert sync.connection_sync(connection=row)
    # The all-day event spans the trainer's whole local day.
    assert _busy(alice) == [_utc(*busy), _utc(day3, local_at(alice, 4, "00:00"))]
    service = make_service(alice, duration_minutes=60)
    day = busy[0].date().isoformat()
    res = alice_api.get("/api/v1/slots/", {"service": service.pk, "from": day, "to": day})
    starts = {datetime.fromisoformat(s["start"]).strftime("%H:%M") for s in res.json()["slots"]}
    assert {"09:00", "12:00", "14:00", "16:00"} <= starts
    assert not {"10:00", "11:00"} & starts
    row.refresh_from_db()
    assert row.last_error == "" and row.last_success_at is not None


@BOTH
def test_a_second_read_asks_only_for_the_changes(alice, provider, name):
    cid = primary_calendar(provider, name)
    first = (local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    provider.put(cid, "a", *first)
    row = connect_directly(alice, provider, name)
    assert sync.connection_sync(connection=row)
    provider.change(cid, "a", deleted=True)
    second = (local_at(alice, 5, "08:00"), local_at(alice, 5, "09:00"))
    provider.put(cid, "b", *second)
    provider.requests.clear()
    assert sync.connection_sync(connection=row)
    (read,) = [r for r in provider.requests if r["method"] == "GET"]
    token_param = "syncToken" if name == "google" else "$deltatoken"
    assert token_param in read["query"]
    assert _busy(alice) == [_utc(*second)]


@BOTH
def test_an_expired_sync_token_reads_everything_again(alice, provider, name):
    cid = primary_calendar(provider, name)
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    row = connect_directly(alice, provider, name)
    assert sync.connection_sync(connection=row)
    provider.expire_sync_tokens()
    provider.put(cid, "b", local_at(alice, 3, "10:00"), local_at(alice, 3, "11:00"))
    provider.requests.clear()
    assert sync.connection_sync(connection=row)
    reads = [r["query"] for r in provider.requests if r["method"] == "GET"]
    full_param = "timeMin" if name == "google" else "startDateTime"
    assert len(reads) == 2 and full_param not in reads[0] and full_param in reads[1]
    assert len(_busy(alice)) == 2


@BOTH
def test_every_page_is_read(alice, provider, name):
    cid = primary_calendar(provider, name)
    provider.page_size = 2
    for n in range(5):
        provider.put(cid, f"e{n}", local_at(alice, 2 + n, "10:00"), local_at(alice, 2 + n, "11:00"))
    row = connect_directly(alice, provider, name)
    provider.requests.clear()
    assert sync.connection_sync(connection=row)
    assert len(_busy(alice)) == 5
    assert len(provider.calls("GET", "/")) == 3  # 2 + 2 + 1


def test_a_token_about_to_expire_is_refreshed_first(alice, provider):
    primary_calendar(provider, "google")
    provider.expires_in = 60  # inside the two minutes ahead
    row = connect_directly(alice, provider, "google")
    provider.requests.clear()
    provider.expires_in = 3600
    assert sync.connection_sync(connection=row)
    assert next(r["method"] + " " + r["path"] for r in provider.requests) == "POST /token"
    assert "grant_type=refresh_token" in provider.requests[0]["body"]
    row.refresh_from_db()
    assert row.expires_at > datetime.now(UTC) + timedelta(minutes=50)


@BOTH
def test_a_401_refreshes_once_and_goes_on(alice, provider, name):
    cid = primary_calendar(provider, name)
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    row = connect_directly(alice, provider, name)
    provider.expire_access_tokens()  # the provider dropped it before its time
    assert sync.connection_sync(connection=row)
    assert len([r for r in provider.calls("POST", "/token") if "refresh_token" in r["body"]]) == 1
    assert len(_busy(alice)) == 1


@BOTH
def test_a_refused_refresh_asks_to_reconnect_and_keeps_the_busy_times(alice, provider, name):
    cid = primary_calendar(provider, name)
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    row = connect_directly(alice, provider, name)
    assert sync.connection_sync(connection=row)
    good = row.last_success_at
    provider.refresh_tokens.clear()  # revoked by the trainer at Google / Microsoft
    provider.expire_access_tokens()
    assert not sync.connection_sync(connection=row)
    row.refresh_from_db()
    assert row.status == Connection.Status.RECONNECT
    assert "connect it again" in row.last_error
    assert row.last_success_at == good and len(_busy(alice)) == 1
    # Nothing more is tried until the trainer reconnects.
    provider.requests.clear()
    assert sync.sync_due(now=datetime.now(UTC) + timedelta(hours=1)) == 0
    assert provider.requests == []


def test_a_server_error_is_recorded_and_the_last_good_data_kept(alice, provider):
    cid = primary_calendar(provider, "google")
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    row = connect_directly(alice, provider, "google")
    assert sync.connection_sync(connection=row)
    provider.fail("GET", "/events", 500)
    assert not sync.connection_sync(connection=row)
    row.refresh_from_db()
    assert row.last_error == "Google Calendar answered HTTP 500."
    assert len(_busy(alice)) == 1
    assert sync.connection_sync(connection=row)  # it passes
    row.refresh_from_db()
    assert row.last_error == ""


def test_the_worker_reads_on_the_ics_schedule(alice, provider, settings):
    cid = primary_calendar(provider, "google")
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    connect_directly(alice, provider, "google")
    assert {"calendars.sync_due", "calendars.push_due"} <= set(periodic.names())
    now = datetime.now(UTC)
    assert sync.sync_due(now=now) == 1
    assert sync.sync_due(now=now + timedelta(minutes=1)) == 0
    later = now + timedelta(minutes=settings.CALENDAR_FETCH_MINUTES)
    assert sync.sync_due(now=later) == 1


def test_an_ics_calendar_and_a_connected_one_keep_their_own_busy_times(
    alice, provider, calendar_host
):
    cid = primary_calendar(provider, "google")
    provider.put(cid, "a", local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))
    row = connect_directly(alice, provider, "google")
    assert sync.connection_sync(connection=row)
    calendar_host.routes["/f.ics"] = Route(
        body=ics((local_at(alice, 3, "10:00"), local_at(alice, 3, "11:00")))
    )
    sub = services.subscription_create(trainer=alice, name="F", url=calendar_host.url("/f.ics"))
    assert services.subscription_refresh(subscription=sub)
    assert len(_busy(alice)) == 2
    services.subscription_delete(subscription=sub)
    assert _busy(alice) == [_utc(local_at(alice, 2, "10:00"), local_at(alice, 2, "11:00"))]
