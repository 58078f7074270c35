"""Client.last_visit_at and next_booking_at, kept by clients.visits; filled here from the
bookings that exist (one UPDATE per column over the whole table)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

# As clients.selectors.ACTIVE and Booking.Status.COMPLETED on the day this was written.
ACTIVE = ("pending", "confirmed")
COMPLETED = "completed"


LAST_SEEN_FIRST = "client_last_visit_desc_idx"


def last_seen_first_index(apps, schema_editor):
    """The list's "last seen first" page walks this index and stops after 25 rows
    (PostgreSQL only: SQLite cannot order NULLS LAST in an index, and sorts its one file)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {LAST_SEEN_FIRST} ON clients_client "
            "(trainer_id, last_visit_at DESC NULLS LAST, id)"
        )


def drop_last_seen_first_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {LAST_SEEN_FIRST}")


def backfill(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Booking = apps.get_model("scheduling", "Booking")
    bookings = Booking.objects.filter(client_id=OuterRef("pk"))
    Client.objects.update(
        last_visit_at=Subquery(
            bookings.filter(status=COMPLETED).order_by("-start").values("start")[:1]
        ),
        next_booking_at=Subquery(
            bookings.filter(status__in=ACTIVE, start__gt=timezone.now())
            .order_by("start")
            .values("start")[:1]
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_client_import_jobs"),
        ("scheduling", "0007_scheduling_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="last_visit_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="client",
            name="next_booking_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["trainer", "last_visit_at", "id"], name="client_last_visit_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["trainer", "next_booking_at", "id"], name="client_next_booking_idx"
            ),
        ),
        migrations.RunPython(last_seen_first_index, drop_last_seen_first_index),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
