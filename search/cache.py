"""Where answers to citizens' questions are kept: each process's memory (KeptAnswers), and Redis shared by all
processes (RedisCache, CACHES["search"] when SEARCH_CACHE_URL is set).

RedisCache is Django's, except that each connection pool gets one redis-py client, made on first use, instead of a
new one for every get and set: making a client copies its table of response callbacks (a few hundred entries),
which cost about a quarter of a millisecond of CPU, twice for every new question. A redis-py client is safe to
share between threads; the connections stay in the pool.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[Any, Any] = {}  # connection pool -> client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


class KeptAnswers:
    """The answers most recently used in this process, as the objects themselves, each until it expires.

    Django's in-memory cache pickles every value it stores and unpickles it on every read, to protect callers that
    change what they got; an answer (search.es.queries.SearchResults) is never changed after it is made, so it is
    kept as it is: storing a new answer and reading a kept one cost a dictionary operation under a lock.
    """

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("KeptAnswers needs room for at least one answer")
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()  # key -> (expiry, answer), oldest first
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: Any, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
