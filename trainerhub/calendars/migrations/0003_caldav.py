"""CalDAV calendars beside ICS subscriptions: a kind, and the account's user name and app
password (encrypted like the address)."""

from django.db import migrations, models

import trainerhub.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0002_encrypt_calendar_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarsubscription",
            name="kind",
            field=models.CharField(
                choices=[("ics", "Subscription address (iCal)"), ("caldav", "CalDAV calendar")],
                default="ics",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="calendarsubscription",
            name="username",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="calendarsubscription",
            name="password",
            field=trainerhub.core.crypto.EncryptedTextField(blank=True, max_length=500),
        ),
    ]
