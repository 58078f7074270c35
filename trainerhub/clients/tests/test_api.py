from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trainerhub.clients import notes, services
from trainerhub.clients.models import Client, ClientFile, Note, Tag
from trainerhub.clients.tests.factories import ClientFactory, TagFactory, make_booking

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def test_requires_trainer(anon_api, anna):
    for url in (
        "/api/v1/clients/",
        f"/api/v1/clients/{anna.pk}/",
        "/api/v1/tags/",
        "/api/v1/intake-fields/",
    ):
        assert anon_api.get(url).status_code == 401


def test_create_and_get(alice_api, alice):
    TagFactory(trainer=alice, name="VIP")
    services.intake_field_create(trainer=alice, label="Injured", kind="yesno")
    payload = {
        "first_name": "Zoë",
        "last_name": "Ørsted",
        "email": "zoe@example.com",
        "phone": "+44 7911 123456",
        "date_of_birth": "1990-05-01",
        "emergency_contact": {"name": "Max", "phone": "+447911123457", "relation": "brother"},
        "goals": "5k",
        "health_notes": "Asthma",
        "tags": ["VIP"],
        "custom_fields": {"injured": "yes"},
    }
    response = alice_api.post("/api/v1/clients/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["phone"] == "+447911123456" and data["tags"] == ["VIP"]
    assert data["emergency_contact"] == {
        "name": "Max",
        "phone": "+447911123457",
        "relation": "brother",
    }
    assert data["custom_fields"] == {"injured": True} and data["health_notes"] == "Asthma"
    assert data["stats"]["completed"] == 0 and data["status"] == "active" and data["created_at"]
    got = alice_api.get(f"/api/v1/clients/{data['id']}/").json()
    assert got["health_notes"] == "Asthma"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_name": "A", "email": "not-an-email"}, "email"),
        ({"first_name": "A", "phone": "12345"}, "phone"),
        (
            {"first_name": "A", "date_of_birth": (date.today() + timedelta(days=1)).isoformat()},
            "date_of_birth",
        ),
        ({"first_name": "A", "date_of_birth": "31/31/2000"}, "date_of_birth"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"first_name": "A", "goals": "x" * 5001}, "goals"),
        ({"last_name": "A"}, "first_name"),
        ({"first_name": "A", "tags": ["Gym"]}, "tags"),
        ({"first_name": "A", "tags": "VIP"}, "tags"),
        ({"first_name": "A", "custom_fields": {"nope": 1}}, "custom_fields"),
        ({"first_name": "A", "custom_fields": []}, "custom_fields"),
        ({"first_name": "A", "status": "deleted"}, "status"),
        ({"first_name": "A", "emergency_contact": "Max"}, "emergency_contact"),
    ],
)
def test_create_bad_input(alice_api, bob, payload, field):
    TagFactory(trainer=bob, name="Gym")  # another trainer's tag
    response = alice_api.post("/api/v1/clients/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Client.objects.filter(trainer__email="alice@example.com").exists()


def test_malformed_json(alice_api):
    response = alice_api.post(
        "/api/v1/clients/", data='{"first_name": ', content_type="application/json"
    )
    assert response.status_code == 400


def test_list_search_filters_ordering_and_no_health(alice_api, alice, anna):
    vip = TagFactory(trainer=alice, name="VIP")
    zed = services.client_create(trainer=alice, first_name="Zed", last_name="Zulu", tags=["VIP"])
    archived = ClientFactory(trainer=alice, first_name="Old", status="archived")
    make_booking(anna, timezone.now() + timedelta(days=1))
    data = alice_api.get("/api/v1/clients/").json()
    assert data["count"] == 2
    assert all("health_notes" not in row for row in data["results"])
    assert "Bad knee" not in str(data)
    assert [
        r["first_name"] for r in alice_api.get("/api/v1/clients/?search=MÜL").json()["results"]
    ] == ["Anna"]
    assert [
        r["first_name"] for r in alice_api.get("/api/v1/clients/?search=7911 123").json()["results"]
    ] == ["Anna"]
    assert [r["id"] for r in alice_api.get(f"/api/v1/clients/?tag={vip.pk}").json()["results"]] == [
        zed.pk
    ]
    assert [r["id"] for r in alice_api.get("/api/v1/clients/?tag=vip").json()["results"]] == [
        zed.pk
    ]
    assert [
        r["id"] for r in alice_api.get("/api/v1/clients/?status=archived").json()["results"]
    ] == [archived.pk]
    assert alice_api.get("/api/v1/clients/?status=all").json()["count"] == 3
    assert [r["id"] for r in alice_api.get("/api/v1/clients/?upcoming=1").json()["results"]] == [
        anna.pk
    ]
    assert [
        r["id"] for r in alice_api.get("/api/v1/clients/?ordering=-name").json()["results"]
    ] == [zed.pk, anna.pk]
    assert (
        alice_api.get("/api/v1/clients/?ordering=-next_booking").json()["results"][0]["stats"][
            "upcoming"
        ]
        == 1
    )
    assert alice_api.get("/api/v1/clients/?page_size=1").json()["next"]
    assert alice_api.get("/api/v1/clients/?ordering=bogus").status_code == 400
    assert alice_api.get("/api/v1/clients/?status=bogus").status_code == 400
    assert alice_api.get("/api/v1/clients/?no_visit_days=x").status_code == 400


def test_patch_and_delete_archives(alice_api, anna):
    response = alice_api.patch(
        f"/api/v1/clients/{anna.pk}/",
        {"goals": "Marathon", "emergency_contact": {"name": "Jo"}},
        format="json",
    )
    assert response.status_code == 200 and response.json()["goals"] == "Marathon"
    assert response.json()["emergency_contact"]["name"] == "Jo"
    assert (
        alice_api.patch(f"/api/v1/clients/{anna.pk}/", {"email": "bad"}, format="json").status_code
        == 400
    )
    anna.refresh_from_db()
    assert anna.email == "anna@example.com"
    assert alice_api.delete(f"/api/v1/clients/{anna.pk}/").status_code == 204
    anna.refresh_from_db()
    assert anna.status == "archived" and Client.objects.filter(pk=anna.pk).exists()


def test_notes_with_revisions(alice_api, anna):
    booking = make_booking(anna, timezone.now() - timedelta(days=1), status="completed")
    url = f"/api/v1/clients/{anna.pk}/notes/"
    note = alice_api.post(url, {"body": "Deadlifts", "booking": booking.pk}, format="json").json()
    assert note["booking"] == booking.pk
    assert alice_api.post(url, {"body": ""}, format="json").status_code == 400
    assert alice_api.post(url, {"body": "x" * 20001}, format="json").status_code == 400
    other = ClientFactory(trainer=anna.trainer)
    other_booking = make_booking(other, timezone.now() + timedelta(days=3))
    assert (
        alice_api.post(url, {"body": "x", "booking": other_booking.pk}, format="json").status_code
        == 400
    )
    patched = alice_api.patch(
        f"{url}{note['id']}/", {"body": "Deadlifts 100kg"}, format="json"
    ).json()
    assert patched["body"] == "Deadlifts 100kg" and [r["body"] for r in patched["revisions"]] == [
        "Deadlifts"
    ]
    assert alice_api.get(url).json()["count"] == 1
    assert alice_api.delete(f"{url}{note['id']}/").status_code == 204


def test_bookings_of_client(alice_api, anna):
    make_booking(anna, timezone.now() - timedelta(days=1), status="completed")
    make_booking(anna, timezone.now() + timedelta(days=1))
    assert alice_api.get(f"/api/v1/clients/{anna.pk}/bookings/").json()["count"] == 2
    assert alice_api.get(f"/api/v1/clients/{anna.pk}/bookings/?when=upcoming").json()["count"] == 1


def test_files_upload_list_download_delete(alice_api, anna, settings):
    url = f"/api/v1/clients/{anna.pk}/files/"
    response = alice_api.post(
        url, {"file": SimpleUploadedFile("form.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"
    file_id = response.json()["id"]
    assert (
        alice_api.post(
            url, {"file": SimpleUploadedFile("pic.png", PNG), "kind": "photo"}, format="multipart"
        ).status_code
        == 201
    )
    assert (
        alice_api.post(
            url,
            {"file": SimpleUploadedFile("notes.csv", "a;b\nZoë;1\n".encode())},
            format="multipart",
        ).json()["content_type"]
        == "text/csv"
    )
    assert len(alice_api.get(url).json()) == 3
    download = alice_api.get(f"{url}{file_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "sandbox" in download["Content-Security-Policy"]
    assert alice_api.delete(f"{url}{file_id}/").status_code == 204
    assert not ClientFile.objects.filter(pk=file_id).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("evil.pdf", EXE, "attachment", "not allowed"),
        ("pdf-as-photo.png", PDF, "photo", "not allowed"),
        ("empty.txt", b"", "attachment", "empty"),
    ],
)
def test_files_refused_by_content(alice_api, anna, name, content, kind, message):
    response = alice_api.post(
        f"/api/v1/clients/{anna.pk}/files/",
        {"file": SimpleUploadedFile(name, content), "kind": kind},
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert message in " ".join(response.json()["file"]).lower()
    assert not ClientFile.objects.exists()


def test_file_too_large(alice_api, anna, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    response = alice_api.post(
        f"/api/v1/clients/{anna.pk}/files/",
        {"file": SimpleUploadedFile("big.pdf", big)},
        format="multipart",
    )
    assert response.status_code == 400 and "too large" in response.json()["file"][0]


def test_tags_crud(alice_api, bob_api):
    tag = alice_api.post("/api/v1/tags/", {"name": "VIP"}, format="json").json()
    assert alice_api.post("/api/v1/tags/", {"name": "vip"}, format="json").status_code == 400
    assert alice_api.post("/api/v1/tags/", {"name": "x" * 51}, format="json").status_code == 400
    assert (
        alice_api.post("/api/v1/tags/", {"name": "Red", "color": "red"}, format="json").status_code
        == 400
    )
    assert (
        alice_api.patch(f"/api/v1/tags/{tag['id']}/", {"name": "Gold"}, format="json").json()[
            "name"
        ]
        == "Gold"
    )
    assert bob_api.get("/api/v1/tags/").json() == []
    assert alice_api.delete(f"/api/v1/tags/{tag['id']}/").status_code == 204


def test_intake_fields_crud(alice_api):
    field = alice_api.post(
        "/api/v1/intake-fields/",
        {
            "label": "Level",
            "kind": "choice",
            "choices": ["Beginner", "Pro"],
            "on_booking_form": True,
        },
        format="json",
    ).json()
    assert field["key"] == "level" and field["on_booking_form"] is True
    assert (
        alice_api.post(
            "/api/v1/intake-fields/", {"label": "X", "kind": "colour"}, format="json"
        ).status_code
        == 400
    )
    assert (
        alice_api.post(
            "/api/v1/intake-fields/", {"label": "Y", "kind": "choice"}, format="json"
        ).status_code
        == 400
    )
    assert (
        alice_api.patch(
            f"/api/v1/intake-fields/{field['id']}/", {"required": True}, format="json"
        ).json()["required"]
        is True
    )
    assert alice_api.delete(f"/api/v1/intake-fields/{field['id']}/").status_code == 204
    assert alice_api.get(f"/api/v1/intake-fields/{field['id']}/").json()["is_active"] is False


def test_client_data_export_includes_everything(alice_api, anna):
    notes.note_create(client=anna, body="Private note")
    data = alice_api.get(f"/api/v1/clients/{anna.pk}/export").json()
    assert data["client"]["health_notes"] == "Bad knee (private)"
    assert data["notes"][0]["body"] == "Private note"


def test_every_path_is_404_for_another_trainer(bob_api, anna):
    note = notes.note_create(client=anna, body="n")
    stored = notes.client_file_upload(client=anna, upload=SimpleUploadedFile("f.pdf", PDF))
    tag = TagFactory(trainer=anna.trainer, name="VIP")
    field = services.intake_field_create(trainer=anna.trainer, label="Q")
    base = f"/api/v1/clients/{anna.pk}"
    calls = [
        ("get", f"{base}/"),
        ("patch", f"{base}/"),
        ("delete", f"{base}/"),
        ("get", f"{base}/export"),
        ("get", f"{base}/notes/"),
        ("post", f"{base}/notes/"),
        ("get", f"{base}/notes/{note.pk}/"),
        ("patch", f"{base}/notes/{note.pk}/"),
        ("delete", f"{base}/notes/{note.pk}/"),
        ("get", f"{base}/bookings/"),
        ("get", f"{base}/files/"),
        ("post", f"{base}/files/"),
        ("get", f"{base}/files/{stored.pk}/"),
        ("delete", f"{base}/files/{stored.pk}/"),
        ("get", f"/api/v1/tags/{tag.pk}/"),
        ("patch", f"/api/v1/tags/{tag.pk}/"),
        ("delete", f"/api/v1/tags/{tag.pk}/"),
        ("get", f"/api/v1/intake-fields/{field.pk}/"),
        ("patch", f"/api/v1/intake-fields/{field.pk}/"),
        ("delete", f"/api/v1/intake-fields/{field.pk}/"),
    ]
    for method, url in calls:
        assert (
            getattr(bob_api, method)(
                url,
                # A body for the writes; a GET's query takes none of these (a 400 for anyone).
                {"body": "x", "name": "x", "label": "x"} if method != "get" else None,
                format="json" if method != "get" else None,
            ).status_code
            == 404
        ), (method, url)
    assert bob_api.get("/api/v1/clients/").json()["count"] == 0
    assert "Anna" not in bob_api.get("/api/v1/clients/export?format=csv").content.decode(
        "utf-8-sig"
    )
    anna.refresh_from_db()
    assert anna.status == "active" and Note.objects.count() == 1 and Tag.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"first_name": ["a"]},
        {"first_name": {"x": 1}},
        {"first_name": "A", "custom_fields": {"q": {"nested": 1}}},
        {"first_name": "A", "tags": [["x"]]},
        {"first_name": "A", "tags": ["x" * 51]},
        {"first_name": "A", "date_of_birth": "1800-01-01"},
        {"first_name": "A", "date_of_birth": 12},
        {"first_name": "A", "emergency_contact": {"phone": "nope"}},
        {"first_name": "A", "preferred_channel": "pigeon"},
        {"first_name": "A", "email": "a@" + "x" * 260 + ".com"},
        [],
        "just a string",
    ],
)
def test_odd_payloads_are_400_not_500(alice_api, alice, payload):
    services.intake_field_create(trainer=alice, label="Q")
    response = alice_api.post("/api/v1/clients/", payload, format="json")
    assert response.status_code == 400, response.content


def test_odd_requests_elsewhere_are_4xx(alice_api, anna):
    base = f"/api/v1/clients/{anna.pk}"
    assert (
        alice_api.post(f"{base}/notes/", {"body": "x", "booking": "abc"}, format="json").status_code
        == 400
    )
    assert alice_api.post(f"{base}/files/", {}, format="multipart").status_code == 400
    assert (
        alice_api.post(
            "/api/v1/clients/import", {"token": 123, "confirm": "yes"}, format="json"
        ).status_code
        == 400
    )
    assert alice_api.get("/api/v1/clients/?search=" + "a" * 5000).status_code == 200
    assert alice_api.get("/api/v1/clients/?tag=nope").json()["count"] == 0
    field = services.intake_field_create(trainer=anna.trainer, label="Q")
    response = alice_api.patch(
        f"/api/v1/intake-fields/{field.pk}/", {"kind": "choice"}, format="json"
    )
    assert response.status_code == 400
