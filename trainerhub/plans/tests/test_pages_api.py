"""The Billing page, checkout through the Paddle stand-in, invoices, the API reads."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from trainerhub.plans.models import Subscription, SubscriptionPayment


def test_billing_page_and_api_are_hidden_while_plans_are_off(client, alice, alice_api, free_plan):
    client.force_login(alice)
    assert client.get("/plans/").status_code == 404
    assert "Billing" not in client.get("/").content.decode().split("<main")[0]
    assert alice_api.get("/api/v1/plans").status_code == 404
    assert alice_api.get("/api/v1/subscription").status_code == 404


def test_billing_page_shows_plan_usage_and_offer(client, alice, plans_on, free_plan, pro_plan):
    client.force_login(alice)
    page = client.get("/plans/").content.decode()
    assert "<strong>Free</strong>" in page
    assert "Choose Pro" in page
    assert 'href="/plans/"' in client.get("/").content.decode()


def test_choosing_a_plan_redirects_to_paddles_checkout(client, alice, paddle, pro_plan):
    client.force_login(alice)
    response = client.post(f"/plans/{pro_plan.pk}/checkout")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{paddle.base}/pay?_ptxn=txn_")
    sent = paddle.requests[-1]
    assert sent["body"]["items"] == [{"price_id": "pri_pro", "quantity": 1}]
    assert sent["body"]["custom_data"] == {"trainer_id": str(alice.pk)}
    # The subscription itself comes from the webhook only.
    assert not Subscription.objects.exists()


def test_paddle_failing_is_a_message_not_a_500(client, alice, paddle, pro_plan):
    paddle.fail = True
    client.force_login(alice)
    response = client.post(f"/plans/{pro_plan.pk}/checkout", follow=True)
    assert response.status_code == 200
    assert "Paddle answered 500" in response.content.decode()


def test_a_free_or_hidden_plan_cannot_be_checked_out(client, alice, paddle, free_plan, pro_plan):
    client.force_login(alice)
    response = client.post(f"/plans/{free_plan.pk}/checkout", follow=True)
    assert "nothing to pay" in response.content.decode()
    pro_plan.is_public = False
    pro_plan.save()
    assert client.post(f"/plans/{pro_plan.pk}/checkout").status_code == 404
    assert paddle.requests == []


def _payment(trainer, txn="txn_9"):
    return SubscriptionPayment.objects.create(
        trainer=trainer,
        paddle_transaction_id=txn,
        amount=Decimal("29.00"),
        currency="EUR",
        billed_at=timezone.now(),
    )


def test_invoice_link_is_fetched_from_paddle_and_another_trainers_is_a_404(
    client, alice, bob, paddle
):
    mine, theirs = _payment(alice), _payment(bob, "txn_b")
    client.force_login(alice)
    response = client.get(f"/plans/payments/{mine.pk}/invoice")
    assert response.status_code == 302
    assert response["Location"] == f"{paddle.base}/invoices/txn_9.pdf"
    assert client.get(f"/plans/payments/{theirs.pk}/invoice").status_code == 404


def test_api_lists_plans_and_the_subscription(alice_api, alice, plans_on, free_plan, pro_plan):
    plans = alice_api.get("/api/v1/plans").json()
    assert [p["name"] for p in plans] == ["Free", "Pro"]
    assert plans[1]["limits"]["sms_per_month"] == 3
    assert plans[1]["features"] == {"online_payments": True, "sms": True, "custom_branding": False}
    state = alice_api.get("/api/v1/subscription").json()
    assert state["plan"]["name"] == "Free"
    assert state["status"] is None
    usage = {row["limit"]: row for row in state["usage"]}
    assert usage["active_clients"] == {"limit": "active_clients", "used": 0, "allowed": 10}


def test_api_is_for_trainers_only(anon_api, plans_on):
    assert anon_api.get("/api/v1/subscription").status_code == 401
