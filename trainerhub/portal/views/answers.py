"""The trainer applies or ignores what a visitor typed on a matched booking (portal.answers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import DomainError
from trainerhub.portal.answers import booking_answers_decide, booking_answers_get

ACTIONS = {"apply": True, "ignore": False}


@trainer_required
@require_POST
def answers_decide(request: TrainerHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    answers = booking_answers_get(trainer=request.user, pk=pk)
    try:
        booking_answers_decide(answers=answers, apply=ACTIONS[action])
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        done = "applied to the record" if ACTIONS[action] else "ignored"
        messages.success(request, f"The answers from that booking were {done}.")
    return redirect("clients:detail", answers.booking.client_id)
