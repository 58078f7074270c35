from __future__ import annotations

import re

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


def join_data(email: str) -> dict[str, str]:
    return {"first_name": "Erin", "last_name": "New", "email": email, "phone": ""}


def test_join_via_invite_creates_the_account_through_the_emailed_link(client, alice, mailoutbox):
    code = portal_settings_for(alice).invite_code
    url = f"/join/{code}/"
    assert client.get(url).status_code == 200
    r = client.post(url, join_data("erin@example.com"))
    assert r.status_code == 200 and "We sent an email" in r.content.decode()
    # Nothing is an account until the link that reached the address is followed.
    assert not User.objects.filter(email="erin@example.com").exists()
    assert [m.to for m in mailoutbox] == [["erin@example.com"]]
    link = re.search(r"/my/claim/[^/\s]+/", mailoutbox[0].body).group(0)
    done = client.post(link, {"password": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    user = User.objects.get(email="erin@example.com")
    assert user.role == "client"
    assert Client.objects.get(trainer=alice, email="erin@example.com").account == user


def test_join_does_not_link_an_existing_client_nor_leak(client, alice, mailoutbox):
    make_client(alice, "known@example.com")
    code = portal_settings_for(alice).invite_code
    r = client.post(f"/join/{code}/", join_data("known@example.com"))
    assert r.status_code == 200
    assert Client.objects.get(email="known@example.com").account is None
    assert Client.objects.filter(trainer=alice).count() == 1
    # The record's own address gets the link: only its owner can link it.
    assert [m.to for m in mailoutbox] == [["known@example.com"]]


def test_join_wrong_or_disabled_code_404(client, alice):
    assert client.get("/join/nope/").status_code == 404
    settings = portal_settings_for(alice)
    PortalSettings.objects.filter(pk=settings.pk).update(enabled=False)
    assert client.get(f"/join/{settings.invite_code}/").status_code == 404


def test_join_answers_the_same_whether_the_email_has_an_account(client, alice, carol, mailoutbox):
    code = portal_settings_for(alice).invite_code
    known = client.post(f"/join/{code}/", join_data("carol@example.com"))
    unknown = client.post(f"/join/{code}/", join_data("nobody@example.com"))
    assert (known.status_code, unknown.status_code) == (200, 200)

    def body(response) -> str:
        html = response.content.decode()
        # Per-request values aside: the CSRF token, the CSP nonce.
        secret = r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|csp-nonce" content="|nonce=")[^"]+'
        return re.sub(secret, "", html)

    assert body(known) == body(unknown)
    # The owner of the existing account is emailed (how to sign in or reset), and nothing
    # about their account changes.
    assert [m.to for m in mailoutbox] == [["carol@example.com"], ["nobody@example.com"]]
    assert "reset" in mailoutbox[0].body.lower()
    carol.refresh_from_db()
    assert carol.check_password(PASSWORD)


def test_join_with_a_trainers_address_sends_nothing_and_answers_the_same(
    client, alice, bob, mailoutbox
):
    code = portal_settings_for(alice).invite_code
    r = client.post(f"/join/{code}/", join_data(bob.email))
    assert r.status_code == 200 and "We sent an email" in r.content.decode()
    assert mailoutbox == []
    assert User.objects.get(email=bob.email).role == "trainer"
