"""Reads that turn site content into what the search index holds, and the database fallback search."""

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.html import escape

from media.models import VideoAsset
from tutorials.models import TutorialPage

from . import highlight
from .es.indexing import SegmentData, TutorialData
from .es.queries import SUMMARY_FRAGMENT, SearchResults, TutorialHit
from .models import FallbackEntry, SearchSynonym


def tutorial_data(page: TutorialPage) -> TutorialData:
    steps = [f"{block.value['title']} {block.value['text']}" for block in page.steps]
    for block in page.steps:
        tip = block.value.get("tip") or {}
        if tip.get("text"):
            steps.append(tip["text"])
    return TutorialData(
        id=page.pk,
        url=page.url or "",
        title=page.title,
        summary=page.summary,
        steps=steps,
        category_slug=page.category.slug,
        category_name=page.category.name,
        tags=[page.get_audience_display()],
        popularity=page.step_feedback.filter(helpful=True).count(),
    )


def segment_data(page: TutorialPage) -> list[SegmentData]:
    """The public (approved) subtitle lines of the page's videos, each with the step that shows it."""
    from media.selectors import video_track

    tracks: dict[int, list] = {}
    segments = []
    for number, block in enumerate(page.steps, start=1):
        video = block.value.get("video")
        if video is None:  # none chosen, or the chosen video was deleted
            continue
        if video.pk not in tracks:
            tracks[video.pk] = list(enumerate(video_track(asset=video).cues))
        start = float(block.value.get("video_start") or 0)
        for position, cue in tracks[video.pk]:
            if cue.start < start - 0.01:
                continue
            segments.append(
                SegmentData(
                    id=f"{page.pk}-{video.pk}-{position}",
                    tutorial_id=page.pk,
                    tutorial_title=page.title,
                    tutorial_url=page.url or "",
                    category_slug=page.category.slug,
                    category_name=page.category.name,
                    step_number=number,
                    video_id=video.pk,
                    start=cue.start,
                    end=cue.end,
                    text=cue.text.replace("\n", " "),
                )
            )
    # A video shared by several steps: keep each line once, under the step whose part it falls in.
    unique: dict[str, SegmentData] = {}
    for segment in segments:
        unique[segment.id] = segment
    return list(unique.values())


def tutorial_ids_using_video(*, video_id: int) -> list[int]:
    """The live tutorials whose steps show the video, from Wagtail's reference index (a step's video chooser
    records a reference to the video when the page is saved)."""
    from wagtail.models import Page, ReferenceIndex

    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(VideoAsset),
        to_object_id=str(video_id),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    ids = {int(object_id) for object_id in references if object_id.isdigit()}
    return sorted(TutorialPage.objects.live().filter(pk__in=ids).values_list("pk", flat=True))


def outbox_failures():
    """Changes the cluster refused (each waits alone for its next attempt), with their tutorial's title."""
    from wagtail.models import Page

    from .models import IndexOutbox

    title = Page.objects.filter(pk=OuterRef("page_id")).values("title")[:1]
    return IndexOutbox.objects.filter(attempts__gt=0).annotate(page_title=Subquery(title)).order_by("-attempts", "pk")


def searchable_tutorials() -> Iterator[TutorialPage]:
    return TutorialPage.objects.live().public().select_related("category").order_by("pk").iterator(chunk_size=200)


def site_terms_read() -> tuple[dict[str, list[str]], list[str]]:
    """The editors' synonym groups as word -> the other words of its group(s), and every local term the word
    segmenter must keep whole (the speech glossary and every synonym). Two queries."""
    from media.models import GlossaryTerm

    groups: dict[str, list[str]] = {}
    words = list(GlossaryTerm.objects.values_list("term", flat=True))
    for synonym in SearchSynonym.objects.all():
        group = synonym.words()
        words.extend(group)
        for word in group:
            groups.setdefault(word, []).extend(other for other in group if other != word)
    return groups, words


def database_search(query: str, *, category: str | None, words: list[str], size: int) -> SearchResults:
    """Reduced mode when no cluster answers: PostgreSQL full text over the jieba-cut words of live tutorials
    (FallbackEntry); on SQLite (the embedded default) word matches in titles and summaries."""
    from .es.queries import FILLER_WORDS

    pages = TutorialPage.objects.live().public().select_related("category")
    if category:
        pages = pages.filter(category__slug=category)
    words = [word for word in dict.fromkeys(words) if word.strip()]
    words = ([word for word in words if word not in FILLER_WORDS] or words)[:12]
    if not words:
        return SearchResults(query=query, total=0, hits=[], suggestion=None)
    if connection.vendor == "postgresql":
        pages, total = _full_text(pages, words)
    else:
        pages, total = _word_matches(pages, words)
    found = highlight.pattern([word for word in words if len(word) > 1] or words)
    hits = [
        TutorialHit(
            tutorial_id=page.pk,
            title=page.title,
            url=page.url or "",
            category_name=page.category.name,
            score=float(page.score),
            highlights=[highlight.fragment(page.summary, found, SUMMARY_FRAGMENT) or escape(page.summary)],
            spoken=[],
            title_highlight=highlight.mark(page.title, found),
        )
        for page in pages[:size]
    ]
    return SearchResults(query=query, total=total, hits=hits, suggestion=None)


# Title words count most, then the summary, then the steps (ts_rank weights for D, C, B, A).
_RANK_WEIGHTS = [0.1, 0.33, 0.67, 1.0]


def _full_text(pages, words: list[str]):
    """Any of the words (each one token: the entries hold words separated by spaces), ranked by ts_rank."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    query = SearchQuery(words[0], config="simple")
    for word in words[1:]:
        query |= SearchQuery(word, config="simple")
    vector = (
        SearchVector("title", weight="A", config="simple")
        + SearchVector("summary", weight="B", config="simple")
        + SearchVector("steps", weight="C", config="simple")
    )
    entries = (
        FallbackEntry.objects.annotate(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query, weights=_RANK_WEIGHTS))
    )
    # Ranked and cut to a page in the database: a common word can match thousands of tutorials.
    rank = entries.filter(page_id=OuterRef("pk")).values("rank")[:1]
    pages = pages.filter(pk__in=entries.values("page_id")).annotate(score=Subquery(rank))
    return pages.order_by(F("score").desc(), "title"), pages.count()


def _word_matches(pages, words: list[str]):
    score = Value(0)
    matched = Q()
    for word in words:
        score = score + Case(When(title__icontains=word, then=3), default=0, output_field=IntegerField())
        score = score + Case(When(summary__icontains=word, then=2), default=0, output_field=IntegerField())
        matched |= Q(title__icontains=word) | Q(summary__icontains=word)
    pages = pages.filter(matched).annotate(score=score).order_by(F("score").desc(), "title")
    return pages, pages.count()
