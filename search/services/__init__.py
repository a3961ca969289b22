"""Writes with business rules for search, by job: answers (citizens' questions, kept answers, the no-results
report), outbox (keeping the index in step), fallback (the database search entries)."""

from .answers import (
    CHANGE_MARKER_KEY,
    MAX_QUERY_CHARS,
    CitizenSearch,
    answer_key,
    answered_query_record,
    es_client,
    load_site_words,
    query_key,
    result_open_record,
    search_changed,
    search_citizen,
    site_terms,
    zero_result_record,
    zero_results_clear,
)
from .fallback import fallback_entries_refresh, fallback_rebuild
from .outbox import (
    outbox_add,
    outbox_add_category,
    outbox_add_pages_under,
    outbox_add_video,
    outbox_drain,
    reindex_running,
)

__all__ = [
    "CHANGE_MARKER_KEY",
    "MAX_QUERY_CHARS",
    "CitizenSearch",
    "answer_key",
    "answered_query_record",
    "es_client",
    "fallback_entries_refresh",
    "fallback_rebuild",
    "load_site_words",
    "outbox_add",
    "outbox_add_category",
    "outbox_add_pages_under",
    "outbox_add_video",
    "outbox_drain",
    "query_key",
    "reindex_running",
    "result_open_record",
    "search_changed",
    "search_citizen",
    "site_terms",
    "zero_result_record",
    "zero_results_clear",
]
