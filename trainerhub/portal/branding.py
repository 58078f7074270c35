"""Writes of the trainer's brand (business name, bio, accent colour, logo, photo); what it
shows is read by trainerhub.accounts.branding."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from trainerhub.accounts.models import User
from trainerhub.clients.files import check_upload
from trainerhub.core.errors import InvalidInput

# Browsers show these everywhere (HEIC is accepted for client photos, not for a web page;
# SVG never: it can carry scripts).
BRAND_IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
BRAND_FIELDS = {"business_name", "bio", "accent_color"}


def _check_image(upload: UploadedFile, field: str) -> str:
    """The type the bytes show, when it is one a web page can show; InvalidInput if not."""
    try:
        content_type = check_upload(upload, images_only=True)
    except InvalidInput as exc:
        raise InvalidInput({field: exc.errors["file"]}) from exc
    if content_type not in BRAND_IMAGE_TYPES:
        raise InvalidInput({field: ["Upload a PNG, JPEG, WebP or GIF image."]})
    return content_type


def _replace_image(trainer: User, kind: str, upload: UploadedFile | None, kind_type: str) -> None:
    """Store the new image (or none), and drop the old bytes once the change is committed."""
    old = getattr(trainer, kind)
    old_name, storage = (old.name, old.storage) if old else ("", None)
    if upload is None:
        setattr(trainer, kind, "")
    else:
        getattr(trainer, kind).save(upload.name or kind, upload, save=False)
    setattr(trainer, f"{kind}_type", kind_type)
    if old_name and storage is not None:
        transaction.on_commit(lambda: storage.delete(old_name))


def _field_errors(trainer: User) -> dict[str, list[str]]:
    try:
        trainer.full_clean(validate_unique=False)
    except ValidationError as exc:
        return {k: v for k, v in exc.message_dict.items() if k in BRAND_FIELDS}
    return {}


@transaction.atomic
def portal_branding_update(
    *,
    trainer: User,
    business_name: str,
    bio: str,
    accent_color: str,
    logo: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    remove_logo: bool = False,
    remove_photo: bool = False,
) -> User:
    """Everything is checked before any byte is stored, so a refusal leaves no orphan file."""
    trainer = User.objects.select_for_update().get(pk=trainer.pk)
    trainer.business_name = (business_name or "").strip()
    trainer.bio = (bio or "").strip()
    trainer.accent_color = (accent_color or "").strip().lower()
    errors = _field_errors(trainer)
    types: dict[str, str] = {}
    for kind, upload in (("logo", logo), ("photo", photo)):
        if upload is not None:
            try:
                types[kind] = _check_image(upload, kind)
            except InvalidInput as exc:
                errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    changed = ["business_name", "bio", "accent_color"]
    uploads: dict[str, Any] = {"logo": (logo, remove_logo), "photo": (photo, remove_photo)}
    for kind, (upload, remove) in uploads.items():
        if upload is not None or (remove and getattr(trainer, kind)):
            _replace_image(trainer, kind, upload, types.get(kind, ""))
            changed += [kind, f"{kind}_type"]
    trainer.save(update_fields=changed)
    return trainer
