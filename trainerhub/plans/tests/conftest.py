from __future__ import annotations

import hashlib
import hmac
import json
import time
from decimal import Decimal
from typing import Any

import pytest

from trainerhub.plans.models import Plan
from trainerhub.plans.tests.paddle_server import PaddleStandIn, start

SECRET = "pdl_ntfset_test_secret"


@pytest.fixture
def plans_on(settings):
    settings.PLANS_ENABLED = True
    settings.PLANS_GRACE_DAYS = 7
    settings.PADDLE_WEBHOOK_SECRET = SECRET
    settings.PADDLE_API_KEY = "pdl_test_key"
    return settings


@pytest.fixture
def paddle(plans_on):
    stand_in = PaddleStandIn()
    server = start(stand_in)
    plans_on.PADDLE_API_BASE = stand_in.base
    yield stand_in
    server.shutdown()
    server.server_close()


def make_plan(name: str = "Starter", **fields: Any) -> Plan:
    defaults: dict[str, Any] = {"price": Decimal("19.00"), "currency": "EUR"}
    return Plan.objects.create(name=name, **{**defaults, **fields})


@pytest.fixture
def free_plan(db):
    return make_plan(
        "Free",
        price=Decimal("0"),
        is_default=True,
        max_active_clients=10,
        max_services=2,
        max_bookings_per_month=5,
        max_sms_per_month=0,
    )


@pytest.fixture
def pro_plan(db):
    return make_plan(
        "Pro",
        price=Decimal("29.00"),
        paddle_price_id="pri_pro",
        max_active_clients=100,
        max_services=None,
        max_bookings_per_month=None,
        max_sms_per_month=3,
        sms=True,
        online_payments=True,
    )


def sign(body: bytes, *, secret: str = SECRET, ts: int | None = None) -> str:
    stamp = str(int(time.time()) if ts is None else ts)
    digest = hmac.new(secret.encode(), stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"ts={stamp};h1={digest}"


def event(event_type: str, data: dict[str, Any], *, event_id: str, occurred_at: str) -> bytes:
    payload = {
        "event_id": event_id,
        "event_type": event_type,
        "occurred_at": occurred_at,
        "notification_id": f"ntf_{event_id}",
        "data": data,
    }
    return json.dumps(payload).encode()


def subscription_data(
    trainer_id: int, status: str = "active", *, sub_id: str = "sub_1", price: str = "pri_pro"
) -> dict[str, Any]:
    return {
        "id": sub_id,
        "status": status,
        "customer_id": "ctm_1",
        "custom_data": {"trainer_id": str(trainer_id)},
        "items": [{"price": {"id": price}, "quantity": 1}],
        "current_billing_period": {
            "starts_at": "2026-12-01T00:00:00Z",
            "ends_at": "2027-01-01T00:00:00Z",
        },
        "canceled_at": "2026-12-20T00:00:00Z" if status == "canceled" else None,
    }


def post_event(client: Any, body: bytes, header: str | None = None) -> Any:
    return client.post(
        "/api/v1/webhooks/paddle",
        data=body,
        content_type="application/json",
        HTTP_PADDLE_SIGNATURE=sign(body) if header is None else header,
    )
