"""At-risk flags from coaching (adherence dropped 20 points) and packages (credits about to
expire unused), each with its sentence, through the flags every surface reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from trainerhub.coaching import services as coaching
from trainerhub.coaching.tests.factories import assign, builtin, make_program
from trainerhub.insights import risk
from trainerhub.insights.tests.factories import make_booking, make_client
from trainerhub.packages.tests.factories import make_package, sell

pytestmark = pytest.mark.django_db


def _log(client, program, on, sets):
    day = program.days.first()
    item = day.items.first()
    coaching.workout_log(
        client=client,
        program=program.pk,
        day=day.pk,
        on=on,
        sets=[
            {"item": item.pk, "set_number": n + 1, "reps": 5, "weight": "100"} for n in range(sets)
        ],
    )


def _flags(trainer, now):
    return {f.client: f for f in risk.flags(trainer=trainer, now=now)}


def test_adherence_that_dropped_20_points_flags_the_client(alice, bob):
    # 5 sets on Mon/Wed/Fri from Mon 2 Feb 2026; the first three weeks done in full, the
    # week of 23 Feb skipped: on Sun 1 Mar the 7-day figure is 0 %, the 30-day one 75 %
    # (coaching's hand-computed case).
    program = make_program(
        alice,
        weeks=12,
        days=[
            {
                "name": "A",
                "exercises": [{"exercise": builtin("Goblet squat").pk, "sets": 5, "reps_min": 8}],
            }
        ],
    )
    anna = make_client(alice, "Anna", last_name="Ash")
    steady = make_client(alice, "Ben", last_name="Bell")
    copy = assign(program, anna, start=date(2026, 2, 2), weekdays=[0, 2, 4])
    other = assign(program, steady, start=date(2026, 2, 2), weekdays=[0, 2, 4])
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        for n in range(12):
            on = date(2026, 2, 2) + timedelta(days=[0, 2, 4][n % 3] + 7 * (n // 3))
            if n < 9:
                _log(anna, copy, on, 5)
            _log(steady, other, on, 5)  # Ben keeps going: never flagged
        # Anna has a session booked ahead: the visit rule would not flag her (and does not
        # read her visits); the flag still counts her one past session.
        make_booking(anna, datetime(2026, 3, 3, 10, tzinfo=UTC))
        came = make_booking(anna, datetime(2026, 2, 10, 10, tzinfo=UTC))
        found = _flags(alice, now)
    assert set(found) == {anna.pk}
    flag = found[anna.pk]
    assert (flag.visits, flag.last_visit) == (1, came.start)
    assert flag.level == "at_risk"
    assert flag.why == "training adherence fell from 75% (30 days) to 0% (last 7 days)."
    assert _flags(bob, now) == {}


def test_credits_expiring_within_14_days_unused_flag_the_client(alice, bob):
    sold_at = datetime(2026, 1, 5, 12, tzinfo=UTC)
    cara = make_client(alice, "Cara", last_name="Cole")
    dev = make_client(alice, "Dev", last_name="Dunn")
    eli = make_client(alice, "Eli", last_name="Eng")
    with time_machine.travel(sold_at, tick=False):
        sell(cara, make_package(alice, name="Ten sessions", sessions_count=10, valid_days=90))
        sell(dev, make_package(alice, name="Long", sessions_count=5, valid_days=200))
        sell(eli, make_package(alice, name="Short", sessions_count=2, valid_days=30))
        other = make_client(bob, "Other")
        sell(other, make_package(bob, valid_days=90))
    # Cara's package ends on 5 Apr 2026 (90 days); Dev's later; Eli's ended on 4 Feb.
    expires = date(2026, 4, 5)
    at_20_days = datetime.combine(expires - timedelta(days=20), datetime.min.time(), UTC)
    at_10_days = datetime.combine(expires - timedelta(days=10), datetime.min.time(), UTC)
    last_day = datetime.combine(expires, datetime.min.time(), UTC) + timedelta(hours=12)
    assert cara.pk not in _flags(alice, at_20_days)
    found = _flags(alice, at_10_days)
    assert set(found) == {cara.pk}
    assert (
        found[cara.pk].why
        == "10 package credits of “Ten sessions” unused, expiring in 10 days (05 Apr)."
    )
    assert found[cara.pk].level == "at_risk"
    assert _flags(alice, last_day)[cara.pk].why.endswith("expiring today (05 Apr).")
    assert cara.pk not in _flags(alice, last_day + timedelta(days=1))
    assert set(_flags(bob, at_10_days)) == {other.pk}  # Bob's own client only
