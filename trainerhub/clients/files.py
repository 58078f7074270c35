"""Uploaded files: the type is decided by the bytes, never by the name or the browser."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from trainerhub.core.errors import InvalidInput

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/heic": "heic",
    "image/heif": "heic",
}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "image/heic", "image/heif"}
TEXT_TYPES = {"text/plain", "text/csv"}


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still text.
        if exc.start < len(head) - 4:
            return False
    return True


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The real type of the upload by its first bytes, or None when it is not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    if head and _looks_like_text(head):
        return "text/csv" if (upload.name or "").lower().endswith(".csv") else "text/plain"
    return None


def check_upload(upload: UploadedFile | None, *, images_only: bool = False) -> str:
    """The sniffed content type of an acceptable upload; InvalidInput otherwise."""
    if upload is None:
        raise InvalidInput({"file": ["Choose a file to upload."]})
    if upload.size is None or upload.size == 0:
        raise InvalidInput({"file": ["The file is empty."]})
    if upload.size > max_upload_bytes():
        raise InvalidInput(
            {"file": [f"The file is too large: the limit is {settings.MAX_UPLOAD_MB} MB."]}
        )
    content_type = sniff_content_type(upload)
    allowed_here = IMAGE_TYPES if images_only else set(ALLOWED_TYPES) | TEXT_TYPES
    if content_type is None or content_type not in allowed_here:
        what = (
            "PNG, JPEG, WebP, GIF or HEIC images"
            if images_only
            else ("PDF, images (PNG, JPEG, WebP, GIF, HEIC) and plain text or CSV")
        )
        raise InvalidInput({"file": [f"This type of file is not allowed. Upload {what}."]})
    return content_type
