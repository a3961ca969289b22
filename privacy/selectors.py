"""The text of published content, each piece with a place an editor can find it by."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class TextPlace:
    place: str
    text: str


def _tutorial_places(page) -> Iterator[TextPlace]:
    where = f"tutorial {page.pk} ({page.url_path})"
    yield TextPlace(f"{where} title", page.title)
    yield TextPlace(f"{where} summary", page.summary)
    if page.seo_title:
        yield TextPlace(f"{where} SEO title", page.seo_title)
    if page.search_description:
        yield TextPlace(f"{where} search description", page.search_description)
    for number, step in enumerate(page.steps, start=1):
        if step.block_type != "step":
            continue
        value = step.value
        yield TextPlace(f"{where} step {number} title", value.get("title") or "")
        yield TextPlace(f"{where} step {number} text", value.get("text") or "")
        tip = value.get("tip") or {}
        if tip.get("text"):
            yield TextPlace(f"{where} step {number} tip", tip["text"])
        for shot, screenshot in enumerate(value.get("screenshots") or [], start=1):
            yield TextPlace(f"{where} step {number} screenshot {shot} alt text", screenshot.get("alt") or "")
            image = screenshot.get("image")
            if image is not None:
                yield TextPlace(f"{where} step {number} screenshot {shot} image title", image.title)
                yield TextPlace(
                    f"{where} step {number} screenshot {shot} file name", PurePosixPath(image.file.name).name
                )


def _subtitle_places(asset) -> Iterator[TextPlace]:
    from media.selectors import video_track, video_working_track

    where = f"video {asset.pk} ({asset})"
    seen: set[tuple[float, str]] = set()
    for label, track in (
        ("subtitles", video_track(asset=asset)),
        ("subtitles working copy", video_working_track(asset=asset)),
    ):
        for cue in track.cues:
            if (cue.start, cue.text) in seen:
                continue
            seen.add((cue.start, cue.text))
            yield TextPlace(f"{where} {label} at {cue.start:.1f}s", cue.text)


def published_text_places() -> Iterator[TextPlace]:
    """Every text field of live tutorials and of the videos they use: titles, summaries, step and tip text, alt
    text, image titles and file names, and every subtitle cue, approved or in a working copy."""
    from tutorials.models import TutorialPage

    videos: dict[int, object] = {}
    for page in TutorialPage.objects.live().order_by("path").iterator(chunk_size=200):
        yield from _tutorial_places(page)
        for step in page.steps:
            video = step.value.get("video") if step.block_type == "step" else None
            if video is not None:
                videos.setdefault(video.pk, video)
    for asset in videos.values():
        yield from _subtitle_places(asset)
