"""Logging workouts: idempotency, targets, bad input, records (hypothesis), adherence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from trainerhub.coaching import records, selectors, services
from trainerhub.coaching.models import PersonalRecord, SetLog, Workout
from trainerhub.coaching.tests.factories import assign, builtin, make_program
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.fixture
def plan(alice, anna):
    return assign(make_program(alice), anna, start=MONDAY, weekdays=[0, 2, 4])


def _item(plan, name):
    return next(i for d in plan.days.all() for i in d.items.all() if i.exercise.name == name)


@time_machine.travel("2026-03-09 12:00:00+00:00")
def test_the_same_set_twice_with_one_key_is_stored_once(anna, plan):
    squat = _item(plan, "Barbell back squat")
    kwargs = {
        "client": anna,
        "workout_key": "w-1",
        "program": plan.pk,
        "day": squat.day_id,
        "on": "2026-03-09",
        "item": squat.pk,
        "set_number": 1,
        "reps": 5,
        "weight": "102.5",
        "idempotency_key": "set-1",
    }
    first, created = services.set_log(**kwargs)
    again, created_again = services.set_log(**kwargs)
    assert created and not created_again and first.pk == again.pk
    assert SetLog.objects.count() == 1 and Workout.objects.count() == 1
    # Week 2 of +2.5 kg a week: the target is 102.5 kg x 5.
    assert (first.target_reps, first.target_weight_kg) == (5, Decimal("102.50"))
    # The whole-workout API path with the same keys stores nothing new either.
    _, stored = services.workout_log(
        client=anna,
        idempotency_key="w-1",
        program=plan.pk,
        on="2026-03-09",
        sets=[
            {
                "item": squat.pk,
                "set_number": 1,
                "reps": 5,
                "weight": "102.5",
                "idempotency_key": "set-1",
            }
        ],
    )
    assert not stored and SetLog.objects.count() == 1


@time_machine.travel("2026-03-09 12:00:00+00:00")
@pytest.mark.parametrize(
    "values,field",
    [
        ({"reps": 0}, "sets[0].reps"),
        ({"reps": 10000}, "sets[0].reps"),
        ({"weight": "-5", "reps": 5}, "sets[0].weight"),
    ],
)
def test_bad_sets_are_refused_whole(anna, plan, values, field):
    squat = _item(plan, "Barbell back squat")
    good = {"item": squat.pk, "set_number": 1, "reps": 5, "weight": "100"}
    with pytest.raises(InvalidInput) as exc:
        services.workout_log(
            client=anna, program=plan.pk, sets=[{**good, "set_number": 2}, {**good, **values}][::-1]
        )
    assert field in exc.value.errors
    assert not Workout.objects.exists() and not SetLog.objects.exists()


@time_machine.travel("2026-03-09 12:00:00+00:00")
def test_a_log_for_another_clients_program_is_refused(alice, anna, plan):
    from trainerhub.coaching.tests.factories import ClientFactory

    carl = ClientFactory(trainer=alice, first_name="Carl")
    with pytest.raises(InvalidInput) as exc:
        services.workout_log(
            client=carl,
            program=plan.pk,
            sets=[{"exercise": builtin("Plank").pk, "duration_seconds": 30}],
        )
    assert "program" in exc.value.errors and not Workout.objects.exists()


facts = st.builds(
    records.SetFacts,
    id=st.integers(1, 10**6),
    exercise_id=st.just(1),
    date=st.dates(date(2025, 1, 1), date(2026, 1, 1)),
    reps=st.one_of(st.none(), st.integers(1, 30)),
    weight_kg=st.one_of(st.none(), st.decimals("0.5", "300", places=1)),
    duration_seconds=st.one_of(st.none(), st.integers(1, 7200)),
    distance_m=st.one_of(st.none(), st.decimals("1", "50000", places=0)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(facts, max_size=40, unique_by=lambda s: s.id))
def test_each_record_is_the_best_logged_value_by_its_rule(sets):
    best = records.detect(sets)
    with_weight = [s for s in sets if s.reps and s.weight_kg]
    for s in with_weight:
        assert best[(1, "e1rm", "")].value >= records.epley(s.weight_kg, s.reps)
        assert best[(1, "weight_for_reps", str(s.reps))].value >= s.weight_kg
    if with_weight:
        assert best[(1, "e1rm", "")].value == max(
            records.epley(s.weight_kg, s.reps) for s in with_weight
        )
        for reps in {s.reps for s in with_weight}:
            assert best[(1, "weight_for_reps", str(reps))].value == max(
                s.weight_kg for s in with_weight if s.reps == reps
            )
    for (_, kind, key), b in best.items():
        if kind == "reps_at_weight":
            matching = [s.reps for s in sets if s.reps and records.candidates(s)[0][1] == key]
            assert b.value == max(matching)
    distances = [s.distance_m for s in sets if s.distance_m]
    if distances:
        assert best[(1, "longest", "")].value == max(distances)
    timed = [s for s in sets if s.distance_m and s.duration_seconds]
    for s in timed:
        assert best[(1, "fastest", records.candidates(s)[-1][1])].value <= s.duration_seconds


@time_machine.travel("2026-03-09 12:00:00+00:00")
def test_records_are_stored_from_logs_and_celebrated_once(anna, plan):
    squat = _item(plan, "Barbell back squat")
    services.workout_log(
        client=anna,
        program=plan.pk,
        on="2026-03-02",
        sets=[
            {"item": squat.pk, "set_number": 1, "reps": 5, "weight": "100"},
            {"item": squat.pk, "set_number": 2, "reps": 3, "weight": "110"},
        ],
    )
    e1rm = PersonalRecord.objects.get(client=anna, kind="e1rm")
    assert e1rm.value == Decimal("121.00")  # 110 x (1 + 3/30)
    assert len(selectors.uncelebrated_records(client=anna)) >= 1
    services.records_celebrated(client=anna)
    services.workout_log(
        client=anna,
        program=plan.pk,
        on="2026-03-04",
        sets=[{"item": squat.pk, "set_number": 1, "reps": 5, "weight": "90"}],
    )
    assert selectors.uncelebrated_records(client=anna) == []
    services.workout_log(
        client=anna,
        program=plan.pk,
        on="2026-03-06",
        sets=[{"item": squat.pk, "set_number": 1, "reps": 1, "weight": "125"}],
    )
    assert [r.kind for r in selectors.uncelebrated_records(client=anna)] == [
        "e1rm",
        "weight_for_reps",
    ]


def _log(client, program, day, on, sets):
    item = day.items.first()
    services.workout_log(
        client=client,
        program=program.pk,
        day=day.pk,
        on=on,
        sets=[
            {"item": item.pk, "set_number": n + 1, "reps": 5, "weight": "100"} for n in range(sets)
        ],
    )


def test_adherence_against_hand_computed_figures(alice, anna):
    # One day of 5 sets on Mon/Wed/Fri from Mon 2 Feb 2026, 12 weeks.
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
    copy = assign(program, anna, start=date(2026, 2, 2), weekdays=[0, 2, 4])
    day = copy.days.first()
    today = date(2026, 3, 15)  # a Sunday
    with time_machine.travel("2026-03-15 12:00:00+00:00"):
        # Every session of the first three weeks done in full, then nothing.
        for n in range(9):
            on = date(2026, 2, 2) + timedelta(days=[0, 2, 4][n % 3] + 7 * (n // 3))
            _log(anna, copy, day, on, 5)
        # The last week (9-13 Mar): one session of three sets.
        _log(anna, copy, day, date(2026, 3, 11), 3)
        a = selectors.adherence_for_client(client=anna, today=today)
    # 7 days (9-15 Mar): Mon, Wed, Fri = 15 sets prescribed, 3 done -> 20 %.
    assert (a.prescribed[7], a.done[7], a.d7) == (15, 3, 20)
    # 30 days (14 Feb-15 Mar): 12 sessions (Mon 16 Feb .. Fri 13 Mar) = 60 sets;
    # done: the week of 16 Feb (15) + 3 = 18 -> 30 %.
    assert (a.prescribed[30], a.done[30], a.d30) == (60, 18, 30)
    # 90 days: all 18 sessions since 2 Feb = 90 sets, 45 + 3 done -> 53 %.
    assert (a.prescribed[90], a.done[90], a.d90) == (90, 48, 53)
    assert not a.needs_attention  # 20 is only 10 points below 30
    # On Sun 1 Mar: the week of 23 Feb was skipped (0 of 15) after three full weeks;
    # 30 days (31 Jan-1 Mar): 12 sessions, 60 sets, 45 done -> 75 %: needs attention.
    with time_machine.travel("2026-03-01 12:00:00+00:00"):
        drop = selectors.adherence_for_client(client=anna, today=date(2026, 3, 1))
        flagged = selectors.needs_attention_ids(client_ids=[anna.pk], today=date(2026, 3, 1))
    assert (drop.d7, drop.prescribed[30], drop.done[30], drop.d30) == (0, 60, 45, 75)
    assert drop.needs_attention and flagged == {anna.pk}
