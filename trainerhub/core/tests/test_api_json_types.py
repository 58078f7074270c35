"""A JSON body is held to the JSON types the document gives its fields: DRF read "0" and 0 as
false, 0 as the text "0" and a number as a decimal (schemathesis, issue 19 item 7)."""

from __future__ import annotations

import pytest

from trainerhub.core.api import WRONG_TYPE, json_type_errors
from trainerhub.core.jsonbody import loads

pytestmark = pytest.mark.django_db


def test_each_field_takes_its_own_json_type(alice_api):
    r = alice_api.post("/api/v1/tags/", {"name": 0}, format="json")
    assert r.status_code == 400 and r.json() == {"name": [WRONG_TYPE["str"]]}
    r = alice_api.post(
        "/api/v1/discounts/", {"code": "SPRING", "percent_off": "10", "is_active": 0}, format="json"
    )
    assert r.status_code == 400
    assert r.json() == {"percent_off": [WRONG_TYPE["int"]], "is_active": [WRONG_TYPE["bool"]]}
    r = alice_api.post(
        "/api/v1/packages/",
        {"name": "Ten", "sessions_count": 10, "price": 450, "currency": "GBP"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["price"] == [WRONG_TYPE["decimal"]]
    r = alice_api.post("/api/v1/clients/", {"first_name": "Ann", "allow_duplicate": "no"})
    assert r.json() == {"allow_duplicate": [WRONG_TYPE["bool"]]}
    assert alice_api.post("/api/v1/tags/", {"name": "VIP"}, format="json").status_code == 201


def test_a_type_error_comes_with_the_other_field_messages(alice_api):
    r = alice_api.post("/api/v1/tags/", {"name": 5, "colour": "#fff"}, format="json")
    assert r.json() == {
        "name": [WRONG_TYPE["str"]],
        "colour": ["Unknown field: this operation does not take it."],
    }


def test_null_and_lists_follow_the_fields_own_rules():
    from rest_framework import serializers

    class Probe(serializers.Serializer):
        ids = serializers.ListField(child=serializers.IntegerField())
        note = serializers.CharField(allow_null=True)

    body = loads('{"ids": [1, "2"], "note": null}')
    assert json_type_errors(Probe(), body) == {"ids": [WRONG_TYPE["int"]]}
    assert json_type_errors(Probe(), loads('{"ids": [1, 2], "note": "x"}')) == {}
