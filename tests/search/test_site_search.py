"""The site against a real node: publishing feeds the index through the outbox; citizens find tutorials and the
second where a video says it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from search.models import IndexOutbox, SearchSynonym
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(settings, es_url, fresh_prefix):
    settings.ELASTICSEARCH_URL = es_url
    settings.ELASTICSEARCH_INDEX_PREFIX = fresh_prefix
    return fresh_prefix


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def test_published_tutorials_are_found_with_their_spoken_words(
    client, cluster, tutorial_index, django_capture_on_commit_callbacks
):
    SearchSynonym.objects.create(terms="社保, 社会保险")
    shebao = factories.make_category()
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(
            tutorial_index, title="查询社会保险缴费记录", category=shebao, summary="在手机上查看每个月的缴费情况。"
        )
        other = factories.make_tutorial(
            tutorial_index, title="办理居住证", category=factories.make_category("户籍", "huji", "户"),
            summary="新市民在网上申请居住证。",
        )  # fmt: skip
    video = factories.make_video(
        subtitles="auto", cues=[(0.0, 3.0, "打开应用"), (83.0, 86.0, "在这里可以打印缴费证明")], duration=90
    )
    page = factories.attach_video(page, video)
    with django_capture_on_commit_callbacks(execute=True):
        factories.approve_subtitles(video)
        page.get_latest_revision().publish()
    assert not IndexOutbox.objects.exists()

    data = client.get(reverse("search_api"), {"q": "怎么查社保交了多少钱"}).json()
    assert data["reduced_mode"] is False
    assert data["results"][0]["title"] == "查询社会保险缴费记录"

    spoken = client.get(reverse("search_api"), {"q": "打印缴费证明"}).json()
    first = spoken["results"][0]
    assert first["title"] == "查询社会保险缴费记录"
    assert first["spoken"][0]["at"] == "01:23"
    assert first["spoken"][0]["url"].endswith(f"{page.url}#t=83&v={video.pk}")
    html = client.get(reverse("search"), {"q": "打印缴费证明"}).content.decode()
    assert "01:23" in html and "<mark>" in html

    # Unpublishing takes a tutorial out of the results.
    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    assert client.get(reverse("search_api"), {"q": "居住证"}).json()["total"] == 0


def test_changes_wait_in_the_outbox_while_the_cluster_is_down(
    settings, cluster, es_url, tutorial_index, django_capture_on_commit_callbacks, client
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="公积金提取", summary="租房提取住房公积金。")
    assert IndexOutbox.objects.count() >= 1
    # Meanwhile citizens still get answers, from the database.
    down = client.get(reverse("search_api"), {"q": "公积金"}).json()
    assert down["reduced_mode"] is True and down["results"][0]["title"] == "公积金提取"

    settings.ELASTICSEARCH_URL = es_url  # the cluster is back: the queued change is applied
    call_command("search_reindex", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    assert not IndexOutbox.objects.exists()
    up = client.get(reverse("search_api"), {"q": "公积金"}).json()
    assert up["reduced_mode"] is False and up["results"][0]["title"] == "公积金提取"


def test_an_index_older_than_its_mapping_keeps_changes_until_a_reindex(
    client, cluster, es, tutorial_index, django_capture_on_commit_callbacks, caplog
):
    """A field's analysis cannot change in place: an index built by an earlier version (here: steps without the
    indexed character pairs) keeps answering, the outbox keeps the changes and says what to do, and
    `search_reindex` brings both up to date."""
    from search.es.documents import Kind, alias_name, build_index
    from search.es.indexing import ensure_indices

    ensure_indices(es, cluster)
    alias = alias_name(cluster, Kind.TUTORIALS)
    (name,) = es.indices.get_alias(name=alias).keys()
    old = build_index(name, Kind.TUTORIALS).to_dict()
    del old["mappings"]["properties"]["steps"]["index_phrases"]
    es.indices.delete(index=name)
    es.indices.create(index=name, aliases={alias: {}}, **old)

    with caplog.at_level("WARNING", logger="search.services"), django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="公积金提取", summary="租房提取住房公积金。")
    kept = IndexOutbox.objects.get()
    assert "search_reindex" in kept.last_error and alias in kept.last_error
    assert any("search_reindex" in record.getMessage() for record in caplog.records)
    assert client.get(reverse("search_api"), {"q": "公积金"}).json()["total"] == 0

    call_command("search_reindex", stdout=io.StringIO(), stderr=io.StringIO())
    assert not IndexOutbox.objects.exists()
    data = client.get(reverse("search_api"), {"q": "公积金"}).json()
    assert data["reduced_mode"] is False and data["results"][0]["title"] == "公积金提取"
    (name,) = es.indices.get_alias(name=alias).keys()
    assert es.indices.get_mapping(index=name)[name]["mappings"]["properties"]["steps"]["index_phrases"] is True


def test_answers_are_kept_until_the_index_or_the_synonyms_change(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks, es
):
    from search.es.documents import Kind, alias_name
    from search.models import ZeroResultQuery
    from search.services import search_changed

    settings.SEARCH_RESULTS_SECONDS = 3600
    settings.SEARCH_CHANGES_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(tutorial_index, title="领取养老金资格认证", category=factories.make_category())
        other = factories.make_tutorial(tutorial_index, title="养老金认证常见问题", category=factories.make_category())
    search_changed()

    def titles(q: str, **params) -> list[str]:
        data = client.get(reverse("search_api"), {"q": q, **params}).json()
        assert data["reduced_mode"] is False
        return [r["title"] for r in data["results"]]

    assert set(titles("养老金认证")) == {"领取养老金资格认证", "养老金认证常见问题"}
    # Removed from the cluster behind the site's back: the question already asked is answered as before...
    es.delete(index=alias_name(cluster, Kind.TUTORIALS), id=str(other.pk), refresh=True)
    assert len(titles("养老金认证")) == 2
    # ...a new question (here: another category) is asked anew...
    assert titles("养老金认证", category=page.category.slug) == ["领取养老金资格认证"]
    # ...and a change through the site (unpublishing, applied by the outbox) is seen at once.
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not IndexOutbox.objects.exists()
    assert titles("养老金认证") == []
    # A search that found nothing is counted for the editors each time, kept or not.
    assert titles("养老金认证") == []
    assert ZeroResultQuery.objects.get(query="养老金认证").count == 2
    # Synonyms change what is found: an edit forgets the kept answers too.
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    assert titles("退休金") == []
    SearchSynonym.objects.create(terms="养老金, 退休金")
    assert titles("退休金") == ["领取养老金资格认证"]


def test_kept_answers_are_shared_through_redis(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks
):
    """`make test` runs a Redis, as a site with several web processes should: what one process kept, another
    (here: a cache client of its own on the same server) reads."""
    from django.core.cache.backends.redis import RedisCache

    from search.services import answer_key, search_changed, site_terms

    if not settings.SEARCH_CACHE_URL:
        pytest.fail("SEARCH_CACHE_URL is not set: `make test` starts a Redis for the search cache", pytrace=False)
    settings.SEARCH_RESULTS_SECONDS = 3600
    settings.SEARCH_CHANGES_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    search_changed()
    assert client.get(reverse("search_api"), {"q": "居住证"}).json()["results"][0]["title"] == "办理居住证"
    other_process = RedisCache(settings.SEARCH_CACHE_URL, {})
    key = answer_key(site_terms(), "居住证", None, 10)
    kept = other_process.get(key)
    assert kept is not None and [hit.title for hit in kept.hits] == ["办理居住证"]
    # This process also holds it in its own memory: asked again, it needs neither Redis nor the cluster.
    other_process.delete(key)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    again = client.get(reverse("search_api"), {"q": "居住证"}).json()
    assert again["reduced_mode"] is False and again["results"][0]["title"] == "办理居住证"


def test_without_redis_answers_are_kept_in_the_process(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-answers"},
    }
    settings.SEARCH_RESULTS_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    assert client.get(reverse("search_api"), {"q": "居住证"}).json()["results"][0]["title"] == "办理居住证"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    again = client.get(reverse("search_api"), {"q": "居住证"}).json()
    assert again["reduced_mode"] is False and again["results"][0]["title"] == "办理居住证"


def test_a_dead_answer_cache_only_costs_the_keeping(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks, caplog
):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        **settings.CACHES,
        "search": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},  # every question goes to Redis
        "search-shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.SEARCH_RESULTS_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    for query in ["居住证", "办理居住证"]:
        data = client.get(reverse("search_api"), {"q": query}).json()
        assert data["reduced_mode"] is False and data["results"][0]["title"] == "办理居住证"
    warnings = [r for r in caplog.records if "answer cache unavailable" in r.getMessage()]
    assert warnings and not any("居住证" in r.getMessage() for r in warnings)


def test_a_tutorial_published_during_a_full_reindex_is_in_the_new_indices(
    client, cluster, tutorial_index, django_capture_on_commit_callbacks, monkeypatch
):
    from search.es import indexing

    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    real_reindex_all = indexing.reindex_all
    published_meanwhile = []

    def reindex_while_an_editor_publishes(*args, **kwargs):
        # The snapshot of live tutorials is taken; an editor publishes before the new indices are swapped in.
        with django_capture_on_commit_callbacks(execute=True):
            page = factories.make_tutorial(tutorial_index, title="公积金租房提取", summary="租房提取住房公积金。")
        published_meanwhile.append(page)
        assert IndexOutbox.objects.filter(page_id=page.pk).exists()  # the drain held off
        return real_reindex_all(*args, **kwargs)

    monkeypatch.setattr(indexing, "reindex_all", reindex_while_an_editor_publishes)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("search_reindex", stdout=out, stderr=io.StringIO())
    assert "1 changes made meanwhile queued" in out.getvalue()
    assert not IndexOutbox.objects.exists()
    for q, title in (("居住证", "办理居住证"), ("公积金租房", "公积金租房提取")):
        data = client.get(reverse("search_api"), {"q": q}).json()
        assert data["reduced_mode"] is False and data["results"][0]["title"] == title


def test_a_search_writes_no_log_line(client, cluster, es, caplog):
    """The Elasticsearch client logs each request at INFO; a site logs problems, not every citizen's search."""
    import logging

    from search.es.indexing import ensure_indices

    ensure_indices(es, cluster)
    caplog.set_level(logging.INFO)
    data = client.get(reverse("search_api"), {"q": "社保"}).json()
    assert data["reduced_mode"] is False  # the search did reach the cluster
    assert [r.getMessage() for r in caplog.records if r.name.startswith("elastic_transport")] == []
