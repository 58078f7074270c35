"""The completed contract's PDF (WeasyPrint): the frozen document, the filled fields, the
signature(s) and an evidence page; for an uploaded PDF the signature is stamped on its chosen
page and the rest follows as pages of its own. Sealed by sealing.seal."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from trainerhub.contracts.models import Contract, ContractEvent, Signature
from trainerhub.contracts.signing_input import png_data_url
from trainerhub.core.timezones import zone

MM = 72 / 25.4  # PDF points per millimetre


def field_rows(contract: Contract) -> list[dict[str, Any]]:
    rows = []
    for field in contract.fields:
        value = (contract.field_values or {}).get(field["key"], "")
        if field["kind"] == "checkbox":
            value = "Ticked" if value else "Not ticked"
        rows.append({"label": field["label"], "kind": field["kind"], "value": value or "—"})
    return rows


def signature_rows(signatures: list[Signature]) -> list[dict[str, Any]]:
    return [
        {
            "role": s.get_role_display(),
            "kind": s.kind,
            "typed_name": s.typed_name,
            "image": png_data_url(s.png) if s.kind == Signature.Kind.DRAWN else "",
            "signed_at": s.signed_at,
        }
        for s in signatures
    ]


def evidence_context(
    contract: Contract, events: list[ContractEvent], signatures: list[Signature]
) -> dict[str, Any]:
    tz_name = contract.trainer.timezone or "UTC"
    return {
        "contract": contract,
        "trainer": contract.trainer,
        "client": contract.client,
        "events": events,
        "fields": field_rows(contract),
        "signatures": signature_rows(signatures),
        "tz_name": tz_name,
        "tz": zone(tz_name),
        "site_url": settings.SITE_URL,
    }


def _html_pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # type: ignore[import-untyped]

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _stamp(contract: Contract, signatures: list[Signature]) -> bytes:
    """The uploaded PDF with the signature(s) drawn on its chosen page."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(bytes(contract.document_pdf or b"")))
    writer = PdfWriter(clone_from=reader)
    count = len(writer.pages)
    page_number = int(contract.stamp.get("page", 0) or 0)
    index = count - 1 if page_number <= 0 or page_number > count else page_number - 1
    page = writer.pages[index]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    context = {
        "width_pt": width,
        "height_pt": height,
        "x_mm": contract.stamp.get("x_mm", 20),
        "y_mm": contract.stamp.get("y_mm", 240),
        "signatures": signature_rows(signatures),
    }
    overlay = PdfReader(io.BytesIO(_html_pdf("contracts/pdf/stamp.html", context)))
    page.merge_page(overlay.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def final_pdf(
    contract: Contract, events: list[ContractEvent], signatures: list[Signature]
) -> bytes:
    """The unsealed final PDF."""
    context = evidence_context(contract, events, signatures)
    if not contract.document_pdf:
        return _html_pdf("contracts/pdf/final.html", {**context, "with_document": True})
    from pypdf import PdfReader, PdfWriter

    stamped = PdfReader(io.BytesIO(_stamp(contract, signatures)))
    appendix = PdfReader(
        io.BytesIO(_html_pdf("contracts/pdf/final.html", {**context, "with_document": False}))
    )
    writer = PdfWriter(clone_from=stamped)
    for page in appendix.pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
