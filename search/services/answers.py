"""Answers to citizens' questions: the cluster when it answers, the database when not, kept answers in between.

Kept answers go through Django's cache API: each process's memory (CACHES["search"]) and, when SEARCH_CACHE_URL is
set, Redis shared by every web process (CACHES["search-shared"]). Their keys carry a change marker, so an answer is
never used after the index, the synonyms or the glossary changed: search_changed() sets a new marker in the default
(database) cache, which every process reads at most every SEARCH_CHANGES_SECONDS.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import F
from django.utils import timezone

from ..es.queries import MAX_QUERY_CHARS, SearchResults, normalize_query
from ..models import AnsweredQuery, ZeroResultQuery
from ..privacy import strip_personal_numbers

logger = logging.getLogger("search.services")

# A client's searches that found nothing count for the editors' report at most this often a minute: one person
# retyping, or a script, must not fill it.
ZERO_RESULTS_PER_MINUTE = 3


@dataclass(frozen=True)
class CitizenSearch:
    results: SearchResults
    reduced: bool  # answered from the database because no cluster is configured or it is down


def es_client(*, web_request: bool = True):
    from ..es.client import get_client

    return get_client(url=settings.ELASTICSEARCH_URL, web_request=web_request)


CHANGE_MARKER_KEY = "search:changed"


@dataclass(frozen=True)
class SiteTerms:
    synonyms: dict[str, list[str]]  # each word -> the other words of its group(s)
    words: list[str]  # glossary terms and synonyms, kept whole by the segmenter
    marker: str  # the change marker they were read under


@dataclass
class _Seen:
    """This process's last look at the change marker, and the site terms read under it."""

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
    from ..es.segment import load_user_words
    from ..selectors import site_terms_read

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


def answer_key(terms: SiteTerms, text: str, category: str | None, size: int) -> str:
    # Hashed: the query is user text (any length, spaces, any characters) and cache keys must be short and plain.
    raw = "\x1f".join([settings.ELASTICSEARCH_INDEX_PREFIX, terms.marker, text, category or "", str(size)])
    return "search:" + hashlib.sha256(raw.encode()).hexdigest()


def _shared():
    """Redis shared by every web process (CACHES["search-shared"], when SEARCH_CACHE_URL is set)."""
    return caches["search-shared"] if "search-shared" in settings.CACHES else None


def _kept(key: str) -> SearchResults | None:
    # This process's memory first: a kept answer read there costs about a tenth of the CPU of one read from Redis.
    results = caches["search"].get(key)
    if results is not None or (shared := _shared()) is None:
        return results
    try:
        results = shared.get(key)
    except Exception as exc:  # noqa: BLE001 - kept answers only save work: without them, ask the cluster
        logger.warning("search answer cache unavailable, searching without it: %s", type(exc).__name__)
        return None
    if results is not None:
        caches["search"].set(key, results, settings.SEARCH_RESULTS_SECONDS)
    return results


def _keep(key: str, results: SearchResults) -> None:
    caches["search"].set(key, results, settings.SEARCH_RESULTS_SECONDS)
    if (shared := _shared()) is not None:
        try:
            shared.set(key, results, settings.SEARCH_RESULTS_SECONDS)
        except Exception as exc:  # noqa: BLE001 - as in _kept
            logger.warning("search answer cache unavailable, searching without it: %s", type(exc).__name__)


