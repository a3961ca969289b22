"""The staff-only search: lessons and courses, for signed-in learners, each seeing only their own courses.

Training content lives in its own Elasticsearch index (alias ``<prefix>-staff-training``), never in the citizens'
tutorial and segment indices, so the public search cannot return it. Every query is filtered to the course ids the
learner is assigned. With no cluster configured, or when it does not answer, the same search runs on the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from elasticsearch import ApiError, ConnectionError, NotFoundError, TransportError, helpers

from . import selectors
from .models import Course, Lesson

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
MAX_HITS = 30
KIND = "staff-training"
VERSION = "v1"

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


def ensure_index(client=None) -> str:
    """Create the versioned index behind the alias if it is missing. Idempotent."""
    client = client or _client(web_request=False)
    name = alias()
    if not client.indices.exists_alias(name=name):
        client.indices.create(
            index=f"{name}-{VERSION}",
            mappings=MAPPING,
            settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"},
            aliases={name: {}},
        )
    return name


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
        helpers.bulk(client, actions, refresh="wait_for")
    return len(docs)


def staff_index_rebuild() -> int:
    written = 0
    for course_id in Course.objects.filter(live=True).values_list("pk", flat=True):
        written += staff_index_course(course_id=course_id)
    return written


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
