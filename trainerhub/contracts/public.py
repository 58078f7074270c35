"""The signer's pages: the private link (no account needed), decline, the portal's copies."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from trainerhub.contracts import selectors, services
from trainerhub.contracts.models import Contract
from trainerhub.contracts.services import CONSENT_TEXT, LinkGone
from trainerhub.contracts.views import pdf_filename, pdf_response, request_ip, request_ua
from trainerhub.core.errors import InvalidInput


def signature_from_post(post: Any) -> dict[str, Any]:
    kind = post.get("signature_type", "")
    if kind == "typed":
        return {"type": "typed", "name": post.get("typed_name", "")}
    return {
        "type": "drawn",
        "png": post.get("signature_png", ""),
        "points": post.get("signature_points", ""),
    }


def _gone(request: HttpRequest, contract: Contract, exc: LinkGone) -> HttpResponse:
    return render(
        request,
        "contracts/sign_gone.html",
        {
            "contract": contract,
            "trainer": contract.trainer,
            "message": exc.detail,
            "code": exc.code,
        },
        status=410,
    )


def _page(
    request: HttpRequest,
    contract: Contract,
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    post = request.POST if request.method == "POST" else {}
    fields = []
    for field in contract.fields:
        name = f"fields.{field['key']}"
        fields.append(
            {
                **field,
                "name": name,
                "value": post.get(name, "") if post else "",
                "errors": (errors or {}).get(name, []),
            }
        )
    return render(
        request,
        "contracts/sign.html",
        {
            "contract": contract,
            "trainer": contract.trainer,
            "fields": fields,
            "errors": errors or {},
            "consent_text": CONSENT_TEXT,
            "post": post,
            "signature_type": post.get("signature_type", "") if post else "",
        },
        status=status,
    )


def sign(request: HttpRequest, token: str) -> HttpResponse:
    contract = selectors.contract_for_token(token)
    actor = services.client_actor(contract, request_ip(request), request_ua(request))
    if request.method != "POST":
        try:
            contract = services.contract_viewed(contract=contract, actor=actor)
        except LinkGone as exc:
            return _gone(request, contract, exc)
        return _page(request, contract)
    values = {f["key"]: request.POST.get(f"fields.{f['key']}", "") for f in contract.fields}
    try:
        contract = services.contract_sign(
            contract=contract,
            fields=values,
            consent=request.POST.get("consent", ""),
            signature=signature_from_post(request.POST),
            actor=actor,
        )
    except LinkGone as exc:
        return _gone(request, contract, exc)
    except InvalidInput as exc:
        return _page(request, contract, errors=exc.errors, status=400)
    return render(
        request, "contracts/sign_done.html", {"contract": contract, "trainer": contract.trainer}
    )


@require_POST
def decline(request: HttpRequest, token: str) -> HttpResponse:
    contract = selectors.contract_for_token(token)
    actor = services.client_actor(contract, request_ip(request), request_ua(request))
    try:
        contract = services.contract_decline(
            contract=contract, reason=request.POST.get("reason", ""), actor=actor
        )
    except LinkGone as exc:
        return _gone(request, contract, exc)
    except InvalidInput as exc:
        return _page(request, contract, errors={"decline": exc.errors["reason"]}, status=400)
    return render(
        request, "contracts/sign_declined.html", {"contract": contract, "trainer": contract.trainer}
    )


@login_required
def my_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A portal client's copy of a document they signed."""
    if getattr(request.user, "is_trainer", True):
        raise Http404
    contract = selectors.contract_for_account(user=request.user, pk=pk)
    return pdf_response(contract, filename=pdf_filename(contract))
