"""Reads of plans: the plans on offer, a trainer's subscription and the plan in force now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from trainerhub.accounts.models import User
from trainerhub.core.access import row_or_404
from trainerhub.plans import conf, usage
from trainerhub.plans.models import LIMITS, Plan, Subscription, SubscriptionPayment


@dataclass(frozen=True)
class PlanState:
    """The plan in force for a trainer and where their subscription stands.

    `plan` None while plans are on means no plan at all (no free plan defined and no
    subscription): nothing new can be added until they subscribe. `bookings_stop_at` is set
    while the subscription has lapsed: new bookings are refused from then on."""

    plan: Plan | None
    subscription: Subscription | None
    bookings_stop_at: datetime | None

    def bookings_stopped(self, now: datetime | None = None) -> bool:
        return (
            self.bookings_stop_at is not None and (now or timezone.now()) >= self.bookings_stop_at
        )


def plans_on_offer() -> QuerySet[Plan]:
    return Plan.objects.filter(is_public=True).order_by("sort_order", "price", "id")


def plan_get_on_offer(*, pk: object) -> Plan:
    """A plan a trainer may pick; another id (or a hidden plan) is a 404."""
    return row_or_404(plans_on_offer(), pk)


def default_plan() -> Plan | None:
    return Plan.objects.filter(is_default=True).first()


def subscription_for(trainer: User) -> Subscription | None:
    return Subscription.objects.select_related("plan").filter(trainer_id=trainer.pk).first()


def plan_state(trainer: User) -> PlanState:
    sub = subscription_for(trainer)
    if sub is None:
        return PlanState(plan=default_plan(), subscription=None, bookings_stop_at=None)
    if sub.status in Subscription.GOOD_STANDING and sub.plan is not None:
        return PlanState(plan=sub.plan, subscription=sub, bookings_stop_at=None)
    if sub.status == Subscription.Status.CANCELED or sub.plan is None:
        free = default_plan()
        if free is not None:
            return PlanState(plan=free, subscription=sub, bookings_stop_at=None)
    # Lapsed (past due, paused, or cancelled with no free plan to fall back to): the plan
    # they paid for still holds, and new bookings stop when the grace period ends.
    return PlanState(plan=sub.plan, subscription=sub, bookings_stop_at=sub.grace_until)


def usage_for(trainer: User) -> list[dict[str, object]]:
    """Each limit of the plan in force: used and allowed (None: no limit)."""
    state = plan_state(trainer)
    rows = []
    for limit in LIMITS:
        allowed = state.plan.limit_of(limit) if state.plan is not None else 0
        rows.append({"limit": limit, "used": usage.used(trainer, limit), "allowed": allowed})
    return rows


def payments_for(trainer: User) -> QuerySet[SubscriptionPayment]:
    return SubscriptionPayment.objects.filter(trainer_id=trainer.pk)


def payment_get_for_trainer(*, trainer: User, pk: object) -> SubscriptionPayment:
    """Another trainer's payment is a 404."""
    return row_or_404(payments_for(trainer), pk)


def banner_for(trainer: User) -> dict[str, object] | None:
    """What the trainer's pages say about a lapsed subscription (None: nothing to say)."""
    if not conf.enabled() or not getattr(trainer, "is_trainer", False):
        return None
    state = plan_state(trainer)
    if state.bookings_stop_at is None:
        return None
    return {"stopped": state.bookings_stopped(), "stop_at": state.bookings_stop_at, "state": state}
