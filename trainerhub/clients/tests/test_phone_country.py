"""Phone numbers without a country code are read in the trainer's country (their setting,
else their timezone's country), and every form and the import say which country that is."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trainerhub.accounts.tests.factories import TrainerFactory
from trainerhub.clients import importing
from trainerhub.clients.services import client_create
from trainerhub.clients.validation import phone_region_for
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

GERMAN_MOBILE = "01512 3456789"


@pytest.fixture
def berlin():
    return TrainerFactory(email="berta@example.com", timezone="Europe/Berlin")


def test_the_country_comes_from_the_setting_else_the_timezone(berlin, alice):
    assert phone_region_for(berlin) == "DE"
    assert phone_region_for(alice) == "GB"
    alice.country = "IE"
    assert phone_region_for(alice) == "IE"
    assert phone_region_for(TrainerFactory(timezone="UTC")) == ""


def test_a_berlin_trainers_national_number_is_german(berlin):
    client = client_create(trainer=berlin, first_name="Jonas", phone=GERMAN_MOBILE)
    # It used to become +441512345678 (read as British).
    assert client.phone == "+4915123456789"
    client = client_create(trainer=berlin, first_name="Amy", phone="+44 7911 123456")
    assert client.phone == "+447911123456"


def test_a_wrong_number_gets_an_example_of_the_trainers_country(berlin):
    with pytest.raises(InvalidInput) as exc:
        client_create(trainer=berlin, first_name="Jonas", phone="0151 23")
    assert exc.value.errors["phone"] == [
        "Enter a valid phone number, e.g. 01512 3456789 or +49 1512 3456789."
    ]


def test_without_a_country_only_international_numbers_are_understood():
    nowhere = TrainerFactory(timezone="UTC")
    with pytest.raises(InvalidInput) as exc:
        client_create(trainer=nowhere, first_name="Jonas", phone=GERMAN_MOBILE)
    assert "phone" in exc.value.errors
    client = client_create(trainer=nowhere, first_name="Jonas", phone="+49 1512 3456789")
    assert client.phone == "+4915123456789"


def test_import_reads_german_numbers_and_says_so(berlin):
    data = (
        "Vorname;Nachname;Mobile\r\nJonas;Jäger;01512 3456789\r\nEva;Ernst;0151 23\r\n"
    ).encode()
    preview = importing.import_preview(trainer=berlin, data=data)
    assert [r.values["phone"] for r in preview.valid] == ["+4915123456789"]
    assert preview.invalid[0].errors == [
        "Enter a valid phone number, e.g. 01512 3456789 or +49 1512 3456789. "
        "The file says “0151 23”."
    ]
    assert preview.phone_note == (
        "Numbers without a country code are read as numbers in Germany, "
        "e.g. 01512 3456789 or +49 1512 3456789."
    )
    assert preview.column_labels == {
        "Vorname": "First name",
        "Nachname": "Last name",
        "Mobile": "Phone",
    }


def test_pages_say_which_country_numbers_are_read_in(client, berlin):
    client.force_login(berlin)
    note = "Numbers without a country code are read as numbers in Germany"
    form_page = client.get(reverse("clients:create")).content.decode()
    assert form_page.count(note) == 2  # the phone and the emergency contact's phone
    import_page = client.get(reverse("clients:import")).content.decode()
    assert note in import_page and "+44" not in import_page
    upload = SimpleUploadedFile("clients.csv", b"First name;Phone\r\nJonas;01512 3456789\r\n")
    preview_page = client.post(reverse("clients:import"), {"file": upload}).content.decode()
    assert note in preview_page
    assert "“First name” as First name, “Phone” as Phone" in preview_page
    assert "first_name" not in preview_page.split("<form")[0]
