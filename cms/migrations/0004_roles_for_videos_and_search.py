from django.db import migrations

# Roles are applied after every migrate (cms.signal_handlers.apply_roles); see 0002.


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_cache_table"),
        ("bangban_media", "0002_glossaryterm_videoasset_attempts_videoasset_duration_and_more"),
        ("bangban_search", "0001_initial"),
    ]

    operations = []
