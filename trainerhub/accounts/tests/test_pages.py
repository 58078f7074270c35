"""Account pages: each renders, accepts good input, shows bad input next to the field, and
asks for a sign-in where it should."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.accounts.services import EMAIL_TAKEN, SLUG_TAKEN
from trainerhub.accounts.tests.factories import PASSWORD

REGISTER = {
    "name": "Erin Earl",
    "business_name": "Earl Pilates",
    "email": "erin@example.com",
    "password": "a-long-enough-passphrase",
    "timezone": "Europe/Madrid",
}


def field_error(response, field: str) -> str:
    """The messages shown next to one field (form errors are rendered beside their input)."""
    return " ".join(response.context["form"].errors.get(field, []))


# --- register -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_page_offers_every_timezone_and_asks_for_the_browsers(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-browser-timezone" in page
    assert 'value="America/New_York"' in page
    assert 'data-user-set="true"' not in page
    for label in ("Your name", "Business name", "Email", "Password", "Timezone"):
        assert label in page


@pytest.mark.django_db
def test_register_creates_the_account_and_signs_in(client):
    response = client.post(reverse("accounts:register"), REGISTER)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    user = User.objects.get(email="erin@example.com")
    assert (user.business_name, user.timezone, user.slug) == (
        "Earl Pilates",
        "Europe/Madrid",
        "earl-pilates",
    )
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"email": "ALICE@example.com"}, "email", EMAIL_TAKEN),
        ({"email": "nope"}, "email", "valid email"),
        ({"email": ""}, "email", "required"),
        ({"password": "123"}, "password", "too short"),
        ({"password": "erin@example.com"}, "password", "too similar"),
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 10_000}, "name", "at most 150"),
        ({"timezone": "Mars/Olympus"}, "timezone", "valid choice"),
    ],
)
def test_register_bad_input_shows_the_message_next_to_the_field(
    client, alice, override, field, message
):
    response = client.post(reverse("accounts:register"), {**REGISTER, **override})
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.filter(email="erin@example.com").exists()


@pytest.mark.django_db
def test_register_keeps_the_picked_timezone_when_the_form_comes_back(client):
    response = client.post(reverse("accounts:register"), {**REGISTER, "password": "1"})
    page = response.content.decode()
    assert 'data-user-set="true"' in page
    assert '<option value="Europe/Madrid" selected>' in page


# --- login / logout ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()


@pytest.mark.django_db
def test_login_signs_in_and_goes_to_the_dashboard(client, alice):
    response = client.post(
        reverse("accounts:login"), {"email": "Alice@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.session["_auth_user_id"] == str(alice.pk)


@pytest.mark.django_db
def test_login_follows_a_local_next_but_not_another_site(client, alice):
    url = reverse("accounts:login")
    data = {"email": "alice@example.com", "password": PASSWORD}
    response = client.post(f"{url}?next=/accounts/profile/", data)
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(f"{url}?next=https://evil.example.com/", data)
    assert response["Location"] == reverse("dashboard:home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "alice@example.com", "password": "wrong"}, "__all__", "not correct"),
        ({"email": "", "password": "x"}, "email", "required"),
        ({"email": "alice@example.com", "password": ""}, "password", "required"),
        ({"email": "x" * 10_000, "password": "x"}, "email", "at most 254"),
    ],
)
def test_login_bad_input_says_what_is_wrong(client, alice, data, field, message):
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_client_account_cannot_sign_in_on_the_trainer_page(client, client_user):
    response = client.post(
        reverse("accounts:login"), {"email": client_user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post_and_signs_out(alice_web):
    assert alice_web.get(reverse("accounts:logout")).status_code == 405
    response = alice_web.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in alice_web.session


@pytest.mark.django_db
def test_the_home_page_needs_a_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_signed_in_trainers_skip_the_login_and_register_pages(alice_web):
    assert alice_web.get(reverse("accounts:login"))["Location"] == reverse("dashboard:home")
    assert alice_web.get(reverse("accounts:register"))["Location"] == reverse("dashboard:home")


# --- profile ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:profile", "accounts:password_change"])
def test_account_pages_need_a_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_profile_page_shows_the_current_values(alice_web):
    response = alice_web.get(reverse("accounts:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Alice Archer"' in page
    assert '<option value="Europe/London" selected>' in page
    assert 'data-user-set="true"' in page


@pytest.mark.django_db
def test_profile_page_saves(alice_web, alice):
    data = {
        "name": "Alice A.",
        "business_name": "Archer Strength",
        "slug": "archer",
        "timezone": "Europe/Dublin",
        "phone": "+44 20 7946 0958",
        "bio": "Hello",
        "currency": "GBP",
    }
    response = alice_web.post(reverse("accounts:profile"), data, follow=True)
    assert "Your profile has been saved." in response.content.decode()
    alice.refresh_from_db()
    assert (alice.slug, alice.timezone, alice.phone, alice.currency) == (
        "archer",
        "Europe/Dublin",
        "+442079460958",
        "GBP",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"slug": "bob"}, "slug", SLUG_TAKEN),
        ({"slug": "No Spaces!"}, "slug", "lowercase letters"),
        ({"phone": "12345"}, "phone", "valid phone number"),
        ({"timezone": "Nowhere/Town"}, "timezone", "valid choice"),
        ({"currency": "XXX"}, "currency", "valid choice"),
        ({"name": ""}, "name", "required"),
        ({"bio": "x" * 10_000}, "bio", "at most 2000"),
    ],
)
def test_profile_bad_input_shows_the_message_next_to_the_field(
    alice_web, alice, bob, override, field, message
):
    data = {
        "name": "Alice Archer",
        "business_name": "",
        "slug": "alice",
        "timezone": "Europe/London",
        "phone": "",
        "bio": "",
        "currency": "EUR",
        **override,
    }
    response = alice_web.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert f'id="id_{field}_error"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.slug == "alice"


# --- password change ------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_change_page_renders(alice_web):
    assert alice_web.get(reverse("accounts:password_change")).status_code == 200


@pytest.mark.django_db
def test_password_change_keeps_the_person_signed_in(alice_web, alice):
    data = {
        "old_password": PASSWORD,
        "new_password": "brand-new-passphrase",
        "new_password_again": "brand-new-passphrase",
    }
    response = alice_web.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase")
    assert alice_web.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"old_password": "wrong"}, "old_password", "incorrectly"),
        ({"new_password_again": "something-else-entirely"}, "new_password_again", "not the same"),
        ({"new_password": "123", "new_password_again": "123"}, "new_password", "too short"),
        ({"old_password": ""}, "old_password", "required"),
    ],
)
def test_password_change_bad_input_shows_the_message_next_to_the_field(
    alice_web, alice, override, field, message
):
    data = {
        "old_password": PASSWORD,
        "new_password": "brand-new-passphrase",
        "new_password_again": "brand-new-passphrase",
        **override,
    }
    response = alice_web.post(reverse("accounts:password_change"), data)
    assert response.status_code == 200
    assert message in field_error(response, field)
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.django_db
def test_sign_in_and_register_pages_are_throttled_per_address(client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/m"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # Rate-limit windows are aligned to the clock: a frozen clock keeps all four posts
    # inside one window however slow the machine is.
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False):
        _assert_fourth_post_refused(client)


def _assert_fourth_post_refused(client) -> None:
    for name in ("accounts:login", "accounts:register"):
        codes = [
            client.post(reverse(name), {"email": "x@example.com"}).status_code for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        assert "Too many attempts" in client.post(reverse(name), {}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["accounts:register", "accounts:login", "accounts:profile", "accounts:password_change"]
)
def test_an_empty_post_lists_the_missing_fields(alice, client, name):
    if name in ("accounts:profile", "accounts:password_change"):
        client.force_login(alice)
    response = client.post(reverse(name), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
