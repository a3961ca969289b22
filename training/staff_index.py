"""The staff-only search: lessons and courses, for signed-in learners, each seeing only their own courses.

Training content lives in its own Elasticsearch index (alias ``<prefix>-staff-training``), never in the citizens'
tutorial and segment indices, so the public search cannot return it. Every query is filtered to the course ids the
learner is assigned. With no cluster configured, or when it does not answer, the same search runs on the database.

The alias points at one versioned index (``<alias>-<timestamp>``). Single-course updates write through the alias; a
full rebuild loads a fresh index and swaps the alias to it in one call, so a mapping change rolls out by a rebuild
and a failed rebuild leaves the old index answering.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from elasticsearch import ApiError, ConnectionError, NotFoundError, TransportError, helpers
from wagtail.models import Page

from . import selectors
from .models import Course, Lesson

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
MAX_HITS = 30
KIND = "staff-training"
INDEX_SETTINGS = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}

MAPPING = {
    "properties": {
        "kind": {"type": "keyword"},
        "course_id": {"type": "integer"},
        "lesson_id": {"type": "integer"},
        "course_title": {"type": "keyword", "index": False},
        "url": {"type": "keyword", "index": False},
        # One token per Han character with `standard`; phrases keep them in order.
        "title": {"type": "text", "analyzer": "standard"},
        "text": {"type": "text", "analyzer": "standard"},
        # jieba's words, already space-separated.
        "title_seg": {"type": "text", "analyzer": "whitespace"},
        "text_seg": {"type": "text", "analyzer": "whitespace"},
    }
}


class SearchUnavailable(RuntimeError):
    pass


def clean_query(raw: str) -> str:
    return " ".join("".join(ch for ch in raw if ch.isprintable()).split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class StaffHit:
    kind: str  # "course" or "lesson"
    title: str
    course_title: str
    url: str


@dataclass(frozen=True)
class StaffSearch:
    hits: list[StaffHit] = field(default_factory=list)
    fallback: bool = False  # answered by the database


def alias() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{KIND}"


def _client(*, web_request: bool = True):
    from search.es.client import get_client

    return get_client(url=settings.ELASTICSEARCH_URL, web_request=web_request)


def _segment(text: str) -> str:
    from search.es.segment import segment

    return segment(text)


def _new_index_name() -> str:
    from search.es.documents import new_version

    return f"{alias()}-{new_version()}"


def ensure_index(client=None) -> str:
    """Create a versioned index behind the alias if the alias is missing; returns the alias. Idempotent."""
    client = client or _client(web_request=False)
    name = alias()
    if not client.indices.exists_alias(name=name):
        if client.indices.exists(index=name):
            raise RuntimeError(f"{name} is an index, not an alias: run `manage.py staff_search_reindex` to replace it")
        client.indices.create(index=_new_index_name(), mappings=MAPPING, settings=INDEX_SETTINGS, aliases={name: {}})
        _settle_alias(client, name)
    return name


def _settle_alias(client, name: str) -> None:
    """Two processes may have created an index behind the alias at the same moment: both keep the oldest name (the
    names sort by time) and drop the other, still empty, one, so writes through the alias have one index to go to."""
    names = sorted(client.indices.get_alias(name=name).keys())
    extra = names[1:]
    if extra:
        client.indices.update_aliases(actions=[{"remove": {"index": index, "alias": name}} for index in extra])
        client.options(ignore_status=404).indices.delete(index=",".join(extra))


def _lesson_text(lesson: Lesson) -> str:
    parts = [strip_tags(lesson.body or "")]
    tutorial = lesson.tutorial
    if tutorial is not None and tutorial.live:
        parts += [tutorial.title, tutorial.summary]
        parts += [f"{step.value['title']} {step.value['text']}" for step in tutorial.steps]
    return "\n".join(part for part in parts if part)


def _documents(course: Course) -> list[dict]:
    docs = [
        {
            "_id": f"course-{course.pk}",
            "kind": "course",
            "course_id": course.pk,
            "course_title": course.title,
            "url": reverse("training:course", args=[course.pk]),
            "title": course.title,
            "text": course.description,
        }
    ]
    for lesson in course.lessons.select_related("tutorial").order_by("sort_order", "pk"):
        docs.append(
            {
                "_id": f"lesson-{lesson.pk}",
                "kind": "lesson",
                "course_id": course.pk,
                "lesson_id": lesson.pk,
                "course_title": course.title,
                "url": reverse("training:lesson", args=[lesson.pk]),
                "title": lesson.title,
                "text": _lesson_text(lesson),
            }
        )
    for doc in docs:
        doc["title_seg"] = _segment(doc["title"])
        doc["text_seg"] = _segment(doc["text"])
    return docs


def staff_index_course(*, course_id: int) -> int:
    """Bring one course's documents in the index in step with the database: its live version's course and lessons,
    or nothing when it is not live. Returns how many documents were written."""
    if not settings.ELASTICSEARCH_URL:
        return 0
    client = _client(web_request=False)
    name = ensure_index(client)
    course = Course.objects.filter(pk=course_id, live=True).first()
    docs = _documents(course) if course is not None else []
    actions = [{"_index": name, "_id": doc.pop("_id"), "_source": doc} for doc in docs]
    # Documents of lessons no longer in the course go too (a cluster need not have the delete-by-query module).
    kept = {action["_id"] for action in actions}
    found = client.search(
        index=name, query={"term": {"course_id": course_id}}, size=10_000, source=False, track_total_hits=False
    )
    actions += [
        {"_op_type": "delete", "_index": name, "_id": hit["_id"]}
        for hit in found["hits"]["hits"]
        if hit["_id"] not in kept
    ]
    if actions:
        # require_alias: a write never auto-creates a concrete index under the alias's name.
        helpers.bulk(client, actions, refresh="wait_for", require_alias=True)
    return len(docs)


@dataclass(frozen=True)
class StaffRebuild:
    index: str  # the new index the alias now points at
    courses: int
    documents: int
    removed: list[str] = field(default_factory=list)  # the indices the alias pointed at before
    caught_up: int = 0  # courses changed while the rebuild ran, indexed again after the swap


def _snapshot() -> dict[str, Any]:
    """What decides the documents: live courses with their publish times and the tutorials their lessons link."""
    courses = dict(Course.objects.filter(live=True).values_list("pk", "last_published_at"))
    tutorial_ids = Lesson.objects.filter(tutorial__isnull=False).values_list("tutorial_id", flat=True)
    tutorials = {
        pk: (live, published)
        for pk, live, published in Page.objects.filter(pk__in=tutorial_ids).values_list(
            "pk", "live", "last_published_at"
        )
    }
    return {"courses": courses, "tutorials": tutorials}


def _changed_courses(before: dict[str, Any], after: dict[str, Any]) -> set[int]:
    courses_before, courses_after = before["courses"], after["courses"]
    changed = {
        pk for pk in courses_before.keys() | courses_after.keys() if courses_before.get(pk) != courses_after.get(pk)
    }
    tutorials_before, tutorials_after = before["tutorials"], after["tutorials"]
    tutorials = {
        pk
        for pk in tutorials_before.keys() | tutorials_after.keys()
        if tutorials_before.get(pk) != tutorials_after.get(pk)
    }
    if tutorials:
        changed |= set(Lesson.objects.filter(tutorial_id__in=tutorials).values_list("course_id", flat=True))
    return changed


def _swap_actions(client, name: str, new: str) -> tuple[list[dict], list[str]]:
    actions: list[dict] = []
    previous: list[str] = []
    if client.indices.exists_alias(name=name):
        previous = sorted(client.indices.get_alias(name=name).keys())
        actions += [{"remove": {"index": old, "alias": name}} for old in previous]
    elif client.indices.exists(index=name):
        # A concrete index squats on the alias name (auto-created by a stray write): replaced in the same call.
        actions.append({"remove_index": {"index": name}})
    actions.append({"add": {"index": new, "alias": name}})
    return actions, previous


def staff_index_rebuild(*, progress: Callable[[int, int], None] | None = None, chunk_size: int = 500) -> StaffRebuild:
    """Load every live course's documents into a fresh versioned index, then point the alias at it in one atomic
    call and delete the previous index.

    `progress(courses_done, courses_total)` is called after each course. Until the swap the alias is untouched and
    keeps answering; any failure before it deletes the new index and re-raises. Courses published, unpublished or
    whose tutorials changed while the rebuild ran (their updates went to the old index) are indexed again after it."""
    client = _client(web_request=False)
    name = alias()
    before = _snapshot()
    course_ids = sorted(before["courses"])
    new = _new_index_name()
    counts = {"courses": 0, "documents": 0}

    def actions() -> Iterator[dict]:
        for done, course_id in enumerate(course_ids, start=1):
            course = Course.objects.filter(pk=course_id, live=True).first()
            if course is not None:
                counts["courses"] += 1
                for doc in _documents(course):
                    yield {"_index": new, "_id": doc.pop("_id"), "_source": doc}
            if progress is not None:
                progress(done, len(course_ids))

    created = False
    try:
        # No refreshes while loading: nobody searches this index before the swap.
        client.indices.create(index=new, mappings=MAPPING, settings={**INDEX_SETTINGS, "refresh_interval": "-1"})
        created = True
        for _ok, _item in helpers.streaming_bulk(client, actions(), chunk_size=chunk_size, max_retries=3):
            counts["documents"] += 1
        if progress is not None and not course_ids:
            progress(0, 0)
        client.indices.put_settings(index=new, settings={"index": {"refresh_interval": None}})
        client.indices.refresh(index=new)
        client.cluster.health(index=new, wait_for_status="yellow", timeout="30s")
        swap, previous = _swap_actions(client, name, new)
        client.indices.update_aliases(actions=swap)
    except BaseException:
        if created:
            client.options(ignore_status=404).indices.delete(index=new)
        raise
    if previous:
        client.options(ignore_status=404).indices.delete(index=",".join(previous))
    changed = _changed_courses(before, _snapshot())
    for course_id in sorted(changed):
        staff_index_course(course_id=course_id)
    return StaffRebuild(
        index=new, courses=counts["courses"], documents=counts["documents"], removed=previous, caught_up=len(changed)
    )


def _es_search(*, query: str, course_ids: list[int]) -> list[StaffHit]:
    seg = _segment(query)
    body_query = {
        "bool": {
            "filter": [{"terms": {"course_id": course_ids}}],
            "should": [
                {"match_phrase": {"title": {"query": query, "boost": 3}}},
                {"match_phrase": {"text": {"query": query}}},
                {"match": {"title_seg": {"query": seg, "operator": "and", "boost": 2}}},
                {"match": {"text_seg": {"query": seg, "operator": "and"}}},
            ],
            "minimum_should_match": 1,
        }
    }
    try:
        answer = _client().search(index=alias(), query=body_query, size=MAX_HITS)
    except (ApiError, ConnectionError, NotFoundError, TransportError) as error:
        raise SearchUnavailable(str(error)) from error
    return [
        StaffHit(kind=src["kind"], title=src["title"], course_title=src["course_title"], url=src["url"])
        for src in (hit["_source"] for hit in answer["hits"]["hits"])
    ]


def _db_search(*, query: str, courses) -> list[StaffHit]:
    hits: list[StaffHit] = []
    words = query.split()
    course_filter = Q()
    lesson_filter = Q()
    for word in words:
        course_filter &= Q(title__icontains=word) | Q(description__icontains=word)
        lesson_filter &= (
            Q(title__icontains=word)
            | Q(body__icontains=word)
            | Q(tutorial__live=True, tutorial__title__icontains=word)
            | Q(tutorial__live=True, tutorial__summary__icontains=word)
        )
    for course in courses.filter(course_filter)[:MAX_HITS]:
        hits.append(StaffHit("course", course.title, course.title, reverse("training:course", args=[course.pk])))
    lessons = Lesson.objects.filter(course__in=courses).filter(lesson_filter).select_related("course")
    for lesson in lessons.order_by("course__title", "sort_order")[: MAX_HITS - len(hits)]:
        hits.append(StaffHit("lesson", lesson.title, lesson.course.title, reverse("training:lesson", args=[lesson.pk])))
    return hits


def search_for_learner(*, user, query: str) -> StaffSearch:
    """Lessons and courses of the live courses assigned to ``user`` that mention ``query``; nothing for anyone else."""
    query = clean_query(query)
    if not query or not user.is_authenticated:
        return StaffSearch()
    courses = selectors.learner_courses(user=user)
    course_ids = list(courses.values_list("pk", flat=True))
    if not course_ids:
        return StaffSearch()
    if settings.ELASTICSEARCH_URL:
        try:
            return StaffSearch(hits=_es_search(query=query, course_ids=course_ids))
        except SearchUnavailable as error:
            logger.warning("staff search fell back to the database: %s", error)
    return StaffSearch(hits=_db_search(query=query, courses=courses), fallback=True)
