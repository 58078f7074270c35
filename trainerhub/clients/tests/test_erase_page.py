"""The erase page: a wrong name is refused next to the field; the right one erases and says
what happened."""

from __future__ import annotations

from django.urls import reverse

from trainerhub.clients.models import ErasureRecord


def test_a_wrong_name_is_refused_next_to_the_field(alice_web, anna):
    url = reverse("clients:erase", args=[anna.pk])
    response = alice_web.post(url, {"confirm_name": "Anna"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="confirm-error"' in page
    assert '<p class="error" id="confirm-error">Type the client' in page
    assert not ErasureRecord.objects.exists()


def test_the_right_name_erases_and_says_so(alice_web, anna):
    url = reverse("clients:erase", args=[anna.pk])
    response = alice_web.post(url, {"confirm_name": " anna müller "}, follow=True)
    assert response.status_code == 200
    assert "their portal account disabled" in response.content.decode()
    assert ErasureRecord.objects.get().client_pk == anna.pk


def test_a_signed_in_client_is_signed_out_by_the_erase(client, alice, anna):
    from trainerhub.accounts.models import User
    from trainerhub.clients import services
    from trainerhub.clients.models import Client

    # The portal's own account flow is tested in portal/tests; here only the link matters.
    account = User.objects.create_user(
        "anna@example.com", "Long-enough-pass-42", name="Anna Müller", role=User.Role.CLIENT
    )
    Client.objects.filter(pk=anna.pk).update(account=account)
    anna.refresh_from_db()
    client.force_login(account)
    assert client.get(reverse("portal:my_home")).status_code == 200
    services.client_erase(client=anna, confirm=anna.full_name)
    response = client.get(reverse("portal:my_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:my_login"))
