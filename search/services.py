"""Citizen search: the cluster when it answers, the database when not; the outbox that keeps the index in step."""

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .cache import KeptAnswers
from .es.queries import SearchResults
from .models import FallbackEntry, IndexOutbox, ZeroResultQuery
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


# The shared marker of the last change to anything citizens' results depend on: the indexed content, the
# synonyms, the glossary. Kept in the default (database) cache, so every web process sees it.
CHANGE_MARKER_KEY = "search:changed"


@dataclass(frozen=True)
class SiteTerms:
    synonyms: dict[str, list[str]]  # each word -> the other words of its group(s)
    words: list[str]  # glossary terms and synonyms, kept whole by the segmenter
    marker: str  # the change marker they were read under


@dataclass
class _Seen:
    marker: str | None = None
    checked_at: float = float("-inf")
    terms: SiteTerms | None = None


_seen = _Seen()


def change_marker() -> str:
    """The current change marker, asked from the shared cache at most every SEARCH_CHANGES_SECONDS per process."""
    now = time.monotonic()
    interval = settings.SEARCH_CHANGES_SECONDS
    if _seen.marker is not None and interval > 0 and now - _seen.checked_at < interval:
        return _seen.marker
    marker = cache.get(CHANGE_MARKER_KEY)
    if marker is None:
        marker = "0"
        cache.add(CHANGE_MARKER_KEY, marker, None)
    _seen.marker, _seen.checked_at = marker, now
    return marker


def search_changed(**kwargs) -> None:
    """The index, the synonyms or the glossary changed: every process reads the terms again and stops answering
    from results kept before (this one at once, others within SEARCH_CHANGES_SECONDS)."""
    marker = str(time.time_ns())
    cache.set(CHANGE_MARKER_KEY, marker, None)
    _seen.marker, _seen.checked_at, _seen.terms = marker, time.monotonic(), None


def site_terms() -> SiteTerms:
    """The editors' synonyms and glossary; read again only after a change (two queries a read)."""
    from .es.segment import load_user_words
    from .selectors import site_terms_read

    marker = change_marker()
    current = _seen.terms
    # With no interval (tests) nothing is kept: a flushed database sends no signals.
    if current is None or current.marker != marker or settings.SEARCH_CHANGES_SECONDS <= 0:
        synonyms, words = site_terms_read()
        current = SiteTerms(synonyms=synonyms, words=words, marker=marker)
        # Teaching jieba a known word again is a no-op, so this is cheap to repeat.
        load_user_words(current.words)
        _seen.terms = current
    return current


def load_site_words() -> None:
    """Teach the segmenter the site's current terms before documents are cut for the index."""
    _seen.terms = None
    site_terms()


def _results_key(terms: SiteTerms, text: str, category: str | None, size: int) -> str:
    # Hashed: the query is user text (any length, spaces, any characters) and cache keys must be short and plain.
    raw = "\x1f".join([settings.ELASTICSEARCH_INDEX_PREFIX, terms.marker, text, category or "", str(size)])
    return "search:" + hashlib.sha256(raw.encode()).hexdigest()


# A failing answer cache (Redis down) is said in the log at most this often per process, not on every search,
# and is left alone for CACHE_RETRY_SECONDS: an unreachable host would cost each search its connect timeouts.
CACHE_WARNING_SECONDS = 60.0
CACHE_RETRY_SECONDS = 10.0
_cache_warned_at = float("-inf")
_cache_down_until = float("-inf")


def _cache_failed(exc: Exception) -> None:
    global _cache_warned_at, _cache_down_until
    now = time.monotonic()
    _cache_down_until = now + CACHE_RETRY_SECONDS
    if now - _cache_warned_at >= CACHE_WARNING_SECONDS:
        _cache_warned_at = now
        logger.warning("search answer cache unavailable, searching without it: %s", type(exc).__name__)


def _cache_usable() -> bool:
    return time.monotonic() >= _cache_down_until


_local_answers: KeptAnswers | None = None
_local_lock = threading.Lock()


def _local() -> KeptAnswers | None:
    """This process's kept answers (SEARCH_LOCAL_ANSWERS of them; None when that is 0)."""
    global _local_answers
    size = settings.SEARCH_LOCAL_ANSWERS
    if size <= 0:
        return None
    with _local_lock:
        if _local_answers is None or _local_answers.max_entries != size:
            _local_answers = KeptAnswers(size)
        return _local_answers


def _shared():
    """Redis, shared by every web process, when SEARCH_CACHE_URL is set (CACHES["search"])."""
    return caches["search"] if "search" in settings.CACHES else None


def _kept(key: str, seconds: float) -> SearchResults | None:
    local = _local()
    if local is not None and (results := local.get(key)) is not None:
        return results
    shared = _shared()
    if shared is None or not _cache_usable():
        return None
    try:
        results = shared.get(key)
    except Exception as exc:  # noqa: BLE001 - the cache only saves work: without it, search the cluster
        _cache_failed(exc)
        return None
    if local is not None and results is not None:
        local.set(key, results, seconds)
    return results


def _keep(key: str, results: SearchResults, seconds: float) -> None:
    local = _local()
    if local is not None:
        local.set(key, results, seconds)
    shared = _shared()
    if shared is None or not _cache_usable():
        return
    try:
        shared.set(key, results, seconds)
    except Exception as exc:  # noqa: BLE001 - as in _kept
        _cache_failed(exc)


