"""The calendar address is a secret (whoever has it reads the calendar): encrypt it at rest.

The column type stays text; existing plain values are read as they are and written back
encrypted (trainerhub/core/crypto.py)."""

from django.db import migrations

import trainerhub.core.crypto


def encrypt_existing(apps, schema_editor):
    Subscription = apps.get_model("calendars", "CalendarSubscription")
    for row in Subscription.objects.all().only("pk", "url").iterator():
        Subscription.objects.filter(pk=row.pk).update(url=row.url)


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="calendarsubscription",
            name="url",
            field=trainerhub.core.crypto.EncryptedTextField(max_length=2000),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
