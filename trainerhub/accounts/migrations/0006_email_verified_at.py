from django.db import migrations, models
from django.db.models import F


def existing_accounts_verified(apps, schema_editor):
    # Accounts made before verification existed keep their public pages: the operator
    # already accepted them.
    User = apps.get_model("accounts", "User")
    User.objects.filter(email_verified_at__isnull=True).update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_token_families"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="email verified at"),
        ),
        migrations.RunPython(existing_accounts_verified, migrations.RunPython.noop),
    ]
