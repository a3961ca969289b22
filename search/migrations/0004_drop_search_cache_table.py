from django.db import migrations


class Migration(migrations.Migration):
    # Answers kept for citizens' questions moved to Redis or each web process's memory (CACHES["search"]); their
    # database table goes.
    dependencies = [("bangban_search", "0003_fallback_entry")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS bangban_search_cache", migrations.RunSQL.noop)]