def search_citizen(*, query: str, category: str | None = None, size: int = 10) -> CitizenSearch:
    """Results from the cluster, or from the database (reduced mode) when none is configured or it fails.

    The cluster's results are kept in this process's memory (the SEARCH_LOCAL_ANSWERS most used) and, with
    SEARCH_CACHE_URL, in Redis shared by all web processes: citizens ask the same few questions over and over, and
    a kept answer costs a small fraction of a search. They are kept until the index, the synonyms or the
    glossary change (see search_changed; seen within SEARCH_CHANGES_SECONDS), at most SEARCH_RESULTS_SECONDS.
    Reduced-mode results are never kept, so search recovers as soon as the cluster does. A cache that fails is
    skipped, never an error.
    """
    from .es import queries
    from .es.segment import segment
    from .selectors import database_search

    text = normalise_query(query)
    if not text:
        return CitizenSearch(SearchResults(query="", total=0, hits=[], suggestion=None), reduced=False)
    terms = site_terms()
    results, reduced = None, True
    if settings.ELASTICSEARCH_URL:
        keep_for = settings.SEARCH_RESULTS_SECONDS
        key = _results_key(terms, text, category, size)
        results = _kept(key, keep_for) if keep_for > 0 else None
        if results is None:
            try:
                results = queries.search(
                    es_client(), settings.ELASTICSEARCH_INDEX_PREFIX, text, category=category,
                    synonyms=terms.synonyms, size=size,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - any cluster failure means: answer from the database
                logger.warning("search cluster unavailable, answering from the database: %s", type(exc).__name__)
            else:
                if keep_for > 0:
                    _keep(key, results, keep_for)
        reduced = results is None
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


def fallback_entry_update(*, page) -> None:
    """Cut a live tutorial's words for database search (the reduced mode); a page no longer live loses its entry."""
    from tutorials.models import TutorialPage

    if not TutorialPage.objects.live().public().filter(pk=page.pk).exists():
        FallbackEntry.objects.filter(page_id=page.pk).delete()
        return
    site_terms()  # the glossary's words stay whole
    _fallback_entry_write(page)


def _fallback_entry_write(page) -> None:
    from .es.segment import segment
    from .selectors import tutorial_data

    data = tutorial_data(page)
    FallbackEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "title": segment(data.title),
            "summary": segment(data.summary),
            "steps": " ".join(segment(step) for step in data.steps),
        },
    )


def fallback_entry_delete(*, page_id: int) -> None:
    FallbackEntry.objects.filter(page_id=page_id).delete()


def fallback_rebuild() -> int:
    """Database-search entries for every live tutorial, none for others (after an upgrade, or to repair)."""
    from .selectors import searchable_tutorials

    load_site_words()
    live = []
    for page in searchable_tutorials():  # live and public already
        _fallback_entry_write(page)
        live.append(page.pk)
    FallbackEntry.objects.exclude(page_id__in=live).delete()
    return len(live)


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


# Set while `search_reindex` builds new indices (in the shared cache, so workers on every machine see it); expires
# on its own should the command die without clearing it.
REINDEX_RUNNING_KEY = "search:reindex-running"
REINDEX_RUNNING_MAX_SECONDS = 2 * 3600


@contextmanager
def reindex_running() -> Iterator[None]:
    cache.set(REINDEX_RUNNING_KEY, timezone.now().isoformat(), REINDEX_RUNNING_MAX_SECONDS)
    try:
        yield
    finally:
        cache.delete(REINDEX_RUNNING_KEY)


def _drain_later() -> None:
    """Try the outbox again in RETRY_AFTER. A backend that cannot defer (the tests' immediate one) is not asked:
    the changes wait for the next drain, which every new change queues."""
    from .tasks import search_outbox_drain

    later = search_outbox_drain.using(run_after=timezone.now() + RETRY_AFTER)
    if later.get_backend().supports_defer:
        later.enqueue()


def outbox_drain() -> dict:
    """Apply pending changes oldest first; on a cluster failure keep them all and try again later.

    While a full reindex runs, changes stay in the outbox: applied now, they would land in the indices about to be
    replaced and be lost with them. The reindex queues a drain when it is done (and this one tries again later).
    """
    if not settings.ELASTICSEARCH_URL:
        return {"applied": 0, "pending": IndexOutbox.objects.count(), "skipped": "no cluster configured"}
    if cache.get(REINDEX_RUNNING_KEY):
        _drain_later()
        return {"applied": 0, "pending": IndexOutbox.objects.count(), "skipped": "a full reindex is running"}
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
        # Only the kind of failure: a cluster's error may quote a document. An out-of-date index is said in full,
        # with what to do (its message names an index and a mapping setting, nothing of anyone's).
        said = str(exc) if isinstance(exc, indexing.IndexOutOfDateError) else type(exc).__name__
        logger.warning("search outbox kept %s changes: %s", IndexOutbox.objects.count(), said)
        _drain_later()
        return {"applied": applied, "pending": IndexOutbox.objects.count(), "error": reason}
    finally:
        if applied:
            search_changed()  # results kept by the web processes may now be out of date
    return {"applied": applied, "pending": 0}
