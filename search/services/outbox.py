"""The outbox that keeps the search index in step with the site.

A change (a tutorial published, moved, restricted, its category renamed, its video's subtitles replaced …) is a row
here until the cluster has taken it. A cluster that is down keeps every row for later; a document the cluster
refuses keeps only its own row, retried with a growing pause and listed for editors with the reason, while the
rest drain.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from elasticsearch import ApiError, TransportError

from ..models import IndexOutbox
from .answers import es_client, load_site_words, search_changed

logger = logging.getLogger("search.services")

OUTBOX_BATCH = 200
# A cluster that does not answer: everything waits this long.
RETRY_AFTER = timedelta(seconds=60)
# A document the cluster refused: 1, 2, 4 … minutes after each failure, at most 6 hours.
DOCUMENT_RETRY_FIRST = timedelta(seconds=60)
DOCUMENT_RETRY_MOST = timedelta(hours=6)

# Set while `search_reindex` builds new indices (in the shared cache, so workers on every machine see it); expires
# on its own should the command die without clearing it.
REINDEX_RUNNING_KEY = "search:reindex-running"
REINDEX_RUNNING_MAX_SECONDS = 2 * 3600


def outbox_add(*, page_ids: Iterable[int], action: str) -> None:
    """Record changes for the index and, once the transaction commits, have a worker apply them and cut the
    pages' words again for the database fallback."""
    from ..tasks import search_fallback_refresh, search_outbox_drain

    ids = sorted(set(page_ids))
    if not ids:
        return
    IndexOutbox.objects.bulk_create([IndexOutbox(page_id=page_id, action=action) for page_id in ids])

    def enqueue() -> None:
        search_fallback_refresh.enqueue(page_ids=ids)
        search_outbox_drain.enqueue()

    transaction.on_commit(enqueue)


def outbox_add_pages_under(*, page_id: int) -> int:
    """A page was moved or its viewers restricted: every tutorial at or under it may have a new URL or audience."""
    from wagtail.models import Page

    from tutorials.models import TutorialPage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    ids = list(TutorialPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    outbox_add(page_ids=ids, action=IndexOutbox.Action.INDEX)
    return len(ids)


def outbox_add_category(*, category_id: int) -> int:
    """A category was renamed or got a new slug: its tutorials' documents (and segments) carry both."""
    from tutorials.models import TutorialPage

    ids = list(TutorialPage.objects.live().filter(category_id=category_id).values_list("pk", flat=True))
    outbox_add(page_ids=ids, action=IndexOutbox.Action.INDEX)
    return len(ids)


def outbox_add_video(*, video_id: int) -> int:
    """A video's public subtitles changed or it was deleted: the live tutorials that show it, from Wagtail's
    reference index (a step's video chooser records a reference to the video)."""
    from ..selectors import tutorial_ids_using_video

    ids = tutorial_ids_using_video(video_id=video_id)
    outbox_add(page_ids=ids, action=IndexOutbox.Action.INDEX)
    return len(ids)


def _apply(client, page_id: int, action: str) -> None:
    from tutorials.models import TutorialPage

    from ..es import indexing
    from ..selectors import segment_data, tutorial_data

    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    page = TutorialPage.objects.live().public().select_related("category").filter(pk=page_id).first()
    # "wait_for": when the worker's task ends, citizens' searches see the change.
    if action == IndexOutbox.Action.DELETE or page is None:
        indexing.delete_tutorial(client, prefix, page_id, refresh="wait_for")
        return
    indexing.index_tutorial(client, prefix, tutorial_data(page), refresh="wait_for")
    indexing.replace_segments(client, prefix, page_id, segment_data(page), refresh="wait_for")


@contextmanager
def reindex_running() -> Iterator[None]:
    cache.set(REINDEX_RUNNING_KEY, timezone.now().isoformat(), REINDEX_RUNNING_MAX_SECONDS)
    try:
        yield
    finally:
        cache.delete(REINDEX_RUNNING_KEY)


def _drain_at(when) -> None:
    """Try the outbox again at `when`. A backend that cannot defer (the tests' immediate one) is not asked: the
    changes wait for the next drain, which every new change queues."""
    from ..tasks import search_outbox_drain

    if search_outbox_drain.get_backend().supports_defer:
        search_outbox_drain.using(run_after=when).enqueue()


def _cluster_down(exc: Exception) -> bool:
    """Whether a failure is the cluster's (nothing can be applied now) rather than one document's."""
    if isinstance(exc, TransportError):  # no answer: connection refused, timeout
        return True
    return isinstance(exc, ApiError) and (exc.status_code >= 500 or exc.status_code == 429)


def document_retry_delay(attempts: int) -> timedelta:
    return min(DOCUMENT_RETRY_FIRST * 2 ** max(attempts - 1, 0), DOCUMENT_RETRY_MOST)


def _due():
    return IndexOutbox.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=timezone.now()))


