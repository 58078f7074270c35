from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from trainerhub.clients import importing, notes, services
from trainerhub.clients.models import Client, ClientFile, ClientImport, Note, Tag
from trainerhub.clients.tests.factories import ClientFactory, TagFactory, make_booking

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def object_urls(
    client: Client, note: Note, stored: ClientFile, tag: Tag, field
) -> list[tuple[str, str]]:
    pk = client.pk
    return [
        ("get", reverse("clients:detail", args=[pk])),
        ("get", reverse("clients:edit", args=[pk])),
        ("get", reverse("clients:archive", args=[pk])),
        ("post", reverse("clients:archive", args=[pk])),
        ("post", reverse("clients:restore", args=[pk])),
        ("get", reverse("clients:erase", args=[pk])),
        ("post", reverse("clients:erase", args=[pk])),
        ("get", reverse("clients:data_export", args=[pk])),
        ("post", reverse("clients:note_add", args=[pk])),
        ("get", reverse("clients:note_edit", args=[pk, note.pk])),
        ("post", reverse("clients:note_delete", args=[pk, note.pk])),
        ("post", reverse("clients:file_upload", args=[pk])),
        ("get", reverse("clients:file_download", args=[pk, stored.pk])),
        ("post", reverse("clients:file_delete", args=[pk, stored.pk])),
        ("post", reverse("clients:tag_delete", args=[tag.pk])),
        ("get", reverse("clients:intake_field_edit", args=[field.pk])),
        ("post", reverse("clients:intake_field_toggle", args=[field.pk])),
    ]


@pytest.fixture
def alice_things(anna):
    note = notes.note_create(client=anna, body="Squats 5x5")
    stored = notes.client_file_upload(client=anna, upload=SimpleUploadedFile("intake.pdf", PDF))
    tag = TagFactory(trainer=anna.trainer, name="VIP")
    field = services.intake_field_create(trainer=anna.trainer, label="Injuries")
    return anna, note, stored, tag, field


