"""What every channel receives and how it says it failed."""

from __future__ import annotations

from dataclasses import dataclass, field


class SendError(Exception):
    """The channel refused or failed; `permanent` errors are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email (an invoice's PDF)."""

    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    text: str
    html: str = ""
    short_text: str = ""
    from_name: str = ""
    reply_to: str = ""
    ics: bytes | None = None
    ics_method: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # Files of an email; other channels send the text only.
    attachments: tuple[Attachment, ...] = ()
