"""One input rule across the API: every field message at once, and a write body's unknown
fields refused with a 400 naming each (issue 18, item 19)."""

from __future__ import annotations

import pytest

from trainerhub.accounts.models import User
from trainerhub.core.api import READ_ONLY_FIELD, UNKNOWN_FIELD

REGISTER = "/api/v1/auth/register"


@pytest.mark.django_db
def test_register_reports_every_field_error_at_once(anon_api, alice):
    body = {
        "email": "ALICE@example.com",  # taken
        "password": "short",  # too short for the validators
        "name": "",  # the serializer's own "blank"
        "timezone": "Mars/Olympus_Mons",  # no such zone
        "business_nmae": "Typo Fitness",
    }
    response = anon_api.post(REGISTER, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"email", "password", "name", "timezone", "business_nmae"}
    assert errors["business_nmae"] == [UNKNOWN_FIELD]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_register_with_a_missing_field_still_checks_the_others(anon_api, alice):
    body = {"email": "alice@example.com", "password": "short", "timezone": "Europe/London"}
    errors = anon_api.post(REGISTER, body, format="json").json()
    assert set(errors) == {"email", "password", "name"}


@pytest.mark.django_db
def test_register_with_good_input_still_registers(anon_api):
    body = {
        "email": "new@example.com",
        "password": "a-long-enough-passphrase",
        "name": "New Trainer",
        "timezone": "Europe/Paris",
    }
    response = anon_api.post(REGISTER, body, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
def test_unknown_and_bad_fields_are_answered_together(alice_api):
    body = {"name": "", "duration_minutes": "long", "colour": "red"}
    response = alice_api.post("/api/v1/services/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["colour"] == [UNKNOWN_FIELD]
    assert {"name", "duration_minutes"} <= set(errors)


@pytest.mark.django_db
def test_a_read_only_field_in_a_write_body_is_named_read_only(alice_api):
    created = alice_api.post(
        "/api/v1/services/", {"name": "Session", "duration_minutes": 60}, format="json"
    )
    assert created.status_code == 201, created.json()
    service = created.json()
    response = alice_api.patch(
        f"/api/v1/services/{service['id']}/", {"id": 999, "name": "Renamed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"id": [READ_ONLY_FIELD]}
    unchanged = alice_api.get(f"/api/v1/services/{service['id']}/").json()
    assert unchanged["name"] == "Session"


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_the_document_refuses_unknown_fields_in_every_write_body(document):
    schemas = document["components"]["schemas"]
    body = schemas["PatchedProfileRequest"]
    assert body["additionalProperties"] is False
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media["schema"].get("$ref", "")
                if ref:
                    component = schemas[ref.rsplit("/", 1)[1]]
                    if "properties" in component:
                        assert component["additionalProperties"] is False, (method, path)


@pytest.mark.django_db
def test_every_bad_input_answer_is_documented_with_field_messages(document):
    error = {"$ref": "#/components/schemas/ApiError"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
            assert schema == error or error in schema["anyOf"], (method, path)


@pytest.mark.django_db
def test_a_paginated_list_is_documented_as_its_page(document):
    operation = document["paths"]["/api/v1/services/"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"count", "next", "previous", "results"}
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}
