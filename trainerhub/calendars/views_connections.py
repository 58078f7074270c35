"""Settings pages of connected Google / Microsoft accounts: the OAuth round trip (PKCE and
`state` kept in the trainer's session), the calendars to read and write, read now,
disconnect, and dismissing a reported change."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.calendars import connections, oauth, selectors, sync
from trainerhub.calendars.forms_connections import ConnectionForm
from trainerhub.calendars.models import Provider
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form

SESSION_KEY = "calendar_oauth"


def _redirect_uri(provider: str) -> str:
    return f"{settings.SITE_URL}{reverse('calendars:oauth_callback', args=[provider])}"


def _configured_or_404(provider: str) -> str:
    if provider not in Provider.values or not oauth.configured(provider):
        raise Http404
    return provider


@trainer_required
@require_POST
def connect_start(request: TrainerHttpRequest, provider: str) -> HttpResponse:
    """Off to the provider's consent page, with a fresh state and PKCE challenge."""
    _configured_or_404(provider)
    pkce = oauth.new_pkce()
    state = oauth.new_state()
    request.session[SESSION_KEY] = {"provider": provider, "state": state, "verifier": pkce.verifier}
    return redirect(
        oauth.authorization_url(
            provider, state=state, challenge=pkce.challenge, redirect_uri=_redirect_uri(provider)
        )
    )


@trainer_required
def connect_callback(request: TrainerHttpRequest, provider: str) -> HttpResponse:
    """The provider sends the trainer back here with a code (or an error) and our state."""
    _configured_or_404(provider)
    label = Provider(provider).label
    pending = request.session.pop(SESSION_KEY, None) or {}
    if request.GET.get("error"):
        messages.error(request, f"{label} was not connected ({request.GET['error'][:100]}).")
        return redirect("calendars:list")
    state = request.GET.get("state", "")
    code = request.GET.get("code", "")
    if (
        pending.get("provider") != provider
        or not state
        or not secrets.compare_digest(str(pending.get("state", "")), state)
        or not code
    ):
        messages.error(
            request,
            f"{label} was not connected: the sign-in could not be checked (it expired or did "
            "not start here). Try again.",
        )
        return redirect("calendars:list")
    try:
        connection = connections.connection_connect(
            trainer=request.user,
            provider=provider,
            code=code,
            verifier=str(pending.get("verifier", "")),
            redirect_uri=_redirect_uri(provider),
        )
    except connections.ConnectFailed as exc:
        messages.error(request, f"{label}: {exc}")
        return redirect("calendars:list")
    if sync.connection_sync(connection=connection):
        messages.success(request, f"Connected {label} ({connection.account}).")
    else:
        messages.error(
            request, f"Connected {label}, but it could not be read: {connection.last_error}"
        )
    return redirect("calendars:connection", pk=connection.pk)


@trainer_required
def connection_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_get_for_trainer(trainer=request.user, pk=pk)
    form = ConnectionForm(request.POST or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        try:
            connections.connection_choose(
                connection=connection,
                busy=form.cleaned_data["busy"],
                write=form.cleaned_data["write_calendar"],
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            sync.connection_sync(connection=connection)
            messages.success(request, f"Saved {connection.get_provider_display()}.")
            return redirect("calendars:list")
    return render(
        request,
        "calendars/connection.html",
        {
            "form": form,
            "connection": connection,
            "failed_writes": selectors.failed_pushes(connection=connection),
            "settings_tab": "calendars",
        },
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def connection_sync_now(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_get_for_trainer(trainer=request.user, pk=pk)
    label = connection.get_provider_display()
    if sync.connection_sync(connection=connection):
        messages.success(request, f"Read {label} again.")
    else:
        messages.error(request, f"{label} could not be read: {connection.last_error}")
    return redirect("calendars:list")


@trainer_required
@require_POST
def connection_disconnect(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    connection = selectors.connection_get_for_trainer(trainer=request.user, pk=pk)
    label = connection.get_provider_display()
    connections.connection_disconnect(connection=connection)
    messages.success(
        request,
        f"Disconnected {label}: its times no longer block bookings, its tokens are deleted.",
    )
    return redirect("calendars:list")


@trainer_required
@require_POST
def change_dismiss(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    event = selectors.synced_event_get_for_trainer(trainer=request.user, pk=pk)
    connections.change_dismiss(event=event)
    return redirect("calendars:list")
