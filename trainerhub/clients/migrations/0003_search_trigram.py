"""A trigram index on Client.search_text so `search_text LIKE '%fragment%'` stays fast with
tens of thousands of clients. PostgreSQL only: SQLite scans, which is fine at its scale."""

from django.db import migrations

INDEX = "clients_client_search_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON clients_client USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other indexes may use it, and dropping it needs no undo.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_crm")]

    operations = [migrations.RunPython(forwards, backwards)]
