"""The search page and API: reduced mode on the database, bad input, the content-gap counter."""

import pytest
from django.urls import reverse

from cms import roles
from search.models import IndexOutbox, ZeroResultQuery
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_cluster(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def corpus(tutorial_index, django_capture_on_commit_callbacks):
    shebao = factories.make_category()
    yibao = factories.make_category(name="医保", slug="yibao", badge="医")
    # Committed: the task that cuts the words for the database search runs.
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="查询社保缴费记录", category=shebao)
        factories.make_tutorial(
            tutorial_index, title="激活医保电子凭证", category=yibao, summary="在手机上激活医保码。"
        )
        factories.make_tutorial(tutorial_index, title="未发布的社保教程", category=shebao, publish=False)


def test_reduced_mode_answers_from_the_database(client, no_cluster, corpus):
    data = client.get(reverse("search_api"), {"q": "怎么查社保缴费"}).json()
    assert data["reduced_mode"] is True
    assert [r["title"] for r in data["results"]] == ["查询社保缴费记录"]
    page = client.get(reverse("search"), {"q": "怎么查社保缴费"}).content.decode()
    assert "查询<mark>社保缴费</mark>记录" in page and "callout--warning" in page and "未发布" not in page


def test_category_filter(client, no_cluster, corpus):
    data = client.get(reverse("search_api"), {"q": "查询 激活", "category": "yibao"}).json()
    assert [r["title"] for r in data["results"]] == ["激活医保电子凭证"]


@pytest.mark.parametrize(
    "query",
    [
        "😀😀",
        "社保" * 5000,
        '"*?:\\/()[]{}^~!',
        '{"query": {"match_all": {}}}',
        "'; DROP TABLE wagtailcore_page; --",
        "<script>alert(1)</script>",
        "\x00\x1f社保",
    ],
)
def test_bad_input_never_fails(client, no_cluster, corpus, query):
    api = client.get(reverse("search_api"), {"q": query})
    assert api.status_code == 200
    assert len(api.json()["query"]) <= 100
    page = client.get(reverse("search"), {"q": query})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_queries_get_a_clear_message(client, no_cluster, query):
    response = client.get(reverse("search_api"), {"q": query})
    assert response.status_code == 400 and response.json()["error"]
    assert client.get(reverse("search"), {"q": query}).status_code == 200


def test_long_queries_are_cut_and_said_so(client, no_cluster, corpus):
    data = client.get(reverse("search_api"), {"q": "社保" * 100}).json()
    assert data["query_cut"] is True and len(data["query"]) == 100


def test_zero_results_are_counted_without_personal_numbers(client, no_cluster, corpus):
    for _ in range(2):
        client.get(reverse("search_api"), {"q": "身份证110101199003074514怎么补办驾照"})
    client.get(reverse("search_api"), {"q": "电话13812345678怎么补办驾照"})
    entries = list(ZeroResultQuery.objects.values_list("query", "count"))
    assert ("身份证 怎么补办驾照", 2) in entries and ("电话 怎么补办驾照", 1) in entries
    assert not any(ch.isdigit() for query, _ in entries for ch in query)
    editor = factories.make_user("editor", roles.EDITORS)
    client.force_login(editor)
    report = client.get(reverse("search_content_gaps")).content.decode()
    assert "身份证 怎么补办驾照" in report


def test_gap_report_is_for_staff_roles_only(client):
    client.force_login(factories.make_user("learner", roles.STAFF_LEARNERS))
    assert client.get(reverse("search_content_gaps")).status_code in (302, 403)


