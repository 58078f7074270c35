"""Date overrides: one per date, decided by the services under the trainer's write guard, the
same for the page, the API and two writers at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from trainerhub.core.errors import InvalidInput
from trainerhub.scheduling import services
from trainerhub.scheduling.models import DateOverride
from trainerhub.scheduling.services.availability import DATE_TAKEN

DAY = date(2030, 6, 3)


def test_create_refuses_a_date_that_has_an_override(alice, bob):
    services.date_override_create(trainer=alice, date=DAY, closed=True)
    with pytest.raises(InvalidInput) as refused:
        services.date_override_create(
            trainer=alice, date=DAY, closed=False, intervals=[{"start": "09:00", "end": "10:00"}]
        )
    assert refused.value.errors == {"date": [DATE_TAKEN]}
    # bob's calendar is his own: the same date is free for him.
    assert services.date_override_create(trainer=bob, date=DAY, closed=True).trainer == bob
    assert DateOverride.objects.filter(trainer=alice).count() == 1


def test_update_refuses_moving_onto_a_taken_date(alice):
    services.date_override_create(trainer=alice, date=DAY, closed=True)
    other = services.date_override_create(trainer=alice, date=date(2030, 6, 4), closed=True)
    with pytest.raises(InvalidInput) as refused:
        services.date_override_update(override=other, date=DAY)
    assert refused.value.errors == {"date": [DATE_TAKEN]}
    other.refresh_from_db()
    assert other.date == date(2030, 6, 4)


def test_set_replaces_the_hours_of_a_date(alice):
    first = services.date_override_set(trainer=alice, date=DAY, closed=True, note="Holiday")
    again = services.date_override_set(
        trainer=alice, date=DAY, closed=False, intervals=[{"start": "14:00", "end": "16:00"}]
    )
    assert again.pk == first.pk
    assert (again.closed, again.intervals, again.note) == (
        False,
        [{"start": "14:00", "end": "16:00"}],
        "",
    )


def test_the_api_answers_the_services_refusal(alice_api, alice):
    services.date_override_create(trainer=alice, date=DAY, closed=True)
    response = alice_api.post(
        "/api/v1/availability/overrides/", {"date": DAY.isoformat(), "closed": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["date"] == [DATE_TAKEN]


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_date_get_one_override_and_one_refusal(alice):
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def write() -> None:
        try:
            barrier.wait()
            services.date_override_create(trainer=alice, date=DAY, closed=True)
            outcome = "created"
        except InvalidInput as exc:
            outcome = exc.errors["date"][0]
        except Exception as exc:  # an IntegrityError here would be a 500 on the page
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["created", DATE_TAKEN, DATE_TAKEN, DATE_TAKEN])
    assert DateOverride.objects.filter(trainer=alice, date=DAY).count() == 1
