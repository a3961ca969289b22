"""A database cache whose `set` is one statement.

Django's DatabaseCache writes with a COUNT(*) of the whole table, then a SELECT and an INSERT or UPDATE inside a
transaction: four round trips, which made keeping a search answer cost a quarter of the search. PostgreSQL and SQLite
both have INSERT … ON CONFLICT DO UPDATE, so here a write is one statement, and the table is counted (and culled
when over MAX_ENTRIES) on one write in `cull_every`. Reads, deletes and the table are Django's own.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now


class UpsertDatabaseCache(DatabaseCache):
    cull_every = 50

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in ("postgresql", "sqlite"):
            self._base_set("set", key, value, timeout)
            return
        expires_at = self.get_backend_timeout(timeout)
        if expires_at is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(expires_at, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        quote = connection.ops.quote_name
        table = quote(self._table)
        key_column, value_column, expires_column = quote("cache_key"), quote("value"), quote("expires")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "
                f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = EXCLUDED.{value_column}, "
                f"{expires_column} = EXCLUDED.{expires_column}",
                [key, encoded, expires],
            )
            if random.random() < 1 / self.cull_every:  # noqa: S311 - spreading the culls, not security
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
