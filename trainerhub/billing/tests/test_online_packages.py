"""A signed-in client buys a package online: the checkout is for its price, the credits are
granted once when the payment arrives (return page or webhook), never for another trainer's
package."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainerhub.accounts.models import User
from trainerhub.billing.models import OnlinePayment, Payment
from trainerhub.billing.tests.factories import make_client
from trainerhub.billing.tests.online_helpers import post_event
from trainerhub.packages.models import ClientPackage
from trainerhub.packages.services import balance_of
from trainerhub.packages.tests.factories import make_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def chris(client, alice):
    user = User(email="chris@example.com", name="Chris Client", role=User.Role.CLIENT)
    user.set_password("a-long-unusual-password")
    user.save()
    record = make_client(alice, email="chris@example.com")
    record.account = user
    record.save()
    client.force_login(user)
    return record


def test_buy_a_package_pay_and_get_its_credits_once(client, anon_api, chris, alice, alice_stripe):
    package = make_package(alice, name="Five sessions", sessions_count=5, price=Decimal("200.00"))
    assert "Five sessions" in client.get("/billing/my/packages/").content.decode()

    answer = client.post("/billing/my/packages/", {"package": package.pk})

    pending = OnlinePayment.objects.get()
    assert answer.status_code == 302 and answer["Location"] == pending.checkout_url
    [create] = alice_stripe.posts("/v1/checkout/sessions")
    assert create["form"]["line_items[0][price_data][unit_amount]"] == "20000"
    session = alice_stripe.pay(pending.session_id)
    page = client.get(f"/billing/my/packages/?paid={pending.pk}", follow=True)
    assert "your package is ready" in page.content.decode()
    post_event(anon_api, "checkout.session.completed", session)  # later, changes nothing

    [bought] = ClientPackage.objects.filter(client=chris)
    assert balance_of(bought) == 5
    [payment] = Payment.objects.filter(client_package=bought)
    assert (payment.amount, payment.method) == (package.price, "online")


def test_another_trainers_package_is_404(client, chris, bob, alice_stripe):
    other = make_package(bob)
    assert client.post("/billing/my/packages/", {"package": other.pk}).status_code == 404
    assert not OnlinePayment.objects.exists()
