"""Account pages: thin function views around the account services."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from trainerhub.accounts import forms, services, verification
from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.core.errors import InvalidInput
from trainerhub.core.forms import domain_errors_to_form

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _posted(request: HttpRequest) -> QueryDict | None:
    # Bound on every POST, even an empty one, so missing fields are reported, not ignored.
    return request.POST if request.method == "POST" else None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy(settings.LOGIN_REDIRECT_URL))


TOO_MANY = "Too many attempts from your address. Please wait a minute and try again."


def _auth_rate(group: str, request: HttpRequest) -> str:
    # The same per-address rate as the API's "auth" throttle, so pages are no easier to hammer.
    rates = cast("dict[str, str]", settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    return rates["auth"]


def _too_many(request: HttpRequest, template: str, form: object) -> HttpResponse:
    form.is_valid()  # type: ignore[attr-defined]  # add_error needs a cleaned form
    form.add_error(None, TOO_MANY)  # type: ignore[attr-defined]
    return render(request, template, {"form": form}, status=429)


@ratelimit(key="ip", rate=_auth_rate, method="POST", block=False)
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_trainer", False):
        return redirect("dashboard:home")
    form = forms.RegisterForm(_posted(request))
    if getattr(request, "limited", False):
        return _too_many(request, "accounts/register.html", form)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.trainer_register(**form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"Welcome to TrainerHub, {user.name}.")
            return redirect("dashboard:home")
    return render(request, "accounts/register.html", {"form": form})


@ratelimit(key="ip", rate=_auth_rate, method="POST", block=False)
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_trainer", False):
        return redirect(_next_url(request))
    form = forms.LoginForm(_posted(request))
    if getattr(request, "limited", False):
        return _too_many(request, "accounts/login.html", form)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.trainer_authenticate(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except services.AccountLocked as exc:
            form.add_error(None, exc.detail)
            status = 429
        except services.LoginFailed as exc:
            form.add_error(None, exc.detail)
        else:
            login(request, user)
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@trainer_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "Your password has been changed.")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@trainer_required
def profile(request: TrainerHttpRequest) -> HttpResponse:
    user = request.user
    initial = {field: getattr(user, field) or "" for field in services.PROFILE_FIELDS}
    form = forms.ProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
            user.refresh_from_db()
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


# --- Email verification -------------------------------------------------------------------


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the email: following it (signed in or not) verifies the address."""
    try:
        verification.email_verify(token=token)
    except verification.VerificationLinkDead as exc:
        context = {"verified": False, "message": exc.detail}
        return render(request, "accounts/verify_email.html", context, status=400)
    context = {"verified": True, "message": verification.DONE}
    return render(request, "accounts/verify_email.html", context)


@require_POST
@trainer_required
@ratelimit(key="user", rate="5/h", method="POST", block=False)
def verify_email_resend(request: TrainerHttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        messages.error(request, "Too many links asked for. Please wait a while and try again.")
    elif verification.verification_send(user=request.user):
        messages.success(request, verification.SENT.format(email=request.user.email))
    else:
        messages.info(request, "Your email address is already verified.")
    return redirect(_next_url(request))


# --- Password reset: Django's views and signed, expiring tokens, with our templates -------


# block=False and our own answer: blocking raises PermissionDenied, a 403 instead of a 429.
@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=False), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset_body.txt"
    html_email_template_name = "accounts/emails/password_reset_body.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, "Too many reset requests from your address. Please wait.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Links point at the configured public address, not whatever Host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
