from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from trainerhub.clients import services
from trainerhub.clients.models import Client, ClientTag, IntakeField, NoteRevision
from trainerhub.clients.search import build_search_text, normalise, query_terms
from trainerhub.clients.tests.factories import ClientFactory, TagFactory, make_booking
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_normalise_strips_case_and_accents():
    assert normalise("  Zoë  MÜLLER ") == "zoe muller"
    assert normalise("Ångström") == "angstrom"
    assert query_terms("+44 7700-900") == ["447700900"]
    assert query_terms("Zoë mül") == ["zoe", "mul"]


def test_create_normalises_phone_email_and_search_text(alice):
    client = services.client_create(
        trainer=alice,
        first_name=" Zoë ",
        last_name="Ørsted",
        email="Zoe@Example.COM",
        phone="07911 123456",
    )
    assert client.first_name == "Zoë"
    assert client.phone == "+447911123456"
    assert client.email == "Zoe@example.com"
    assert "zoe" in client.search_text and "orsted" in client.search_text
    assert "447911123456" in client.search_text and "07911123456" in client.search_text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "12"),
        ("phone", "call me"),
        ("date_of_birth", date.today() + timedelta(days=2)),
        ("first_name", ""),
        ("first_name", "x" * 101),
    ],
)
def test_create_refuses_bad_values(alice, field, value):
    fields = {"first_name": "Ann", field: value}
    with pytest.raises(InvalidInput) as exc:
        services.client_create(trainer=alice, **fields)
    assert field in exc.value.errors
    assert not Client.objects.exists()


def test_tags_must_be_the_trainers(alice, bob):
    TagFactory(trainer=alice, name="VIP")
    TagFactory(trainer=bob, name="Gym")
    client = services.client_create(trainer=alice, first_name="Ann", tags=["vip"])
    assert [t.name for t in client.tags.all()] == ["VIP"]
    with pytest.raises(InvalidInput) as exc:
        services.client_update(client=client, tags=["Gym"])
    assert "tags" in exc.value.errors
    assert [t.name for t in client.tags.all()] == ["VIP"]
    services.client_update(client=client, tags=[])
    assert not ClientTag.objects.exists()


def test_custom_fields_validated_by_kind(alice):
    services.intake_field_create(trainer=alice, label="Weight kg", kind="number")
    services.intake_field_create(
        trainer=alice, label="Level", kind="choice", choices=["Beginner", "Pro"]
    )
    services.intake_field_create(trainer=alice, label="Injured", kind="yesno")
    services.intake_field_create(trainer=alice, label="Started", kind="date", key="started")
    client = services.client_create(
        trainer=alice,
        first_name="Ann",
        custom_fields={
            "weight_kg": "72,5",
            "level": "Pro",
            "injured": "no",
            "started": "01/02/2024",
        },
    )
    assert client.custom_fields == {
        "weight_kg": 72.5,
        "level": "Pro",
        "injured": False,
        "started": "2024-02-01",
    }
    for bad in (
        {"weight_kg": "heavy"},
        {"level": "Expert"},
        {"injured": "maybe"},
        {"nope": 1},
        {"started": "31/02/2024"},
    ):
        with pytest.raises(InvalidInput) as exc:
            services.client_update(client=client, custom_fields=bad)
        assert "custom_fields" in exc.value.errors
    client.refresh_from_db()
    assert client.custom_fields["level"] == "Pro"


def test_intake_field_choice_needs_choices(alice):
    with pytest.raises(InvalidInput):
        services.intake_field_create(trainer=alice, label="Pick", kind="choice", choices=[])
    field = services.intake_field_create(trainer=alice, label="Goal type", on_booking_form=True)
    assert field.key == "goal_type" and field.on_booking_form
    with pytest.raises(InvalidInput):
        services.intake_field_create(trainer=alice, label="Goal type")
    services.intake_field_deactivate(field=field)
    assert not IntakeField.objects.get(pk=field.pk).is_active


