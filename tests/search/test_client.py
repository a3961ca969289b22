import time

import pytest
from elasticsearch import Elasticsearch

from search.es.analysis import cluster_capabilities
from search.es.client import WEB_REQUEST_TIMEOUT_S, connect, get_client
from search.es.queries import SearchUnavailableError, search


def test_connect_moves_credentials_out_of_the_url_and_adds_the_default_port():
    client = connect(url="https://user:p%40ss@search.example:443/")
    node = client.transport.node_pool.all()[0].config
    assert (node.scheme, node.host, node.port) == ("https", "search.example", 443)
    assert "p@ss" not in str(node) and "user:" not in str(node)
    assert client._headers["authorization"].startswith("Basic ")
    assert connect(url="http://localhost").transport.node_pool.all()[0].config.port == 9200


def test_web_client_fails_fast_and_does_not_retry(es_url):
    client = get_client(url=es_url)
    assert client is get_client(url=es_url)
    assert client._request_timeout == WEB_REQUEST_TIMEOUT_S
    assert client._max_retries == 0
    assert client.cluster.health()["status"] in {"green", "yellow"}


def test_integration_test_node_has_no_chinese_analysis_plugins(es: Elasticsearch):
    caps = cluster_capabilities(es)
    assert caps.version.startswith("8.")
    # The integ-test distribution ships only the server and security: the index must not depend on any of these.
    assert (caps.smartcn, caps.icu_tokenizer, caps.ik_max_word, caps.analysis_common) == (False, False, False, False)
    assert caps.chinese_analyzer is None


def test_built_in_analyzers_the_mapping_relies_on(es: Elasticsearch):
    standard = es.indices.analyze(analyzer="standard", text="社保App")["tokens"]
    assert [t["token"] for t in standard] == ["社", "保", "app"]
    whitespace = es.indices.analyze(analyzer="whitespace", text="社保 缴费")["tokens"]
    assert [t["token"] for t in whitespace] == ["社保", "缴费"]


def test_a_dead_cluster_raises_one_error_type_quickly(prefix: str):
    dead = connect(url="http://127.0.0.1:9")  # the discard port: nothing listens
    started = time.monotonic()
    with pytest.raises(SearchUnavailableError):
        search(dead, prefix, "社保")
    assert time.monotonic() - started < WEB_REQUEST_TIMEOUT_S + 1
