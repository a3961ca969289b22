"""The Redis cache backend for kept search answers (CACHES["search"] when SEARCH_CACHE_URL is set).

Django's RedisCache, except that each connection pool gets one redis-py client, made on first use, instead of a
new one for every get and set: making a client copies its table of response callbacks (a few hundred entries),
which cost about a quarter of a millisecond of CPU, twice for every new question. A redis-py client is safe to
share between threads; the connections stay in the pool.
"""

from __future__ import annotations

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