def test_archive_and_restore(anna):
    services.client_archive(client=anna)
    anna.refresh_from_db()
    assert anna.status == "archived" and anna.archived_at
    services.client_restore(client=anna)
    anna.refresh_from_db()
    assert anna.status == "active" and anna.archived_at is None


def test_erase_anonymises_but_keeps_figures(anna):
    from trainerhub.clients import notes
    from trainerhub.clients.selectors import client_stats

    tag = TagFactory(trainer=anna.trainer, name="VIP")
    services.client_update(client=anna, tags=[tag.name], goals="Run a marathon")
    note = notes.note_create(client=anna, body="Knee pain again")
    notes.note_update(note=note, body="Knee pain again, better")
    make_booking(anna, timezone.now() - timedelta(days=3), status="completed")
    services.client_erase(client=anna, confirm="anna  MÜLLER")
    anna.refresh_from_db()
    assert anna.first_name == services.ERASED_NAME
    assert anna.email == anna.phone == anna.health_notes == anna.goals == ""
    assert anna.erased_at and anna.status == "archived"
    assert "anna" not in anna.search_text
    assert not anna.notes.exists() and not NoteRevision.objects.filter(note_id=note.pk).exists()
    assert not anna.tags.exists()
    assert client_stats(client=anna).completed == 1
    with pytest.raises(InvalidInput):
        services.client_update(client=anna, first_name="Back")


def test_erase_needs_the_full_name(anna):
    with pytest.raises(InvalidInput) as refused:
        services.client_erase(client=anna, confirm="Anna")
    assert refused.value.errors == {"confirm": ["Type the client's full name exactly to confirm."]}
    anna.refresh_from_db()
    assert anna.erased_at is None and anna.health_notes == "Bad knee (private)"


def test_find_or_create_matches_email_case_insensitively(alice, anna):
    found = services.client_find_or_create_for_booking(
        trainer=alice, first_name="A", last_name="M", email="ANNA@example.com", phone=""
    )
    assert found.pk == anna.pk
    new = services.client_find_or_create_for_booking(
        trainer=alice,
        first_name="Neo",
        last_name="",
        email="neo@example.com",
        phone="+447911123457",
    )
    assert new.pk != anna.pk and Client.objects.count() == 2


def test_search_text_kept_up_to_date(anna):
    services.client_update(client=anna, last_name="Schröder")
    anna.refresh_from_db()
    assert anna.search_text == build_search_text(anna)
    assert "schroder" in anna.search_text


def test_factory_sanity(alice):
    assert ClientFactory(trainer=alice).search_text


def test_booking_form_answers_for_the_portal(alice):
    services.intake_field_create(
        trainer=alice, label="Injuries", required=True, on_booking_form=True
    )
    services.intake_field_create(trainer=alice, label="Internal", required=True)
    with pytest.raises(InvalidInput):
        services.custom_fields_validate(
            trainer=alice, values={}, enforce_required=True, booking_form_only=True
        )
    with pytest.raises(InvalidInput):  # a field not on the booking form is not the client's to fill
        services.custom_fields_validate(
            trainer=alice, values={"internal": "x", "injuries": "none"}, booking_form_only=True
        )
    answers = services.custom_fields_validate(
        trainer=alice, values={"injuries": "none"}, enforce_required=True, booking_form_only=True
    )
    client = services.client_find_or_create_for_booking(
        trainer=alice,
        first_name="Neo",
        last_name="",
        email="neo@example.com",
        phone="",
        custom_fields=answers,
    )
    assert client.custom_fields == {"injuries": "none"}


@pytest.mark.django_db(transaction=True)
def test_find_or_create_never_duplicates_under_concurrency(alice):
    import threading

    from django.db import connection

    errors: list[BaseException] = []

    def book() -> None:
        try:
            services.client_find_or_create_for_booking(
                trainer=alice, first_name="Sam", last_name="", email="sam@example.com", phone=""
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Client.objects.filter(email="sam@example.com").count() == 1
