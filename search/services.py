"""Citizen search: the cluster when it answers, the database when not; the outbox that keeps the index in step."""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .es.queries import SearchResults
from .models import IndexOutbox, ZeroResultQuery
from .privacy import strip_personal_numbers

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
OUTBOX_BATCH = 200
RETRY_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class CitizenSearch:
    results: SearchResults
    reduced: bool  # answered from the database because no cluster is configured or it is down


def normalise_query(raw: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def es_client(*, web_request: bool = True):
    from .es.client import get_client

    return get_client(url=settings.ELASTICSEARCH_URL, web_request=web_request)


@dataclass(frozen=True)
class SiteTerms:
    synonyms: dict[str, list[str]]  # each word -> the other words of its group(s)
    words: list[str]  # glossary terms and synonyms, kept whole by the segmenter
    loaded_at: float


_site_terms: SiteTerms | None = None


def site_terms(*, fresh: bool = False) -> SiteTerms:
    """The editors' synonyms and glossary, read at most every SEARCH_SITE_TERMS_SECONDS per process.

    Every search needs them; reading them costs two queries, a quarter of a search's own time. An edit in this
    process clears them at once (site_terms_changed); other processes see it within the interval.
    """
    global _site_terms
    from .es.segment import load_user_words
    from .selectors import site_terms_read

    current = _site_terms
    now = time.monotonic()
    if fresh or current is None or now - current.loaded_at >= settings.SEARCH_SITE_TERMS_SECONDS:
        synonyms, words = site_terms_read()
        current = SiteTerms(synonyms=synonyms, words=words, loaded_at=now)
        # Teaching jieba a known word again is a no-op, so this is cheap to repeat.
        load_user_words(current.words)
        _site_terms = current
    return current


def site_terms_changed(**kwargs) -> None:
    global _site_terms
    _site_terms = None


def load_site_words() -> None:
    """Teach the segmenter the site's current terms before documents are cut for the index."""
    site_terms(fresh=True)


def search_citizen(*, query: str, category: str | None = None, size: int = 10) -> CitizenSearch:
    from .es import queries
    from .es.segment import segment
    from .selectors import database_search

    text = normalise_query(query)
    if not text:
        return CitizenSearch(SearchResults(query="", total=0, hits=[], suggestion=None), reduced=False)
    terms = site_terms()
    results, reduced = None, True
    if settings.ELASTICSEARCH_URL:
        try:
            results = queries.search(
                es_client(), settings.ELASTICSEARCH_INDEX_PREFIX, text, category=category,
                synonyms=terms.synonyms, size=size,
            )  # fmt: skip
            reduced = False
        except Exception as exc:  # noqa: BLE001 - any cluster failure means: answer from the database
            logger.warning("search cluster unavailable, answering from the database: %s", type(exc).__name__)
    if results is None:
        results = database_search(text, category=category, words=segment(text).split(), size=size)
    if results.total == 0:
        zero_result_record(query=text)
    return CitizenSearch(results=results, reduced=reduced)


def zero_result_record(*, query: str) -> ZeroResultQuery | None:
    cleaned = strip_personal_numbers(query)[:MAX_QUERY_CHARS]
    if not cleaned:
        return None
    entry, _ = ZeroResultQuery.objects.get_or_create(query=cleaned)
    ZeroResultQuery.objects.filter(pk=entry.pk).update(count=F("count") + 1, last_seen=timezone.now())
    return entry


def outbox_add(*, page_id: int, action: str) -> None:
    """Record a change for the index and have a worker apply it once the transaction commits."""
    IndexOutbox.objects.create(page_id=page_id, action=action)
    from .tasks import search_outbox_drain

    transaction.on_commit(lambda: search_outbox_drain.enqueue())


def _apply(client, page_id: int, action: str) -> None:
    from tutorials.models import TutorialPage

    from .es import indexing
    from .selectors import segment_data, tutorial_data

    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    page = TutorialPage.objects.live().public().select_related("category").filter(pk=page_id).first()
    # "wait_for": when the worker's task ends, citizens' searches see the change.
    if action == IndexOutbox.Action.DELETE or page is None:
        indexing.delete_tutorial(client, prefix, page_id, refresh="wait_for")
        return
    indexing.index_tutorial(client, prefix, tutorial_data(page), refresh="wait_for")
    indexing.replace_segments(client, prefix, page_id, segment_data(page), refresh="wait_for")


def outbox_drain() -> dict:
    """Apply pending changes oldest first; on a cluster failure keep them all and try again later."""
    if not settings.ELASTICSEARCH_URL:
        return {"applied": 0, "pending": IndexOutbox.objects.count(), "skipped": "no cluster configured"}
    from .es import indexing

    client = es_client(web_request=False)
    load_site_words()
    applied = 0
    try:
        indexing.ensure_indices(client, settings.ELASTICSEARCH_INDEX_PREFIX)
        while True:
            batch = list(IndexOutbox.objects.order_by("pk")[:OUTBOX_BATCH])
            if not batch:
                break
            latest: dict[int, IndexOutbox] = {}
            for item in batch:  # several changes to one page: only the newest matters
                latest[item.page_id] = item
            for item in latest.values():
                _apply(client, item.page_id, item.action)
                IndexOutbox.objects.filter(page_id=item.page_id, pk__lte=item.pk).delete()
                applied += 1
    except Exception as exc:  # noqa: BLE001 - the cluster is down or refused: keep the changes, retry later
        reason = f"{type(exc).__name__}: {exc}"[:300]
        IndexOutbox.objects.update(attempts=F("attempts") + 1, last_error=reason)
        logger.warning("search outbox kept %s changes: %s", IndexOutbox.objects.count(), type(exc).__name__)
        from .tasks import search_outbox_drain

        search_outbox_drain.using(run_after=timezone.now() + RETRY_AFTER).enqueue()
        return {"applied": applied, "pending": IndexOutbox.objects.count(), "error": reason}
    return {"applied": applied, "pending": 0}