def _reason(exc: Exception) -> str:
    """What editors read: the cluster's own reason where it gave one (e.g. a field it could not parse)."""
    error = exc.body.get("error") if isinstance(exc, ApiError) and isinstance(exc.body, dict) else None
    if isinstance(error, dict) and error.get("reason"):
        caused = error.get("caused_by") or {}
        detail = f" ({caused['reason']})" if isinstance(caused, dict) and caused.get("reason") else ""
        return f"{exc.status_code} {error.get('type', '')}: {error['reason']}{detail}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def _refused(item: IndexOutbox, exc: Exception) -> None:
    """One document failed: only its newest change waits, with the reason, until its next attempt."""
    reason = _reason(exc)
    attempts = item.attempts + 1
    IndexOutbox.objects.filter(page_id=item.page_id, pk__lt=item.pk).delete()
    IndexOutbox.objects.filter(pk=item.pk).update(
        attempts=attempts, last_error=reason, retry_at=timezone.now() + document_retry_delay(attempts)
    )
    # Only the kind of failure in the log: the cluster's message may quote the document.
    logger.warning("search index refused page %s (attempt %s): %s", item.page_id, attempts, type(exc).__name__)


def outbox_drain() -> dict:
    """Apply the due changes oldest first, each page on its own; a page the cluster refuses waits alone.

    While a full reindex runs, changes stay in the outbox: applied now, they would land in the indices about to be
    replaced and be lost with them. The reindex queues a drain when it is done (and this one tries again later).
    """
    if not settings.ELASTICSEARCH_URL:
        return {"applied": 0, "pending": IndexOutbox.objects.count(), "skipped": "no cluster configured"}
    if cache.get(REINDEX_RUNNING_KEY):
        _drain_at(timezone.now() + RETRY_AFTER)
        return {"applied": 0, "pending": IndexOutbox.objects.count(), "skipped": "a full reindex is running"}
    from ..es import indexing

    client = es_client(web_request=False)
    load_site_words()
    applied = refused = 0
    try:
        indexing.ensure_indices(client, settings.ELASTICSEARCH_INDEX_PREFIX)
        tried: set[int] = set()  # pages handled in this drain (one refused now waits for its retry time)
        while batch := list(_due().exclude(page_id__in=tried).order_by("pk")[:OUTBOX_BATCH]):
            latest: dict[int, IndexOutbox] = {}
            for item in batch:  # several changes to one page: only the newest matters
                latest[item.page_id] = item
            for item in latest.values():
                tried.add(item.page_id)
                try:
                    _apply(client, item.page_id, item.action)
                except Exception as exc:  # noqa: BLE001 - one document's failure must not hold up the rest
                    if _cluster_down(exc):
                        raise
                    _refused(item, exc)
                    refused += 1
                    continue
                IndexOutbox.objects.filter(page_id=item.page_id, pk__lte=item.pk).delete()
                applied += 1
    except Exception as exc:  # noqa: BLE001 - the cluster is down or refused: keep the changes, retry later
        reason = f"{type(exc).__name__}: {exc}"[:300]
        _due().update(attempts=F("attempts") + 1, last_error=reason)
        # Only the kind of failure: a cluster's error may quote a document. An out-of-date index is said in full,
        # with what to do (its message names an index and a mapping setting, nothing of anyone's).
        said = str(exc) if isinstance(exc, indexing.IndexOutOfDateError) else type(exc).__name__
        logger.warning("search outbox kept %s changes: %s", IndexOutbox.objects.count(), said)
        _drain_at(timezone.now() + RETRY_AFTER)
        return {"applied": applied, "refused": refused, "pending": IndexOutbox.objects.count(), "error": reason}
    finally:
        if applied:
            search_changed()  # results kept by the web processes may now be out of date
    if refused:  # the drain that refused a document books its retry; later drains need not book it again
        _drain_at(IndexOutbox.objects.aggregate(at=Min("retry_at"))["at"])
    return {"applied": applied, "refused": refused, "pending": IndexOutbox.objects.count()}
