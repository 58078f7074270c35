"""Weekly hours that overlap are refused with the same message on every surface (issue 18.9)."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling import services
from trainerhub.scheduling.models import WeeklyInterval
from trainerhub.scheduling.tests.factories import make_service

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Monday already has hours 09:00 to 12:00 that overlap this interval: change that one, "
    "or make this one start when it ends."
)


@pytest.fixture
def morning(alice):
    return services.weekly_interval_create(trainer=alice, weekday=0, start=time(9), end=time(12))


def test_service_refuses_an_overlap_and_allows_touching(alice, morning):
    with pytest.raises(InvalidInput) as refused:
        services.weekly_interval_create(trainer=alice, weekday=0, start=time(11), end=time(14))
    assert refused.value.errors == {"start": [MESSAGE]}
    services.weekly_interval_create(trainer=alice, weekday=0, start=time(12), end=time(14))
    assert WeeklyInterval.objects.filter(trainer=alice).count() == 2


def test_update_into_an_overlap_is_refused(alice, morning):
    evening = services.weekly_interval_create(
        trainer=alice, weekday=0, start=time(17), end=time(19)
    )
    with pytest.raises(InvalidInput) as refused:
        services.weekly_interval_update(interval=evening, start=time(8))
    assert refused.value.errors == {"start": [MESSAGE]}
    evening.refresh_from_db()
    assert evening.start == time(17)


def test_other_days_scopes_and_trainers_do_not_clash(alice, bob, morning):
    pt = make_service(alice)
    # Narrowing one service inside the general hours is what service-limited hours are for.
    services.weekly_interval_create(
        trainer=alice, weekday=0, start=time(10), end=time(11), service=pt
    )
    services.weekly_interval_create(trainer=alice, weekday=1, start=time(9), end=time(12))
    services.weekly_interval_create(trainer=bob, weekday=0, start=time(9), end=time(12))
    assert WeeklyInterval.objects.count() == 4


def test_api_answers_400_with_the_message(alice_api, morning):
    response = alice_api.post(
        "/api/v1/availability/weekly/",
        {"weekday": 0, "start": "10:00", "end": "13:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["start"] == [MESSAGE]
    assert WeeklyInterval.objects.count() == 1


def test_page_shows_the_message_next_to_the_field(client, alice, morning):
    client.force_login(alice)
    response = client.post(
        reverse("scheduling:hours_add"),
        {"weekday": 0, "start": "10:00", "end": "13:00", "service": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert MESSAGE.encode() in response.content
    assert WeeklyInterval.objects.count() == 1


def test_override_intervals_that_overlap_are_refused(alice):
    from datetime import date

    with pytest.raises(InvalidInput) as refused:
        services.date_override_create(
            trainer=alice,
            date=date(2030, 1, 7),
            closed=False,
            intervals=[{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}],
        )
    assert refused.value.errors == {
        "intervals": ["11:00 to 13:00 overlaps the interval before it (which ends at 12:00)."]
    }
