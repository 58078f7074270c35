"""One email sent now through Django's EMAIL_BACKEND, from its three templates
(`<prefix>_subject.txt`, `<prefix>_body.txt`, `<prefix>_body.html`).

For mail about the account itself (a verification link, an endpoint turned off) that goes
out at once; messages about bookings and clients go through the notifications outbox."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

logger = logging.getLogger("trainerhub.mail")


def send_templated(prefix: str, context: dict[str, Any], *, to: str) -> bool:
    """Render and send; a mail server fault is logged and answers False (the caller's change
    stands either way)."""
    subject = render_to_string(f"{prefix}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{prefix}_body.txt", context), to=[to]
    )
    html = render_to_string(f"{prefix}_body.html", {**context, "subject": subject})
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.warning("email not sent", exc_info=True, extra={"template": prefix})
        return False
    return True
