"""The CRM pages. Thin: access functions fetch (404 for another trainer's things), services
write, and the templates show. htmx swaps the list's results and the notes inline."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trainerhub.accounts.decorators import trainer_required
from trainerhub.accounts.requests import TrainerHttpRequest
from trainerhub.clients import exporting, importing, notes, sections, selectors, services
from trainerhub.clients.forms import (
    ClientForm,
    FileForm,
    ImportForm,
    IntakeFieldForm,
    NoteForm,
    TagForm,
)
from trainerhub.clients.http import export_response, search_params
from trainerhub.clients.http import file_response as _file_response
from trainerhub.clients.models import Client
from trainerhub.clients.validation import phone_help, phone_region_for
from trainerhub.core.errors import Conflict, InvalidInput
from trainerhub.core.forms import domain_errors_to_form

PAGE_SIZES = (25, 50, 100)
SORTS = [
    ("name", "Name"),
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("-last_visit", "Last visit"),
    ("next_booking", "Next booking"),
]


def _client(request: TrainerHttpRequest, pk: int) -> Client:
    return selectors.client_get_for_trainer(trainer=request.user, pk=pk)


@trainer_required
def client_list(request: TrainerHttpRequest) -> HttpResponse:
    try:
        filters = search_params(request.GET)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        filters = search_params({})
    qs = selectors.clients_search(trainer=request.user, **filters)
    try:
        size = int(request.GET.get("page_size", 25))
    except ValueError:
        size = 25
    page = Paginator(qs, size if size in PAGE_SIZES else 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "clients": page.object_list,
        "filters": filters,
        "tags": selectors.tags_for_trainer(trainer=request.user),
        "sorts": SORTS,
        "statuses": [("", "Active and inactive"), *Client.Status.choices, ("all", "All")],
        "querystring": query.urlencode(),
        "has_any": selectors.trainer_has_clients(trainer=request.user),
    }
    template = "clients/list.html#results" if request.htmx else "clients/list.html"
    return render(request, template, context)


def _save_client_form(
    request: TrainerHttpRequest, form: ClientForm, client: Client | None
) -> Client | None:
    if not form.is_valid():
        return None
    try:
        if client is None:
            return services.client_create(trainer=request.user, **form.service_kwargs())
        return services.client_update(client=client, **form.service_kwargs())
    except InvalidInput as exc:
        domain_errors_to_form(form, exc)
        return None
    except Conflict as exc:
        # A duplicate email, or a plan's limit (plans.services.limit_check): said on the form.
        domain_errors_to_form(form, exc)
        if exc.code == services.DUPLICATE_EMAIL:
            form.duplicate_of = selectors.client_get_for_trainer(
                trainer=request.user, pk=exc.extra["client"]
            )
        return None


@trainer_required
def client_create(request: TrainerHttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, trainer=request.user)
    if request.method == "POST":
        client = _save_client_form(request, form, None)
        if client is not None:
            messages.success(request, f"{client.full_name} was added.")
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": None})


@trainer_required
def client_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    if client.erased_at:
        raise Http404("This client's data was erased.")
    form = ClientForm(request.POST or None, instance=client, trainer=request.user)
    if request.method == "POST":
        # The form's validation wrote onto `client`; the service gets the stored row.
        stored = selectors.client_get_for_trainer(trainer=request.user, pk=client.pk)
        saved = _save_client_form(request, form, stored)
        if saved is not None:
            messages.success(request, "Changes saved.")
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": client})


@trainer_required
def client_detail(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    now = timezone.now()
    context: dict[str, Any] = {
        "client": client,
        "stats": selectors.client_stats(client=client, now=now),
        "timeline": selectors.client_timeline(client=client),
        "notes": selectors.client_notes(client=client),
        "files": selectors.client_files(client=client),
        "upcoming": selectors.client_bookings(client=client, upcoming=True, now=now)[:20],
        "past": selectors.client_bookings(client=client, upcoming=False, now=now)[:50],
        "note_form": NoteForm(bookings=selectors.client_bookings(client=client)[:50]),
        "file_form": FileForm(),
    }
    context["photo"] = next((f for f in context["files"] if f.kind == "photo"), None)
    values = client.custom_fields or {}
    context["custom_values"] = [
        (f.label, values[f.key])
        for f in selectors.intake_fields_for_trainer(trainer=request.user)
        if f.key in values
    ]
    context["sections"] = sections.render_sections(request, client)
    return render(request, "clients/detail.html", context)


@trainer_required
def client_archive(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    future = services.future_bookings(client=client)
    context: dict[str, Any] = {"client": client, "action": "archive", "future": future}
    if request.method == "POST":
        cancel = request.POST.get("future") == "cancel"
        message = request.POST.get("message", "")
        try:
            services.client_archive(client=client, cancel_future=cancel, message=message)
        except InvalidInput as exc:
            context.update(error=exc.detail, cancel=cancel, message=message)
            return render(request, "clients/confirm.html", context, status=400)
        kept = "Their future bookings were cancelled." if cancel else "Their bookings are kept."
        messages.success(request, f"{client.full_name} was archived. {kept}")
        return redirect("clients:list")
    return render(request, "clients/confirm.html", context)


@trainer_required
@require_POST
def client_restore(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    try:
        services.client_restore(client=client)
        messages.success(request, f"{client.full_name} is active again.")
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.detail)
    return redirect("clients:detail", pk=client.pk)


@trainer_required
def client_erase(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    context: dict[str, Any] = {"client": client, "action": "erase"}
    if request.method == "POST":
        try:
            services.client_erase(client=client, confirm=request.POST.get("confirm_name", ""))
        except InvalidInput as exc:
            context["error"] = exc.detail
            return render(request, "clients/confirm.html", context, status=400)
        messages.success(
            request,
            "The client's personal data was erased, their future bookings cancelled and "
            "their portal account disabled. Session figures are kept.",
        )
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/confirm.html", context)


@trainer_required
def client_data_export(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    body = json.dumps(
        exporting.client_data_export(client=client), indent=2, ensure_ascii=False, default=str
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
    return response


@trainer_required
def client_export(request: TrainerHttpRequest) -> HttpResponse:
    try:
        return export_response(request.user, request.GET)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect("clients:list")


@trainer_required
def client_import(request: TrainerHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = importing.import_preview(
                trainer=request.user, data=form.cleaned_data["file"].read()
            )
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            return render(request, "clients/import_preview.html", {"preview": preview})
    phone_note = phone_help(phone_region_for(request.user))
    return render(
        request,
        "clients/import.html",
        {"form": form, "phone_note": phone_note},
        status=400 if form.errors else 200,
    )


@trainer_required
@require_POST
def client_import_confirm(request: TrainerHttpRequest) -> HttpResponse:
    try:
        job = importing.import_queue(trainer=request.user, token=request.POST.get("token"))
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect("clients:import")
    return redirect("clients:import_status", pk=job.pk)


@trainer_required
@require_GET
def client_import_status(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    """The import's progress; the page asks again every second (htmx) until it is finished."""
    job = importing.import_job(trainer=request.user, pk=pk)
    template = (
        "clients/import_status.html#progress" if request.htmx else "clients/import_status.html"
    )
    return render(request, template, {"job": job})


