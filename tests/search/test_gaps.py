"""Gaps editors can act on: searches with no results and searches whose results nobody opened, as Wagtail reports
with a date range, sorting, CSV/XLSX export and ready "new tutorial" / "add synonym" actions."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import load_workbook

from cms import roles
from search.models import AnsweredQuery, SearchSynonym, ZeroResultQuery
from search.services import search_changed, search_citizen
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_cluster(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def corpus(tutorial_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return factories.make_tutorial(tutorial_index, title="查询社保缴费记录", category=factories.make_category())


def result_links(response) -> list[str]:
    return [
        html.unescape(href) for href in re.findall(r'class="result__title" href="([^"]+)"', response.content.decode())
    ]


def test_results_link_through_a_counted_redirect_without_personal_numbers(client, no_cluster, corpus):
    response = client.get(reverse("search"), {"q": "怎么查社保缴费 13800138000"}, REMOTE_ADDR="203.0.113.7")
    [link] = result_links(response)
    assert link.startswith(reverse("search_open") + "?") and "13800138000" not in link
    entry = AnsweredQuery.objects.get()
    assert (entry.query, entry.asked, entry.opened) == ("怎么查社保缴费", 1, 0)
    opened = client.get(link, REMOTE_ADDR="203.0.113.7")
    assert opened.status_code == 302 and opened["Location"] == corpus.url
    entry.refresh_from_db()
    assert entry.opened == 1
    # The API's results are opened by apps we cannot see: its searches are not counted as unopened.
    client.get(reverse("search_api"), {"q": "社保缴费"})
    assert not AnsweredQuery.objects.filter(query="社保缴费").exists()


def test_counts_are_limited_per_client(client, no_cluster, corpus):
    for _ in range(10):
        client.get(reverse("search"), {"q": "社保缴费"}, REMOTE_ADDR="203.0.113.7")
    assert AnsweredQuery.objects.get().asked == 3
    client.get(reverse("search"), {"q": "社保缴费"}, REMOTE_ADDR="198.51.100.9")
    assert AnsweredQuery.objects.get().asked == 4
    open_url = reverse("search_open")
    for _ in range(10):
        client.get(open_url, {"q": "社保缴费", "to": corpus.url}, REMOTE_ADDR="203.0.113.7")
    assert AnsweredQuery.objects.get().opened == 3


@pytest.mark.parametrize("target", ["", "//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil"])
def test_the_open_link_leads_only_to_this_site(client, target):
    response = client.get(reverse("search_open"), {"q": "社保", "to": target})
    assert response.status_code == 400 and response.content


def test_an_open_of_a_query_never_asked_adds_nothing(client, corpus):
    response = client.get(reverse("search_open"), {"q": "编造的问题", "to": corpus.url})
    assert response.status_code == 302
    assert not AnsweredQuery.objects.exists()


@pytest.fixture
def editor(client):
    client.force_login(factories.make_user("ed", roles.EDITORS))
    return client


@pytest.fixture
def unopened(corpus):
    old = timezone.now() - timedelta(days=40)
    AnsweredQuery.objects.bulk_create(
        [
            AnsweredQuery(query="社保断缴怎么办", asked=9, opened=0),
            AnsweredQuery(query="社保卡丢了", asked=5, opened=0, first_seen=old, last_seen=old),
            AnsweredQuery(query="社保缴费", asked=20, opened=4),  # opened: the results answer it
            AnsweredQuery(query="社保转移", asked=2, opened=0),  # asked too rarely to mean much
        ]
    )


def listed(response) -> list[str]:
    return [entry.query for entry in response.context["object_list"]]


def test_unopened_report_lists_frequent_searches_nobody_opened(editor, unopened, settings):
    url = reverse("search_unopened")
    assert listed(editor.get(url)) == ["社保断缴怎么办", "社保卡丢了"]
    assert listed(editor.get(url, {"ordering": "asked"})) == ["社保卡丢了", "社保断缴怎么办"]
    assert listed(editor.get(url, {"asked_at_least": 2})) == ["社保断缴怎么办", "社保卡丢了", "社保转移"]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert listed(editor.get(url, {"last_seen_from": since})) == ["社保断缴怎么办"]
    assert editor.get(url, {"asked_at_least": "many", "last_seen_from": "x"}).status_code == 200
    settings.SEARCH_UNOPENED_MIN_ASKED = 6
    assert listed(editor.get(url)) == ["社保断缴怎么办"]


def test_unopened_report_exports(editor, unopened):
    url = reverse("search_unopened")
    response = editor.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[:2] for row in rows[1:]] == [["社保断缴怎么办", "9"], ["社保卡丢了", "5"]]
    xlsx = editor.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == "社保断缴怎么办" and sheet.max_row == 3


@pytest.mark.parametrize("report", ["search_unopened", "search_content_gaps"])
def test_a_gap_offers_a_new_tutorial_and_a_prefilled_synonym(client, unopened, tutorial_index, report):
    # Editors add pages, Moderators synonyms: someone who may do both sees both actions.
    editor = client
    editor.force_login(factories.make_user("boss", superuser=True))
    ZeroResultQuery.objects.create(query="社保断缴怎么办", count=3)
    page = editor.get(reverse(report)).content.decode()
    new_tutorial = reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", tutorial_index.pk))
    tutorial_urls = {html.unescape(u) for u in re.findall(r'href="([^"]+)" data-new-tutorial', page)}
    assert f"{new_tutorial}?{urlencode({'title': '社保断缴怎么办'})}" in tutorial_urls
    urls = {html.unescape(u) for u in re.findall(r'href="([^"]+)" data-add-synonym', page)}
    [synonym_url] = [u for u in urls if urlencode({"terms": "社保断缴怎么办, "}) in u]
    assert synonym_url.startswith(reverse("wagtailsnippets_bangban_search_searchsynonym:add") + "?terms=")
    assert editor.get(new_tutorial).status_code == 200
    form = editor.get(synonym_url)
    assert form.status_code == 200
    assert 'value="社保断缴怎么办, "' in form.content.decode()
    response = editor.post(synonym_url, {"terms": "社保断缴怎么办, 社保补缴"})
    assert response.status_code == 302 and SearchSynonym.objects.filter(terms="社保断缴怎么办, 社保补缴").exists()


def test_roles_without_the_right_see_no_actions_and_others_no_report(client, unopened):
    client.force_login(factories.make_user("trainer", roles.TRAINING_MANAGERS))
    page = client.get(reverse("search_unopened")).content.decode()
    assert "社保断缴怎么办" in page and "data-new-tutorial" not in page and "data-add-synonym" not in page
    client.force_login(factories.make_user("learner", roles.STAFF_LEARNERS))
    assert client.get(reverse("search_unopened")).status_code in (302, 403)


def test_zero_result_report_sorts_and_filters_by_date(editor):
    old = timezone.now() - timedelta(days=40)
    ZeroResultQuery.objects.create(query="补办驾照", count=3)
    ZeroResultQuery.objects.create(query="老年卡", count=8)
    ZeroResultQuery.objects.filter(query="老年卡").update(last_seen=old)
    url = reverse("search_content_gaps")
    assert listed(editor.get(url)) == ["老年卡", "补办驾照"]
    assert listed(editor.get(url, {"ordering": "query"})) == sorted(["老年卡", "补办驾照"])
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert listed(editor.get(url, {"last_seen_from": since})) == ["补办驾照"]


def test_a_kept_answer_costs_one_statement_to_count(
    settings, es_url, fresh_prefix, tutorial_index, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.ELASTICSEARCH_URL = es_url
    settings.ELASTICSEARCH_INDEX_PREFIX = fresh_prefix
    settings.SEARCH_RESULTS_SECONDS = 3600
    settings.SEARCH_CHANGES_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="领取养老金资格认证", category=factories.make_category())
    search_changed()
    first = search_citizen(query="养老金认证", client_address="a", track_opens=True)
    assert first.reduced is False and first.results.total == 1
    # Asked again: the answer is kept, and counting it is a single insert-or-update beside the per-client limit
    # (the cache) that a search with no results pays too.
    with CaptureQueriesContext(connection) as queries:
        again = search_citizen(query="养老金认证", client_address="b", track_opens=True)
    assert again.results.total == 1
    statements = [q["sql"] for q in queries.captured_queries]
    table = AnsweredQuery._meta.db_table
    assert len([sql for sql in statements if table in sql]) == 1
    cache_table = settings.CACHES["default"]["LOCATION"]
    others = [sql for sql in statements if table not in sql and "SAVEPOINT" not in sql]
    assert all(cache_table in sql for sql in others), others
    assert AnsweredQuery.objects.get(query="养老金认证").asked == 2
