"""The rules of plans: limits checked inside the writers' transactions, features, checkout.

Other apps call `limit_check(trainer, <limit>)` inside the transaction that creates the
thing counted (client create and restore, service create, booking create, an SMS about to be
sent). It locks the trainer's row until that transaction ends, so concurrent creations of one
trainer pass the check one at a time and a limit holds exactly (on SQLite every write
transaction is already serialised: IMMEDIATE).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from trainerhub.accounts.models import User
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.tenancy import TrainerRef, trainer_id_of
from trainerhub.plans import conf, paddle, selectors, usage
from trainerhub.plans.models import (
    BOOKINGS_PER_MONTH,
    CUSTOM_BRANDING,
    FEATURES,
    LIMITS,
    ONLINE_PAYMENTS,
    SMS,
    SMS_PER_MONTH,
    Plan,
)

PLAN_LIMIT = "plan_limit"


def billing_path() -> str:
    return reverse("plans:billing")


def _refuse(limit: str, detail: str, allowed: int | None) -> Conflict:
    return Conflict(
        f"{detail} See the Billing page: {billing_path()}",
        code=PLAN_LIMIT,
        extra={"limit": limit, "allowed": allowed, "billing_url": billing_path()},
    )


def _lock_trainer(trainer: User) -> None:
    # One row every creation of this trainer goes through, whether or not they subscribe.
    User.objects.select_for_update().filter(pk=trainer.pk).values_list("pk", flat=True).first()


CLIENT_WORDING = (
    "This trainer cannot take new bookings online right now. Please contact them directly."
)


def limit_check(trainer: User, limit: str, *, adding: int = 1, by_client: bool = False) -> None:
    """Refuse (409 plan_limit) when `adding` more of `limit` goes past the plan in force.

    Call it inside the creating transaction, before the insert. Nothing happens while plans
    are off. A new booking is also refused once a lapsed subscription's grace has ended.
    `by_client`: a client is booking, so the refusal does not speak of the trainer's plan."""
    try:
        _check(trainer, limit, adding)
    except Conflict as exc:
        if by_client:
            raise Conflict(CLIENT_WORDING, code=PLAN_LIMIT, extra={"limit": limit}) from exc
        raise


def _check(trainer: User, limit: str, adding: int) -> None:
    if limit not in LIMITS:
        raise ValueError(f"Unknown plan limit {limit!r}")
    if not conf.enabled():
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("limit_check must run inside the creating transaction")
    state = selectors.plan_state(trainer)
    unlimited = state.plan is not None and state.plan.limit_of(limit) is None
    may_stop = limit == BOOKINGS_PER_MONTH and state.bookings_stop_at is not None
    if unlimited and not may_stop:
        return  # no limit to hold: no lock, so other writers go on in parallel
    _lock_trainer(trainer)
    state = selectors.plan_state(trainer)  # again, under the lock
    if limit == BOOKINGS_PER_MONTH and state.bookings_stopped():
        raise _refuse(
            limit,
            "New bookings are paused: your subscription lapsed and its grace period ended. "
            "Your clients and the bookings you have stay; renew to take new ones.",
            0,
        )
    if state.plan is None:
        raise _refuse(limit, "Pick a plan first: you have none yet.", 0)
    allowed = state.plan.limit_of(limit)
    if allowed is None:
        return
    in_use = usage.used(trainer, limit)
    if in_use + adding > allowed:
        raise _refuse(
            limit,
            f"Your plan ({state.plan.name}) allows {usage.words(limit, allowed)}; "
            f"you have {in_use}.",
            allowed,
        )


FEATURE_WORDS = {ONLINE_PAYMENTS: "online payments", SMS: "SMS", CUSTOM_BRANDING: "custom branding"}


def _user(trainer: TrainerRef) -> User:
    return trainer if isinstance(trainer, User) else User.objects.get(pk=trainer_id_of(trainer))


def feature_enabled(trainer: TrainerRef, feature: str) -> bool:
    """Whether the plan in force includes `feature` (always, while plans are off)."""
    if feature not in FEATURES:
        raise ValueError(f"Unknown plan feature {feature!r}")
    if not conf.enabled():
        return True
    plan = selectors.plan_state(_user(trainer)).plan
    return plan is not None and plan.has_feature(feature)


def feature_refusal(trainer: TrainerRef, feature: str) -> Conflict | None:
    """The 409 `plan_limit` (limit: the feature's name) to answer when the plan in force
    does not include `feature`; None when it does (or plans are off)."""
    if feature_enabled(trainer, feature):
        return None
    plan = selectors.plan_state(_user(trainer)).plan
    words = FEATURE_WORDS[feature]
    detail = (
        f"Your plan ({plan.name}) does not include {words}."
        if plan is not None
        else f"Pick a plan that includes {words}: you have none yet."
    )
    return _refuse(feature, detail, 0)


CLIENT_FEATURE_WORDING = "This trainer does not offer {words} right now."


def feature_check(trainer: TrainerRef, feature: str, *, by_client: bool = False) -> None:
    """Raise feature_refusal's 409 when the plan in force does not include `feature`.
    `by_client`: a client asked, so the refusal does not speak of the trainer's plan."""
    refusal = feature_refusal(trainer, feature)
    if refusal is None:
        return
    if by_client:
        words = CLIENT_FEATURE_WORDING.format(words=FEATURE_WORDS[feature])
        raise Conflict(words, code=PLAN_LIMIT, extra={"limit": feature}) from refusal
    raise refusal


def sms_refusal(trainer: User) -> str:
    """Why an SMS of this trainer must not be sent now ("" to send it): the plan has no SMS,
    or this month's SMS are used up. The notification worker asks right before sending; the
    count is of SMS already sent, so two workers sending at the same instant may pass one
    more each (a worker sends one message at a time)."""
    if not conf.enabled():
        return ""
    state = selectors.plan_state(trainer)
    if state.plan is None or not state.plan.has_feature(SMS):
        return "Not sent: SMS is not part of the trainer's plan."
    allowed = state.plan.limit_of(SMS_PER_MONTH)
    if allowed is not None and usage.used(trainer, SMS_PER_MONTH) >= allowed:
        return f"Not sent: the plan's {usage.words(SMS_PER_MONTH, allowed)} are used up."
    return ""


def checkout_url(*, trainer: User, plan: Plan) -> str:
    """Where the trainer pays for `plan`: Paddle's checkout link of a transaction made here.

    The transaction carries the trainer's id (custom_data), which Paddle copies onto the
    subscription, so the webhooks find the trainer."""
    if not conf.enabled():
        raise InvalidInput("Plans are not offered on this server.")
    if not plan.paddle_price_id:
        raise InvalidInput({"plan": ["This plan is free: nothing to pay."]})
    sub = selectors.subscription_for(trainer)
    customer = sub.paddle_customer_id if sub is not None else ""
    return paddle.checkout_link(
        price_id=plan.paddle_price_id, trainer_id=trainer.pk, customer_id=customer
    )
