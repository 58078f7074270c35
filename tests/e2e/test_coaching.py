"""A client logs a whole workout on a 375 px phone by tapping: each set one tap (one set
changed first with ✎, then a second tap), the rest timer shows, "how did it feel", done.
Everything is stored once, with the targets beside what was done."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trainerhub.coaching import services
from trainerhub.coaching.library import sync_builtin_exercises
from trainerhub.coaching.models import Exercise, SetLog, Workout
from trainerhub.coaching.tests.factories import ClientFactory, assign, builtin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_logs_a_full_workout_by_tapping_at_375px(browser, live_server, alice):
    sync_builtin_exercises(Exercise)  # a transactional test may have emptied the table
    anna = ClientFactory(trainer=alice, first_name="Anna", email="anna@example.com")
    template = services.program_create(
        trainer=alice,
        name="Phone test",
        weeks=4,
        days=[
            {
                "name": "Day A: Legs",
                "exercises": [
                    {
                        "exercise": builtin("Goblet squat").pk,
                        "sets": 3,
                        "reps_min": 10,
                        "load_kind": "weight",
                        "load_value": "16",
                        "rest_seconds": 30,
                    },
                    {"exercise": builtin("Plank").pk, "sets": 2, "duration_seconds": 30},
                ],
            }
        ],
    )
    today = timezone.localdate()
    plan = assign(template, anna, start=today, weekdays=list(range(7)))
    token = services.link_for_client(anna).token

    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="en-GB", has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/coaching/c/{token}/")
    page.click("a:has-text('Start workout')")
    page.locator("h1", has_text="Day A: Legs").wait_for()

    sets = page.locator("[data-set]")
    assert sets.count() == 5
    # Set 2 of the squat: 8 reps at 18 kg instead of the target (✎, change, log: two taps).
    sets.nth(1).locator("[data-edit]").tap()
    sets.nth(1).locator("input[name=reps]").fill("8")
    sets.nth(1).locator("input[name=weight]").fill("18")
    sets.nth(1).locator("[data-save]").tap()
    page.locator("[data-rest-timer]").wait_for(state="visible")  # 30 s rest after a squat set
    page.click("[data-rest-skip]")
    # Every other set: one tap logs its target.
    for n in (0, 2, 3, 4):
        sets.nth(n).locator("[data-tap]").tap()
    assert page.locator("[data-set].done").count() == 5
    # The queue empties as the server answers (a set leaves it once stored).
    for _ in range(50):
        if SetLog.objects.count() == 5:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= 376

    page.locator("label.feel-option", has_text="4").tap()
    page.fill("#workout-notes", "Legs felt heavy")
    page.click("[data-finish]")
    page.locator("[data-finish-status]", has_text="Workout done").wait_for()
    context.close()
    assert not errors, errors

    workout = Workout.objects.get()
    assert (workout.program_id, workout.feel, workout.notes) == (plan.pk, 4, "Legs felt heavy")
    assert workout.completed_at is not None
    logs = list(SetLog.objects.order_by("exercise__name", "set_number"))
    assert len(logs) == 5
    squats = [
        (s.reps, s.weight_kg, s.target_reps, s.target_weight_kg)
        for s in logs
        if s.exercise.name == "Goblet squat"
    ]
    assert [(r, str(w), t, str(tw)) for r, w, t, tw in squats] == [
        (10, "16.00", 10, "16.00"),
        (8, "18.00", 10, "16.00"),
        (10, "16.00", 10, "16.00"),
    ]
    assert [s.duration_seconds for s in logs if s.exercise.name == "Plank"] == [30, 30]
