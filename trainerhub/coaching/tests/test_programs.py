"""Programs: building, templates and independent client copies, progression, reorder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trainerhub.coaching import selectors, services
from trainerhub.coaching.models import Program, ProgramExercise
from trainerhub.coaching.progression import expand
from trainerhub.coaching.tests.factories import assign, builtin, make_program
from trainerhub.core.errors import InvalidInput
from trainerhub.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_assigning_makes_an_independent_copy(alice, anna):
    template = make_program(alice)
    copy = assign(template, anna, start=date(2026, 1, 5))
    assert copy.pk != template.pk and copy.client == anna and copy.source == template
    # Editing the template changes nothing of the client's copy...
    t_item = ProgramExercise.objects.filter(day__program=template).first()
    services.item_update(item=t_item, sets=5, reps_min=3)
    services.day_add(program=template, name="Day B")
    c_items = ProgramExercise.objects.filter(day__program=copy).order_by("position")
    assert [i.sets for i in c_items] == [3, 2] and copy.days.count() == 1
    # ...and adjusting the copy changes nothing of the template.
    services.item_update(item=c_items[0], sets=4)
    assert ProgramExercise.objects.get(pk=t_item.pk).sets == 5
    assert [d.name for d in template.days.all()] == ["Day A", "Day B"]


def test_assign_and_change_queue_one_message_each(alice, anna):
    template = make_program(alice)
    copy = assign(template, anna, start=date(2026, 1, 5))
    rows = Notification.objects.filter(client=anna)
    assert [r.kind for r in rows] == ["program_assigned"]
    item = ProgramExercise.objects.filter(day__program=copy).first()
    services.item_update(item=item, sets=4)
    services.item_update(item=item, sets=5)
    assert sorted(r.kind for r in rows.all()) == ["program_assigned", "program_changed"]
    assert "/coaching/c/" in rows.get(kind="program_assigned").context["url"]


def test_assign_refuses_another_trainers_client_and_bad_days(alice, ben, anna):
    template = make_program(alice)
    with pytest.raises(InvalidInput) as exc:
        services.program_assign(
            program=template, client=ben.pk, start_date="2026-01-05", weekdays=[9], trainer=alice
        )
    assert set(exc.value.errors) == {"client", "weekdays"}
    assert Program.objects.filter(client__isnull=False).count() == 0


def test_another_trainers_exercise_is_refused_and_nothing_is_saved(alice, bob):
    bobs = services.exercise_create(
        trainer=bob, name="Bob's lift", category="strength", primary_muscles=["chest"]
    )
    with pytest.raises(InvalidInput) as exc:
        services.program_create(
            trainer=alice,
            name="P",
            days=[{"name": "A", "exercises": [{"exercise": bobs.pk, "sets": 3, "reps_min": 5}]}],
        )
    assert "days[0].exercises[0].exercise" in exc.value.errors
    assert not Program.objects.filter(trainer=alice).exists()


@pytest.mark.parametrize(
    "reps,weight,field",
    [(0, "50", "reps_min"), (10000, "50", "reps_min"), (5, "-5", "load_value")],
)
def test_bad_prescriptions_are_400_by_field(alice, reps, weight, field):
    program = make_program(alice)
    day = program.days.first()
    with pytest.raises(InvalidInput) as exc:
        services.item_add(
            day=day,
            exercise=builtin("Deadlift" if False else "Goblet squat").pk,
            sets=3,
            reps_min=reps,
            load_kind="weight",
            load_value=weight,
        )
    assert field in exc.value.errors


def test_progression_kg_for_12_weeks():
    weeks = expand(
        weeks=12,
        reps_min=5,
        reps_max=None,
        load_kind="weight",
        load_value=Decimal("100"),
        progression="kg",
        progression_value=Decimal("2.5"),
    )
    assert [w.load_value for w in weeks] == [Decimal("100") + Decimal("2.5") * n for n in range(12)]
    assert weeks[-1].load_value == Decimal("127.50")


def test_progression_percent_for_12_weeks_compounds_from_week_one():
    weeks = expand(
        weeks=12,
        reps_min=5,
        reps_max=None,
        load_kind="weight",
        load_value=Decimal("100"),
        progression="percent",
        progression_value=Decimal("5"),
    )
    # 100 x 1.05^(n) rounded once to the hundredth, computed by hand.
    expected = [
        "100.00",
        "105.00",
        "110.25",
        "115.76",
        "121.55",
        "127.63",
        "134.01",
        "140.71",
        "147.75",
        "155.13",
        "162.89",
        "171.03",
    ]
    assert [str(w.load_value) for w in weeks] == expected


def test_progression_reps_moves_the_range():
    weeks = expand(
        weeks=12,
        reps_min=8,
        reps_max=10,
        load_kind="none",
        load_value=None,
        progression="reps",
        progression_value=Decimal("1"),
    )
    assert [(w.reps_min, w.reps_max) for w in weeks][::11] == [(8, 10), (19, 21)]


def test_pounds_are_stored_as_kilograms(alice):
    services.settings_update(trainer=alice, weight_unit="lb", length_unit="in")
    program = make_program(alice)
    item = services.item_add(
        day=program.days.first(),
        unit="lb",
        exercise=builtin("Goblet squat").pk,
        sets=3,
        reps_min=10,
        load_kind="weight",
        load_value="50",
    )
    assert item.load_value == Decimal("22.68")


def test_reorder_moves_items_across_days_and_refuses_foreign_ids(alice):
    program = make_program(alice)
    other = make_program(alice, name="Other")
    day_a = program.days.first()
    day_b = services.day_add(program=program, name="Day B")
    first, second = list(ProgramExercise.objects.filter(day=day_a))
    services.items_reorder(
        program=program, layout={str(day_a.pk): [second.pk], str(day_b.pk): [first.pk]}
    )
    assert ProgramExercise.objects.get(pk=first.pk).day_id == day_b.pk
    foreign = ProgramExercise.objects.filter(day__program=other).first()
    with pytest.raises(InvalidInput):
        services.items_reorder(
            program=program,
            layout={str(day_a.pk): [second.pk, foreign.pk], str(day_b.pk): [first.pk]},
        )


def test_clone_archive_and_starters(alice):
    program = make_program(alice)
    clone = services.program_clone(program=program)
    assert clone.days.first().items.count() == 2 and clone.name.endswith("(copy)")
    services.program_archive(program=program)
    assert list(selectors.templates_for_trainer(trainer=alice)) == [clone]
    for key in ("full-body-beginner", "upper-lower-4", "5k-run", "mobility-core"):
        starter = services.starter_add(trainer=alice, key=key)
        assert starter.days.count() >= 1
        assert all(d.items.count() >= 2 for d in starter.days.all())


def test_builder_pages(alice_web, bob_web, alice, anna):
    program = make_program(alice)
    assert alice_web.get(f"/coaching/programs/{program.pk}/").status_code == 200
    assert bob_web.get(f"/coaching/programs/{program.pk}/").status_code == 404
    day = program.days.first()
    bad = alice_web.post(
        f"/coaching/programs/{program.pk}/days/{day.pk}/exercises/",
        {
            "exercise": builtin("Plank").pk,
            "sets": 3,
            "reps_min": 0,
            "load_kind": "none",
            "progression": "none",
        },
    )
    assert bad.status_code == 400
    ok = alice_web.post(
        f"/coaching/programs/{program.pk}/assign/",
        {"client": anna.pk, "start_date": "2026-01-05", "weekdays": ["0", "3"]},
    )
    assert ok.status_code == 302
    copy = Program.objects.get(client=anna)
    assert alice_web.get(f"/coaching/programs/{copy.pk}/").status_code == 200
    assert alice_web.get("/coaching/").status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_programs_page_has_a_fixed_number_of_queries(
    alice_web, alice, anna, count, django_assert_num_queries
):
    for n in range(count):
        assign(make_program(alice, name=f"P{n}"), anna, start=date(2026, 1, 5))
    alice_web.get("/coaching/")
    with django_assert_num_queries(5):
        assert alice_web.get("/coaching/").status_code == 200
