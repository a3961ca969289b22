"""The staff-only search: on a real Elasticsearch node (`eval "$(scripts/es.sh start)"`) and on the database
fallback; each learner finds only their own courses, anonymous visitors are sent to sign in, and the citizens'
search never returns training content."""

import io
import os
import re
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
    es.indices.delete(index=",".join(es.indices.get_alias(name=staff_index.alias())))
    call_command("staff_search_reindex", stdout=io.StringIO())
    assert [hit.title for hit in staff_index.search_for_learner(user=user, query="家庭共济").hits] == ["亮码"]


def _behind_alias(es) -> list[str]:
    return sorted(es.indices.get_alias(name=staff_index.alias()).keys())


def _indices(es) -> list[str]:
    return sorted(es.indices.get(index=f"{staff_index.alias()}*").keys())


def _titles(user, query):
    outcome = staff_index.search_for_learner(user=user, query=query)
    assert not outcome.fallback
    return [(hit.kind, hit.title) for hit in outcome.hits]


def test_a_rebuild_loads_a_fresh_index_and_swaps_the_alias_to_it(
    es, people, departments, django_capture_on_commit_callbacks, capsys
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)
    (old,) = _behind_alias(es)
    out = io.StringIO()
    call_command("staff_search_reindex", stdout=out)
    (new,) = _behind_alias(es)
    assert new != old and re.fullmatch(re.escape(staff_index.alias()) + r"-\d{8}t\d{12}", new)
    assert _indices(es) == [new]  # the old index is deleted
    assert es.count(index=staff_index.alias())["count"] == 5
    assert f"indexed 2 courses (5 documents); {staff_index.alias()} now points to {new}; removed: {old}" in (
        out.getvalue()
    )
    assert "100% indexing courses" in capsys.readouterr().err  # the progress bar
    assert _titles(people["learner"].user, "内部受理系统") == [("lesson", "帮群众查社保")]
    staff_index.staff_index_course(course_id=builders.Course.objects.get(title="河西县专题").pk)
    assert _indices(es) == [new]  # single-course updates write through the alias


def test_learners_find_the_same_while_and_after_a_rebuild_runs(
    es, people, departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)
    learner, stranger = people["learner"].user, people["stranger"].user
    before = {user: _titles(user, "内部受理系统") for user in (learner, stranger)}
    assert before[learner] == [("lesson", "帮群众查社保")] and before[stranger] == [("lesson", "河西县内部受理系统")]
    during = []

    def progress(done, total):
        during.append({user: _titles(user, "内部受理系统") for user in (learner, stranger)})

    summary = staff_index.staff_index_rebuild(progress=progress, chunk_size=1)
    assert summary.courses == 2 and summary.documents == 5
    assert during == [before, before]
    assert {user: _titles(user, "内部受理系统") for user in (learner, stranger)} == before


def test_a_course_published_while_a_rebuild_runs_is_in_the_new_index(
    es, people, departments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)
    learner = people["learner"].user

    def progress(done, total):
        if done == 1:
            # Its indexing task writes through the alias into the index the swap is about to drop.
            with django_capture_on_commit_callbacks(execute=True):
                builders.course("社保新规", departments=[departments["county"]], lessons=[{"title": "退休认证"}])

    summary = staff_index.staff_index_rebuild(progress=progress)
    assert summary.courses == 2 and summary.caught_up == 1
    assert _titles(learner, "退休认证") == [("lesson", "退休认证")]


def test_a_failed_rebuild_leaves_the_old_index_answering(
    es, people, departments, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import CommandError, call_command

    with django_capture_on_commit_callbacks(execute=True):
        _courses(departments)
    before, names = _behind_alias(es), _indices(es)
    real_documents = staff_index._documents

    def documents(course):
        if course.title == "河西县专题":
            raise RuntimeError("database went away")
        return real_documents(course)

    monkeypatch.setattr(staff_index, "_documents", documents)
    with pytest.raises(RuntimeError, match="database went away"):
        staff_index.staff_index_rebuild(chunk_size=1)  # the first course is already in the new index
    assert _behind_alias(es) == before and _indices(es) == names  # the half-built index is gone
    with pytest.raises(CommandError, match="the old index stays in use: RuntimeError: database went away"):
        call_command("staff_search_reindex", stdout=io.StringIO())
    assert _behind_alias(es) == before and _indices(es) == names
    assert _titles(people["learner"].user, "内部受理系统") == [("lesson", "帮群众查社保")]
    assert _titles(people["stranger"].user, "内部受理系统") == [("lesson", "河西县内部受理系统")]


def test_a_rebuild_replaces_an_index_squatting_on_the_alias_name(es, people, departments):
    _courses(departments)  # not indexed: no on-commit callbacks run
    es.indices.create(index=staff_index.alias())  # what a write without require_alias would have left
    with pytest.raises(RuntimeError, match="is an index, not an alias"):
        staff_index.ensure_index()
    summary = staff_index.staff_index_rebuild()
    assert _behind_alias(es) == [summary.index] and _indices(es) == [summary.index]
    assert summary.removed == []
    assert _titles(people["learner"].user, "内部受理系统") == [("lesson", "帮群众查社保")]
