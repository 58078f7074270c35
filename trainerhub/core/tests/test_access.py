"""One access path: every id that comes from outside is validated once (`core/access.py`), so
a malformed, out-of-range or someone else's id is a 404 on every page and endpoint, never a
500 and never another trainer's row."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import URLResolver, get_resolver

from trainerhub.core.access import MAX_PK, get_owned_or_404, pk_or_404, row_or_404
from trainerhub.core.tests.factories import make_service, world_of
from trainerhub.scheduling.models import Service

HUGE = "99999999999999999999"  # more than a bigint holds: a database error if it got there
# The client-side surfaces (manage links, "My appointments", the client API, a client's
# invoices and contracts, the coaching link, the signing pages) sign in a client or carry a
# token, not a trainer: their apps' own tests cover them.
CLIENT_SIDE = (
    "api/v1/client/",
    "my/",
    "api/v1/public/",
    "api/v1/manage/",
    "book/",
    "manage/",
    "billing/my/",
    "coaching/c/",
    "coaching/my/",
    "contracts/my/",
    "contracts/sign/",
    "api/v1/sign/",
)


# The operator's catalogue of plans is the same for every trainer (a plan is nobody's row):
# its ids are not a tenant's, so only the impossible-id rule applies to them.
OPERATOR_WIDE = ("/plans/",)


def _routes(resolver: URLResolver = None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def trainer_routes_with_ids() -> list[str]:
    """Every trainer page and endpoint that takes an id in its path, with the id replaced."""
    found = []
    for route in _routes():
        if "<int:" not in route or route.startswith(("admin/", *CLIENT_SIDE)):
            continue
        path = re.sub(r"<int:\w+>", "{id}", route)
        path = path.replace("<str:action>", "confirm")
        found.append("/" + path)
    return sorted(found)


@pytest.mark.parametrize("raw", ["abc", "", None, "1.5", "-3", "0", HUGE, str(MAX_PK + 1), True])
def test_pk_or_404_refuses_what_cannot_be_an_id(raw):
    with pytest.raises(Http404):
        pk_or_404(raw)


@pytest.mark.parametrize("raw, pk", [("7", 7), (7, 7), (" 8 ", 8), (MAX_PK, MAX_PK)])
def test_pk_or_404_reads_an_id(raw, pk):
    assert pk_or_404(raw) == pk


def test_get_owned_or_404_never_answers_another_trainers_row(alice, bob):
    mine, theirs = make_service(alice), make_service(bob)
    assert get_owned_or_404(Service, trainer=alice, pk=str(mine.pk)) == mine
    assert get_owned_or_404(Service.objects.all(), trainer=alice.pk, pk=mine.pk) == mine
    with pytest.raises(Http404):
        get_owned_or_404(Service, trainer=alice, pk=theirs.pk)
    with pytest.raises(Http404):
        get_owned_or_404(Service, trainer=alice, pk=mine.pk, is_active=False)
    with pytest.raises(Http404):
        row_or_404(Service.objects.filter(trainer=alice), HUGE)


def test_the_table_covers_the_trainer_surfaces():
    routes = trainer_routes_with_ids()
    for expected in ("/api/v1/bookings/{id}/", "/scheduling/bookings/{id}/", "/clients/{id}/"):
        assert expected in routes
    assert "/notifications/{id}/read/" in routes


def _answer(client, path: str) -> int:
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response.status_code


@pytest.mark.parametrize("route", trainer_routes_with_ids())
@pytest.mark.parametrize("raw", [HUGE, "0"])
def test_an_impossible_id_is_a_404_on_every_trainer_page_and_endpoint(
    route, raw, client, alice_api, alice
):
    path = route.replace("{id}", raw)
    if route.startswith("/api/"):
        assert _answer(alice_api, path) == 404
    else:
        client.force_login(alice)
        assert _answer(client, path) == 404


@pytest.fixture
def alices_world(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return world_of(alice)


@pytest.mark.parametrize(
    "route", [r for r in trainer_routes_with_ids() if not r.startswith(OPERATOR_WIDE)]
)
def test_another_trainers_id_is_a_404_like_any_unknown_one(
    route, client, bob_api, bob, alices_world
):
    """bob asks for alice's rows by their real ids: the same 404 as for an id that exists
    nowhere (no 403 that would tell him the id is taken)."""
    path = route
    for pk in alices_world.ids_for(route):
        path = path.replace("{id}", str(pk), 1)
    if route.startswith("/api/"):
        assert _answer(bob_api, path) == 404
    else:
        client.force_login(bob)
        assert _answer(client, path) == 404


@pytest.mark.parametrize(
    "path",
    ["/scheduling/bookings/abc/", "/clients/abc/", "/scheduling/settings/services/-1/"],
)
def test_a_non_integer_id_in_a_page_path_is_a_404(path, client, alice):
    client.force_login(alice)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/bookings/abc/", "/api/v1/clients/1e3/", "/api/v1/services/-1/"]
)
def test_a_non_integer_id_in_an_api_path_is_a_404(path, alice_api):
    assert alice_api.get(path).status_code == 404


def test_an_impossible_id_in_a_query_is_no_500(client, alice, alice_api):
    client.force_login(alice)
    slots = client.get(f"/scheduling/bookings/new/slots/?service={HUGE}&start=2030-01-01")
    assert slots.status_code == 200
    # No such service: the picker shows no starts (and no "no free start" either).
    assert b"Free starts" not in slots.content
    assert b"No free start" not in slots.content
    listing = alice_api.get(f"/api/v1/bookings/?client={HUGE}")
    assert listing.status_code == 400
    assert "client" in listing.json()
