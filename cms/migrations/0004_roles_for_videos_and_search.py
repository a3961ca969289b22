import importlib

from django.db import migrations

# The same idempotent role table as 0002, applied again now that video and search permissions exist.
roles_migration = importlib.import_module("cms.migrations.0002_roles_and_workflow")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_cache_table"),
        ("bangban_media", "0002_glossaryterm_videoasset_attempts_videoasset_duration_and_more"),
        ("bangban_search", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_migration.apply_roles, migrations.RunPython.noop)]
