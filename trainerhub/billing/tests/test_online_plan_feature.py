"""Online payments are a plan feature: while plans are on, a plan without them starts no
checkout on any surface (public page, public API, the client's package purchase), and new
keys are refused on the settings page and API (409 `plan_limit`, limit `online_payments`).
Money already taken still settles and refunds. Without plans (self-hosted), all is on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from trainerhub.billing import online
from trainerhub.billing.models import OnlinePayment, StripeAccount
from trainerhub.billing.tests.conftest import SECRET_KEY, WEBHOOK_SECRET
from trainerhub.billing.tests.online_helpers import book, deposit_service
from trainerhub.billing.tests.test_online_packages import chris  # noqa: F401 (fixture)
from trainerhub.packages.tests.factories import make_package
from trainerhub.plans.models import Subscription
from trainerhub.plans.tests.conftest import free_plan, plans_on, pro_plan  # noqa: F401
from trainerhub.portal.tests.conftest import day_at, form_data
from trainerhub.scheduling.models import Booking

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/payments"
PLAN_SENTENCE = "Your plan (Free) does not include online payments. See the Billing page: /plans/"


@pytest.fixture
def shoot(alice, hours):
    return deposit_service(alice)


@pytest.fixture
def on_free(alice_stripe, plans_on, free_plan):  # noqa: F811
    """alice connected Stripe, then the operator turned plans on: she is on Free (no online
    payments)."""
    return alice_stripe


def subscribe(trainer, plan) -> None:
    Subscription.objects.create(
        trainer=trainer,
        plan=plan,
        status="active",
        paddle_subscription_id=f"sub_{trainer.pk}",
        paddle_updated_at=timezone.now(),
    )


def test_self_hosted_has_every_feature(alice, alice_stripe, settings):
    assert settings.PLANS_ENABLED is False
    assert online.payments_offered(alice)
    assert online.settings_read(alice).offered is True
    assert online.settings_read(alice).plan_refusal == ""


def test_public_api_books_without_a_checkout(anon_api, on_free, shoot):
    answer = book(anon_api, shoot)

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert "checkout_url" not in body and "payment" not in body
    assert body["status"] == "confirmed"
    assert body["price"]["deposit_due"] == "20.00"  # still due, just not online
    assert not OnlinePayment.objects.exists()
    assert on_free.posts("/v1/checkout/sessions") == []


def test_public_page_books_without_sending_to_stripe(client, on_free, shoot):
    answer = client.post("/book/alice/details/", form_data(shoot, day_at(2, 10), step="confirm"))

    booking = Booking.objects.get()
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"/book/alice/booked/{booking.manage_token}/")
    assert booking.status == "confirmed"
    assert not OnlinePayment.objects.exists()
    assert on_free.posts("/v1/checkout/sessions") == []


def test_a_plan_with_online_payments_checks_out(anon_api, on_free, pro_plan, alice, shoot):  # noqa: F811
    subscribe(alice, pro_plan)

    body = book(anon_api, shoot).json()

    assert body["booking"]["status"] == "pending_payment"
    assert body["checkout_url"].startswith(on_free.base)
    assert online.settings_read(alice).offered is True


def test_settings_api_refuses_new_keys_and_says_why(alice_api, alice, plans_on, free_plan):  # noqa: F811
    body = alice_api.get(URL).json()
    assert (body["configured"], body["offered"]) == (False, False)
    assert body["plan_refusal"] == PLAN_SENTENCE

    answer = alice_api.put(
        URL, {"secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}, format="json"
    )

    assert answer.status_code == 409
    assert answer.json() == {
        "code": "plan_limit",
        "detail": PLAN_SENTENCE,
        "limit": "online_payments",
        "allowed": 0,
        "billing_url": "/plans/",
    }
    assert not StripeAccount.objects.exists()
    # The policy (no keys) may still be changed.
    assert alice_api.put(URL, {"late_refund_percent": 50}, format="json").status_code == 200


def test_settings_page_says_so_and_refuses_new_keys(client, alice, on_free):
    client.force_login(alice)
    page = client.get("/billing/payments/").content.decode()
    assert "Connected, but not in use: clients are not asked to pay online." in page
    assert PLAN_SENTENCE in page and 'href="/plans/"' in page

    answer = client.post(
        "/billing/payments/",
        {"secret_key": "sk_test_other_0123", "hold_minutes": 30, "late_refund_percent": 0},
    )

    assert answer.status_code == 200
    assert PLAN_SENTENCE in answer.content.decode().split("<form", 1)[1]
    assert StripeAccount.objects.get().secret_key == SECRET_KEY  # unchanged


def test_client_cannot_buy_a_package_online(client, chris, alice, on_free):  # noqa: F811
    package = make_package(alice, name="Five sessions", sessions_count=5, price=Decimal("200"))
    assert "Five sessions" not in client.get("/billing/my/packages/").content.decode()

    answer = client.post("/billing/my/packages/", {"package": package.pk}, follow=True)

    page = answer.content.decode()
    assert "This trainer does not offer online payments right now." in page
    assert "Your plan" not in page
    assert not OnlinePayment.objects.exists()
    assert on_free.posts("/v1/checkout/sessions") == []


def test_money_already_taken_still_refunds_after_a_downgrade(
    anon_api,
    alice_stripe,
    alice,
    shoot,
    settings,
    free_plan,  # noqa: F811
):
    from trainerhub.billing import refunds
    from trainerhub.billing.tests.online_helpers import completed, online_of, post_event

    pending = online_of(book(anon_api, shoot))
    post_event(anon_api, "checkout.session.completed", completed(alice_stripe, pending))
    settings.PLANS_ENABLED = True  # now on Free, without online payments

    made = refunds.refund_booking(booking=Booking.objects.get(), amount=None)

    assert [refunds.refund_send(request_id=r.pk).state for r in made] == ["done"]
    assert len(alice_stripe.posts("/v1/refunds")) == 1