def test_pages_need_sign_in(client, alice_things):
    for method, url in [("get", reverse("clients:list")), *object_urls(*alice_things)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/accounts/" in response["Location"]


def test_another_trainers_objects_are_404(bob_web, alice_things):
    for method, url in object_urls(*alice_things):
        assert getattr(bob_web, method)(url).status_code == 404, url
    anna = alice_things[0]
    anna.refresh_from_db()
    assert anna.status == "active" and Note.objects.count() == 1 and ClientFile.objects.count() == 1


def test_client_account_gets_404(client, alice):
    from trainerhub.accounts.models import User

    portal_user = User.objects.create_user("c@example.com", "pw-123456789", name="C", role="client")
    client.force_login(portal_user)
    assert client.get(reverse("clients:list")).status_code == 404


def test_empty_list_says_what_to_do(alice_web):
    response = alice_web.get(reverse("clients:list"))
    assert "No clients yet — " in response.content.decode()
    assert reverse("clients:import") in response.content.decode()


def test_list_search_and_htmx_partial(alice_web, anna, alice):
    ClientFactory(trainer=alice, first_name="Zed", last_name="Other")
    page = alice_web.get(reverse("clients:list"), {"search": "MUL"}).content.decode()
    assert "Anna Müller" in page and "Zed Other" not in page
    assert 'hx-trigger="input changed delay:250ms' in page
    assert "Bad knee" not in page
    partial = alice_web.get(
        reverse("clients:list"), {"search": "zed"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Zed Other" in partial and "<html" not in partial


def test_list_hides_archived_unless_asked(alice_web, anna):
    services.client_archive(client=anna)
    assert "Anna" not in alice_web.get(reverse("clients:list")).content.decode()
    assert "Anna" in alice_web.get(reverse("clients:list"), {"status": "archived"}).content.decode()


def test_create_shows_errors_next_to_fields(alice_web):
    response = alice_web.post(
        reverse("clients:create"),
        {
            "first_name": "",
            "email": "nope",
            "phone": "12",
            "preferred_channel": "email",
            "status": "active",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body and "Enter a valid email address." in body
    assert not Client.objects.exists()
    response = alice_web.post(
        reverse("clients:create"),
        {
            "first_name": "Ann",
            "email": "ann@example.com",
            "phone": "+44 7911 123456",
            "preferred_channel": "email",
            "status": "active",
            "date_of_birth": "2199-01-01",
        },
    )
    assert "cannot be in the future" in response.content.decode()
    response = alice_web.post(
        reverse("clients:create"),
        {
            "first_name": "Ann",
            "email": "ann@example.com",
            "phone": "+44 7911 123456",
            "preferred_channel": "email",
            "status": "active",
        },
    )
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "clients:detail", args=[client.pk]
    )
    assert client.phone == "+447911123456"


def test_edit_with_tags_and_intake(alice_web, anna):
    tag = TagFactory(trainer=anna.trainer, name="VIP")
    services.intake_field_create(trainer=anna.trainer, label="Weight", kind="number")
    data = {
        "first_name": "Anna",
        "last_name": "Meyer",
        "email": "anna@example.com",
        "preferred_channel": "sms",
        "status": "active",
        "tags": [tag.pk],
        "cf_weight": "70.5",
    }
    response = alice_web.post(reverse("clients:edit", args=[anna.pk]), data)
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.last_name == "Meyer" and anna.custom_fields == {"weight": 70.5}
    assert [t.name for t in anna.tags.all()] == ["VIP"]


def test_detail_shows_profile_stats_timeline(alice_web, anna):
    past = make_booking(anna, timezone.now() - timedelta(days=7), status="completed")
    make_booking(
        anna,
        timezone.now() - timedelta(days=3),
        status="cancelled",
        late=True,
        reason="Flu",
    )
    make_booking(anna, timezone.now() + timedelta(days=2))
    notes.note_create(client=anna, body="Great session", booking=past)
    body = alice_web.get(reverse("clients:detail", args=[anna.pk])).content.decode()
    for text in (
        "Anna Müller",
        "Bad knee",
        "Sessions completed",
        "Great session",
        "Flu",
        "Upcoming sessions",
        "(late)",
    ):
        assert text in body, text


def test_note_add_inline_with_htmx(alice_web, anna):
    response = alice_web.post(
        reverse("clients:note_add", args=[anna.pk]), {"body": "Felt strong"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Felt strong" in response.content.decode() and "<html" not in response.content.decode()
    response = alice_web.post(
        reverse("clients:note_add", args=[anna.pk]), {"body": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_note_edit_keeps_history(alice_web, anna):
    note = notes.note_create(client=anna, body="First")
    response = alice_web.post(
        reverse("clients:note_edit", args=[anna.pk, note.pk]), {"body": "Second"}
    )
    assert response.status_code == 302
    page = alice_web.get(reverse("clients:note_edit", args=[anna.pk, note.pk])).content.decode()
    assert "First" in page and "Earlier versions" in page


def test_archive_needs_confirmation(alice_web, anna):
    page = alice_web.get(reverse("clients:archive", args=[anna.pk])).content.decode()
    assert "data-confirm" in page
    anna.refresh_from_db()
    assert anna.status == "active"
    alice_web.post(reverse("clients:archive", args=[anna.pk]))
    anna.refresh_from_db()
    assert anna.status == "archived"


def test_erase_needs_the_name(alice_web, anna):
    response = alice_web.post(reverse("clients:erase", args=[anna.pk]), {"confirm_name": "nope"})
    assert response.status_code == 400
    alice_web.post(reverse("clients:erase", args=[anna.pk]), {"confirm_name": "anna müller"})
    anna.refresh_from_db()
    assert anna.erased_at is not None and anna.health_notes == ""


def test_file_upload_download_and_refusal(alice_web, anna):
    response = alice_web.post(
        reverse("clients:file_upload", args=[anna.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 100), "kind": "attachment"},
        follow=True,
    )
    assert "not allowed" in response.content.decode()
    assert not ClientFile.objects.exists()
    alice_web.post(
        reverse("clients:file_upload", args=[anna.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF), "kind": "attachment"},
    )
    stored = ClientFile.objects.get()
    response = alice_web.get(reverse("clients:file_download", args=[anna.pk, stored.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_import_preview_and_confirm_pages(alice_web):
    csv_bytes = (
        "First Name;Last Name;E-mail\r\nZoë;Ørsted;zoe@example.com\r\nBad;Row;nope\r\n".encode(
            "utf-8-sig"
        )
    )
    response = alice_web.post(
        reverse("clients:import"), {"file": SimpleUploadedFile("c.csv", csv_bytes)}
    )
    body = response.content.decode()
    assert "Import preview" in body and "Enter a valid email address." in body
    assert not Client.objects.exists()
    token = response.context["preview"].token
    response = alice_web.post(reverse("clients:import_confirm"), {"token": token})
    job = ClientImport.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("clients:import_status", args=[job.pk]),
    )
    assert not Client.objects.exists()  # the worker writes the rows, not the web request
    assert (
        "Waiting for the background worker" in alice_web.get(response["Location"]).content.decode()
    )
    importing.import_run_due()
    page = alice_web.get(response["Location"]).content.decode()
    assert "Imported 1 client." in page
    assert list(Client.objects.values_list("first_name", flat=True)) == ["Zoë"]


def test_import_page_refuses_binary(alice_web):
    response = alice_web.post(
        reverse("clients:import"),
        {"file": SimpleUploadedFile("c.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)},
    )
    assert response.status_code == 400 and "not a CSV" in response.content.decode()


def test_export_links_download(alice_web, anna):
    response = alice_web.get(reverse("clients:export"), {"format": "csv"})
    assert response.status_code == 200 and "Anna" in response.content.decode("utf-8-sig")
    assert "Bad knee" not in response.content.decode("utf-8-sig")
    response = alice_web.get(reverse("clients:data_export", args=[anna.pk]))
    assert "Bad knee" in response.content.decode()


def test_tags_and_intake_pages(alice_web, alice):
    assert (
        alice_web.post(reverse("clients:tags"), {"name": "VIP", "color": "#ff0000"}).status_code
        == 302
    )
    response = alice_web.post(reverse("clients:tags"), {"name": "vip", "color": "#ff0000"})
    assert response.status_code == 400 and "already have a tag" in response.content.decode()
    response = alice_web.post(
        reverse("clients:intake_fields"),
        {"label": "Level", "kind": "choice", "choices": "", "order": 0},
    )
    assert response.status_code == 400 and "at least one choice" in response.content.decode()
    assert (
        alice_web.post(
            reverse("clients:intake_fields"),
            {"label": "Level", "kind": "choice", "choices": "A\nB", "order": 0},
        ).status_code
        == 302
    )


def test_photo_shows_on_the_client_page(alice_web, anna):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
    notes.client_file_upload(client=anna, upload=SimpleUploadedFile("me.png", png), kind="photo")
    body = alice_web.get(reverse("clients:detail", args=[anna.pk])).content.decode()
    assert "Photo of Anna Müller" in body
