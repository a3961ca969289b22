"""A cluster with a Chinese analysis plugin: indices get `zh` sub-fields analysed by it, and queries use them.

`make test` starts a second node with the smartcn analyzer (ES_PLUGINS=smartcn scripts/es.sh start); the main
node has none, and the same queries work there (test_search.py)."""

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from search.es import queries
from search.es.analysis import cluster_capabilities
from search.es.documents import Kind, alias_name, build_index
from search.es.indexing import ensure_indices, index_tutorial, reindex_all, replace_segments
from tests.search.conftest import CORPUS, SEGMENTS, delete_prefix


@pytest.fixture
def zh_prefix(es_zh: Elasticsearch) -> Iterator[str]:
    prefix = f"bangban-test-zh-{uuid.uuid4().hex[:8]}"
    yield prefix
    delete_prefix(es_zh, prefix)


def zh_analyzer(es: Elasticsearch, index: str, field: str) -> str | None:
    (mapping,) = es.indices.get_mapping(index=index).values()
    return mapping["mappings"]["properties"][field].get("fields", {}).get("zh", {}).get("analyzer")


def test_the_node_reports_its_chinese_analyzer(es_zh: Elasticsearch):
    caps = cluster_capabilities(es_zh)
    assert caps.smartcn and caps.chinese_analyzer == "smartcn"
    tokens = es_zh.indices.analyze(analyzer="smartcn", text="社保缴费记录查询")["tokens"]
    assert [t["token"] for t in tokens] == ["社保", "缴费", "记录", "查询"]  # words, not one token per character


def test_indices_get_zh_sub_fields_and_queries_match_in_them(es_zh: Elasticsearch, zh_prefix: str):
    reindex_all(es_zh, zh_prefix, CORPUS, SEGMENTS)
    tutorials, segments = alias_name(zh_prefix, Kind.TUTORIALS), alias_name(zh_prefix, Kind.SEGMENTS)
    assert [zh_analyzer(es_zh, tutorials, f) for f in ("title", "summary", "steps")] == ["smartcn"] * 3
    assert zh_analyzer(es_zh, segments, "text") == "smartcn"

    words = es_zh.indices.analyze(index=tutorials, field="title.zh", text="社保缴费记录查询")["tokens"]
    assert [t["token"] for t in words] == ["社保", "缴费", "记录", "查询"]

    parsed = queries._parse("社保缴费记录")
    body = queries._tutorial_search(parsed, [], None, 10)  # with clause names (the second step's form)
    found = es_zh.search(index=tutorials, query=body["query"], size=10)["hits"]["hits"]
    by_id = {hit["_id"]: hit["matched_queries"] for hit in found}
    assert "strong-query-zh" in by_id["101"], by_id
    spoken = queries._segment_search(queries._parse("右上角的蓝色按钮"), [], None)
    lines = es_zh.search(index=segments, query=spoken["query"], size=5)["hits"]["hits"]
    assert "strong-query-zh" in lines[0]["matched_queries"]

    # And the whole search, as citizens get it.
    results = queries.search(es_zh, zh_prefix, "社保缴费记录查询")
    assert results.hits[0].tutorial_id == 101
    assert queries.search(es_zh, zh_prefix, "右上角的蓝色按钮").hits[0].spoken


def test_an_index_made_before_the_plugin_gets_the_sub_fields_in_place(es_zh: Elasticsearch, zh_prefix: str):
    """A cluster that gains a plugin: the next write through the outbox (ensure_indices) adds the sub-fields;
    documents written after it are searchable in them, the rest after a reindex."""
    alias = alias_name(zh_prefix, Kind.TUTORIALS)
    plain = build_index(f"{alias}-20200101t000000000000", Kind.TUTORIALS)
    plain.aliases(**{alias: {}})
    plain.create(using=es_zh)
    assert zh_analyzer(es_zh, alias, "title") is None
    ensure_indices(es_zh, zh_prefix)
    assert zh_analyzer(es_zh, alias, "title") == "smartcn"
    index_tutorial(es_zh, zh_prefix, CORPUS[0], refresh=True)
    count = es_zh.count(index=alias, query={"match": {"title.zh": "社保"}})["count"]
    assert count == 1
    replace_segments(es_zh, zh_prefix, 108, SEGMENTS, refresh=True)
    assert zh_analyzer(es_zh, alias_name(zh_prefix, Kind.SEGMENTS), "text") == "smartcn"


def test_icu_is_used_through_an_analyzer_of_the_index_own():
    index = build_index("x", Kind.SEGMENTS, "icu_tokenizer").to_dict()
    assert index["settings"]["analysis"]["analyzer"]["bangban_icu_words"] == {
        "type": "custom",
        "tokenizer": "icu_tokenizer",
        "filter": ["lowercase"],
    }
    assert index["mappings"]["properties"]["text"]["fields"]["zh"]["analyzer"] == "bangban_icu_words"
    assert "fields" not in build_index("x", Kind.SEGMENTS).to_dict()["mappings"]["properties"]["text"]
