"""Messages about something other than a booking (an invoice...), written by apps above
notifications, and the files they carry.

The outbox renders every row at send time from `emails/<kind>-*` templates. An app above
notifications (billing) registers, at its `AppConfig.ready()`, what its kinds add to the
template context and which files they attach (read from its own rows at send time, so the
outbox stores no copy of a PDF); `messages.render` asks here. A kind nobody registered adds
nothing and attaches nothing. The rows themselves are written by `outbox.to_client_email`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trainerhub.notifications.channels.base import Attachment

if TYPE_CHECKING:
    from trainerhub.notifications.models import Notification

ContextSource = Callable[["Notification"], dict[str, Any]]
AttachmentSource = Callable[["Notification"], list[Attachment]]


@dataclass(frozen=True)
class Document:
    context: ContextSource | None = None
    attachments: AttachmentSource | None = None


_documents: dict[str, Document] = {}


def register(
    kind: str,
    *,
    context: ContextSource | None = None,
    attachments: AttachmentSource | None = None,
) -> None:
    _documents[kind] = Document(context=context, attachments=attachments)


def extra_context(row: Notification) -> dict[str, Any]:
    doc = _documents.get(row.kind)
    return doc.context(row) if doc and doc.context else {}


def attachments_for(row: Notification) -> tuple[Attachment, ...]:
    doc = _documents.get(row.kind)
    return tuple(doc.attachments(row)) if doc and doc.attachments else ()
