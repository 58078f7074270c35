"""The trainer's contract pages: templates, contracts, sending, voiding, countersigning,
downloads and the verify page. Thin: forms in, services called, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.contracts import documents, evidence, rendering, sealing, selectors, services
from trainerhub.contracts.forms import TemplateForm, VerifyForm, VoidForm
from trainerhub.contracts.models import Contract, Signers
from trainerhub.contracts.signing_input import png_data_url
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.core.forms import domain_errors_to_form


def request_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def request_ua(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def actor_of(request: TrainerHttpRequest) -> Any:
    return services.trainer_actor(request.user, request_ip(request), request_ua(request))


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


STATUS_TABS = (
    ("", "All"),
    ("sent", "Sent"),
    ("viewed", "Viewed"),
    ("signed", "Waiting for you"),
    ("completed", "Signed"),
    ("declined", "Declined"),
    ("expired", "Expired"),
    ("voided", "Voided"),
)


@trainer_required
def home(request: TrainerHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in dict(STATUS_TABS):
        status = ""
    rows = selectors.contracts_for_trainer(trainer=request.user, status=status)[:200]
    return render(
        request,
        "contracts/home.html",
        {
            "contracts": list(rows),
            "templates": list(selectors.templates_for_trainer(trainer=request.user)),
            "tabs": STATUS_TABS,
            "status": status,
        },
    )


def _template_page(
    request: TrainerHttpRequest, form: TemplateForm, template: Any = None
) -> HttpResponse:
    return render(
        request,
        "contracts/template_form.html",
        {"form": form, "item": template, "merge_fields": documents.MERGE_FIELDS},
        status=400 if form.errors else 200,
    )


def _save_template(request: TrainerHttpRequest, form: TemplateForm, template: Any) -> Any:
    try:
        data = form.service_data()
        if template is None:
            return services.template_create(trainer=request.user, **data)
        return services.template_update(template=template, **data)
    except InvalidInput as exc:
        if "fields" in exc.errors:
            exc.errors["fields_text"] = exc.errors.pop("fields")
        domain_errors_to_form(form, exc)
    return None


@trainer_required
def template_new(request: TrainerHttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None, request.FILES or None, trainer=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_template(request, form, None)
        if saved is not None:
            messages.success(request, f"Saved the template {saved.name}.")
            return redirect("contracts:home")
    return _template_page(request, form)


@trainer_required
def template_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
    form = TemplateForm(
        request.POST or None,
        request.FILES or None,
        trainer=request.user,
        initial=TemplateForm.initial_for(template),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_template(request, form, template)
        if saved is not None:
            messages.success(
                request, f"Saved {saved.name}. Contracts already sent keep their own copy."
            )
            return redirect("contracts:home")
    return _template_page(request, form, template)


@trainer_required
@require_POST
def template_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get_for_trainer(trainer=request.user, pk=pk)
    services.template_delete(template=template)
    messages.success(request, f"Deleted the template {template.name}.")
    return redirect("contracts:home")


@trainer_required
@require_POST
def send_new(request: TrainerHttpRequest) -> HttpResponse:
    """Send a template to a client (from the client page or the booking panel)."""
    from trainerhub.scheduling.client_reads import client_reads
    from trainerhub.scheduling.selectors import booking_get_for_trainer

    trainer = request.user
    template = selectors.template_get_for_trainer(trainer=trainer, pk=request.POST.get("template"))
    booking = None
    if request.POST.get("booking"):
        booking = booking_get_for_trainer(trainer=trainer, pk=request.POST["booking"])
        client = booking.client
    else:
        from trainerhub.core.access import row_or_404

        client = row_or_404(
            client_reads().clients_for_trainer(trainer=trainer), request.POST.get("client")
        )
    actor = actor_of(request)
    try:
        contract = services.contract_create(
            trainer=trainer, template=template, client=client, booking=booking, actor=actor
        )
        services.contract_send(contract=contract, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Sent {template.name} to {client.full_name} ({client.email}).")
    return _back(request, "contracts:home")


@trainer_required
def detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    events = selectors.events_of(contract)
    report = evidence.verify_chain(contract, events)
    signatures = selectors.signatures_of(contract)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "events": events,
            "chain": report,
            "signatures": [(s, png_data_url(s.png)) for s in signatures],
            "fields": rendering.field_rows(contract),
            "void_form": VoidForm(),
            "sign_url": services.sign_url(contract) if contract.token else "",
            "countersign": contract.status == Contract.Status.SIGNED
            and contract.signers == Signers.CLIENT_TRAINER,
        },
    )


@trainer_required
@require_POST
def send(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    try:
        first = contract.status == Contract.Status.DRAFT
        services.contract_send(contract=contract, actor=actor_of(request))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Sent." if first else "Sent again; the link works for longer.")
    return _back(request, f"/contracts/{contract.pk}/")


@trainer_required
@require_POST
def void(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    try:
        services.contract_void(
            contract=contract, actor=actor_of(request), reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Voided: the link no longer works.")
    return _back(request, f"/contracts/{contract.pk}/")


@trainer_required
@require_POST
def countersign(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    from trainerhub.contracts.public import signature_from_post

    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    try:
        services.contract_countersign(
            contract=contract, signature=signature_from_post(request.POST), actor=actor_of(request)
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Signed. The sealed PDF is ready.")
    return redirect("contracts:detail", contract.pk)


def pdf_response(contract: Contract, *, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(contract.final_pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = contract.final_sha256
    return response


def pdf_filename(contract: Contract) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in contract.title).strip("-") or "contract"
    return f"{safe[:60]}-{contract.pk}-signed.pdf"


@trainer_required
def pdf(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    if not contract.final_pdf:
        messages.error(request, "The signed PDF exists once everyone has signed.")
        return redirect("contracts:detail", contract.pk)
    return pdf_response(contract, filename=pdf_filename(contract))


@trainer_required
def evidence_page(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get_for_trainer(trainer=request.user, pk=pk)
    events = selectors.events_of(contract)
    return render(
        request,
        "contracts/evidence.html",
        {
            **rendering.evidence_context(contract, events, selectors.signatures_of(contract)),
            "chain": evidence.verify_chain(contract, events),
        },
    )


@trainer_required
def verify(request: TrainerHttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = match = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        if upload.size > 30 * 1024 * 1024:
            form.add_error("pdf", "The file is over 30 MB.")
        else:
            data = upload.read()
            verdict = sealing.verify(data)
            match = selectors.contract_by_final_hash(
                trainer=request.user, digest=documents.sha256(data)
            )
    return render(
        request,
        "contracts/verify.html",
        {"form": form, "verdict": verdict, "match": match},
        status=400 if form.errors else 200,
    )
