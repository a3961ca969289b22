import pytest
from elasticsearch import Elasticsearch

from search.es.queries import MAX_QUERY_CHARS, normalize_query, search
from tests.search.conftest import SYNONYMS

NOTHING = ["", "   ", "\n\t\r", "\x00\x07\x1b", "😀🙏", '"*?:\\/()[]{}^~!', "！？。，"]
ODD = [
    "社保" * 5_000,
    "社" + "\u200b" * 50 + "保",
    "社保 AND 医保 OR title:*",
    '{"query": {"match_all": {}}}',
    '{"script": {"source": "System.exit(0)"}}',
    "'; DROP TABLE tutorials; --",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    '社保~2 医保^10 "居住证"',
    "👵 怎么查社保 🙏",
    "ＥＴＣ　办理",  # full-width letters and space
    "a" * 10_000,
    "\ud800",  # a lone surrogate from a broken client
]


@pytest.mark.parametrize("query", NOTHING)
def test_nothing_to_search_returns_empty_results(es: Elasticsearch, prefix: str, query: str):
    results = search(es, prefix, query, synonyms=SYNONYMS)
    assert (results.total, results.hits, results.suggestion) == (0, [], None)


def test_empty_query_does_not_call_the_cluster(prefix: str):
    class NoCluster:
        def __getattr__(self, name):
            raise AssertionError(f"called the cluster: {name}")

    assert search(NoCluster(), prefix, "  ").hits == []  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ODD)
def test_odd_input_gets_a_sensible_answer(es: Elasticsearch, prefix: str, query: str):
    results = search(es, prefix, query, synonyms=SYNONYMS, category="shebao")
    assert len(results.query) <= MAX_QUERY_CHARS
    assert all(hit.url.startswith("/tutorials/") for hit in results.hits)


def test_operators_are_just_text(es: Elasticsearch, prefix: str):
    # query_string would read these as syntax; here they are characters to look for.
    assert search(es, prefix, "社保缴费记录查询 AND NOT title:*").hits[0].tutorial_id == 101
    assert search(es, prefix, '"居住证" OR *').hits[0].tutorial_id == 109
    assert search(es, prefix, "ＥＴＣ　办理", synonyms=SYNONYMS).hits[0].tutorial_id == 106


def test_normalize_query():
    assert normalize_query(None) == ""
    assert normalize_query(" 社保\t\n缴费\u200b ") == "社保 缴费"
    assert normalize_query("ＡＢＣ１２３") == "ABC123"
    assert len(normalize_query("社" * 10_000)) == MAX_QUERY_CHARS


def test_odd_size_and_category(es: Elasticsearch, prefix: str):
    assert len(search(es, prefix, "电子", size=0).hits) == 1
    assert len(search(es, prefix, "电子", size=10_000).hits) <= 50
    assert search(es, prefix, "电子", category='"; DROP TABLE x').hits == []
