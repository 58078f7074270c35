"""A trainer's own calendars: ICS subscriptions (the secret iCal address of Google, Apple
iCloud, Outlook) and CalDAV calendars (Nextcloud, Fastmail, iCloud: URL, user, app password).

The busy ranges they yield live in `scheduling.ExternalBusy`, where the slot loader reads
them; this app fetches, parses and writes them.
"""

from __future__ import annotations

from django.db import models

from trainerhub.core.crypto import EncryptedTextField
from trainerhub.core.tenancy import TrainerOwned
from trainerhub.scheduling.models import color_validator


class CalendarSubscription(TrainerOwned):
    class Kind(models.TextChoices):
        ICS = "ics", "Subscription address (iCal)"
        CALDAV = "caldav", "CalDAV calendar"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ICS)
    # The secret address: whoever has it reads the calendar. Encrypted at rest (core/crypto.py),
    # never logged, shown masked. For CalDAV, the calendar collection's address.
    url = EncryptedTextField(max_length=2000)
    # CalDAV only: the account's user name and an app password (encrypted like the address,
    # never logged, never answered: pages and the API show it masked).
    username = models.CharField(max_length=200, blank=True)
    password = EncryptedTextField(max_length=500, blank=True)
    color = models.CharField(max_length=7, blank=True, validators=[color_validator])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Conditional GET: the validators of the last good answer.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Empty after a good fetch; else what went wrong, in words for the trainer.
    last_error = models.CharField(max_length=300, blank=True)
    busy_count = models.PositiveIntegerField(default=0)
    # How far ahead the stored ranges were expanded: a 304 answer keeps them, but once the
    # horizon has moved on a day the calendar is fetched again in full to expand further.
    expanded_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
