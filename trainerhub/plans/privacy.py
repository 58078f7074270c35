"""Plans hold the trainer's own account with the operator, never a client's data.

The CRM's privacy registry (clients/privacy.py) names every model; clients sits above plans,
so it reads this list when it starts (clients/apps.py) rather than plans importing it."""

from __future__ import annotations

NO_CLIENT_DATA: dict[str, str] = {
    "plans.Plan": "the operator's plans",
    "plans.Subscription": "the trainer's own subscription with the operator",
    "plans.PaddleEvent": "ids and types of Paddle's webhook events about trainers",
    "plans.SubscriptionPayment": "the trainer's own payments to the operator",
}
