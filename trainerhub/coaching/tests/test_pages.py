"""The trainer's client page, logging from a session, the client's own pages, photos and
the hooks on the CRM's pages; fixed query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trainerhub.coaching import services
from trainerhub.coaching.models import Measurement, ProgressPhoto, SetLog
from trainerhub.coaching.tests.factories import assign, builtin, make_program

pytestmark = pytest.mark.django_db
NOW = "2026-03-09 12:00:00+00:00"  # a Monday


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)  # the GPS block: where the photo was taken
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def plan(alice, anna):
    return assign(make_program(alice), anna, start=date(2026, 3, 2), weekdays=[0, 2, 4])


def test_exif_and_gps_are_stripped(anna):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    photo = services.photo_add(
        client=anna, upload=SimpleUploadedFile("p.jpg", raw), pose="front", on=date(2026, 1, 1)
    )
    with photo.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert dict(stored.getexif()) == {} and "exif" not in stored.info
    assert (photo.width, photo.height) == (64, 48)


@time_machine.travel(NOW)
def test_photos_are_refused_when_not_images_or_too_big(alice_web, anna, settings):
    bad = alice_web.post(
        f"/coaching/clients/{anna.pk}/photos/",
        {"pose": "front", "file": SimpleUploadedFile("x.jpg", b"not an image")},
    )
    assert bad.status_code == 400 and b"Upload a photo" in bad.content
    settings.MAX_UPLOAD_MB = 0
    big = alice_web.post(
        f"/coaching/clients/{anna.pk}/photos/",
        {"pose": "front", "file": SimpleUploadedFile("p.jpg", jpeg_with_gps())},
    )
    assert big.status_code == 400 and b"over 0 MB" in big.content
    future = alice_web.post(
        f"/coaching/clients/{anna.pk}/measurements/",
        {"kind": "weight", "value": "80", "date": "2026-03-10"},
    )
    assert future.status_code == 400 and b"cannot be in the future" in future.content
    assert not ProgressPhoto.objects.exists() and not Measurement.objects.exists()


@time_machine.travel(NOW)
def test_photos_are_served_only_to_their_trainer_and_client(alice_web, bob_web, client, anna, plan):
    photo = services.photo_add(
        client=anna, upload=SimpleUploadedFile("p.jpg", jpeg_with_gps()), pose="side"
    )
    token = services.link_for_client(anna).token
    assert alice_web.get(f"/coaching/clients/{anna.pk}/photos/{photo.pk}/").status_code == 200
    assert bob_web.get(f"/coaching/clients/{anna.pk}/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/coaching/c/{token}/photos/{photo.pk}/").status_code == 200
    assert client.get(f"/coaching/c/{'x' * 32}/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/coaching/clients/{anna.pk}/photos/{photo.pk}/").status_code == 302
    assert alice_web.get(f"/coaching/clients/{anna.pk}/photos/compare/").status_code == 200


@time_machine.travel(NOW)
def test_measurements_are_stored_si_and_shown_in_the_trainers_units(alice, alice_web, anna):
    services.settings_update(trainer=alice, weight_unit="lb", length_unit="in")
    assert (
        alice_web.post(
            f"/coaching/clients/{anna.pk}/measurements/",
            {"kind": "weight", "value": "176.4", "date": "2026-03-01"},
        ).status_code
        == 302
    )
    assert (
        alice_web.post(
            f"/coaching/clients/{anna.pk}/measurements/",
            {"kind": "waist", "value": "32", "date": "2026-03-01"},
        ).status_code
        == 302
    )
    waist, weight = Measurement.objects.order_by("kind")
    assert str(waist.value) == "0.8128" and str(weight.value) == "80.0100"
    page = alice_web.get(f"/coaching/clients/{anna.pk}/")
    assert b"176.4 lb" in page.content and b"32 in" in page.content


@time_machine.travel(NOW)
def test_the_client_logs_by_link_and_the_trainer_sees_target_vs_actual(
    client, alice_web, anna, plan
):
    token = services.link_for_client(anna).token
    home = client.get(f"/coaching/c/{token}/")
    assert home.status_code == 200 and b"Start workout" in home.content
    page = client.get(f"/coaching/c/{token}/workout/")
    assert page.status_code == 200
    day = plan.days.first()
    squat = day.items.get(exercise=builtin("Barbell back squat"))
    body = {
        "workout_key": "wk1",
        "program": plan.pk,
        "day": day.pk,
        "date": "2026-03-09",
        "item": squat.pk,
        "set_number": 1,
        "reps": 4,
        "weight": "100",
        "idempotency_key": "s1",
    }
    first = client.post(f"/coaching/c/{token}/log/set", body, content_type="application/json")
    again = client.post(f"/coaching/c/{token}/log/set", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and SetLog.objects.count() == 1
    bad = client.post(
        f"/coaching/c/{token}/log/set",
        {**body, "reps": 0, "idempotency_key": "s2"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "reps" in bad.json()
    done = client.post(
        f"/coaching/c/{token}/log/done",
        {"workout_key": "wk1", "feel": 4},
        content_type="application/json",
    )
    assert done.status_code == 200
    trainer_page = alice_web.get(f"/coaching/clients/{anna.pk}/")
    # Week 2: 102.5 kg targeted, 100 kg done.
    assert (
        b"5 reps \xc2\xb7 102.5 kg" in trainer_page.content
        and b"4 reps \xc2\xb7 100 kg" in trainer_page.content
    )
    assert client.get(f"/coaching/c/{token}/progress/").status_code == 200


@time_machine.travel(NOW)
def test_the_trainer_logs_from_the_booking_panel(alice, alice_web, bob_web, anna, plan):
    from datetime import UTC, datetime

    from trainerhub.coaching.tests.factories import ClientFactory
    from trainerhub.core.tests.factories import make_booking

    booking = make_booking(anna, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    panel = alice_web.get(f"/scheduling/bookings/{booking.pk}/")
    assert f"/coaching/clients/{anna.pk}/log/?booking={booking.pk}".encode() in panel.content
    page = alice_web.get(f"/coaching/clients/{anna.pk}/log/?booking={booking.pk}")
    assert page.status_code == 200 and b"logging for Anna" in page.content
    assert bob_web.get(f"/coaching/clients/{anna.pk}/log/").status_code == 404
    day = plan.days.first()
    item = day.items.first()
    r = alice_web.post(
        f"/coaching/clients/{anna.pk}/log/set",
        {
            "workout_key": "t1",
            "program": plan.pk,
            "day": day.pk,
            "item": item.pk,
            "set_number": 1,
            "reps": 5,
            "weight": "100",
            "idempotency_key": "t-s1",
            "booking": booking.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    log = SetLog.objects.get()
    assert log.workout.logged_by == "trainer" and log.workout.booking_id == booking.pk
    carl = ClientFactory(trainer=alice, first_name="Carl")
    other = alice_web.post(
        f"/coaching/clients/{carl.pk}/log/set",
        {
            "program": plan.pk,
            "item": item.pk,
            "set_number": 1,
            "reps": 5,
            "idempotency_key": "t-s2",
        },
        content_type="application/json",
    )
    assert other.status_code == 400 and "program" in other.json()


@time_machine.travel(NOW)
def test_crm_pages_show_coaching(alice_web, anna, plan):
    detail = alice_web.get(f"/clients/{anna.pk}/")
    assert b"Training" in detail.content and b"Programs, logs and progress" in detail.content
    assert b"Program assigned" in detail.content  # the timeline
    assert alice_web.get("/clients/").status_code == 200
    assert b"/coaching/attention/" in alice_web.get("/").content
    assert b"Needs attention" in alice_web.get("/coaching/attention/").content


@time_machine.travel(NOW)
@pytest.mark.parametrize("weeks_logged", [1, 4])
def test_client_page_has_a_fixed_number_of_queries(
    alice_web, anna, plan, weeks_logged, django_assert_num_queries
):
    day = plan.days.first()
    for w in range(weeks_logged):
        for _n, item in enumerate(day.items.all()):
            services.workout_log(
                client=anna,
                program=plan.pk,
                day=day.pk,
                on=date(2026, 3, 2 + w) if w < 7 else None,
                sets=[
                    {"item": item.pk, "set_number": s + 1, "reps": 5, "weight": "100"}
                    for s in range(item.sets)
                ],
            )
        services.measurement_add(client=anna, kind="weight", value="80", on=date(2026, 3, 1 + w))
    alice_web.get(f"/coaching/clients/{anna.pk}/")
    with django_assert_num_queries(17):
        assert alice_web.get(f"/coaching/clients/{anna.pk}/").status_code == 200


@time_machine.travel(NOW)
@pytest.mark.parametrize("count", [1, 5])
def test_client_list_has_a_fixed_number_of_queries_with_the_flag(
    alice, alice_web, count, django_assert_num_queries
):
    from trainerhub.coaching.tests.factories import ClientFactory

    program = make_program(alice)
    for _n in range(count):
        assign(program, ClientFactory(trainer=alice), start=date(2026, 3, 2))
    alice_web.get("/clients/")
    # 13 at any size: one of them finds next bookings that have started (clients/visits.py).
    with django_assert_num_queries(13):
        assert alice_web.get("/clients/").status_code == 200
