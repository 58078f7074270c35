"""Inputs that made a 500 (issue 19, item 7), each with its one answer, on SQLite and
PostgreSQL (where a NUL reached the database as a DataError): nested JSON, NUL and other
control characters in paths, query parameters, fields, JSON values and CSV rows, and a
control character already stored that broke the spreadsheet export."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client as WebClient
from openpyxl import load_workbook

from trainerhub.clients import importing
from trainerhub.clients.models import Client, IntakeField
from trainerhub.core.jsonbody import MAX_DEPTH, TOO_DEEP, nesting_depth
from trainerhub.core.middleware import CONTROL_IN_ADDRESS
from trainerhub.core.tests.factories import (
    local_at,
    make_booking,
    make_client,
    make_service,
    open_every_day,
)
from trainerhub.core.validation import CONTROL_MESSAGE
from trainerhub.portal.models import PortalSettings
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000


@pytest.fixture
def alice_web(alice) -> WebClient:
    web = WebClient()
    web.force_login(alice)
    return web


@pytest.fixture
def practice(alice):
    open_every_day(alice)
    service = make_service(alice, bookable_online=True)
    client = make_client(alice, "Carol", email="carol@example.com")
    booking = make_booking(client, local_at(alice, 3, "10:00"), service=service)
    PortalSettings.objects.update_or_create(trainer=alice, defaults={"enabled": True})
    IntakeField.objects.create(trainer=alice, key="goal", label="Goal", on_booking_form=True)
    return {"service": service, "client": client, "booking": booking}


# --- Deeply nested JSON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/public/alice/bookings"]
)
def test_deep_json_is_a_400_on_every_api_body(anon_api, practice, url):
    response = anon_api.post(url, DEEP, content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": TOO_DEEP, "code": "parse_error"},
    )


def test_deep_json_is_a_400_on_the_calendar_move(alice_web, practice):
    url = f"/scheduling/bookings/{practice['booking'].pk}/move/"
    response = alice_web.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": 'Send JSON like {"start": "..."}.'}


def test_the_depth_limit_counts_brackets_outside_strings_only():
    assert nesting_depth("[" * MAX_DEPTH + "]" * MAX_DEPTH) == MAX_DEPTH
    assert nesting_depth(json.dumps({"note": "[" * 1000})) == 1
    assert nesting_depth(json.dumps({"note": 'say "[[[" \\\\'})) == 1
    assert nesting_depth("[" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1


def test_json_at_the_limit_is_parsed(anon_api, practice):
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    response = anon_api.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" not in response.json()  # the serializer's field messages, not a parse error


# --- NUL and control characters in the address ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/manage/abc%00def/",
        "/manage/abc%00def/calendar.ics",
        "/calendar/abc%00def.ics",
        "/join/abc%00def/",
        "/my/claim/abc%00def/",
        "/book/alice/details/?service=1&start=2030-01-01T10%3A00%00",
    ],
)
def test_a_nul_in_a_public_address_is_a_400(client, practice, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.content.decode() == CONTROL_IN_ADDRESS


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/manage/abc%00def",
        "/api/v1/clients/?search=ca%00rol",
        "/api/v1/clients/?tag=vip%00",
        "/api/v1/clients/?search=ca%01rol",
    ],
)
def test_a_nul_in_an_api_address_is_a_400(alice_api, practice, path):
    response = alice_api.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": CONTROL_IN_ADDRESS, "code": "control_characters"}


def test_a_nul_in_a_page_search_is_a_400(alice_web, practice):
    assert alice_web.get("/clients/?search=ca%00rol").status_code == 400
    assert alice_web.get("/clients/?tag=vip%00").status_code == 400


# --- In fields and answers ----------------------------------------------------------------------


def _public(service, **extra) -> dict:
    from trainerhub.portal.tests.conftest import day_at

    return {
        "service": service.pk,
        "start": day_at(2, 10).isoformat(),
        "first_name": "Dora",
        "last_name": "D",
        "email": "dora@example.com",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"first_name": "Do\x00ra"}, "first_name"),
        ({"first_name": "Do\x01ra"}, "first_name"),
        ({"note": "fine\nbut \x1b[31m red"}, "note"),
        ({"fields": {"goal": "Run\x00 10k"}}, "fields"),
    ],
)
def test_the_public_booking_api_refuses_control_characters_by_field(
    anon_api, practice, extra, field
):
    body = _public(practice["service"], **extra)
    response = anon_api.post("/api/v1/public/alice/bookings", body, format="json")
    assert (response.status_code, response.json()) == (400, {field: [CONTROL_MESSAGE]})
    assert Booking.objects.count() == 1


def test_tabs_and_line_breaks_stay_allowed_in_multi_line_text(anon_api, practice):
    body = _public(practice["service"], note="Line one\r\nLine\ttwo")
    response = anon_api.post("/api/v1/public/alice/bookings", body, format="json")
    assert response.status_code == 201, response.json()


def test_the_booking_page_puts_the_message_next_to_the_answer(client, practice):
    from trainerhub.portal.tests.conftest import day_at, form_data

    data = form_data(practice["service"], day_at(2, 10), step="confirm", field_goal="Run\x01 10k")
    response = client.post("/book/alice/details/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["field_goal"] == [CONTROL_MESSAGE]
    data["field_goal"], data["first_name"] = "Run 10k", "Do\x00ra"
    response = client.post("/book/alice/details/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["first_name"] == ["Null characters are not allowed."]
    assert Booking.objects.count() == 1


def test_the_trainer_client_form_and_api_refuse_them_too(alice_web, alice_api, practice):
    response = alice_web.post(
        "/clients/new/", {"first_name": "Ann\x07", "preferred_channel": "email", "status": "active"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [CONTROL_MESSAGE]
    response = alice_api.post("/api/v1/clients/", {"first_name": "Ann\x07"}, format="json")
    assert (response.status_code, response.json()) == (400, {"first_name": [CONTROL_MESSAGE]})
    assert not Client.objects.filter(first_name__startswith="Ann").exists()


# --- CSV import and spreadsheet export -----------------------------------------------------


def test_a_nul_in_a_csv_row_after_the_first_8_kb_is_a_row_error(alice):
    filler = "".join(f"Person{i},p{i}@example.com\n" for i in range(600))
    data = ("first_name,email\n" + filler + "Ev\x00e,eve@example.com\n").encode()
    assert len(data) > 8192
    preview = importing.import_preview(trainer=alice, data=data)
    (bad,) = preview.invalid
    assert bad.errors == ["A cell holds a control character (such as NUL); remove it."]
    assert importing.import_commit(trainer=alice, token=preview.token).status == "done"
    assert Client.objects.filter(trainer=alice).count() == 600
    assert not Client.objects.filter(email="eve@example.com").exists()


def test_a_stored_control_character_no_longer_breaks_the_excel_export(alice_api, practice):
    # Written before the rule existed (no form or serializer lets it in now).
    Client.objects.filter(pk=practice["client"].pk).update(first_name="Ca\x01rol\tTab")
    response = alice_api.get("/api/v1/clients/export?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]
    assert "Carol\tTab" in cells
