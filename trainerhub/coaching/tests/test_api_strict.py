"""The coaching API under the API's one input rule (issue 18 item 19): a field an operation
does not take is a 400 naming it (an answered-only one named read-only), nested ones by their
path, in one answer with the service's own messages, and nothing is saved."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from conftest import api_client_for
from trainerhub.coaching.models import Exercise, Measurement, Program, ProgressPhoto, Workout
from trainerhub.coaching.tests.factories import assign, builtin, make_program
from trainerhub.core.api import READ_ONLY_FIELD, UNKNOWN_FIELD
from trainerhub.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = "2026-03-09 12:00:00+00:00"
SLED = {"name": "Sled push", "category": "strength", "primary_muscles": ["quads"]}


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_an_exercise_with_an_unknown_field_is_refused_by_name_with_the_other_messages(
    alice_api,
):
    r = alice_api.post(
        "/api/v1/exercises/",
        {**SLED, "name": "", "colour": "red", "id": 7, "trainer": 2},
        format="json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "name": ["This field is required."],
        "colour": [UNKNOWN_FIELD],
        "id": [READ_ONLY_FIELD],
        "trainer": [UNKNOWN_FIELD],
    }
    r = alice_api.post("/api/v1/exercises/", {**SLED, "musles": ["abs"]}, format="json")
    assert r.status_code == 400 and r.json() == {"musles": [UNKNOWN_FIELD]}
    assert not Exercise.objects.filter(trainer__isnull=False).exists()
    created = alice_api.post("/api/v1/exercises/", SLED, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    r = alice_api.patch(
        f"/api/v1/exercises/{pk}/",
        {"difficulty": "advanced", "builtin": True, "exercise": 1},
        format="json",
    )
    assert r.status_code == 400
    assert r.json() == {"builtin": [READ_ONLY_FIELD], "exercise": [UNKNOWN_FIELD]}
    assert Exercise.objects.get(pk=pk).difficulty == "beginner"


def test_a_programs_nested_unknown_fields_are_named_by_their_path(alice_api):
    squat = builtin("Goblet squat").pk
    day = {"name": "A", "exercises": [{"exercise": squat, "sets": 3, "reps_min": 8}]}
    r = alice_api.post(
        "/api/v1/programs/",
        {
            "name": "Plan",
            "weeks": 0,
            "days": [
                day,
                {
                    "name": "B",
                    "colour": "blue",
                    "exercises": [{"exercise": squat, "reps_min": 5, "sets": 2, "weight": 20}],
                },
            ],
        },
        format="json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "weeks": ["Enter a number from 1 to 52."],
        "days[1].colour": [UNKNOWN_FIELD],
        "days[1].exercises[0].weight": [UNKNOWN_FIELD],
    }
    assert not Program.objects.exists()
    # The answer's own fields, sent back, are named read-only.
    r = alice_api.post(
        "/api/v1/programs/",
        {"name": "Plan", "days": [{**day, "id": 3, "position": 0}], "created_at": "x"},
        format="json",
    )
    assert r.json() == {
        "days[0].id": [READ_ONLY_FIELD],
        "days[0].position": [READ_ONLY_FIELD],
        "created_at": [READ_ONLY_FIELD],
    }
    assert alice_api.post("/api/v1/programs/", {"name": "P", "days": [day]}).status_code == 201


@time_machine.travel(NOW)
def test_a_template_has_no_schedule_and_a_clients_copy_does(alice, anna):
    api = api_client_for(alice)
    template = make_program(alice)
    r = api.patch(f"/api/v1/programs/{template.pk}/", {"weekdays": [1]}, format="json")
    assert r.status_code == 400 and r.json() == {"weekdays": [READ_ONLY_FIELD]}
    r = api.patch(f"/api/v1/programs/{template.pk}/", {"archived": "false"}, format="json")
    assert r.status_code == 400 and r.json() == {"archived": ["Send true or false."]}
    r = api.patch(
        f"/api/v1/programs/{template.pk}/", {"name": "Renamed", "goal": "x" * 201, "x": 1}
    )
    assert r.json() == {"goal": ["At most 200 characters."], "x": [UNKNOWN_FIELD]}
    template.refresh_from_db()
    assert template.name == "Strength A" and template.archived_at is None
    copy = assign(template, anna, start=date(2026, 3, 2))
    r = api.patch(f"/api/v1/client-programs/{copy.pk}/", {"weekdays": [1]}, format="json")
    assert r.status_code == 200 and r.json()["weekdays"] == [1]
    # Copies are made by assigning a template: no POST here.
    assert api.post("/api/v1/client-programs/", {"name": "x"}).status_code == 405


@time_machine.travel(NOW)
def test_assigning_with_an_unknown_field_assigns_nothing_and_tells_nobody(alice, anna):
    api = api_client_for(alice)
    template = make_program(alice)
    messages = Notification.objects.count()
    r = api.post(
        f"/api/v1/programs/{template.pk}/assign",
        {"client": anna.pk, "start_date": "2026-03-02", "weekdays": [0], "notify": False},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"notify": [UNKNOWN_FIELD]}
    assert Program.objects.filter(client=anna).count() == 0
    assert Notification.objects.count() == messages
    ok = api.post(
        f"/api/v1/programs/{template.pk}/assign",
        {"client": anna.pk, "start_date": "2026-03-02", "weekdays": [0]},
        format="json",
    )
    assert ok.status_code == 201 and Notification.objects.count() > messages


@time_machine.travel(NOW)
def test_a_workout_with_unknown_fields_stores_nothing(alice, anna):
    api = api_client_for(alice)
    plan = assign(make_program(alice), anna, start=date(2026, 3, 2))
    item = plan.days.first().items.first()
    good_set = {"item": item.pk, "set_number": 1, "reps": 5, "weight": "100"}
    r = api.post(
        "/api/v1/workouts/",
        {
            "client": anna.pk,
            "program": plan.pk,
            "mood": "great",
            "sets": [good_set, {**good_set, "set_number": 2, "weight_kg": "90", "reps": 0}],
        },
        format="json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "sets[1].reps": ["Enter a number from 1 to 1000."],
        "mood": [UNKNOWN_FIELD],
        "sets[1].weight_kg": [READ_ONLY_FIELD],
    }
    assert not Workout.objects.exists()
    ok = api.post(
        "/api/v1/workouts/",
        {"client": anna.pk, "program": plan.pk, "sets": [good_set]},
        format="json",
    )
    assert ok.status_code == 201


@time_machine.travel(NOW)
def test_a_client_account_logs_only_its_own_fields(alice, anna):
    from trainerhub.accounts.models import User

    user = User.objects.create_user(
        email="anna@example.com", password="x" * 12, name="Anna", role="client"
    )
    anna.account = user
    anna.save(update_fields=["account"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    squat = builtin("Goblet squat").pk
    r = api.post(
        "/api/v1/client/workouts/",
        {"client": anna.pk, "sets": [{"exercise": squat, "reps": 5}]},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"client": [UNKNOWN_FIELD]}
    r = api.post("/api/v1/client/measurements/", {"kind": "weight", "value": "70", "by": "trainer"})
    assert r.status_code == 400 and r.json() == {"by": [READ_ONLY_FIELD]}
    assert not Workout.objects.exists() and not Measurement.objects.exists()


@time_machine.travel(NOW)
def test_progress_entries_with_unknown_fields_are_refused(alice, anna, settings):
    api = api_client_for(alice)
    url = f"/api/v1/clients/{anna.pk}"
    r = api.post(f"{url}/measurements/", {"kind": "waist", "value": "81", "unit": "in"})
    assert r.status_code == 400 and r.json() == {"unit": [READ_ONLY_FIELD]}
    r = api.post(
        f"{url}/photos/",
        {"pose": "front", "caption": "day 1", "file": SimpleUploadedFile("a.png", _png())},
        format="multipart",
    )
    assert r.status_code == 400 and r.json() == {"caption": [UNKNOWN_FIELD]}
    assert not ProgressPhoto.objects.exists()
    # The trial upload left no file behind.
    assert not [p for p in (settings.MEDIA_ROOT / "progress").rglob("*") if p.is_file()]
    ok = api.post(
        f"{url}/photos/",
        {"pose": "front", "file": SimpleUploadedFile("a.png", _png())},
        format="multipart",
    )
    assert ok.status_code == 201


def test_the_document_lists_what_each_coaching_body_takes_and_nothing_else():
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    schemas = document["components"]["schemas"]

    def body(path: str, method: str) -> dict:
        content = document["paths"][path][method]["requestBody"]["content"]
        media = content.get("application/json") or content["multipart/form-data"]
        return schemas[media["schema"]["$ref"].rsplit("/", 1)[1]]

    exercise = body("/api/v1/exercises/", "post")
    assert exercise["additionalProperties"] is False
    assert "id" not in exercise["properties"] and "video_url" in exercise["properties"]
    assert body("/api/v1/client/workouts/", "post")["additionalProperties"] is False
    assert "client" not in body("/api/v1/client/workouts/", "post")["properties"]
    assert "client" in body("/api/v1/workouts/", "post")["properties"]
    assert "weekdays" in body("/api/v1/client-programs/{id}/", "patch")["properties"]
    assert "weekdays" not in body("/api/v1/programs/{id}/", "patch")["properties"]
    assert set(body("/api/v1/programs/{id}/assign", "post")["properties"]) == {
        "client",
        "start_date",
        "weekdays",
    }
    assert set(body("/api/v1/clients/{client_pk}/photos/", "post")["properties"]) == {
        "file",
        "pose",
        "date",
    }
    assert "post" not in document["paths"]["/api/v1/client-programs/"]


def test_a_coaching_body_is_held_to_its_json_types(alice_api):
    from trainerhub.core.api import WRONG_TYPE

    r = alice_api.post("/api/v1/exercises/", {**SLED, "instructions": 5, "name": ""}, format="json")
    assert r.status_code == 400
    assert r.json() == {"name": ["This field is required."], "instructions": [WRONG_TYPE["str"]]}
    r = alice_api.post("/api/v1/programs/", {"name": "P", "weeks": "6"}, format="json")
    assert r.json() == {"weeks": [WRONG_TYPE["int"]]}
    r = alice_api.post(
        "/api/v1/programs/",
        {"name": "P", "instructions": None, "days": [{"notes": "x" * 2001, "exercises": {}}]},
        format="json",
    )
    assert r.json() == {
        "days[0].notes": ["At most 2000 characters."],
        "days[0].exercises": ["Send a list of at most 40 exercises."],
        "instructions": [UNKNOWN_FIELD],
    }
    r = alice_api.post(
        "/api/v1/programs/", {"name": "P", "days": [{"notes": {}}, {"name": 7}]}, format="json"
    )
    assert r.json() == {"days[0].notes": [WRONG_TYPE["str"]], "days[1].name": [WRONG_TYPE["str"]]}
    r = alice_api.post("/api/v1/exercises/", {**SLED, "instructions": None}, format="json")
    assert r.json() == {"instructions": ["This field may not be null."]}
    assert not Exercise.objects.filter(trainer__isnull=False).exists()
    assert not Program.objects.exists()
