"""The trainer's country on the profile page: blank follows the timezone, and the picker
says which country that gives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.clients.services import client_create

pytestmark = pytest.mark.django_db


def test_the_trainers_setting_wins_over_the_timezone(alice):
    # A London trainer who says Germany: German national numbers.
    alice.country = "DE"
    alice.save(update_fields=["country"])
    client = client_create(trainer=alice, first_name="Jonas", phone="01512 3456789")
    assert client.phone == "+4915123456789"


def profile_data(**extra):
    return {
        "name": "Alice Archer",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        **extra,
    }


def test_blank_country_names_the_timezones_country(client, alice):
    alice.timezone = "Europe/Berlin"
    alice.save(update_fields=["timezone"])
    client.force_login(alice)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="" selected>From my timezone (Germany)</option>' in page
    assert "are read as numbers in this country" in page


def test_the_country_is_saved_and_checked(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), profile_data(country="AT"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.country == "AT"
    response = client.post(reverse("accounts:profile"), profile_data(country="XX"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    alice.refresh_from_db()
    assert alice.country == "AT"
    client.post(reverse("accounts:profile"), profile_data(country=""))
    alice.refresh_from_db()
    assert alice.country == ""
