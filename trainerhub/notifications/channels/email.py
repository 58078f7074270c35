"""Email through Django's EMAIL_BACKEND (SMTP in production, console in development)."""

from __future__ import annotations

import smtplib
from email.mime.base import MIMEBase
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from trainerhub.notifications.channels.base import Outgoing, SendError


def is_configured() -> bool:
    return bool(settings.EMAIL_BACKEND)


def why_off() -> str:
    return "" if is_configured() else "EMAIL_URL is not set."


def _ics_part(ics: bytes, method: str) -> MIMEBase:
    # text/calendar with a METHOD parameter is what calendar clients look for to offer
    # "add" (REQUEST) or "remove" (CANCEL); Django's attach() cannot set that parameter.
    part = MIMEBase("text", "calendar", method=method or "PUBLISH", charset="utf-8")
    part.set_payload(ics.decode("utf-8"), charset="utf-8")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def build(out: Outgoing) -> EmailMultiAlternatives:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
    message = EmailMultiAlternatives(
        subject=out.subject,
        body=out.text,
        from_email=formataddr((out.from_name, address)) if out.from_name else address,
        to=[out.to],
        reply_to=[out.reply_to] if out.reply_to else None,
        headers={
            "Message-ID": make_msgid(domain=address.rpartition("@")[2] or None),
            **out.headers,
        },
    )
    if out.html:
        message.attach_alternative(out.html, "text/html")
    if out.ics:
        message.attach(_ics_part(out.ics, out.ics_method))
    for attachment in out.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send(out: Outgoing) -> str:
    message = build(out)
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"The mail server refused the address: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"Mail server error: {exc}") from exc
    return message.extra_headers.get("Message-ID", "")
