"""Email verification of trainers: the booking page goes public once the address is proven.

A new trainer can set up everything (services, hours, clients) but their public booking page,
invite link and public API answer 404 until they follow the link mailed to their address.
The link is a signed, timestamped token (Django signing, SECRET_KEY, a salt of its own) naming
the account and the address it was sent to: it expires after EMAIL_VERIFICATION_MAX_AGE and
stops working if the address changes. Following it twice is harmless.

EMAIL_VERIFICATION=off (an operator who vouches for every account, test harnesses) makes every
trainer publishable; the link and the banner are then never shown.

The mail goes through Django's EMAIL_BACKEND after the registration commits, as the password
reset's and the portal's claim links do (a link is sent now, not queued behind a worker).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from trainerhub.accounts.emails import canonical_email
from trainerhub.accounts.models import User
from trainerhub.core.errors import DomainError
from trainerhub.core.mail import send_templated

SALT = "trainerhub.accounts.verify-email"
MAX_AGE = timedelta(days=3)
LINK_DEAD = "This verification link no longer works: it expired or the address changed."
SENT = "We sent a verification link to {email}. Follow it to publish your booking page."
PENDING = "Verify your email address to publish your booking page."
DONE = "Your email address is verified: your booking page is public."


class VerificationLinkDead(DomainError):
    status = 400

    def __init__(self) -> None:
        super().__init__(LINK_DEAD, code="verification_link_dead")


def required() -> bool:
    return getattr(settings, "EMAIL_VERIFICATION", "required") != "off"


def is_pending(user: Any) -> bool:
    """A trainer whose page stays off until they verify."""
    return (
        required()
        and getattr(user, "role", None) == User.Role.TRAINER
        and getattr(user, "email_verified_at", None) is None
    )


def publishable_q(prefix: str = "") -> Q:
    """The filter of trainers whose public pages may be shown (`prefix` for a relation)."""
    if not required():
        return Q()
    return Q(**{f"{prefix}email_verified_at__isnull": False})


def token_for(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": canonical_email(user.email)}, salt=SALT)


def link_for(user: User) -> str:
    path = reverse("accounts:verify_email", args=[token_for(user)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the account the token names verified; VerificationLinkDead for anything else."""
    try:
        payload = signing.loads(str(token)[:1000], salt=SALT, max_age=MAX_AGE)
        user = User.objects.select_for_update().get(pk=int(payload["u"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist) as exc:
        raise VerificationLinkDead() from exc
    if canonical_email(user.email) != payload.get("e"):
        raise VerificationLinkDead()
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def verification_send(*, user: User) -> bool:
    """Mail the link after the current transaction commits; False when nothing is pending."""
    if not is_pending(user):
        return False
    transaction.on_commit(lambda: _send(user))
    return True


def _send(user: User) -> None:
    # The account exists either way; the banner's "resend" is the way back after a failure.
    context = {"trainer": user, "url": link_for(user), "site_url": settings.SITE_URL}
    send_templated("accounts/emails/verify_email", context, to=user.email)
