"""The input rule for query parameters: an operation takes the ones its document lists, and
refuses any other with a 400 naming it (a typo in a filter answered an unfiltered list)."""

from __future__ import annotations

import pytest

from trainerhub.core.api import REPEATED_PARAMETER, UNKNOWN_PARAMETER

pytestmark = pytest.mark.django_db


def test_an_unknown_query_parameter_is_refused_by_name(alice_api):
    r = alice_api.get("/api/v1/bookings/", {"stauts": "cancelled", "page": 1, "zz": "1"})
    assert r.status_code == 400
    assert r.json() == {"stauts": [UNKNOWN_PARAMETER], "zz": [UNKNOWN_PARAMETER]}
    # The ones the document lists still filter, page and page_size included.
    ok = alice_api.get("/api/v1/bookings/", {"status": "cancelled", "page_size": 5})
    assert ok.status_code == 200, ok.json()
    # On an operation that lists none, and on a write.
    assert alice_api.get("/api/v1/me", {"x": 1}).json() == {"x": [UNKNOWN_PARAMETER]}
    r = alice_api.post("/api/v1/tags/?debug=1", {"name": "VIP"}, format="json")
    assert r.status_code == 400 and r.json() == {"debug": [UNKNOWN_PARAMETER]}


def test_a_parameter_is_given_once_and_page_size_is_a_number_in_range(alice_api):
    r = alice_api.get("/api/v1/clients/", {"status": ["active", "all"]})
    assert r.status_code == 400 and r.json() == {"status": [REPEATED_PARAMETER]}
    for size in ("null", "0", "201", ""):
        r = alice_api.get("/api/v1/clients/", {"page_size": size})
        assert r.json() == {"page_size": ["Give a whole number from 1 to 200."]}, size
    assert alice_api.get("/api/v1/clients/", {"page_size": "200"}).status_code == 200
    r = alice_api.get("/api/v1/clients/", {"upcoming": "null"})
    assert r.status_code == 400 and r.json() == {"upcoming": ["Give true or false."]}
    assert alice_api.get("/api/v1/clients/", {"upcoming": "true"}).status_code == 200


def test_who_may_not_ask_hears_that_first(anon_api):
    r = anon_api.get("/api/v1/bookings/", {"stauts": "x"})
    assert r.status_code == 401


def test_every_parameter_the_document_lists_is_taken():
    """The rule reads the same annotations the document is made from: for every operation,
    what it takes is exactly what the document lists (one paginated list of its own making,
    the assistant's history, takes page and page_size beyond it)."""
    from drf_spectacular.generators import SchemaGenerator

    from trainerhub.core.api import query_parameters_taken

    generator = SchemaGenerator()
    document = generator.get_schema(request=None, public=True)
    differ = []
    for path, _regex, method, callback in generator.endpoints:
        operation = document["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        view = callback.cls(**getattr(callback, "initkwargs", {}))
        view.request, view.args, view.kwargs = None, (), {}
        taken = (query_parameters_taken(view, method.lower()) or (frozenset(),))[0]
        listed = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if taken != listed:
            differ.append((method, path, sorted(taken - listed), sorted(listed - taken)))
    assert differ == [("GET", "/api/v1/assistant/history", ["page", "page_size"], [])]
