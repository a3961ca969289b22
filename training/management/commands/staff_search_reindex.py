from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.staff_index import staff_index_rebuild


class Command(BaseCommand):
    help = "Index every live course and its lessons in the staff-only search index (ELASTICSEARCH_URL)."

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: the staff search uses the database, nothing to index.")
        written = staff_index_rebuild()
        self.stdout.write(f"{written} documents indexed.")
