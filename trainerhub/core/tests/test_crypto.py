"""Secrets at rest: encrypted in the column, plain in Python, readable after a key rotation
that keeps the old key, and a clear error when the key is gone."""

from __future__ import annotations

import pytest
from django.db import connection

from trainerhub.core import crypto


def test_round_trip_and_every_encryption_differs(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    one, two = (
        crypto.encrypt("https://cal.example/secret.ics"),
        crypto.encrypt("https://cal.example/secret.ics"),
    )
    assert one.startswith("enc1:") and one != two
    assert "secret" not in one
    assert crypto.decrypt(one) == "https://cal.example/secret.ics"
    assert crypto.decrypt("plain legacy value") == "plain legacy value"
    assert crypto.encrypt("") == ""


def test_rotation_keeps_old_values_readable_and_a_lost_key_says_so(settings):
    settings.FIELD_ENCRYPTION_KEY = "old-key-0123456789"
    stored = crypto.encrypt("sk_test_123")
    settings.FIELD_ENCRYPTION_KEY = "new-key-9876543210,old-key-0123456789"
    assert crypto.decrypt(stored) == "sk_test_123"
    settings.FIELD_ENCRYPTION_KEY = "new-key-9876543210"
    with pytest.raises(crypto.DecryptionFailed, match="FIELD_ENCRYPTION_KEY"):
        crypto.decrypt(stored)


def test_mask_shows_only_the_end():
    assert crypto.mask("sk_live_abcdefgh1234") == "••••••••1234"
    assert crypto.mask("short") == "••••••••"
    assert crypto.mask("") == ""


@pytest.mark.django_db
def test_the_calendar_address_is_encrypted_in_the_database(alice):
    from trainerhub.calendars.models import CalendarSubscription

    sub = CalendarSubscription.objects.create(
        trainer=alice, name="Work", url="https://calendar.example/private-abc123/basic.ics"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM calendars_calendarsubscription WHERE id = %s", [sub.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc1:") and "private-abc123" not in raw
    assert CalendarSubscription.objects.get(pk=sub.pk).url.endswith("private-abc123/basic.ics")
