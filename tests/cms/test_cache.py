import pytest
from django.core.cache import caches

from cms.cache import UpsertDatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    cache = caches["search"]
    assert isinstance(cache, UpsertDatabaseCache)
    cache.clear()
    yield cache
    cache.clear()


def test_set_writes_and_overwrites_in_place(kept, django_assert_num_queries):
    with django_assert_num_queries(1):
        kept.set("a", {"hits": [1, 2]}, 60)
    kept.set("a", {"hits": [3]}, 60)
    assert kept.get("a") == {"hits": [3]}
    kept.set("forever", "x", None)
    assert kept.get("forever") == "x"
    kept.set("gone", "x", 0)  # Django's meaning of 0: expired at once
    assert kept.get("gone") is None


def test_the_table_is_culled_when_over_its_size(kept, monkeypatch):
    monkeypatch.setattr(kept, "cull_every", 1)
    monkeypatch.setattr(kept, "_max_entries", 10)
    for n in range(30):
        kept.set(f"k{n}", n, 60)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {kept._table}")
        assert cursor.fetchone()[0] <= 11
    assert kept.get("k29") == 29
