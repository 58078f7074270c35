from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from trainerhub.clients.exporting import formula_guarded
from trainerhub.clients.tests.factories import ClientFactory, TagFactory, make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(alice, anna):
    vip = TagFactory(trainer=alice, name="VIP")
    anna.tags.add(vip, through_defaults={"trainer": alice})
    ClientFactory(trainer=alice, first_name="=cmd|' /C calc'!A0", last_name="Evil")
    ClientFactory(trainer=alice, first_name="Gone", status="archived")
    # 12:00 UTC in July is 13:00 in London.
    make_booking(anna, datetime(2025, 7, 1, 12, 0, tzinfo=UTC), status="completed")
    return anna


def test_clients_csv(alice_api, data):
    response = alice_api.get("/api/v1/clients/export?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    names = {r["First name"] for r in rows}
    assert "Anna" in names and "Gone" not in names
    assert "'=cmd|' /C calc'!A0" in names  # formula defused
    anna = next(r for r in rows if r["First name"] == "Anna")
    assert (
        anna["Last name"] == "Müller" and anna["Tags"] == "VIP" and anna["Phone"] == "+447911123456"
    )
    assert anna["Last visit (Europe/London)"] == "2025-07-01 13:00"
    assert "Bad knee" not in text and "Health notes" not in text


def test_clients_csv_filters_and_health_opt_in(alice_api, data):
    rows = list(
        csv.DictReader(
            io.StringIO(
                alice_api.get(
                    "/api/v1/clients/export?format=csv&search=mull&include_health=1"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [r["First name"] for r in rows] == ["Anna"] and rows[0][
        "Health notes"
    ] == "Bad knee (private)"
    rows = list(
        csv.DictReader(
            io.StringIO(
                alice_api.get("/api/v1/clients/export?format=csv&tag=VIP").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [r["First name"] for r in rows] == ["Anna"]


def test_clients_xlsx(alice_api, data):
    response = alice_api.get("/api/v1/clients/export?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    anna = next(r for r in rows[1:] if r[1] == "Anna")
    assert anna[header.index("Last visit (Europe/London)")] == datetime(2025, 7, 1, 13, 0)
    assert "Health notes" not in header and "Bad knee (private)" not in str(rows)


def test_bookings_csv_and_xlsx(alice_api, bob_api, data):
    rows = list(
        csv.DictReader(
            io.StringIO(
                alice_api.get("/api/v1/clients/export?format=csv&kind=bookings").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert (
        len(rows) == 1
        and rows[0]["Start (Europe/London)"] == "2025-07-01 13:00"
        and rows[0]["Status"] == "completed"
    )
    sheet = load_workbook(
        io.BytesIO(alice_api.get("/api/v1/clients/export?format=xlsx&kind=bookings").content)
    ).active
    assert list(sheet.iter_rows(values_only=True))[1][3] == "Anna Müller"
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(
                        bob_api.get(
                            "/api/v1/clients/export?format=csv&kind=bookings"
                        ).content.decode("utf-8-sig")
                    )
                )
            )
        )
        == 1
    )


def test_bad_export_params(alice_api, data):
    assert alice_api.get("/api/v1/clients/export?format=pdf").status_code == 400
    assert alice_api.get("/api/v1/clients/export?kind=notes").status_code == 400


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("", ""),  # every empty cell used to come out as a lone apostrophe
        ("Anna", "Anna"),
        ("O'Neil", "O'Neil"),
        ("+44 7911 123456", "+44 7911 123456"),
        ("-12", "-12"),
        ("=1+2", "'=1+2"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
    ],
)
def test_only_formula_like_cells_are_guarded(cell, written):
    assert formula_guarded(cell) == written


def test_empty_cells_stay_empty_in_both_formats(alice_api, alice):
    ClientFactory(trainer=alice, first_name="Ellen", last_name="Empty", email="", phone="")
    text = alice_api.get("/api/v1/clients/export?format=csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["First name"] == "Ellen")
    assert row["Phone"] == "" and row["Goals"] == "" and row["Address"] == ""
    assert "'" not in text
    sheet = load_workbook(
        io.BytesIO(alice_api.get("/api/v1/clients/export?format=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    header, ellen = rows[0], next(r for r in rows[1:] if r[1] == "Ellen")
    assert ellen[header.index("Goals")] is None  # a blank cell, not an apostrophe
