import pytest

from trainerhub.accounts import services
from trainerhub.accounts.models import User
from trainerhub.core.errors import InvalidInput

GOOD = {
    "email": "New.Trainer@Example.com",
    "password": "a-long-enough-passphrase",
    "name": "New Trainer",
    "timezone": "Europe/Berlin",
}


@pytest.mark.django_db
def test_register_creates_a_trainer_with_a_hashed_password_and_a_slug():
    user = services.trainer_register(**GOOD, business_name="Strong Studio")
    assert user.email == "new.trainer@example.com"
    assert user.role == User.Role.TRAINER
    assert user.password.startswith("argon2")
    assert user.check_password(GOOD["password"])
    assert user.slug == "strong-studio"


@pytest.mark.django_db
def test_register_gives_each_trainer_a_different_slug():
    first = services.trainer_register(**GOOD)
    second = services.trainer_register(**{**GOOD, "email": "other@example.com"})
    assert first.slug == "new-trainer"
    assert second.slug == "new-trainer-2"


@pytest.mark.django_db
def test_register_makes_a_slug_from_a_short_or_unsluggable_name():
    user = services.trainer_register(**{**GOOD, "name": "漢字"})
    assert len(user.slug) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "ALICE@EXAMPLE.COM", " Alice@Example.com "])
def test_register_refuses_a_taken_address_in_any_case(alice, email):
    with pytest.raises(InvalidInput) as exc:
        services.trainer_register(**{**GOOD, "email": email})
    assert exc.value.errors == {"email": [services.EMAIL_TAKEN]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_register_refuses_bad_values_with_field_messages(override, field):
    with pytest.raises(InvalidInput) as exc:
        services.trainer_register(**{**GOOD, **override})
    assert field in exc.value.errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_profile_update_normalises_the_phone_and_checks_every_field(alice):
    services.profile_update(user=alice, phone="+44 20 7946 0958", currency="gbp", slug="Alice-PT")
    alice.refresh_from_db()
    assert (alice.phone, alice.currency, alice.slug) == ("+442079460958", "GBP", "alice-pt")
    with pytest.raises(InvalidInput) as exc:
        services.profile_update(
            user=alice, phone="12", currency="XXX", slug="-bad-", timezone="Nowhere/City"
        )
    assert set(exc.value.errors) == {"phone", "currency", "slug", "timezone"}


@pytest.mark.django_db
def test_profile_update_refuses_another_trainers_slug_and_unknown_fields(alice, bob):
    with pytest.raises(InvalidInput) as exc:
        services.profile_update(user=alice, slug="bob")
    assert exc.value.errors == {"slug": [services.SLUG_TAKEN]}
    with pytest.raises(InvalidInput):
        services.profile_update(user=alice, is_staff=True)


@pytest.mark.django_db
def test_password_change_checks_the_old_password_and_the_validators(alice, password):
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=alice, old_password="wrong", new_password="x-long-new-pass")
    assert "old_password" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.password_change(user=alice, old_password=password, new_password="123")
    assert "new_password" in exc.value.errors
    services.password_change(user=alice, old_password=password, new_password="x-long-new-pass")
    alice.refresh_from_db()
    assert alice.check_password("x-long-new-pass")
