import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import trainerhub.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_package_expiring_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SmsAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("account_sid", models.CharField(max_length=64)),
                ("auth_token", trainerhub.core.crypto.EncryptedTextField()),
                ("from_number", models.CharField(max_length=32)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "trainer",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("trainer",), name="one_sms_account")
                ],
            },
        ),
    ]
