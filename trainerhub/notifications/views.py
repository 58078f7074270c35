"""Trainer pages (centre, log, settings) and the public unsubscribe / Telegram webhook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.models import User
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.clients.models import Client
from trainerhub.clients.selectors import client_get_for_trainer
from trainerhub.core import jsonbody
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.notifications import prefs, selectors, services
from trainerhub.notifications.channels import channel_status, telegram
from trainerhub.notifications.context_processors import poll_seconds
from trainerhub.notifications.forms import (
    ReminderSettingsForm,
    SmsAccountForm,
    TelegramBotForm,
    format_offsets,
    preference_rows,
)
from trainerhub.notifications.messages import client_from_unsubscribe_token
from trainerhub.notifications.models import Channel
from trainerhub.plans import services as plans
from trainerhub.plans.models import SMS

# --- Notification centre -----------------------------------------------------------------


@trainer_required
def centre(request: TrainerHttpRequest) -> HttpResponse:
    page = Paginator(selectors.in_app_for_trainer(trainer=request.user), 30).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread": selectors.unread_count(trainer=request.user)}
    if request.htmx:
        return render(request, "notifications/centre.html#list", context)
    return render(request, "notifications/centre.html", context)


@trainer_required
@require_POST
def mark_read(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    item = selectors.in_app_get_for_trainer(trainer=request.user, pk=pk)
    services.notification_mark_read(notification=item)
    if request.htmx:
        return render(request, "notifications/centre.html#item", {"item": item})
    if item.url and request.POST.get("open"):
        return redirect(item.url)
    return redirect("notifications:centre")


@trainer_required
@require_POST
def mark_all_read(request: TrainerHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(trainer=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:centre")


@trainer_required
def unread_badge(request: TrainerHttpRequest) -> HttpResponse:
    """The nav's unread count alone, asked for by htmx every poll (see _unread_badge.html)."""
    return render_unread_badge(request, "notifications:unread_badge")


def render_unread_badge(request: HttpRequest, url_name: str) -> HttpResponse:
    context = {
        "count": selectors.unread_for_user(user=request.user),
        "badge_url": reverse(url_name),
        "poll_seconds": poll_seconds(),
    }
    return render(request, "notifications/_unread_badge.html", context)


# --- Log -------------------------------------------------------------------------------------


@trainer_required
def log(request: TrainerHttpRequest) -> HttpResponse:
    return _log_page(request, client=None)


@trainer_required
def client_log(request: TrainerHttpRequest, client_id: int) -> HttpResponse:
    client = client_get_for_trainer(trainer=request.user, pk=client_id)
    return _log_page(request, client=client)


def _log_page(request: TrainerHttpRequest, *, client: Client | None) -> HttpResponse:
    rows = selectors.log_for_trainer(trainer=request.user, client=client)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/log.html", {"page": page, "client": client})


# --- Settings ----------------------------------------------------------------------------


def _sms_form(trainer: Any, data: Any = None) -> SmsAccountForm:
    account = services.sms_account_for(trainer=trainer)
    initial = (
        {"account_sid": account.account_sid, "from_number": account.from_number} if account else {}
    )
    return SmsAccountForm(data, initial=initial, prefix="sms")


@trainer_required
@require_POST
def sms_account_save(request: TrainerHttpRequest) -> HttpResponse:
    form = _sms_form(request.user, request.POST)
    if form.is_valid():
        try:
            services.sms_account_set(trainer=request.user, **form.cleaned_data)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(
                request, "Your Twilio account is connected: your texts go from your number."
            )
            return redirect("notifications:settings")
    return _settings_page(request, sms_form=form)


@trainer_required
@require_POST
def sms_account_remove(request: TrainerHttpRequest) -> HttpResponse:
    services.sms_account_remove(trainer=request.user)
    messages.success(request, "Your Twilio account was disconnected.")
    return redirect("notifications:settings")


