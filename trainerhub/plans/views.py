"""The trainer's Billing page: their plan, what they use of it, picking a plan (Paddle's
checkout, a link made on the server) and their invoices. Hidden (404) while plans are off."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import DomainError
from trainerhub.plans import conf, paddle, selectors, services, usage


def plans_on(view: Any) -> Any:
    @wraps(view)
    def wrapper(request: TrainerHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not conf.enabled():
            raise Http404("Plans are off on this server.")
        return view(request, *args, **kwargs)

    return wrapper


@trainer_required
@plans_on
def billing(request: TrainerHttpRequest) -> HttpResponse:
    trainer = request.user
    state = selectors.plan_state(trainer)
    rows = [
        {**row, "words": usage.WORDS[str(row["limit"])][1]} for row in selectors.usage_for(trainer)
    ]
    ctx = {
        "state": state,
        "banner": selectors.banner_for(trainer),
        "usage": rows,
        "plans": selectors.plans_on_offer(),
        "payments": selectors.payments_for(trainer)[:24],
        "returned": request.GET.get("checkout") == "done",
    }
    return render(request, "plans/billing.html", ctx)


@require_POST
@trainer_required
@plans_on
def checkout(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_on_offer(pk=pk)
    try:
        url = services.checkout_url(trainer=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("plans:billing")
    return redirect(url)


@trainer_required
@plans_on
def invoice(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    payment = selectors.payment_get_for_trainer(trainer=request.user, pk=pk)
    try:
        url = paddle.invoice_link(transaction_id=payment.paddle_transaction_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("plans:billing")
    return redirect(url)
