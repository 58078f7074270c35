from __future__ import annotations

import pytest

from trainerhub.portal.models import PortalSettings
from trainerhub.portal.selectors import portal_settings_for
from trainerhub.portal.tests.conftest import make_service
from trainerhub.scheduling.models import Service

pytestmark = pytest.mark.django_db


def test_settings_page_shows_link_and_qr(client, alice, service):
    client.force_login(alice)
    r = client.get("/portal/settings/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "/book/alice/" in html and "<svg" in html and "/join/" in html


def test_settings_save(client, alice, service):
    other = make_service(alice, name="Massage")
    client.force_login(alice)
    r = client.post(
        "/portal/settings/",
        {
            "enabled": "",
            "cancellation_window_hours": "48",
            "welcome_text": "Hello",
            "services": [str(other.pk)],
        },
    )
    assert r.status_code == 302
    s = PortalSettings.objects.get(trainer=alice)
    assert (s.enabled, s.cancellation_window_hours, s.welcome_text) == (False, 48, "Hello")
    assert not Service.objects.get(pk=service.pk).bookable_online
    assert Service.objects.get(pk=other.pk).bookable_online


def test_settings_validation(client, alice, service):
    client.force_login(alice)
    r = client.post("/portal/settings/", {"cancellation_window_hours": "-1"})
    assert r.status_code == 400


def test_settings_cannot_touch_another_trainers_services(client, alice, bob, service):
    bobs = make_service(bob, name="Bob's", bookable_online=False)
    client.force_login(alice)
    r = client.post(
        "/portal/settings/",
        {"enabled": "on", "cancellation_window_hours": "24", "services": [str(bobs.pk)]},
    )
    assert r.status_code == 400
    assert not Service.objects.get(pk=bobs.pk).bookable_online


def test_regenerate_invite(client, alice):
    old = portal_settings_for(alice).invite_code
    client.force_login(alice)
    assert client.post("/portal/settings/invite/").status_code == 302
    new = PortalSettings.objects.get(trainer=alice).invite_code
    assert new != old
    assert client.get(f"/join/{old}/").status_code == 404


def test_settings_needs_a_trainer(client):
    assert client.get("/portal/settings/").status_code == 302


def test_each_trainer_sees_and_changes_only_their_own_settings(client, alice, bob, service):
    alices = portal_settings_for(alice)
    client.force_login(bob)
    html = client.get("/portal/settings/").content.decode()
    assert alices.invite_code not in html and "/book/bob/" in html
    client.post("/portal/settings/", {"enabled": "", "cancellation_window_hours": "1"})
    client.post("/portal/settings/invite/")
    alices.refresh_from_db()
    assert alices.enabled and alices.cancellation_window_hours == 24
    assert PortalSettings.objects.get(trainer=alice).invite_code == alices.invite_code
    assert Service.objects.get(pk=service.pk).bookable_online
