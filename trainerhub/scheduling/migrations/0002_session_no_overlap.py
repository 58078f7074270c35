"""On PostgreSQL, the database itself refuses two overlapping active sessions of a trainer.

An exclusion constraint over (trainer, blocked range) of active sessions: whatever the number
of web processes, two of them can never both commit an overlap. SQLite has no such
constraint; there every write transaction begins IMMEDIATE, which serialises the check and
the insert instead (see config/settings.py).
"""

from django.db import migrations

CONSTRAINT = "scheduling_session_no_overlap"


def create_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE scheduling_session ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (trainer_id WITH =, "
        "tstzrange(blocked_start, blocked_end, '[)') WITH &&) WHERE (active)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE scheduling_session DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(create_constraint, drop_constraint, elidable=False)]
