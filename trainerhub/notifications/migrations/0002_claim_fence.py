"""The claim fence: a token per claim and the claim's lease deadline."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F


def lease_rows_in_flight(apps, schema_editor) -> None:
    # Rows an old worker holds while this runs keep the old rule: claimed_at + 5 minutes.
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(status="sending", claimed_at__isnull=False).update(
        lease_until=F("claimed_at") + timedelta(minutes=5)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claim_token",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="notification",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(lease_rows_in_flight, migrations.RunPython.noop),
    ]
