from __future__ import annotations

import pytest

from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.portal.models import PortalSettings
from trainerhub.portal.selectors import portal_settings_for
from trainerhub.portal.tests.conftest import day_at, form_data, make_client, make_client_user
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-client-password-42"


@pytest.fixture
def carol(alice):
    user = make_client_user("carol@example.com", PASSWORD)
    make_client(alice, "carol@example.com", account=user)
    return user


def book(client, service, hour, email="carol@example.com") -> Booking:
    r = client.post(
        "/book/alice/details/", form_data(service, day_at(3, hour), step="confirm", email=email)
    )
    assert r.status_code == 302
    return Booking.objects.latest("id")


def test_login_page_and_home(client, carol, service):
    book(client, service, 10)
    assert client.get("/my/").status_code == 302
    r = client.post("/my/login/", {"email": "carol@example.com", "password": "wrong"})
    assert r.status_code == 400
    r = client.post("/my/login/", {"email": "carol@example.com", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/my/"
    html = client.get("/my/").content.decode()
    assert "Personal training" in html and "Book with" in html
    r = client.post("/my/logout/")
    assert r.status_code == 302
    assert client.get("/my/").status_code == 302


def test_trainer_cannot_log_in_as_client(client, alice, password):
    r = client.post("/my/login/", {"email": alice.email, "password": password})
    assert r.status_code == 400


def test_client_isolation_on_pages(client, alice, carol, service):
    mine = book(client, service, 10)
    dave = make_client_user("dave@example.com", PASSWORD)
    make_client(alice, "dave@example.com", account=dave)
    theirs = book(client, service, 12, email="dave@example.com")
    client.force_login(carol)
    assert client.get(f"/my/bookings/{mine.pk}/").status_code == 200
    for path in ("", "cancel/", "reschedule/", "calendar.ics"):
        assert client.get(f"/my/bookings/{theirs.pk}/{path}").status_code == 404
    r = client.post(f"/my/bookings/{theirs.pk}/cancel/", {"reason_choice": "I am unwell"})
    assert r.status_code == 404
    html = client.get("/my/").content.decode()
    assert f'data-booking="{mine.pk}"' in html and f'data-booking="{theirs.pk}"' not in html


def test_client_cancels_own_and_sees_reason_in_past(client, carol, service):
    mine = book(client, service, 10)
    client.force_login(carol)
    r = client.post(
        f"/my/bookings/{mine.pk}/cancel/", {"reason_choice": "other", "reason_text": "Holiday"}
    )
    assert r.status_code == 302
    html = client.get("/my/").content.decode()
    assert "Holiday" in html and "Cancelled" in html


def test_client_never_sees_trainer_pages(client, carol):
    client.force_login(carol)
    assert client.get("/portal/settings/").status_code == 404
    # "/" sends a client to their own appointments; trainer pages do not exist for them.
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (302, "/my/")
    for path in ("/scheduling/calendar/", "/clients/"):
        assert client.get(path).status_code == 404, path


def test_join_via_invite_creates_linked_account(client, alice, service):
    code = portal_settings_for(alice).invite_code
    url = f"/join/{code}/"
    assert client.get(url).status_code == 200
    data = {
        "first_name": "Erin",
        "last_name": "New",
        "email": "erin@example.com",
        "phone": "",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    r = client.post(url, data)
    assert r.status_code == 302
    user = User.objects.get(email="erin@example.com")
    assert user.role == "client"
    assert Client.objects.get(email="erin@example.com").account == user


def test_join_does_not_link_an_existing_client_nor_leak(client, alice, service):
    make_client(alice, "known@example.com")
    code = portal_settings_for(alice).invite_code
    data = {
        "first_name": "Not",
        "last_name": "Known",
        "email": "known@example.com",
        "phone": "",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    r = client.post(f"/join/{code}/", data)
    assert r.status_code == 302
    assert Client.objects.get(email="known@example.com").account is None
    assert Client.objects.filter(trainer=alice).count() == 1


def test_join_wrong_or_disabled_code_404(client, alice):
    assert client.get("/join/nope/").status_code == 404
    settings = portal_settings_for(alice)
    PortalSettings.objects.filter(pk=settings.pk).update(enabled=False)
    assert client.get(f"/join/{settings.invite_code}/").status_code == 404


def test_join_existing_email_refused_generically(client, alice, carol):
    code = portal_settings_for(alice).invite_code
    data = {
        "first_name": "C",
        "last_name": "C",
        "email": "carol@example.com",
        "phone": "",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    r = client.post(f"/join/{code}/", data)
    assert r.status_code == 400 and "log in" in r.content.decode()
