"""Rate limits of the public page and the manage links: a made-up X-Forwarded-For is not a new
address (no proxy configured), and one address using up its own limit leaves the shared
bucket of the page or the link for everybody else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from trainerhub.portal.tests.conftest import day_at, payload
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db

# Rate-limit windows are aligned to the clock: a frozen clock keeps every request of a test
# inside one window however slow the machine is.
FROZEN = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


def api_rates(settings, **rates: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def visitor(address: str) -> APIClient:
    return APIClient(REMOTE_ADDR=address)


def book(address: str, service, start) -> Booking:
    r = visitor(address).post(
        "/api/v1/public/alice/bookings", payload(service, start), format="json"
    )
    assert r.status_code == 201, r.json()
    return Booking.objects.get(pk=r.json()["id"])


def rotating(api: APIClient, path: str, times: int) -> list[int]:
    """The same host, claiming a new address in X-Forwarded-For on every request."""
    return [api.get(path, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(times)]


def test_public_api_limit_is_not_fooled_by_forwarded_for(settings, service):
    api_rates(settings, public="3/min")
    with time_machine.travel(FROZEN, tick=False):
        codes = rotating(visitor("203.0.113.1"), "/api/v1/public/alice/services", 5)
    assert codes == [200, 200, 200, 429, 429]


def test_one_address_using_up_its_limit_leaves_the_booking_page_to_others(settings, service):
    api_rates(settings, public="3/min", public_trainer="5/min")
    with time_machine.travel(FROZEN, tick=False):
        hammer = rotating(visitor("203.0.113.1"), "/api/v1/public/alice/services", 10)
        other = visitor("203.0.113.2").get("/api/v1/public/alice/services").status_code
    assert hammer == [200] * 3 + [429] * 7
    assert other == 200


def test_one_address_using_up_its_limit_leaves_the_manage_link_to_others(settings, service):
    booking = book("192.0.2.9", service, day_at(3, 10))
    path = f"/api/v1/manage/{booking.manage_token}"
    api_rates(settings, public="3/min", public_trainer="5/min")
    with time_machine.travel(FROZEN, tick=False):
        hammer = rotating(visitor("203.0.113.1"), path, 10)
        other = visitor("203.0.113.2").get(path).status_code
    assert hammer == [200] * 3 + [429] * 7
    assert other == 200


def test_a_flood_of_one_manage_link_leaves_the_other_links_alone(settings, service):
    first = book("192.0.2.9", service, day_at(3, 10))
    second = book("192.0.2.9", service, day_at(3, 12))
    api_rates(settings, public_trainer="4/min")
    with time_machine.travel(FROZEN, tick=False):
        flood = [
            visitor(f"203.0.113.{n}").get(f"/api/v1/manage/{first.manage_token}").status_code
            for n in range(1, 7)
        ]
        other = visitor("203.0.113.50").get(f"/api/v1/manage/{second.manage_token}")
    assert flood == [200] * 4 + [429] * 2
    assert other.status_code == 200


def test_a_flood_of_one_manage_page_leaves_the_other_pages_alone(client, settings, service):
    first = book("192.0.2.9", service, day_at(3, 10))
    second = book("192.0.2.9", service, day_at(3, 12))
    settings.PORTAL_TRAINER_RATE = "4/m"
    with time_machine.travel(FROZEN, tick=False):
        flood = [
            client.get(f"/manage/{first.manage_token}/", REMOTE_ADDR=f"203.0.113.{n}").status_code
            for n in range(1, 7)
        ]
        other = client.get(f"/manage/{second.manage_token}/", REMOTE_ADDR="203.0.113.50")
    assert flood == [200] * 4 + [429] * 2
    assert other.status_code == 200


def test_booking_page_limit_is_per_address_and_not_fooled_by_forwarded_for(
    client, settings, service
):
    settings.PORTAL_GET_RATE, settings.PORTAL_TRAINER_RATE = "3/m", "5/m"
    with time_machine.travel(FROZEN, tick=False):
        hammer = [
            client.get(
                "/book/alice/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(10)
        ]
        other = client.get("/book/alice/", REMOTE_ADDR="203.0.113.2").status_code
    assert hammer == [200] * 3 + [429] * 7
    assert other == 200
