from __future__ import annotations

import pytest

from trainerhub.contracts import services
from trainerhub.contracts.tests.conftest import FIELDS, TRAINER, sent_contract
from trainerhub.contracts.tests.test_drawn import PNG_DATA_URL
from trainerhub.core.tests import factories

pytestmark = pytest.mark.django_db


def test_templates_crud_and_another_trainers_is_404(alice_api, bob_api, alice):
    r = alice_api.post(
        "/api/v1/contract-templates/",
        {
            "name": "Waiver",
            "body": "<p>Hi {{ client.first_name }}<script>x</script></p>",
            "fields": FIELDS,
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["body"] == "<p>Hi {{ client.first_name }}</p>"
    assert [f["key"] for f in body["fields"]] == ["field_1", "field_2", "field_3"]
    pk = body["id"]
    assert (
        alice_api.patch(
            f"/api/v1/contract-templates/{pk}/", {"name": "Waiver 2"}, format="json"
        ).json()["name"]
        == "Waiver 2"
    )
    assert bob_api.get(f"/api/v1/contract-templates/{pk}/").status_code == 404
    assert bob_api.delete(f"/api/v1/contract-templates/{pk}/").status_code == 404
    r = alice_api.post(
        "/api/v1/contract-templates/", {"name": "X", "body": "{{ nope }}"}, format="json"
    )
    assert r.status_code == 400 and "Unknown merge field {{ nope }}" in r.json()["body"][0]
    assert alice_api.delete(f"/api/v1/contract-templates/{pk}/").status_code == 204


def test_create_send_get_events_void_and_404_for_bob(
    alice_api, bob_api, alice, waiver, chris, booking
):
    r = alice_api.post(
        "/api/v1/contracts/",
        {"template": waiver.pk, "client": chris.pk, "booking": booking.pk},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "draft"
    pk = r.json()["id"]
    r = alice_api.post(f"/api/v1/contracts/{pk}/send")
    assert r.status_code == 200 and r.json()["status"] == "sent"
    assert "Chris Cole" in r.json()["document_html"]
    events = alice_api.get(f"/api/v1/contracts/{pk}/events").json()
    assert events["chain_ok"] is True and [e["kind"] for e in events["results"]] == [
        "created",
        "sent",
    ]
    for path in ("", "send", "void", "pdf", "events"):
        url = f"/api/v1/contracts/{pk}/{path}"
        answer = bob_api.post(url) if path in ("send", "void") else bob_api.get(url)
        assert answer.status_code == 404, path
    assert alice_api.get(f"/api/v1/contracts/{pk}/pdf").status_code == 409
    r = alice_api.post(f"/api/v1/contracts/{pk}/void", {"reason": "Wrong one"}, format="json")
    assert r.json()["status"] == "voided"


def test_list_filters_and_a_fixed_number_of_queries(
    alice_api, alice, waiver, chris, booking, django_assert_num_queries
):
    sent_contract(alice, waiver, chris, booking)
    other = factories.make_client(alice, "Dana", email="dana@example.com")
    services.contract_create(trainer=alice, template=waiver, client=other, actor=TRAINER)
    with django_assert_num_queries(3):
        r = alice_api.get("/api/v1/contracts/")
    assert r.json()["count"] == 2
    for _ in range(4):
        services.contract_create(trainer=alice, template=waiver, client=other, actor=TRAINER)
    with django_assert_num_queries(3):
        alice_api.get("/api/v1/contracts/")
    assert alice_api.get("/api/v1/contracts/", {"client": chris.pk}).json()["count"] == 1
    assert alice_api.get("/api/v1/contracts/", {"booking": booking.pk}).json()["count"] == 1
    assert alice_api.get("/api/v1/contracts/", {"status": "draft"}).json()["count"] == 5
    r = alice_api.get("/api/v1/contracts/", {"status": "lost"})
    assert r.status_code == 400 and "status" in r.json()


def test_public_signing_api(anon_api, alice, waiver, chris, booking):
    contract = sent_contract(alice, waiver, chris, booking)
    url = f"/api/v1/sign/{contract.token}"
    r = anon_api.get(url)
    assert r.status_code == 200 and "Chris Cole" in r.json()["document_html"]
    assert [f["kind"] for f in r.json()["fields"]] == ["text", "checkbox", "initials"]
    bad = anon_api.post(
        url,
        {
            "fields": {"field_1": "Pat"},
            "consent": False,
            "signature": {"type": "drawn", "png": "data:image/gif;base64,R0lGOD"},
        },
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"fields.field_2", "fields.field_3", "consent", "signature"}
    ok = anon_api.post(
        url,
        {
            "fields": {"field_1": "Pat", "field_2": True, "field_3": "CC"},
            "consent": True,
            "signature": {"type": "drawn", "png": PNG_DATA_URL},
        },
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "completed"
    again = anon_api.post(
        url, {"consent": True, "signature": {"type": "typed", "name": "Chris"}}, format="json"
    )
    assert again.status_code == 410 and "already signed" in again.json()["detail"][0]
    assert anon_api.get(url).status_code == 410
    assert anon_api.get("/api/v1/sign/" + "x" * 43).status_code == 404


def test_public_decline_and_void(anon_api, alice, waiver, chris, booking):
    contract = sent_contract(alice, waiver, chris, booking)
    url = f"/api/v1/sign/{contract.token}/decline"
    assert anon_api.post(url, {"reason": ""}, format="json").json() == {
        "reason": ["Tell your trainer why you decline."]
    }
    assert anon_api.post(url, {"reason": "Not this year"}, format="json").json() == {
        "status": "declined"
    }
    voided = sent_contract(alice, waiver, chris, booking)
    services.contract_void(contract=voided, actor=TRAINER)
    r = anon_api.post(f"/api/v1/sign/{voided.token}", {"consent": True}, format="json")
    assert r.status_code == 410 and "withdrew" in r.json()["detail"][0]
