"""A signed-in client pays with their package credit on the trainer's public page: offered
only their own usable packages, the same refusals as every surface, shown on the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trainerhub.packages import services
from trainerhub.packages.tests.factories import make_package
from trainerhub.portal.tests.conftest import (
    day_at,
    form_data,
    make_client,
    make_client_user,
)
from trainerhub.portal.tests.conftest import hours as hours
from trainerhub.portal.tests.conftest import service as service
from trainerhub.scheduling.models import Booking


@pytest.fixture
def carol(alice):
    user = make_client_user("carol@example.com", "a-long-client-password")
    return make_client(alice, "carol@example.com", account=user)


def details(alice):
    return reverse("portal:book_details", args=[alice.slug])


def test_a_signed_in_client_books_with_their_credit(client, alice, service, carol):
    cp = services.package_sell(trainer=alice, package=make_package(alice), client=carol)
    client.force_login(carol.account)
    page = client.post(details(alice), form_data(service, day_at(2, 10), step="edit"))
    assert "Ten sessions — 10 of 10 left" in page.content.decode()
    answer = client.post(
        details(alice), form_data(service, day_at(2, 10), step="confirm", client_package=cp.pk)
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert services.balance_of(cp) == 9
    booking = Booking.objects.get()
    assert booking.client_id == carol.pk


def test_a_used_up_package_is_refused_on_the_form(client, alice, service, carol):
    cp = services.package_sell(trainer=alice, package=make_package(alice), client=carol)
    client.force_login(carol.account)
    page = client.post(details(alice), form_data(service, day_at(2, 10), step="edit"))
    assert page.status_code == 200
    services.client_package_adjust(client_package=cp, sessions=-10, reason="Used elsewhere")
    answer = client.post(
        details(alice), form_data(service, day_at(2, 10), step="confirm", client_package=cp.pk)
    )
    assert answer.status_code == 400
    assert "client_package" in answer.context["form"].errors
    assert not Booking.objects.exists()


def test_a_visitor_is_offered_no_package(client, alice, service, carol):
    services.package_sell(trainer=alice, package=make_package(alice), client=carol)
    page = client.post(details(alice), form_data(service, day_at(2, 10), step="edit"))
    assert 'name="client_package"' not in page.content.decode()


def test_the_clients_portal_shows_their_packages(client, alice, carol, bob):
    cp = services.package_sell(trainer=alice, package=make_package(alice), client=carol)
    refunded = services.package_sell(
        trainer=alice, package=make_package(alice, name="Old five"), client=carol
    )
    services.client_package_refund(client_package=refunded)
    client.force_login(carol.account)
    page = client.get("/my/").content.decode()
    assert "Your packages" in page
    assert f'data-client-package="{cp.pk}"' in page
    assert "10 of 10 sessions left" in page
    assert "Old five" not in page
    # Another client's packages never show.
    other = make_client_user("dave@example.com", "a-long-client-password")
    client.force_login(other)
    assert "Your packages" not in client.get("/my/").content.decode()