@trainer_required
@require_POST
def telegram_bot_save(request: TrainerHttpRequest) -> HttpResponse:
    form = TelegramBotForm(request.POST, prefix="telegram")
    if form.is_valid():
        try:
            bot = services.telegram_bot_set(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Your bot @{bot.bot_name} is connected.")
            return redirect("notifications:settings")
    return _settings_page(request, telegram_form=form)


@trainer_required
@require_POST
def telegram_bot_remove(request: TrainerHttpRequest) -> HttpResponse:
    services.telegram_bot_remove(trainer=request.user)
    messages.success(request, "Your Telegram bot was disconnected.")
    return redirect("notifications:settings")


def channels_off_plan(trainer: User) -> frozenset[str]:
    """The channels the trainer's plan does not include (SMS; none while plans are off)."""
    return frozenset() if plans.feature_enabled(trainer, SMS) else frozenset({Channel.SMS})


def masked_token(token: str) -> str:
    """A bot token as the settings page shows it: its bot id and last four characters."""
    bot_id, _, secret = token.partition(":")
    return f"{bot_id}:…{secret[-4:]}" if secret else "…"


@trainer_required
def preferences(request: TrainerHttpRequest) -> HttpResponse:
    return _settings_page(request)


def _settings_page(
    request: TrainerHttpRequest,
    sms_form: SmsAccountForm | None = None,
    telegram_form: TelegramBotForm | None = None,
) -> HttpResponse:
    trainer = request.user
    current = prefs.settings_for(trainer)
    initial = {
        "reminder_offsets": format_offsets(current.reminder_offsets or []),
        "daily_agenda": current.daily_agenda,
        "agenda_hour": current.agenda_hour,
    }
    plan_off = channels_off_plan(trainer)
    posted = request.POST if sms_form is None and telegram_form is None else None
    form = ReminderSettingsForm(posted or None, initial=initial)
    if posted and form.is_valid():
        try:
            services.notification_settings_update(trainer=trainer, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            on = {name for name, (is_on, _) in channel_status(trainer.pk).items() if is_on}
            on -= plan_off  # not on the plan: no box shown, so keep its choice too
            choices = {
                (kind, channel): f"pref:{kind}:{channel}" in request.POST
                for (kind, channel) in prefs.preference_map(trainer)
                if channel in on  # a channel that is off shows no box: keep its choice
            }
            prefs.preferences_set(trainer=trainer, choices=choices)
            messages.success(request, "Notification settings saved.")
            return redirect("notifications:settings")
    feed = services.calendar_feed_for(trainer=trainer)
    bot = services.telegram_bot_for(trainer=trainer)
    context = {
        "form": form,
        "rows": preference_rows(prefs.preference_map(trainer), trainer.pk, plan_off),
        "channels": channel_status(trainer.pk),
        "plan_off": plan_off,
        "sms_account": services.sms_account_for(trainer=trainer),
        "sms_form": sms_form or _sms_form(trainer),
        "telegram_bot": bot,
        "telegram_bot_masked": masked_token(bot.bot_token) if bot else "",
        "telegram_form": telegram_form or TelegramBotForm(prefix="telegram"),
        "feed_url": services.feed_url(feed) if feed else "",
    }
    return render(request, "notifications/settings.html", context)


@trainer_required
@require_POST
def feed_regenerate(request: TrainerHttpRequest) -> HttpResponse:
    services.calendar_feed_regenerate(trainer=request.user)
    messages.success(request, "New calendar link created. The old link no longer works.")
    return redirect("notifications:settings")


@trainer_required
@require_POST
def feed_revoke(request: TrainerHttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(trainer=request.user)
    messages.success(request, "Calendar link turned off.")
    return redirect("notifications:settings")


# --- Public: unsubscribe, Telegram webhook ---------------------------------------------


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts without a session; the token is signed
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    client_id = client_from_unsubscribe_token(token)
    client = selectors.unsubscribe_client(client_id)
    done = False
    if request.method == "POST":
        if request.POST.get("resubscribe"):
            services.client_resubscribe_reminders(client=client)
        else:
            services.client_unsubscribe_reminders(client=client)
            done = True
    context = {
        "business_name": client.trainer.display_name,
        "done": done or prefs.reminders_stopped(client),
        "token": token,
    }
    return render(request, "notifications/unsubscribe.html", context)


def telegram_webhook_secret() -> str:
    """The webhook path's secret of the operator's bot (a trainer's own bot has its own)."""
    return telegram.webhook_secret_for(settings.TELEGRAM_BOT_TOKEN or "")


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest, secret: str) -> HttpResponse:
    bot = services.telegram_bot_by_secret(secret)
    if bot is None:
        raise Http404
    try:
        update = jsonbody.loads(request.body or b"{}")  # depth-limited, like the API's
    except ValueError:
        return JsonResponse({"ok": False}, status=400)
    linked = services.telegram_handle_update(update if isinstance(update, dict) else {}, bot=bot)
    return JsonResponse({"ok": True, "linked": linked})
