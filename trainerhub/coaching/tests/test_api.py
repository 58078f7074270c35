"""The coaching API: the same rules as the pages, 400 by field, 404 for anyone else's."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from conftest import api_client_for
from trainerhub.coaching import services
from trainerhub.coaching.models import Measurement, Program, SetLog, Workout
from trainerhub.coaching.tests.factories import assign, builtin, make_program

pytestmark = pytest.mark.django_db
NOW = "2026-03-09 12:00:00+00:00"


def test_exercises_list_filters_and_own_crud(alice_api, bob_api):
    r = alice_api.get("/api/v1/exercises/", {"search": "SQUAT", "equipment": "barbell"})
    assert r.status_code == 200
    assert {"Barbell back squat", "Barbell front squat", "Box squat"} <= {
        e["name"] for e in r.json()["results"]
    }
    created = alice_api.post(
        "/api/v1/exercises/",
        {
            "name": "Sled push",
            "category": "strength",
            "primary_muscles": ["quads"],
            "equipment": ["machine"],
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (
        alice_api.patch(
            f"/api/v1/exercises/{pk}/", {"difficulty": "advanced"}, format="json"
        ).json()["difficulty"]
        == "advanced"
    )
    assert bob_api.get(f"/api/v1/exercises/{pk}/").status_code == 404
    assert (
        bob_api.patch(f"/api/v1/exercises/{pk}/", {"name": "x"}, format="json").status_code == 404
    )
    builtin_pk = builtin("Plank").pk
    assert (
        alice_api.patch(
            f"/api/v1/exercises/{builtin_pk}/", {"name": "x"}, format="json"
        ).status_code
        == 404
    )
    bad = alice_api.post("/api/v1/exercises/", {"name": "", "category": "x"}, format="json")
    assert bad.status_code == 400 and {"name", "category"} <= set(bad.json())
    assert alice_api.delete(f"/api/v1/exercises/{pk}/").status_code == 204


def test_programs_nested_write_assign_and_independence(alice_api, bob_api, anna, ben):
    squat = builtin("Goblet squat").pk
    body = {
        "name": "API plan",
        "weeks": 6,
        "days": [
            {
                "name": "Day A",
                "exercises": [
                    {
                        "exercise": squat,
                        "sets": 3,
                        "reps_min": 8,
                        "reps_max": 12,
                        "load_kind": "weight",
                        "load_value": "20",
                        "progression": "percent",
                        "progression_value": "5",
                    }
                ],
            }
        ],
    }
    r = alice_api.post("/api/v1/programs/", body, format="json")
    assert r.status_code == 201
    program = r.json()
    assert program["days"][0]["exercises"][0]["reps_max"] == 12
    pk = program["id"]
    assert bob_api.get(f"/api/v1/programs/{pk}/").status_code == 404
    bad = alice_api.post(
        f"/api/v1/programs/{pk}/assign",
        {"client": ben.pk, "start_date": "2026-03-02", "weekdays": [0]},
        format="json",
    )
    assert bad.status_code == 400 and "client" in bad.json()
    ok = alice_api.post(
        f"/api/v1/programs/{pk}/assign",
        {"client": anna.pk, "start_date": "2026-03-02", "weekdays": [0, 3]},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["client"] == anna.pk
    copy_pk = ok.json()["id"]
    # Replacing the template's days leaves the copy as it was.
    alice_api.patch(
        f"/api/v1/programs/{pk}/", {"days": [{"name": "New", "exercises": []}]}, format="json"
    )
    copy = alice_api.get(f"/api/v1/client-programs/{copy_pk}/").json()
    assert copy["days"][0]["name"] == "Day A" and copy["weekdays"] == [0, 3]
    assert alice_api.get(f"/api/v1/programs/{copy_pk}/").status_code == 404
    assert [
        p["id"]
        for p in alice_api.get("/api/v1/client-programs/", {"client": anna.pk}).json()["results"]
    ] == [copy_pk]
    # Another trainer's exercise in a program: 400, nothing saved.
    bobs = services.exercise_create(
        trainer=ben.trainer, name="B", category="core", primary_muscles=["abs"]
    )
    bad = alice_api.post(
        "/api/v1/programs/",
        {
            **body,
            "days": [{"name": "A", "exercises": [{"exercise": bobs.pk, "sets": 3, "reps_min": 5}]}],
        },
        format="json",
    )
    assert bad.status_code == 400 and "days[0].exercises[0].exercise" in bad.json()
    assert Program.objects.filter(trainer=anna.trainer).count() == 2


@time_machine.travel(NOW)
def test_workouts_are_idempotent_and_bad_input_is_400(alice, bob, anna, ben):
    alice_api, bob_api = api_client_for(alice), api_client_for(bob)  # tokens issued at NOW
    plan = assign(make_program(alice), anna, start=date(2026, 3, 2))
    item = plan.days.first().items.first()
    body = {
        "client": anna.pk,
        "program": plan.pk,
        "date": "2026-03-09",
        "idempotency_key": "api-w1",
        "sets": [
            {
                "item": item.pk,
                "set_number": n,
                "reps": 5,
                "weight": "102.5",
                "idempotency_key": f"api-s{n}",
            }
            for n in (1, 2, 3)
        ],
    }
    first = alice_api.post("/api/v1/workouts/", body, format="json")
    again = alice_api.post("/api/v1/workouts/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Workout.objects.count() == 1 and SetLog.objects.count() == 3
    assert first.json()["sets"][0]["target_weight_kg"] == "102.50"
    for sets, field in (
        ([{"item": item.pk, "set_number": 1, "reps": 0}], "sets[0].reps"),
        ([{"item": item.pk, "set_number": 1, "reps": 10000}], "sets[0].reps"),
        ([{"item": item.pk, "set_number": 1, "reps": 5, "weight": "-5"}], "sets[0].weight"),
    ):
        r = alice_api.post(
            "/api/v1/workouts/",
            {"client": anna.pk, "program": plan.pk, "sets": sets},
            format="json",
        )
        assert r.status_code == 400 and field in r.json()
    assert (
        bob_api.post("/api/v1/workouts/", {**body, "client": anna.pk}, format="json").status_code
        == 404
    )
    bens = alice_api.post("/api/v1/workouts/", {**body, "client": ben.pk}, format="json")
    assert bens.status_code == 404
    assert Workout.objects.count() == 1
    assert bob_api.get(f"/api/v1/workouts/{Workout.objects.get().pk}/").status_code == 404


@time_machine.travel(NOW)
def test_client_progress_endpoints(alice, bob, anna):
    alice_api, bob_api = api_client_for(alice), api_client_for(bob)
    url = f"/api/v1/clients/{anna.pk}"
    ok = alice_api.post(
        f"{url}/measurements/",
        {"kind": "waist", "value": "81.3", "date": "2026-03-01"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["value"] == "0.8130" and ok.json()["unit"] == "m"
    future = alice_api.post(
        f"{url}/measurements/",
        {"kind": "weight", "value": "80", "date": "2026-03-10"},
        format="json",
    )
    assert future.status_code == 400 and "date" in future.json()
    assert Measurement.objects.count() == 1
    for path in ("measurements/", "photos/", "records/", "adherence"):
        assert alice_api.get(f"{url}/{path}").status_code == 200
        assert bob_api.get(f"{url}/{path}").status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = alice_api.post(
        f"{url}/photos/",
        {"pose": "front", "file": SimpleUploadedFile("x.png", b"nope")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()


@time_machine.travel(NOW)
def test_the_clients_own_endpoints_see_only_their_data(alice, anna, ben):
    from trainerhub.accounts.models import User

    user = User.objects.create_user(
        email="anna@example.com", password="x" * 12, name="Anna", role="client"
    )
    anna.account = user
    anna.save(update_fields=["account"])
    plan = assign(make_program(alice), anna, start=date(2026, 3, 2))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    assert [p["id"] for p in api.get("/api/v1/client/programs/").json()] == [plan.pk]
    item = plan.days.first().items.first()
    r = api.post(
        "/api/v1/client/workouts/",
        {
            "program": plan.pk,
            "idempotency_key": "c-w1",
            "sets": [
                {
                    "item": item.pk,
                    "set_number": 1,
                    "reps": 5,
                    "weight": "100",
                    "idempotency_key": "c-s1",
                }
            ],
        },
        format="json",
    )
    assert r.status_code == 201 and Workout.objects.get().logged_by == "client"
    assert (
        api.post(
            "/api/v1/client/measurements/", {"kind": "weight", "value": "70"}, format="json"
        ).status_code
        == 201
    )
    assert api.get("/api/v1/client/records/").json()["count"] >= 1
    assert api.get("/api/v1/client/adherence").status_code == 200
    assert api.get("/api/v1/client/programs/", {"client": ben.pk}).status_code == 404
    assert api.get(f"/api/v1/clients/{anna.pk}/measurements/").status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_api_lists_have_a_fixed_number_of_queries(alice, anna, count, django_assert_num_queries):
    with time_machine.travel(NOW):
        api = api_client_for(alice)
        for n in range(count):
            plan = assign(make_program(alice, name=f"P{n}"), anna, start=date(2026, 3, 2))
            item = plan.days.first().items.first()
            services.workout_log(
                client=anna,
                program=plan.pk,
                sets=[
                    {"item": item.pk, "set_number": s, "reps": 5, "weight": "100"} for s in (1, 2)
                ],
            )
            services.measurement_add(client=anna, kind="weight", value="70")
        counts = {}
        for url in (
            "/api/v1/programs/",
            "/api/v1/client-programs/",
            "/api/v1/workouts/",
            "/api/v1/exercises/",
            f"/api/v1/clients/{anna.pk}/measurements/",
            f"/api/v1/clients/{anna.pk}/records/",
        ):
            api.get(url)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert api.get(url).status_code == 200
            counts[url.split("/")[3] if "clients" not in url else url.split("/")[-2]] = len(ctx)
    assert counts == EXPECTED_COUNTS


# The same at both sizes: a page's count, its rows and one query per prefetched level.
EXPECTED_COUNTS = {
    "client-programs": 5,
    "exercises": 3,
    "measurements": 4,
    "programs": 5,
    "records": 4,
    "workouts": 4,
}
