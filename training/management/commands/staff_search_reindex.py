import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.progress import ProgressBar
from training.staff_index import alias, staff_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the staff-only search index (ELASTICSEARCH_URL) from every live course and its lessons in a fresh "
        "index, then swap the alias to it in one step."
    )

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: the staff search uses the database, nothing to index.")
        bar = ProgressBar(sys.stderr)
        bar.stage("indexing courses")
        try:
            summary = staff_index_rebuild(progress=lambda done, total: bar.update(done / total if total else 1.0))
        except Exception as exc:  # noqa: BLE001 - report any cluster failure as a command error
            raise CommandError(
                f"Rebuilding the staff search index failed, the old index stays in use: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            bar.done()
        removed = ", ".join(summary.removed) or "none"
        self.stdout.write(
            f"indexed {summary.courses} courses ({summary.documents} documents); {alias()} now points to "
            f"{summary.index}; removed: {removed}; {summary.caught_up} courses changed meanwhile indexed again"
        )
