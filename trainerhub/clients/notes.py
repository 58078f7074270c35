"""Writes of a client's notes (with their edit history) and files."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from trainerhub.clients.files import check_upload
from trainerhub.clients.models import Client, ClientFile, Note, NoteRevision
from trainerhub.core.errors import InvalidInput

logger = logging.getLogger(__name__)
MAX_NOTE_LENGTH = 20000


def _clean_body(body: Any) -> str:
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput({"body": ["Write something in the note."]})
    if len(body) > MAX_NOTE_LENGTH:
        raise InvalidInput({"body": [f"Keep a note under {MAX_NOTE_LENGTH} characters."]})
    return body.strip()


def _check_booking(client: Client, booking: Any) -> Any:
    if booking is not None and (
        booking.client_id != client.pk or booking.trainer_id != client.trainer_id
    ):
        raise InvalidInput({"booking": ["This session is not one of this client's."]})
    return booking


@transaction.atomic
def note_create(*, client: Client, body: str, booking: Any = None) -> Note:
    note = Note(trainer_id=client.trainer_id, client=client, body=_clean_body(body))
    note.booking = _check_booking(client, booking)
    note.save()
    return note


@transaction.atomic
def note_update(*, note: Note, body: str | None = None, booking: Any = ...) -> Note:
    """Edits keep the previous text as a revision, so no word is ever lost."""
    if body is not None:
        new_body = _clean_body(body)
        if new_body != note.body:
            NoteRevision.objects.create(trainer_id=note.trainer_id, note=note, body=note.body)
            note.body = new_body
    if booking is not ...:
        note.booking = _check_booking(note.client, booking)
    note.save()
    return note


@transaction.atomic
def note_delete(*, note: Note) -> None:
    note.delete()


@transaction.atomic
def client_file_upload(
    *, client: Client, upload: UploadedFile | None, kind: str = ClientFile.Kind.ATTACHMENT
) -> ClientFile:
    if kind not in ClientFile.Kind.values:
        raise InvalidInput({"kind": ["Choose attachment or photo."]})
    content_type = check_upload(upload, images_only=kind == ClientFile.Kind.PHOTO)
    assert upload is not None
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    if kind == ClientFile.Kind.PHOTO:
        # One photo per client: the new one replaces the old.
        delete_stored_files(client.files.filter(kind=ClientFile.Kind.PHOTO))
    stored = ClientFile(
        trainer_id=client.trainer_id,
        client=client,
        kind=kind,
        name=name,
        content_type=content_type,
        size=upload.size or 0,
    )
    stored.file.save(name, upload, save=False)
    try:
        stored.save()
    except Exception:
        stored.file.delete(save=False)
        raise
    return stored


def delete_stored_files(files: Iterable[ClientFile]) -> int:
    """Delete rows and their bytes in storage (after commit, so a rollback keeps both)."""
    count = 0
    for item in list(files):
        storage, path = item.file.storage, item.file.name
        item.delete()
        transaction.on_commit(partial(_delete_bytes, storage, path))
        count += 1
    return count


def _delete_bytes(storage: Any, path: str | None) -> None:
    try:
        storage.delete(path)
    except OSError:
        logger.warning("could not delete a stored client file", extra={"path": path})


@transaction.atomic
def client_file_delete(*, file: ClientFile) -> None:
    delete_stored_files([file])
