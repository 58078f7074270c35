from __future__ import annotations

import io

import pytest
import weasyprint
from pypdf import PdfReader

from trainerhub.contracts import sealing, services
from trainerhub.contracts.documents import sha256
from trainerhub.contracts.tests.conftest import SIGNER, sent_contract
from trainerhub.contracts.tests.test_drawn import PNG_DATA_URL
from trainerhub.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _pdf(pages: int) -> bytes:
    html = "".join(
        f'<p style="page-break-after: always">Studio rules, page {n}</p>'
        for n in range(1, pages + 1)
    )
    return weasyprint.HTML(string=html).write_pdf()


def test_an_uploaded_pdf_is_signed_on_its_chosen_page_and_sealed(alice, chris):
    original = _pdf(2)
    template = services.template_create(
        trainer=alice,
        name="Studio rules",
        pdf=original,
        pdf_name="rules.pdf",
        stamp_page=1,
        fields=[{"kind": "checkbox", "label": "I accept the rules"}],
    )
    contract = sent_contract(alice, template, chris)
    assert contract.document_sha256 == sha256(original) and not contract.document_html
    contract = services.contract_sign(
        contract=contract,
        fields={"field_1": True},
        consent=True,
        signature={"type": "drawn", "png": PNG_DATA_URL},
        actor=SIGNER,
    )
    reader = PdfReader(io.BytesIO(bytes(contract.final_pdf)))
    texts = [page.extract_text() for page in reader.pages]
    assert "Studio rules, page 1" in texts[0] and "Signed electronically by the client" in texts[0]
    assert "Signed electronically" not in texts[1]
    assert "I accept the rules" in "".join(texts[2:]) and "Evidence page" in "".join(texts[2:])
    assert sealing.verify(bytes(contract.final_pdf)).ok


def test_a_file_that_is_not_a_pdf_is_refused(alice):
    with pytest.raises(InvalidInput) as exc:
        services.template_create(trainer=alice, name="X", pdf=b"GIF89a...", pdf_name="x.gif")
    assert exc.value.errors == {"pdf": ["Upload a PDF file."]}
    with pytest.raises(InvalidInput) as exc:
        services.template_create(trainer=alice, name="X", pdf=_pdf(1), stamp_page=3)
    assert exc.value.errors == {"stamp_page": ["The PDF has 1 page(s)."]}
