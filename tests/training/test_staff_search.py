"""The staff-only search: on a real Elasticsearch node (`eval "$(scripts/es.sh start)"`) and on the database
fallback; each learner finds only their own courses, anonymous visitors are sent to sign in, and the citizens'
search never returns training content."""

import io
import os
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from elasticsearch import Elasticsearch

from tests.training import builders
from training import staff_index


@pytest.fixture
def people(departments):
    return {
        "learner": builders.staff("李明", departments["office"], number="A001"),
        "stranger": builders.staff("王芳", departments["other"], number="B001"),
    }


def _courses(departments):
    builders.course(
        "窗口业务规范",
        departments=[departments["county"]],
        lessons=[
            {"title": "帮群众查社保", "body": "<p>先核对群众的姓名，再打开内部受理系统。</p>"},
            {"title": "文明用语", "body": "<p>微笑服务。</p>"},
        ],
    )
    builders.course(
        "河西县专题",
        departments=[departments["other"]],
        lessons=[{"title": "河西县内部受理系统", "body": "<p>只给河西县的同事。</p>"}],
    )
    builders.course(
        "未发布的课程",
        departments=[departments["county"]],
        lessons=[{"title": "草稿课：内部受理系统", "body": "<p>还没审核。</p>"}],
        live=False,
    )


def _search(profile, query):
    client = Client()
    client.force_login(profile.user)
    return client.get(reverse("training:search"), {"q": query})


def test_anonymous_visitors_are_sent_to_the_learner_sign_in(base):
    response = Client().get(reverse("training:search"), {"q": "社保"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("training:login"))


def test_the_database_fallback_finds_only_the_learners_own_live_courses(people, departments, settings):
    settings.ELASTICSEARCH_URL = ""
    _courses(departments)
    outcome = staff_index.search_for_learner(user=people["learner"].user, query="内部受理系统")
    assert outcome.fallback
    assert [(hit.kind, hit.title) for hit in outcome.hits] == [("lesson", "帮群众查社保")]
    course_hits = staff_index.search_for_learner(user=people["learner"].user, query="窗口业务").hits
    assert [(hit.kind, hit.title) for hit in course_hits] == [("course", "窗口业务规范")]
    html = _search(people["stranger"], "内部受理系统").content.decode()
    assert "河西县内部受理系统" in html and "帮群众查社保" not in html and "草稿课" not in html


def test_the_citizen_search_never_returns_training_content(people, departments, settings, site_pages):
    settings.ELASTICSEARCH_URL = ""
    _courses(departments)
    html = Client().get("/search/", {"q": "内部受理系统"}).content.decode()
    assert "帮群众查社保" not in html and "窗口业务规范" not in html


@pytest.fixture
def es(settings):
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        pytest.fail('ELASTICSEARCH_URL is not set: start a node with eval "$(scripts/es.sh start)"', pytrace=False)
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"bangban-test-staff-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(url)
    yield client
    names = list(client.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*", expand_wildcards="all"))
    if names:
        client.indices.delete(index=",".join(names))


def test_on_elasticsearch_each_learner_finds_only_their_courses(
    es, people, departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)  # publishing enqueues the indexing task (run at once by the test task backend)
    assert es.count(index=staff_index.alias())["count"] == 5  # 2 live courses and their 3 lessons
    outcome = staff_index.search_for_learner(user=people["learner"].user, query="内部受理系统")
    assert not outcome.fallback
    assert [(hit.kind, hit.title) for hit in outcome.hits] == [("lesson", "帮群众查社保")]
    html = _search(people["stranger"], "内部受理系统").content.decode()
    assert "河西县内部受理系统" in html and "帮群众查社保" not in html and "草稿课" not in html


def test_an_unpublished_course_leaves_the_index(es, people, departments, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)
    course = builders.Course.objects.get(title="窗口业务规范")
    with django_capture_on_commit_callbacks(execute=True):
        course.unpublish()
    assert staff_index.search_for_learner(user=people["learner"].user, query="内部受理系统").hits == []
    assert es.count(index=staff_index.alias())["count"] == 2


def test_a_dead_cluster_falls_back_to_the_database(people, departments, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.ELASTICSEARCH_INDEX_PREFIX = "bangban-test-staff-dead"
    _courses(departments)
    outcome = staff_index.search_for_learner(user=people["learner"].user, query="内部受理系统")
    assert outcome.fallback and [hit.title for hit in outcome.hits] == ["帮群众查社保"]


def test_a_republished_tutorial_reindexes_the_lessons_that_link_it(
    es, people, departments, tutorial_index, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from tests import factories

    tutorial = factories.make_tutorial(tutorial_index, title="医保电子凭证", steps=2)
    with django_capture_on_commit_callbacks(execute=True):
        builders.course(
            "医保入门", departments=[departments["county"]], lessons=[{"title": "亮码", "tutorial": tutorial}]
        )
    user = people["learner"].user
    assert staff_index.search_for_learner(user=user, query="家庭共济").hits == []
    page = type(tutorial).objects.get(pk=tutorial.pk)
    raw = list(page.steps.raw_data)
    raw[0]["value"]["text"] = "在家庭共济页面添加家人。"
    page.steps = raw
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=None).publish()
    assert [hit.title for hit in staff_index.search_for_learner(user=user, query="家庭共济").hits] == ["亮码"]
    es.indices.delete(index=f"{staff_index.alias()}-{staff_index.VERSION}")
    call_command("staff_search_reindex", stdout=io.StringIO())
    assert [hit.title for hit in staff_index.search_for_learner(user=user, query="家庭共济").hits] == ["亮码"]
