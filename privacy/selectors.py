"""Reads for the guard: the text of content, each piece with a place an editor can find it by, and the findings
that stop a publication."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Finding, Scan

FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "summary": gettext_lazy("summary"),
    "seo_title": gettext_lazy("SEO title"),
    "search_description": gettext_lazy("search description"),
    "step_title": gettext_lazy("title"),
    "step_text": gettext_lazy("text"),
    "tip": gettext_lazy("tip"),
    "alt_text": gettext_lazy("alt text"),
    "file_name": gettext_lazy("file name"),
    "subtitles": gettext_lazy("subtitles"),
    "picture": gettext_lazy("picture"),
    "frames": gettext_lazy("video frames"),
}


@dataclass(frozen=True)
class TextPlace:
    field: str
    text: str
    step_id: str = ""
    start: float | None = None  # a subtitle cue's second

    def label(self, steps: dict[str, int] | None = None) -> str:
        where = str(FIELD_LABELS.get(self.field, self.field))
        if self.step_id and steps and self.step_id in steps:
            where = _("step %(number)s %(place)s") % {"number": steps[self.step_id], "place": where}
        if self.start is not None:
            where = f"{where} at {self.start:.1f}s"
        return where


def tutorial_text_places(page) -> Iterator[TextPlace]:
    """The text of one tutorial (any revision of it): title, summary, SEO fields, each step's title, text, tip and
    screenshot alt text."""
    yield TextPlace("title", page.title or "")
    yield TextPlace("summary", page.summary or "")
    yield TextPlace("seo_title", page.seo_title or "")
    yield TextPlace("search_description", page.search_description or "")
    for step in page.steps:
        if step.block_type != "step":
            continue
        value = step.value
        yield TextPlace("step_title", value.get("title") or "", step.id)
        yield TextPlace("step_text", value.get("text") or "", step.id)
        yield TextPlace("tip", (value.get("tip") or {}).get("text") or "", step.id)
        for screenshot in value.get("screenshots") or []:
            yield TextPlace("alt_text", screenshot.get("alt") or "", step.id)


def image_text_places(image) -> Iterator[TextPlace]:
    yield TextPlace("title", image.title or "")
    yield TextPlace("file_name", PurePosixPath(image.file.name).name if image.file else "")


def video_text_places(asset) -> Iterator[TextPlace]:
    """The title, file name and every subtitle cue of a video, approved or in a working copy."""
    from media.selectors import video_track, video_working_track

    yield TextPlace("title", asset.title or "")
    yield TextPlace("file_name", PurePosixPath(asset.file.name).name if asset.file else "")
    seen: set[tuple[float, str]] = set()
    for track in (video_track(asset=asset), video_working_track(asset=asset)):
        for cue in track.cues:
            if (cue.start, cue.text) not in seen:
                seen.add((cue.start, cue.text))
                yield TextPlace("subtitles", cue.text, start=cue.start)


def text_places_for(obj) -> list[TextPlace]:
    from wagtail.images.models import AbstractImage

    from media.models import VideoAsset
    from tutorials.models import TutorialPage

    if isinstance(obj, TutorialPage):
        return list(tutorial_text_places(obj))
    if isinstance(obj, AbstractImage):
        return list(image_text_places(obj))
    if isinstance(obj, VideoAsset):
        return list(video_text_places(obj))
    places = getattr(obj, "privacy_text_places", None)
    return list(places()) if places else []


def dependents_of(obj) -> list:
    """The objects whose findings also stop ``obj`` going out: a tutorial's screenshots and videos."""
    from tutorials.models import TutorialPage

    if isinstance(obj, TutorialPage):
        return [*obj.screenshot_images(), *obj.step_videos()]
    dependents = getattr(obj, "privacy_dependents", None)
    return list(dependents()) if dependents else []


def _where(objects: Iterable) -> Q:
    query = Q(pk__in=[])
    for obj in objects:
        query |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return query


def findings_for(obj, *, status: str | None = None, with_dependents: bool = True):
    objects = [obj, *(dependents_of(obj) if with_dependents else [])]
    query = Finding.objects.filter(_where(objects)).select_related("content_type", "decided_by")
    return query.filter(status=status) if status else query


def findings_open_for(obj, *, with_dependents: bool = True) -> list[Finding]:
    """The open findings on ``obj`` and, for a tutorial, on its screenshots and videos."""
    return list(findings_for(obj, status=Finding.Status.OPEN, with_dependents=with_dependents))


def scans_for(obj) -> list[Scan]:
    return list(Scan.objects.filter(_where([obj, *dependents_of(obj)])).select_related("content_type"))


def overridden_keys(obj) -> set[tuple[str, str, str, str]]:
    return {
        finding.key
        for finding in Finding.objects.filter(_where([obj]), status=Finding.Status.OVERRIDDEN).only(
            "source", "field", "step_id", "fingerprint"
        )
    }


def publication_blockers(*, page) -> list[str]:
    """Why ``page`` (the revision about to go live) may not be published: one line per open finding, or none.

    Its own text is read now, so a revision saved a moment ago cannot slip past a scan still queued; its
    screenshots' and videos' findings come from their scans.
    """
    from .services import text_findings

    lines = []
    overridden = overridden_keys(page)
    steps = {step_id: number for number, step_id in enumerate(page.step_ids(), start=1)}
    for place, found in text_findings(places=tutorial_text_places(page)):
        if ("text", place.field, place.step_id, found.fingerprint) in overridden:
            continue
        lines.append(_("%(masked)s in the %(place)s") % {"masked": found.masked, "place": place.label(steps)})
    page_type = ContentType.objects.get_for_model(page)
    for finding in findings_open_for(page):
        if finding.content_type_id == page_type.pk and finding.object_id == page.pk:
            continue
        lines.append(_("%(masked)s in %(object)s") % {"masked": finding.masked, "object": finding.content_object})
    return lines


def published_text_places() -> Iterator[tuple[str, TextPlace]]:
    """(where, place) for the text of live tutorials and of the videos they use."""
    from tutorials.models import TutorialPage

    videos: dict[int, object] = {}
    for page in TutorialPage.objects.live().order_by("path").iterator(chunk_size=200):
        steps = {step_id: number for number, step_id in enumerate(page.step_ids(), start=1)}
        for place in tutorial_text_places(page):
            yield f"tutorial {page.pk} ({page.url_path}) {place.label(steps)}", place
        for video in page.step_videos():
            videos.setdefault(video.pk, video)
    for asset in videos.values():
        for place in video_text_places(asset):
            yield f"video {asset.pk} ({asset}) {place.label()}", place
