"""A client's training data is in their export and gone after erase (photo files too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from trainerhub.clients.privacy import erase_personal_data, export_sections
from trainerhub.coaching import services
from trainerhub.coaching.models import (
    ClientLink,
    Measurement,
    PersonalRecord,
    Program,
    ProgressPhoto,
    SetLog,
    Workout,
)
from trainerhub.coaching.tests.factories import assign, make_program
from trainerhub.coaching.tests.test_pages import jpeg_with_gps

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-03-09 12:00:00+00:00")
def test_export_and_erase(alice, anna, settings):
    template = make_program(alice)
    plan = assign(template, anna, start=date(2026, 3, 2))
    item = plan.days.first().items.first()
    services.workout_log(
        client=anna,
        program=plan.pk,
        notes="Knee sore",
        sets=[{"item": item.pk, "set_number": 1, "reps": 5, "weight": "100"}],
    )
    services.measurement_add(client=anna, kind="weight", value="70")
    photo = services.photo_add(
        client=anna, upload=SimpleUploadedFile("p.jpg", jpeg_with_gps()), pose="front"
    )
    path = Path(settings.MEDIA_ROOT) / photo.file.name
    assert path.exists()
    sections = export_sections(anna)
    assert sections["workouts"][0]["notes"] == "Knee sore"
    assert sections["programs"][0]["days"][0]["exercises"][0]["exercise"] == "Barbell back squat"
    assert len(sections["measurements"]) == 1 and len(sections["progress_photos"]) == 1
    assert sections["personal_records"]
    erase_personal_data(anna)
    for model in (Workout, SetLog, Measurement, ProgressPhoto, PersonalRecord, ClientLink):
        assert not model.objects.filter(client=anna).exists(), model
    assert not Program.objects.filter(client=anna).exists()
    assert Program.objects.filter(pk=template.pk).exists()  # the trainer's template stays
    assert not path.exists()
