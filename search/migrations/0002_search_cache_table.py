from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Cache tables of the database caches in settings (0004 drops the one this created for kept search answers).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("bangban_search", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