def search_citizen(
    *, query: str, category: str | None = None, size: int = 10, client_address: str = "", track_opens: bool = False
) -> CitizenSearch:
    """Results from the cluster, or from the database (reduced mode) when none is configured or it fails.

    The cluster's answers are kept (see the module's docstring) for at most SEARCH_RESULTS_SECONDS: citizens ask
    the same few questions over and over, and a kept answer costs a small fraction of a search. Reduced-mode
    results are never kept, so search recovers as soon as the cluster does. A search that found nothing is
    recorded for the editors (see zero_result_record); with ``track_opens`` (the search page, whose result links go
    through the search_open view) so is one that found something (see answered_query_record).
    """
    from ..es import queries
    from ..es.segment import segment
    from ..selectors import database_search

    text = normalize_query(query)
    if not text:
        return CitizenSearch(SearchResults(query="", total=0, hits=[], suggestion=None), reduced=False)
    terms = site_terms()
    results = None
    if settings.ELASTICSEARCH_URL:
        keep = settings.SEARCH_RESULTS_SECONDS > 0
        key = answer_key(terms, text, category, size)
        results = _kept(key) if keep else None
        if results is None:
            try:
                results = queries.search(
                    es_client(), settings.ELASTICSEARCH_INDEX_PREFIX, text, category=category,
                    synonyms=terms.synonyms, size=size,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - any cluster failure means: answer from the database
                logger.warning("search cluster unavailable, answering from the database: %s", type(exc).__name__)
            else:
                if keep:
                    _keep(key, results)
    reduced = results is None
    if results is None:
        results = database_search(text, category=category, words=segment(text).split(), size=size)
    # Under a category filter an empty page says the category lacks it, not that the site does.
    if results.total == 0 and not category:
        zero_result_record(query=text, client_address=client_address)
    elif results.total and track_opens:
        answered_query_record(query=text, client_address=client_address)
    return CitizenSearch(results=results, reduced=reduced)


def query_key(query: str) -> str:
    """The form a query is counted under for the editors' reports: normalised, ID and phone numbers removed."""
    return strip_personal_numbers(normalize_query(query))[:MAX_QUERY_CHARS]


def _zero_result_allowed(client_address: str, kind: str = "zero") -> bool:
    minute = int(time.time() // 60)
    key = f"search:{kind}:{hashlib.sha256(client_address.encode()).hexdigest()[:32]}:{minute}"
    if cache.add(key, 1, 90):
        return True
    try:
        return cache.incr(key) <= ZERO_RESULTS_PER_MINUTE
    except ValueError:  # expired between add and incr: a new minute
        return True


def zero_result_record(*, query: str, client_address: str = "") -> ZeroResultQuery | None:
    """Count a search that found nothing (ID and phone numbers removed), at most ZERO_RESULTS_PER_MINUTE times a
    minute per client address."""
    cleaned = query_key(query)
    if not cleaned or not _zero_result_allowed(client_address):
        return None
    entry, _ = ZeroResultQuery.objects.get_or_create(query=cleaned)
    ZeroResultQuery.objects.filter(pk=entry.pk).update(count=F("count") + 1, last_seen=timezone.now())
    return entry


def zero_results_clear() -> int:
    """Empty the editors' list of searches with no results (after they acted on it)."""
    deleted, _ = ZeroResultQuery.objects.all().delete()
    return deleted


def answered_query_record(*, query: str, client_address: str = "") -> bool:
    """Count a search that found tutorials, as zero_result_record counts one that found none (same per-client
    limit). One statement: citizens ask the same questions all day, and this runs on every search page."""
    cleaned = query_key(query)
    if not cleaned or not _zero_result_allowed(client_address):
        return False
    table = connection.ops.quote_name(AnsweredQuery._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, asked, opened, first_seen, last_seen) VALUES (%s, 1, 0, %s, %s) "
            f"ON CONFLICT (query) DO UPDATE SET asked = {table}.asked + 1, last_seen = EXCLUDED.last_seen",
            [cleaned, now, now],
        )
    return True


def result_open_record(*, query: str, client_address: str = "") -> bool:
    """Count a citizen opening a result of ``query``, at most ZERO_RESULTS_PER_MINUTE times a minute per client.
    Only a query the site answered is counted: a crafted link cannot add queries to the report."""
    cleaned = query_key(query)
    if not cleaned or not _zero_result_allowed(client_address, kind="open"):
        return False
    return AnsweredQuery.objects.filter(query=cleaned).update(opened=F("opened") + 1) > 0
