"""The built-in exercise library (trainerhub/coaching/data/exercises.py), written for
TrainerHub. Re-running the sync (`sync_builtin_exercises`) updates the same rows by key."""

from django.db import migrations


def load(apps, schema_editor):
    from trainerhub.coaching.library import sync_builtin_exercises

    sync_builtin_exercises(apps.get_model("coaching", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
