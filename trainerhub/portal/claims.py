"""Client accounts are created or claimed only through a link that reached the address.

A manage link proves nothing about an email: whoever made the booking gets it on screen, and
anyone may type someone else's address on a public page. So the manage page offers "email me
a link", and this module mails a signed, expiring, single-use link to the address of the
booking's client record; following it is what proves the address, as a password reset does.

- Signed with Django's signing (SECRET_KEY, a salt of its own) and a timestamp: it expires
  after PASSWORD_RESET_TIMEOUT, like the password reset link.
- Single use: it names the client record, its address and "no account yet"; once the record
  is linked to an account (or the trainer changes the address) it stops working.
- An address that already has a client account (at another trainer, or one someone created
  through an invite link without owning the address) is claimed like a password reset: the
  new password replaces the old one and every other session of that account is signed out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from trainerhub.accounts.emails import canonical_email
from trainerhub.accounts.models import User
from trainerhub.clients.models import Client
from trainerhub.core.errors import DomainError, InvalidInput
from trainerhub.portal.services import ACCOUNT_REFUSED
from trainerhub.scheduling.models import Booking

CLAIM_SALT = "trainerhub.portal.account-claim"
LINK_SENT = (
    "We sent a link to the email address this booking was made with. Follow it to create "
    "your account; it works once and expires in a few hours."
)
LINK_DEAD = "This link no longer works: it was used already, or it expired."


class ClaimLinkDead(DomainError):
    status = 404

    def __init__(self) -> None:
        super().__init__(LINK_DEAD, code="link_dead")


def claim_token(client: Client) -> str:
    payload = {"c": client.pk, "e": canonical_email(client.email)}
    return signing.dumps(payload, salt=CLAIM_SALT, compress=True)


def claim_url(client: Client) -> str:
    path = reverse("portal:my_claim", args=[claim_token(client)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def claim_link_send(*, booking: Booking) -> bool:
    """Mail the claim link to the booking's client, if their record has an address and no
    account yet. The caller answers the same either way (LINK_SENT)."""
    client = Client.objects.select_related("trainer").get(
        pk=booking.client_id, trainer_id=booking.trainer_id
    )
    return _send_claim_link(client)


def _send_claim_link(client: Client) -> bool:
    if client.account_id or not client.email or client.erased_at is not None:
        return False
    subject = render_to_string("emails/client_account_claim-subject.txt").strip()
    context = {
        "client": client,
        "trainer": client.trainer,
        "business_name": client.trainer.display_name,
        "url": claim_url(client),
        "site_url": settings.SITE_URL,
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/client_account_claim-body.txt", context),
        to=[client.email],
    )
    message.attach_alternative(
        render_to_string("emails/client_account_claim-body.html", context), "text/html"
    )
    message.send()
    return True


JOIN_SENT = (
    "Thanks! We sent an email to that address. Follow its link to finish creating your "
    "account (it works once and expires in a few hours); if you already have an account, "
    "the email tells you how to log in."
)


def client_join_request(
    *, request: Any, trainer: User, first_name: str, last_name: str, email: str, phone: str
) -> None:
    """The join page (a trainer's invite link): an account is created only through a link
    that reached the address, and the page answers JOIN_SENT whether or not the address has an
    account, so it tells nobody who has one.

    - No client account with the address yet: the trainer's record of it (made now if new;
      an existing record's details are left as the trainer keeps them) gets the claim link.
    - The address already has a client account: its owner gets the password reset email
      instead (sign in, or reset), and nothing changes.
    - A trainer's address: nothing is sent (a trainer's login is never a client account).
    """
    from trainerhub.clients.services import client_match_or_create_for_booking
    from trainerhub.portal.forms_reset import ClientPasswordResetForm

    email = canonical_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.role != User.Role.CLIENT:
        return
    if user is not None:
        form = ClientPasswordResetForm({"email": email})
        if form.is_valid():
            form.save(
                request=request,
                use_https=settings.SITE_URL.startswith("https"),
                subject_template_name="emails/client_password_reset-subject.txt",
                email_template_name="emails/client_password_reset-body.txt",
                html_email_template_name="emails/client_password_reset-body.html",
                extra_email_context={
                    "site_url": settings.SITE_URL,
                    "business_name": "TrainerHub",
                    "subject": "Reset your client account password",
                },
            )
        return
    with transaction.atomic():
        client, _created = client_match_or_create_for_booking(
            trainer=trainer, first_name=first_name, last_name=last_name, email=email, phone=phone
        )
    _send_claim_link(client)


def client_for_claim(token: str) -> Client:
    """The client record a claim link names, or ClaimLinkDead when it is forged, expired or used."""
    try:
        payload: Any = signing.loads(
            token, salt=CLAIM_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
        pk, email = int(payload["c"]), str(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ClaimLinkDead() from None
    client = (
        Client.objects.select_related("trainer")
        .filter(pk=pk, account__isnull=True, erased_at__isnull=True)
        .first()
    )
    if client is None or canonical_email(client.email) != email:
        raise ClaimLinkDead()
    return client


@transaction.atomic
def client_account_claim(*, token: str, password: str) -> User:
    """Follow a claim link: the account of that address gets this password and the record."""
    client = client_for_claim(token)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.account_id:  # a second tab won the race
        raise ClaimLinkDead()
    return _link(client, password)


def _link(client: Client, password: str) -> User:
    from trainerhub.accounts.services import password_reset_completed

    email = canonical_email(client.email)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None and user.role != User.Role.CLIENT:
        # A trainer's address: their own login stays theirs, and is never a client account.
        raise InvalidInput({"password": [ACCOUNT_REFUSED]})
    candidate = user or User(email=email, name=client.full_name[:150], role=User.Role.CLIENT)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise InvalidInput({"password": list(exc.messages)}) from exc
    candidate.set_password(password)
    candidate.save()
    if user is not None:
        # Like a password reset: whoever set the old password is signed out everywhere.
        password_reset_completed(user=candidate)
    Client.objects.filter(pk=client.pk).update(account=candidate)
    return candidate
