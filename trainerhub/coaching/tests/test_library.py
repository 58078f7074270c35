"""The built-in library, the trainer's own exercises, hiding, search and filters."""

from __future__ import annotations

import pytest

from trainerhub.coaching import selectors, services
from trainerhub.coaching.data.exercises import EXERCISES
from trainerhub.coaching.models import Category, Equipment, Exercise, Muscle
from trainerhub.coaching.tests.factories import builtin
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_the_library_ships_at_least_120_complete_exercises():
    rows = Exercise.objects.filter(trainer__isnull=True)
    assert rows.count() == len(EXERCISES) >= 120
    for e in rows:
        assert e.primary_list and set(e.primary_list) <= set(Muscle.values)
        assert set(e.equipment_list) <= set(Equipment.values)
        assert e.category in Category.values and len(e.instructions) > 60
    assert {e.category for e in rows} == set(Category.values)


def test_search_is_accent_and_case_insensitive(alice):
    services.exercise_create(
        trainer=alice, name="Développé couché", category="strength", primary_muscles=["chest"]
    )
    names = [e.name for e in selectors.exercises_for_trainer(trainer=alice, search="DEVELOPPE")]
    assert names == ["Développé couché"]


def test_filters_combine(alice):
    rows = selectors.exercises_for_trainer(
        trainer=alice,
        category="strength",
        muscle="lats",
        equipment="pullup_bar",
        difficulty="intermediate",
    )
    assert sorted(e.name for e in rows) == ["Chin-up", "Pull-up"]


def test_own_exercises_are_private_and_hidden_ones_leave_the_list(alice, bob):
    mine = services.exercise_create(
        trainer=alice,
        name="Sled push",
        category="strength",
        primary_muscles=["quads"],
        measurement="distance",
    )
    assert mine in selectors.exercises_for_trainer(trainer=alice)
    assert mine not in selectors.exercises_for_trainer(trainer=bob)
    squat = builtin("Barbell back squat")
    services.exercise_set_hidden(trainer=alice, exercise=squat, hidden=True)
    assert squat not in selectors.exercises_for_trainer(trainer=alice)
    assert squat in selectors.exercises_for_trainer(trainer=alice, show_hidden=True)
    assert squat in selectors.exercises_for_trainer(trainer=bob)


def test_bad_exercise_input_names_the_field(alice):
    with pytest.raises(InvalidInput) as exc:
        services.exercise_create(trainer=alice, name="", category="yoga", primary_muscles=["wings"])
    assert set(exc.value.errors) == {"name", "category", "primary_muscles"}
    assert not Exercise.objects.filter(trainer=alice).exists()


def test_pages(alice_web, bob_web, alice):
    mine = services.exercise_create(
        trainer=alice, name="Sled push", category="strength", primary_muscles=["quads"]
    )
    page = alice_web.get("/coaching/exercises/?search=squat&category=strength")
    assert page.status_code == 200 and b"Goblet squat" in page.content
    assert alice_web.get(f"/coaching/exercises/{builtin('Plank').pk}/").status_code == 200
    assert alice_web.get(f"/coaching/exercises/{mine.pk}/").status_code == 200
    assert bob_web.get(f"/coaching/exercises/{mine.pk}/").status_code == 404
    assert bob_web.get(f"/coaching/exercises/{mine.pk}/edit/").status_code == 404
    bad = alice_web.post("/coaching/exercises/new/", {"name": "", "category": "strength"})
    assert bad.status_code == 400 and b"This field is required" in bad.content


@pytest.mark.parametrize("extra", [0, 30])
def test_exercise_list_page_has_a_fixed_number_of_queries(
    alice_web, alice, extra, django_assert_num_queries
):
    for n in range(extra):
        services.exercise_create(
            trainer=alice, name=f"Own {n}", category="core", primary_muscles=["abs"]
        )
    alice_web.get("/coaching/exercises/")
    with django_assert_num_queries(6):
        assert alice_web.get("/coaching/exercises/").status_code == 200
