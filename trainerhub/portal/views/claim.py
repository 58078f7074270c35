"""Following the emailed link that creates (or claims) a client account (portal.claims)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trainerhub.core.errors import DomainError
from trainerhub.core.forms import domain_errors_to_form
from trainerhub.core.timezones import is_valid_timezone
from trainerhub.portal import claims
from trainerhub.portal.forms import PasswordPairMixin
from trainerhub.portal.views.common import page_rate_limited, too_many


class ClaimForm(PasswordPairMixin):
    pass


@require_http_methods(["GET", "POST"])
def my_claim(request: HttpRequest, token: str) -> HttpResponse:
    if page_rate_limited(request, trainer_key="claim"):
        return too_many(request)
    try:
        client = claims.client_for_claim(token)
    except claims.ClaimLinkDead as exc:
        return render(request, "portal/claim.html", {"dead": exc.detail}, status=404)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = claims.client_account_claim(token=token, password=form.cleaned_data["password"])
        except claims.ClaimLinkDead as exc:
            return render(request, "portal/claim.html", {"dead": exc.detail}, status=404)
        except DomainError as exc:
            domain_errors_to_form(form, exc)
        else:
            tz = request.POST.get("tz", "")
            if tz and is_valid_timezone(tz) and user.timezone == "UTC":
                user.timezone = tz
                user.save(update_fields=["timezone"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. Here are your appointments.")
            return redirect("portal:my_home")
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "client": client, "trainer": client.trainer}
    return render(request, "portal/claim.html", ctx, status=status)
