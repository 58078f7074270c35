"""Client accounts: their own login, "My appointments", and joining through an invite link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from trainerhub.accounts.decorators import client_required
from trainerhub.accounts.requests import SignedInHttpRequest
from trainerhub.accounts.services import password_reset_completed
from trainerhub.core.errors import DomainError
from trainerhub.core.timezones import is_valid_timezone
from trainerhub.notifications.reach import reaches_for_account
from trainerhub.portal import claims, selectors, services
from trainerhub.portal.forms import ClientLoginForm, JoinForm
from trainerhub.portal.forms_reset import ClientPasswordResetForm
from trainerhub.portal.views.common import page_rate_limited, too_many


@require_http_methods(["GET", "POST"])
def my_login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_trainer:
        return redirect("portal:my_home")
    form = ClientLoginForm(request.POST or None)
    if request.method == "POST":
        if page_rate_limited(request, trainer_key="client-login"):
            return too_many(request)
        if form.is_valid():
            try:
                user = services.client_authenticate(
                    request=request,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                login(request, user)
                nxt = request.POST.get("next") or request.GET.get("next") or ""
                if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
                    return redirect(nxt)
                return redirect("portal:my_home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def my_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You are logged out.")
    return redirect("portal:my_login")


@client_required
@require_http_methods(["GET"])
def my_home(request: SignedInHttpRequest) -> HttpResponse:
    now = timezone.now()
    bookings = selectors.client_bookings(user=request.user)
    upcoming = [b for b in bookings if b.end > now and b.is_active]
    past = [b for b in bookings if not (b.end > now and b.is_active)][::-1]
    trainers = {b.trainer_id: b.trainer for b in bookings}
    tz = request.user.timezone if is_valid_timezone(request.user.timezone) else "UTC"
    return render(
        request,
        "portal/my_home.html",
        {
            "upcoming": upcoming,
            "past": past,
            "tz": tz,
            "trainers": [t for t in trainers.values() if t.slug],
            "now": now,
            # One calendar feed and Telegram link per trainer the client books with.
            "reaches": reaches_for_account(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    trainer, _ = selectors.trainer_for_invite(code)
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if page_rate_limited(request, trainer_key=f"join-{trainer.pk}"):
            return too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            # The same answer whether or not the address has an account (portal.claims).
            claims.client_join_request(
                request=request,
                trainer=trainer,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
            )
            book_url = reverse("portal:book", args=[trainer.slug]) if trainer.slug else ""
            context = {"trainer": trainer, "sent": claims.JOIN_SENT, "book_url": book_url}
            return render(request, "portal/join.html", context)
    status = 400 if request.method == "POST" else 200
    book_url = reverse("portal:book", args=[trainer.slug]) if trainer.slug else ""
    return render(
        request,
        "portal/join.html",
        {"form": form, "trainer": trainer, "book_url": book_url},
        status=status,
    )


# --- Password reset of client accounts: the trainer's flow (Django's signed tokens that
# expire after PASSWORD_RESET_TIMEOUT and die once the password changes, the same per-address
# limit, the lockout lifted on success), with the client's pages and links under /my/.


RESET_TOO_MANY = "Too many reset requests from your address. Please wait and try again later."


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=False), name="dispatch")
class ClientPasswordResetView(auth_views.PasswordResetView):
    form_class = ClientPasswordResetForm
    template_name = "portal/password_reset.html"
    subject_template_name = "emails/client_password_reset-subject.txt"
    email_template_name = "emails/client_password_reset-body.txt"
    html_email_template_name = "emails/client_password_reset-body.html"
    success_url = reverse_lazy("portal:my_password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, RESET_TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Links point at the configured public address, not whatever Host the request named.
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "business_name": "TrainerHub",
            "subject": "Reset your client account password",
        }
        return super().form_valid(form)


class ClientPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/password_reset_done.html"


class ClientPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:my_password_reset_complete")

    def get_user(self, uidb64: str) -> Any:
        # A trainer's account is reset on the trainer's pages only.
        user = super().get_user(uidb64)
        return user if user is not None and user.role == "client" else None

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user)
        return response


class ClientPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/password_reset_complete.html"
