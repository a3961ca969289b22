"""The database fallback: each live tutorial's words cut by jieba, for search when no cluster answers."""

from collections.abc import Iterable

from ..models import FallbackEntry
from .answers import load_site_words, site_terms


def fallback_entries_refresh(*, page_ids: Iterable[int]) -> int:
    """Cut the words of these tutorials again where they are live and public; the others lose their entry.
    Returns how many entries were written."""
    from tutorials.models import TutorialPage

    ids = set(page_ids)
    site_terms()  # the glossary's words stay whole
    written = 0
    for page in TutorialPage.objects.live().public().filter(pk__in=ids).select_related("category"):
        _fallback_entry_write(page)
        ids.discard(page.pk)
        written += 1
    FallbackEntry.objects.filter(page_id__in=ids).delete()
    return written


def _fallback_entry_write(page) -> None:
    from ..es.segment import segment
    from ..selectors import tutorial_data

    data = tutorial_data(page)
    FallbackEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "title": segment(data.title),
            "summary": segment(data.summary),
            "steps": " ".join(segment(step) for step in data.steps),
        },
    )


def fallback_rebuild() -> int:
    """Database-search entries for every live tutorial, none for others (after an upgrade, or to repair)."""
    from ..selectors import searchable_tutorials

    load_site_words()
    live = []
    for page in searchable_tutorials():  # live and public already
        _fallback_entry_write(page)
        live.append(page.pk)
    FallbackEntry.objects.exclude(page_id__in=live).delete()
    return len(live)
