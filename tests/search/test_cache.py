import time

import pytest

from search.cache import KeptAnswers
from search.es.queries import SearchResults


def answer(query: str) -> SearchResults:
    return SearchResults(query=query, total=0)


def test_kept_answers_hand_back_the_same_object_until_it_expires(monkeypatch):
    kept = KeptAnswers(10)
    first = answer("社保")
    kept.set("a", first, 60)
    assert kept.get("a") is first  # not a copy: nothing is pickled
    assert kept.get("b") is None
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 61)
    assert kept.get("a") is None
    assert len(kept) == 0  # an expired answer is dropped when found


def test_kept_answers_drop_the_least_recently_used_first():
    kept = KeptAnswers(2)
    kept.set("a", answer("a"), 60)
    kept.set("b", answer("b"), 60)
    kept.get("a")  # used: "b" is now the oldest
    kept.set("c", answer("c"), 60)
    assert [kept.get(k) is not None for k in "abc"] == [True, False, True]
    kept.set("a", answer("a again"), 60)  # a key set again replaces its answer, and the count stays
    assert kept.get("a").query == "a again" and len(kept) == 2
    kept.clear()
    assert len(kept) == 0


def test_kept_answers_need_room():
    with pytest.raises(ValueError, match="at least one"):
        KeptAnswers(0)


def test_the_process_keeps_as_many_answers_as_set_or_none(settings):
    from search import services

    settings.SEARCH_LOCAL_ANSWERS = 3
    local = services._local()
    assert local is not None and local.max_entries == 3 and services._local() is local
    settings.SEARCH_LOCAL_ANSWERS = 0
    assert services._local() is None
