"""One spelling of an email address for every sign-in path and for the lockout it feeds.

Before, the client sign-in only stripped the address while the backend matched it in any case:
each case variant got five fresh tries. Here the failures are spread over case, whitespace and
fullwidth (NFKC) variants, and mixed across surfaces; the lock must count them as one account.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from trainerhub.accounts.emails import axes_username, canonical_email
from trainerhub.accounts.models import User
from trainerhub.accounts.tests.factories import PASSWORD, TrainerFactory

pytestmark = pytest.mark.django_db

# Each passes the email validators of every form and serializer (fullwidth letters are
# accepted by Django in the domain part only) and names the same account.
VARIANTS = [
    "Alice@Example.COM",
    " ALICE@EXAMPLE.com ",
    "alice@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.\uff43\uff4f\uff4d",  # a fullwidth domain
    "aLiCe@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.COM",  # fullwidth capitals
    "\u3000alice@example.com",  # an ideographic space in front
]


def trainer_page(web, email: str, password: str) -> int:
    return web.post(reverse("accounts:login"), {"email": email, "password": password}).status_code


def trainer_api(api, email: str, password: str) -> int:
    return api.post("/api/v1/auth/login", {"email": email, "password": password}).status_code


def client_page(web, email: str, password: str) -> int:
    return web.post("/my/login/", {"email": email, "password": password}).status_code


def client_api(api, email: str, password: str) -> int:
    return api.post("/api/v1/client/login", {"email": email, "password": password}).status_code


@pytest.fixture
def alice_client_account() -> User:
    return TrainerFactory(email="alice@example.com", name="Alice", slug=None, role="client")


@pytest.mark.parametrize(
    "raw",
    [*VARIANTS, "alice@example.com", "\uff41\uff4c\uff49\uff43\uff45@example.com"],
)
def test_every_variant_has_one_spelling(raw):
    assert canonical_email(raw) == "alice@example.com"


def test_addresses_the_database_keeps_apart_stay_apart():
    # lower(), not casefold(): the uniqueness rule is Lower("email").
    assert canonical_email("straße@example.com") != canonical_email("strasse@example.com")


def test_axes_reads_the_canonical_address_from_credentials_and_from_the_form(rf):
    request = rf.post("/", {"email": " ALICE@Example.com"})
    assert axes_username(request) == "alice@example.com"
    assert axes_username(request, {"email": VARIANTS[2]}) == "alice@example.com"
    assert axes_username(rf.post("/", {})) is None


@pytest.mark.parametrize(
    ("surface", "locked_status"),
    [(trainer_page, 429), (trainer_api, 429)],
    ids=["trainer-page", "trainer-api"],
)
def test_trainer_lockout_counts_every_variant_as_one_account(
    surface, locked_status, client, anon_api, alice
):
    via = client if surface is trainer_page else anon_api
    failed = [surface(via, email, "wrong-password") for email in VARIANTS[:4]]
    assert failed == ([200] * 4 if surface is trainer_page else [401] * 4)
    assert surface(via, VARIANTS[4], "wrong-password") == locked_status
    assert surface(via, "alice@example.com", PASSWORD) == locked_status
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice@example.com"}


@pytest.mark.parametrize(
    ("surface", "failed_status"),
    [(client_page, 400), (client_api, 401)],
    ids=["client-page", "client-api"],
)
def test_client_lockout_counts_every_variant_as_one_account(
    surface, failed_status, client, anon_api, alice_client_account
):
    via = client if surface is client_page else anon_api
    failed = [surface(via, email, "wrong-password") for email in VARIANTS[:4]]
    assert failed == [failed_status] * 4
    assert surface(via, VARIANTS[4], "wrong-password") == 429
    assert surface(via, "alice@example.com", PASSWORD) == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice@example.com"}


def test_failures_add_up_across_client_page_and_api(client, anon_api, alice_client_account):
    assert [client_page(client, e, "nope") for e in VARIANTS[:3]] == [400] * 3
    assert client_api(anon_api, VARIANTS[3], "nope") == 401
    assert client_api(anon_api, VARIANTS[4], "nope") == 429
    assert client_page(client, "alice@example.com", PASSWORD) == 429


def test_a_variant_signs_in_and_resets_the_count(client, anon_api, alice_client_account):
    assert [client_api(anon_api, e, "nope") for e in VARIANTS[:4]] == [401] * 4
    # A success under another spelling clears the counter kept under the canonical one.
    assert client_api(anon_api, VARIANTS[2], PASSWORD) == 200
    assert [client_api(anon_api, e, "nope") for e in VARIANTS[:4]] == [401] * 4


def test_a_registered_address_is_stored_in_its_one_spelling(anon_api):
    from trainerhub.accounts.services import trainer_register

    user = trainer_register(
        email=" Dora@\uff25xample.com", password=PASSWORD, name="Dora", timezone="UTC"
    )
    assert user.email == "dora@example.com"