def _notes_panel(
    request: TrainerHttpRequest, client: Client, form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    bookings = selectors.client_bookings(client=client)[:50]
    context = {
        "client": client,
        "notes": selectors.client_notes(client=client),
        "note_form": form or NoteForm(bookings=bookings),
    }
    return render(request, "clients/detail.html#notes", context, status=status)


@trainer_required
@require_POST
def note_add(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = NoteForm(request.POST, bookings=selectors.client_bookings(client=client)[:50])
    if form.is_valid():
        try:
            booking = None
            if form.cleaned_data["booking"]:
                booking = selectors.booking_for_client(
                    client=client, pk=form.cleaned_data["booking"]
                )
            notes.note_create(client=client, body=form.cleaned_data["body"], booking=booking)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        except Http404:
            form.add_error("booking", "Unknown session.")
        else:
            if request.htmx:
                return _notes_panel(request, client)
            messages.success(request, "Note added.")
            return redirect("clients:detail", pk=client.pk)
    if request.htmx:
        return _notes_panel(request, client, form, status=400)
    problems = "; ".join(str(m) for errs in form.errors.values() for m in errs)
    messages.error(request, "The note was not saved: " + problems)
    return redirect("clients:detail", pk=client.pk)


@trainer_required
def note_edit(request: TrainerHttpRequest, pk: int, note_id: int) -> HttpResponse:
    client = _client(request, pk)
    note = selectors.note_get_for_trainer(trainer=request.user, client=client, pk=note_id)
    form = NoteForm(
        request.POST or None,
        initial={"body": note.body, "booking": note.booking_id},
        bookings=selectors.client_bookings(client=client)[:50],
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = None
            if form.cleaned_data["booking"]:
                booking = selectors.booking_for_client(
                    client=client, pk=form.cleaned_data["booking"]
                )
            notes.note_update(note=note, body=form.cleaned_data["body"], booking=booking)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        except Http404:
            form.add_error("booking", "Unknown session.")
        else:
            messages.success(request, "Note saved. The previous text is kept in its history.")
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/note_form.html", {"client": client, "note": note, "form": form})


@trainer_required
@require_POST
def note_delete(request: TrainerHttpRequest, pk: int, note_id: int) -> HttpResponse:
    client = _client(request, pk)
    notes.note_delete(
        note=selectors.note_get_for_trainer(trainer=request.user, client=client, pk=note_id)
    )
    messages.success(request, "Note deleted.")
    return redirect("clients:detail", pk=client.pk)


@trainer_required
@require_POST
def file_upload(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to upload.")
        return redirect("clients:detail", pk=client.pk)
    try:
        stored = notes.client_file_upload(
            client=client, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
        )
    except InvalidInput as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{stored.name} uploaded.")
    return redirect("clients:detail", pk=client.pk)


@trainer_required
def file_download(request: TrainerHttpRequest, pk: int, file_id: int) -> FileResponse:
    client = _client(request, pk)
    return _file_response(
        selectors.file_get_for_trainer(trainer=request.user, client=client, pk=file_id)
    )


@trainer_required
@require_POST
def file_delete(request: TrainerHttpRequest, pk: int, file_id: int) -> HttpResponse:
    client = _client(request, pk)
    stored = selectors.file_get_for_trainer(trainer=request.user, client=client, pk=file_id)
    notes.client_file_delete(file=stored)
    messages.success(request, f"{stored.name} deleted.")
    return redirect("clients:detail", pk=client.pk)


@trainer_required
def tags(request: TrainerHttpRequest) -> HttpResponse:
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_create(trainer=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, f"Tag “{form.cleaned_data['name']}” created.")
            return redirect("clients:tags")
    context = {"form": form, "tags": selectors.tags_for_trainer(trainer=request.user)}
    return render(request, "clients/tags.html", context, status=400 if form.errors else 200)


@trainer_required
@require_POST
def tag_delete(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    tag = selectors.tag_get_for_trainer(trainer=request.user, pk=pk)
    services.tag_delete(tag=tag)
    messages.success(request, f"Tag “{tag.name}” deleted.")
    return redirect("clients:tags")


@trainer_required
def intake_fields(request: TrainerHttpRequest) -> HttpResponse:
    form = IntakeFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_field_create(trainer=request.user, **form.service_kwargs())
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Intake field added.")
            return redirect("clients:intake_fields")
    context = {"form": form, "fields": selectors.intake_fields_for_trainer(trainer=request.user)}
    return render(
        request, "clients/intake_fields.html", context, status=400 if form.errors else 200
    )


@trainer_required
def intake_field_edit(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    field = selectors.intake_field_get_for_trainer(trainer=request.user, pk=pk)
    initial = {
        **{k: getattr(field, k) for k in ("label", "kind", "required", "on_booking_form", "order")},
        "choices": "\n".join(field.choices),
    }
    form = IntakeFieldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_field_update(field=field, **form.service_kwargs())
        except InvalidInput as exc:
            domain_errors_to_form(form, exc)
        else:
            messages.success(request, "Intake field saved.")
            return redirect("clients:intake_fields")
    return render(request, "clients/intake_field_form.html", {"form": form, "field": field})


@trainer_required
@require_POST
def intake_field_toggle(request: TrainerHttpRequest, pk: int) -> HttpResponse:
    field = selectors.intake_field_get_for_trainer(trainer=request.user, pk=pk)
    if field.is_active:
        services.intake_field_deactivate(field=field)
        messages.success(
            request, f"“{field.label}” is no longer asked. Answers already given are kept."
        )
    else:
        services.intake_field_update(field=field, is_active=True)
        messages.success(request, f"“{field.label}” is asked again.")
    return redirect("clients:intake_fields")
