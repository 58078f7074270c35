"""Losing a booking race: the loser sees "just taken" with the day's fresh times, on a page
whose own address (and a reload of it) still shows the picker, never a bare 404."""

from __future__ import annotations

import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from trainerhub.portal.tests.conftest import form_data
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
DETAILS = "/book/alice/details/"


def _page_address(html: str) -> str:
    match = re.search(r'data-page-address="([^"]+)"', html)
    assert match, "the 409 page names the address of the fresh times"
    return unescape(match.group(1))


@pytest.mark.parametrize("step", ["review", "confirm"])
def test_loser_sees_taken_and_the_page_address_works(client, service, free_start, step):
    assert client.post(DETAILS, form_data(service, free_start, step="confirm")).status_code == 302
    r = client.post(DETAILS, form_data(service, free_start, step=step, email="dan@example.com"))
    assert r.status_code == 409
    html = r.content.decode()
    assert "that time was just taken" in html
    assert 'data-time="11:00"' in html and 'data-time="10:00"' not in html
    # The zone is known from the form: the page must not reload itself to add ?tz=.
    assert 'data-detect-tz="reload"' not in html
    address = _page_address(html)
    day = free_start.date().isoformat()
    assert address == (
        f"/book/alice/?service={service.pk}&tz=Europe%2FLondon&month={day[:7]}&date={day}"
    )
    # What a reload of that address shows: the same day's fresh times.
    again = client.get(address)
    assert again.status_code == 200
    again_html = again.content.decode()
    assert 'data-time="11:00"' in again_html and 'data-time="10:00"' not in again_html
    assert Booking.objects.count() == 1


def test_details_page_of_a_taken_slot_says_so_at_once(client, service, free_start):
    assert client.post(DETAILS, form_data(service, free_start, step="confirm")).status_code == 302
    r = client.get(
        DETAILS,
        {"service": service.pk, "start": free_start.isoformat(), "tz": "America/New_York"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "that time was just taken" in html
    assert 'name="first_name"' not in html
    day = free_start.astimezone(ZoneInfo("America/New_York")).date()
    assert f"date={day.isoformat()}" in _page_address(html)


def test_details_page_of_a_free_slot_shows_the_form(client, service, free_start):
    r = client.get(DETAILS, {"service": service.pk, "start": free_start.isoformat()})
    assert r.status_code == 200
    assert 'name="first_name"' in r.content.decode()
