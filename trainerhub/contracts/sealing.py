"""The install's seal: a PAdES signature (pyHanko) on every completed contract's PDF.

The key and its self-signed certificate are made on first use into
`DATA_DIR/contracts/seal-key.pem` and `seal-cert.pem`, or read from the paths in the
settings (or environment variables) `CONTRACTS_SEAL_KEY` and `CONTRACTS_SEAL_CERT`. Any
change to a sealed file afterwards breaks the signature, which every PDF reader shows and
`verify` below detects.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FIELD_NAME = "TrainerHubSeal"
_lock = threading.Lock()


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or "")


def seal_paths() -> tuple[Path, Path]:
    key, cert = _setting("CONTRACTS_SEAL_KEY"), _setting("CONTRACTS_SEAL_CERT")
    if key and cert:
        return Path(key), Path(cert)
    folder = Path(settings.DATA_DIR) / "contracts"
    return folder / "seal-key.pem", folder / "seal-cert.pem"


def ensure_seal() -> tuple[Path, Path]:
    """The key and certificate paths, made now when neither exists yet."""
    key_path, cert_path = seal_paths()
    with _lock:
        if key_path.exists() and cert_path.exists():
            return key_path, cert_path
        if key_path.exists() or cert_path.exists():
            raise RuntimeError(
                f"Only one of {key_path} and {cert_path} exists: restore the other from a backup."
            )
        _generate(key_path, cert_path)
    return key_path, cert_path


def _generate(key_path: Path, cert_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    site = getattr(settings, "SITE_URL", "") or "TrainerHub"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "TrainerHub document seal"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, site[:64]),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def seal(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with the install's PAdES signature over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    key_path, cert_path = ensure_seal()
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    if signer is None:
        raise RuntimeError(f"The seal key {key_path} or certificate {cert_path} cannot be read.")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        name="TrainerHub",
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str


def verify(pdf: bytes) -> Verdict:
    """Whether `pdf` carries this install's seal and is unchanged since it was sealed."""
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not pdf.startswith(b"%PDF-"):
        return Verdict(False, "This is not a PDF file.")
    _key, cert_path = ensure_seal()
    from cryptography import x509

    ours = x509.load_pem_x509_certificate(cert_path.read_bytes())
    from cryptography.hazmat.primitives import serialization

    root = asn1_x509.Certificate.load(ours.public_bytes(serialization.Encoding.DER))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file: pyHanko raises many kinds of parse errors
        return Verdict(False, "The file is damaged: it cannot be read as a PDF.")
    if not signatures:
        return Verdict(False, "The file carries no seal: it was not sealed by this TrainerHub.")
    mine = [s for s in signatures if s.signer_cert and s.signer_cert.sha256 == root.sha256]
    if not mine:
        return Verdict(False, "The file is sealed, but not by this TrainerHub.")
    try:
        status = validate_pdf_signature(mine[-1], ValidationContext(trust_roots=[root]))
    except Exception:
        return Verdict(False, "The seal cannot be checked: the file was changed or damaged.")
    if not status.intact or not status.valid:
        return Verdict(False, "The file was changed after it was sealed.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict(False, "Something was added to the file after it was sealed.")
    return Verdict(True, "Sealed by this TrainerHub and unchanged since.")
