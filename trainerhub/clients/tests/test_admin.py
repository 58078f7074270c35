"""Staff in the admin never see a client's health notes or intake answers (issue 18): not on
the list, the change form, a search or the history, and saving the form keeps them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.clients import services
from trainerhub.clients.models import Client

HEALTH = "Bad knee (private)"
ANSWER = "Takes beta blockers"


@pytest.fixture
def staff_web(client, db):
    staff = User.objects.create_superuser("ops@example.com", "x", name="Ops")
    client.force_login(staff)
    return client


@pytest.fixture
def anna_with_answers(anna):
    services.intake_field_create(trainer=anna.trainer, key="medication", label="Medication")
    return services.client_update(client=anna, custom_fields={"medication": ANSWER})


def _pages(staff_web, client: Client) -> list[str]:
    urls = [
        reverse("admin:clients_client_changelist"),
        reverse("admin:clients_client_changelist") + "?q=knee",
        reverse("admin:clients_client_change", args=[client.pk]),
        reverse("admin:clients_client_history", args=[client.pk]),
    ]
    pages = [staff_web.get(url) for url in urls]
    assert [p.status_code for p in pages] == [200] * len(urls)
    return [p.content.decode() for p in pages]


def test_health_notes_and_answers_are_not_shown_to_staff(staff_web, anna_with_answers):
    pages = _pages(staff_web, anna_with_answers)
    assert "anna@example.com" in pages[0]
    assert [HEALTH in page or ANSWER in page for page in pages] == [False] * len(pages)
    assert "health_notes" not in pages[2] and "custom_fields" not in pages[2]


def test_saving_the_admin_form_keeps_health_notes(staff_web, anna_with_answers):
    anna = anna_with_answers
    url = reverse("admin:clients_client_change", args=[anna.pk])
    form = {
        "first_name": "Anna",
        "last_name": "Müller",
        "email": "anna@example.com",
        "phone": "+447911123456",
        "preferred_channel": "email",
        "status": "active",
    }
    response = staff_web.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    anna.refresh_from_db()
    assert anna.health_notes == HEALTH
    assert anna.custom_fields == {"medication": ANSWER}
