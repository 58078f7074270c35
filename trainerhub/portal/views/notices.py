"""The client's notification centre in their portal: what their trainers did about their
bookings, documents to sign, invoices (written by trainerhub.notifications.client_centre)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from trainerhub.accounts.decorators import client_required
from trainerhub.accounts.requests import SignedInHttpRequest
from trainerhub.notifications import selectors, services
from trainerhub.notifications.views import render_unread_badge


@client_required
@require_GET
def my_notifications(request: SignedInHttpRequest) -> HttpResponse:
    rows = selectors.in_app_for_user(user=request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    context = {"page": page, "unread": selectors.unread_for_user(user=request.user)}
    return render(request, "portal/notifications.html", context)


@client_required
@require_POST
def my_notification_read(request: SignedInHttpRequest, pk: int) -> HttpResponse:
    item = selectors.in_app_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=item)
    if request.htmx:
        return render(request, "portal/notifications.html#item", {"item": item})
    if item.url and request.POST.get("open"):
        return redirect(item.url)
    return redirect("portal:my_notifications")


@client_required
@require_POST
def my_notifications_read_all(request: SignedInHttpRequest) -> HttpResponse:
    count = services.in_app_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("portal:my_notifications")


@client_required
@require_GET
def my_unread_badge(request: SignedInHttpRequest) -> HttpResponse:
    return render_unread_badge(request, "portal:my_unread_badge")
