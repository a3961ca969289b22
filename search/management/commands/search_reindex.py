import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Rebuild the database search entries and, when a cluster is configured, the search indices from the live "
        "content in bulk, then swap the aliases in one step."
    )

    def handle(self, *args, **options):
        from search.es.indexing import reindex_all
        from search.models import IndexOutbox
        from search.selectors import searchable_tutorials, segment_data, tutorial_data
        from search.services import es_client, fallback_rebuild, reindex_running, search_changed
        from search.tasks import search_outbox_drain

        entries = fallback_rebuild()  # also teaches the segmenter the site's current words
        self.stdout.write(f"database search: {entries} live tutorials")
        if not settings.ELASTICSEARCH_URL:
            self.stdout.write(
                "ELASTICSEARCH_URL is not set: no cluster to index into (search answers from the database)."
            )
            return
        with reindex_running():
            # Changes already in the outbox are part of this rebuild; those recorded from now on wait in the outbox
            # (the drain holds off while this runs) and are applied to the new indices after the swap.
            latest = IndexOutbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            pages = list(searchable_tutorials())
            tutorials = [tutorial_data(page) for page in pages]
            segments = [segment for page in pages for segment in segment_data(page)]
            bar = ProgressBar(sys.stderr)
            bar.stage("indexing")
            try:
                summary = reindex_all(
                    es_client(web_request=False), settings.ELASTICSEARCH_INDEX_PREFIX, tutorials, segments,
                    progress=lambda done, total: bar.update(done / total if total else 1.0),
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - report any cluster failure as a command error
                raise CommandError(
                    f"Reindexing failed, the old indices stay in use: {type(exc).__name__}: {exc}"
                ) from exc
            finally:
                bar.done()
            IndexOutbox.objects.filter(pk__lte=latest).delete()
        search_changed()
        waiting = IndexOutbox.objects.count()
        if waiting:
            search_outbox_drain.enqueue()
        self.stdout.write(
            f"indexed {len(tutorials)} tutorials and {len(segments)} transcript segments; aliases now point to "
            f"{', '.join(str(name) for name in summary.get('indices', []))}; {waiting} changes made meanwhile queued"
        )
