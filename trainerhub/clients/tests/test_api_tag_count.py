"""Every tag the API answers carries its client_count, as the document says (schemathesis
found it missing on create)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_tag_is_answered_with_its_client_count_on_create_read_and_change(alice_api, bob_api):
    created = alice_api.post("/api/v1/tags/", {"name": "VIP"}, format="json")
    assert created.status_code == 201 and created.json()["client_count"] == 0
    pk = created.json()["id"]
    client = alice_api.post(
        "/api/v1/clients/", {"first_name": "Ann", "tags": ["VIP"]}, format="json"
    )
    assert client.status_code == 201, client.json()
    assert alice_api.get(f"/api/v1/tags/{pk}/").json()["client_count"] == 1
    changed = alice_api.patch(f"/api/v1/tags/{pk}/", {"name": "Gold"}, format="json")
    assert changed.json() == {"id": pk, "name": "Gold", "color": "#64748b", "client_count": 1}
    assert bob_api.get(f"/api/v1/tags/{pk}/").status_code == 404