def test_publishing_records_the_change_for_the_index(tutorial_index, django_capture_on_commit_callbacks, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: the cluster is down
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(tutorial_index)
    pending = IndexOutbox.objects.filter(page_id=page.pk)
    assert pending.exists() and pending.first().attempts >= 1 and pending.first().last_error
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert IndexOutbox.objects.filter(page_id=page.pk, action="delete").exists()


def test_glossary_terms_keep_whole_in_segmentation(no_cluster):
    from media.models import GlossaryTerm
    from search.es.segment import segment
    from search.services import load_site_words

    GlossaryTerm.objects.create(term="掌上办税厅")
    load_site_words()
    assert "掌上办税厅" in segment("怎么用掌上办税厅交税").split()


def test_site_terms_are_read_again_only_after_a_change(no_cluster, settings, django_assert_num_queries):
    import time

    from django.core.cache import cache

    from search.models import SearchSynonym
    from search.services import CHANGE_MARKER_KEY, search_changed, site_terms

    settings.SEARCH_CHANGES_SECONDS = 3600
    search_changed()
    with django_assert_num_queries(2):  # synonyms and glossary, once
        site_terms()
        site_terms()
    SearchSynonym.objects.create(terms="公积金, 住房公积金")  # an edit in this process: seen at once
    with django_assert_num_queries(2):
        assert site_terms().synonyms["公积金"] == ["住房公积金"]
    # An edit in another process changes the shared marker; this one looks again after SEARCH_CHANGES_SECONDS.
    SearchSynonym.objects.filter(terms="公积金, 住房公积金").update(terms="医保, 医疗保险")
    cache.set(CHANGE_MARKER_KEY, "changed elsewhere", None)
    assert "公积金" in site_terms().synonyms
    settings.SEARCH_CHANGES_SECONDS = 0.05
    time.sleep(0.06)
    terms = site_terms()
    assert "公积金" not in terms.synonyms and terms.synonyms["医保"] == ["医疗保险"]
    assert terms.marker == "changed elsewhere"


def test_reduced_mode_is_postgresql_full_text_over_cut_words(
    client, no_cluster, tutorial_index, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from search.models import FallbackEntry
    from search.services import search_citizen

    shebao = factories.make_category()
    with django_capture_on_commit_callbacks(execute=True):
        in_title = factories.make_tutorial(
            tutorial_index, title="养老金资格认证", category=shebao, summary="每年一次。"
        )
        in_summary = factories.make_tutorial(
            tutorial_index, title="退休手续", category=shebao, summary="办完以后每月领取养老金。"
        )
    # Publishing cut the words (in a task): PostgreSQL's parser alone would take 养老金资格认证 as one token.
    words = FallbackEntry.objects.get(page=in_title).title.split()
    assert {"养老金", "资格", "认证"} <= set(words) and "养老金资格认证" not in words

    def found(q: str) -> list[str]:
        outcome = search_citizen(query=q)
        assert outcome.reduced is True
        return [hit.title for hit in outcome.results.hits]

    assert found("怎么领养老金") == ["养老金资格认证", "退休手续"]  # title words weigh more than summary words
    assert found("我要做资格认证") == ["养老金资格认证"]
    assert found("金资") == []  # words, not substrings: 金资 straddles two words
    assert "<mark>养老金</mark>" in search_citizen(query="养老金").results.hits[0].title_highlight
    # Unpublished: gone from the database search once the task ran.
    with django_capture_on_commit_callbacks(execute=True):
        in_summary.unpublish()
    assert found("养老金") == ["养老金资格认证"]
    # A rebuild (after an upgrade) makes entries for live pages only and drops the rest.
    FallbackEntry.objects.all().delete()
    FallbackEntry.objects.create(page=in_summary, title="退休 手续")
    call_command("search_reindex", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    assert list(FallbackEntry.objects.values_list("page_id", flat=True)) == [in_title.pk]


def test_a_search_emptied_by_the_category_filter_is_no_gap(client, no_cluster, corpus):
    data = client.get(reverse("search_api"), {"q": "激活医保电子凭证", "category": "shebao"}).json()
    assert data["total"] == 0
    assert not ZeroResultQuery.objects.exists()
    client.get(reverse("search_api"), {"q": "补办驾照"})
    assert list(ZeroResultQuery.objects.values_list("query", flat=True)) == ["补办驾照"]


def test_zero_results_count_a_few_times_a_minute_per_client(client, no_cluster, corpus):
    for _ in range(10):
        client.get(reverse("search_api"), {"q": "补办驾照"}, REMOTE_ADDR="203.0.113.7")
    assert ZeroResultQuery.objects.get(query="补办驾照").count == 3
    client.get(reverse("search"), {"q": "补办驾照"}, REMOTE_ADDR="198.51.100.9")  # another person
    assert ZeroResultQuery.objects.get(query="补办驾照").count == 4


def test_gap_report_pages_exports_and_is_cleared_by_editors_after_asking(client, no_cluster):
    ZeroResultQuery.objects.bulk_create(ZeroResultQuery(query=f"缺少的教程{n:03}", count=n) for n in range(1, 61))
    client.force_login(factories.make_user("editor", roles.EDITORS))
    first = client.get(reverse("search_content_gaps")).content.decode()
    assert "缺少的教程060" in first and "缺少的教程001" not in first  # most searched first, 50 a page
    assert "缺少的教程001" in client.get(reverse("search_content_gaps"), {"p": 2}).content.decode()
    csv = client.get(reverse("search_content_gaps"), {"export": "csv"})
    assert csv.status_code == 200 and "缺少的教程001" in b"".join(csv.streaming_content).decode()

    confirm = client.get(reverse("search_content_gaps_clear"))
    assert confirm.status_code == 200 and "60" in confirm.content.decode()
    assert ZeroResultQuery.objects.count() == 60  # asking changes nothing
    response = client.post(reverse("search_content_gaps_clear"))
    assert response.status_code == 302 and not ZeroResultQuery.objects.exists()


def test_only_editors_may_clear_the_gap_report(client):
    ZeroResultQuery.objects.create(query="补办驾照", count=3)
    client.force_login(factories.make_user("trainer", roles.TRAINING_MANAGERS))  # may read it, not clear it
    assert client.get(reverse("search_content_gaps")).status_code == 200
    assert client.post(reverse("search_content_gaps_clear")).status_code in (302, 403)
    assert ZeroResultQuery.objects.exists()


@pytest.mark.parametrize("raw", ["社保\x00卡", "社保\x1b[31m卡", "\x00社保卡\x07"])
def test_control_characters_never_reach_the_page(client, no_cluster, corpus, raw):
    response = client.get(reverse("search"), {"q": raw})
    html = response.content.decode()
    assert response.status_code == 200
    assert not any(ch in html for ch in "\x00\x1b\x07")
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "社保" in title and "卡" in title
    assert client.get(reverse("search_api"), {"q": raw}).json()["query"].replace(" ", "") in ("社保卡", "社保[31m卡")
