"""Reads for the guard: the text of content, each piece with a place an editor can find it by, and the findings
that stop a publication."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Finding, Scan, Source

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


@dataclass(frozen=True)
class FilePlace:
    """A file of an object that the guard reads by OCR: ``field`` names it for the editor ("cover", "video"),
    ``file`` is a ``FieldFile`` (or any Django ``File`` with a name that storage can open), ``video`` says whether
    frames are read over time rather than one picture."""

    field: str
    file: Any
    video: bool = False


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
    """The title, file name and every subtitle cue of a video that is not superseded: the approved version's and
    the working copy's (the latest revision, which is what a reviewer approves)."""
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


def file_places_for(obj) -> list[FilePlace]:
    places = getattr(obj, "privacy_file_places", None)
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


def _text_lines(obj, places: Iterable[TextPlace], *, steps: dict[str, int] | None = None, of=None) -> list[str]:
    from .services import text_findings

    overridden = overridden_keys(obj)
    lines = []
    for place, found in text_findings(places=places):
        if (Source.TEXT, place.field, place.step_id, found.fingerprint) in overridden:
            continue
        if of is None:
            lines.append(_("%(masked)s in the %(place)s") % {"masked": found.masked, "place": place.label(steps)})
        else:
            lines.append(
                _("%(masked)s in the %(place)s of %(object)s")
                % {"masked": found.masked, "place": place.label(), "object": of}
            )
    return lines


def _blocking_lines(obj, places: Iterable[TextPlace], *, steps: dict[str, int] | None = None) -> list[str]:
    """One line per number that stops ``obj`` going out. Text (its own and its pictures' and videos' titles and
    subtitles) is read now, so a revision or a subtitle edit saved a moment ago cannot slip past a scan still
    queued; what OCR saw in pictures, videos and files comes from their scans."""
    lines = _text_lines(obj, places, steps=steps)
    dependents = dependents_of(obj)
    for dependent in dependents:
        lines += _text_lines(dependent, text_places_for(dependent), of=dependent)
    for finding in findings_for(obj, status=Finding.Status.OPEN).exclude(source=Source.TEXT):
        lines.append(_("%(masked)s in %(object)s") % {"masked": finding.masked, "object": finding.content_object})
    return lines


def publication_blockers(*, page) -> list[str]:
    """Why ``page`` (the revision about to go live) may not be published: one line per open finding, or none."""
    steps = {step_id: number for number, step_id in enumerate(page.step_ids(), start=1)}
    return _blocking_lines(page, tutorial_text_places(page), steps=steps)


def scans_unfinished(obj) -> list[Scan]:
    """OCR scans of ``obj``'s files, pictures and videos still queued or running: until they end, nobody knows
    what they show."""
    return list(
        Scan.objects.filter(
            _where([obj, *dependents_of(obj)]),
            source__in=[Source.IMAGE, Source.VIDEO],
            status__in=[Scan.Status.PENDING, Scan.Status.RUNNING],
        ).select_related("content_type")
    )


def scans_unfinished_message(*, obj) -> str:
    names = [str(scan.content_object or scan.content_type.name) for scan in scans_unfinished(obj)]
    if not names:
        return ""
    return _(
        "The personal-information scan of %(objects)s is still running: publish when it has finished (its progress "
        "is shown in the personal-information panel)."
    ) % {"objects": "、".join(dict.fromkeys(names))}


def privacy_blocking_message(*, obj) -> str:
    """Why ``obj`` may not go out yet, or "": the open findings on its text (read now), its files and the objects it
    shows (``privacy_dependents``), and their scans still running. See ``privacy.services`` for how a model
    declares what the guard reads."""
    lines = _blocking_lines(obj, text_places_for(obj))
    running = scans_unfinished_message(obj=obj)
    if not lines:
        return running
    found = _(
        "Personal information was found (%(places)s). Mask it or edit the text, or ask a Moderator to override it, "
        "in the personal-information panel."
    ) % {"places": "; ".join(lines)}
    return f"{found} {running}".strip()


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
