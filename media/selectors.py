import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry, Revision

from .models import SubtitleTrack, VideoAsset
from .pipeline import types


def subtitle_track_of(*, asset: VideoAsset) -> SubtitleTrack | None:
    try:
        return asset.subtitle_track
    except SubtitleTrack.DoesNotExist:
        return None


def _as_track(asset: VideoAsset, rows: list) -> types.SubtitleTrack:
    return types.SubtitleTrack(
        language=asset.language,
        cues=tuple(types.Cue(start=float(start), end=float(end), text=text) for start, end, text in rows),
    )


def video_track(*, asset: VideoAsset) -> types.SubtitleTrack:
    """The approved subtitles of a video: the only ones citizens, the player and the search index may see."""
    track = subtitle_track_of(asset=asset)
    return _as_track(asset, track.cues if track is not None and track.live else [])


def video_working_track(*, asset: VideoAsset) -> types.SubtitleTrack:
    """The latest working copy (for reviewers in the admin), else the approved version."""
    track = subtitle_track_of(asset=asset)
    if track is None:
        return _as_track(asset, [])
    return _as_track(asset, track.get_latest_revision_as_object().cues)


def subtitles_machine_made(*, asset: VideoAsset) -> bool:
    """Whether the public text is still exactly what speech recognition wrote."""
    track = subtitle_track_of(asset=asset)
    return bool(track is not None and track.live and track.cues and track.cues == track.machine_cues)


def subtitles_working_copy_editor_ids(*, track: SubtitleTrack) -> set[int]:
    """Everyone who saved a revision after the approved version: the authors of what is under review."""
    revisions = track.revisions.all()
    if track.live_revision_id:
        revisions = revisions.filter(pk__gt=track.live_revision_id)
    return set(revisions.exclude(user=None).values_list("user_id", flat=True))


@dataclass(frozen=True)
class SubtitleVersion:
    """One approved version of a video's subtitles; ``revision_id`` pins it."""

    revision_id: int
    edited_by: object | None  # the user who saved that revision; None for speech recognition
    editors: tuple  # everyone who saved a revision since the previous approved version (None: speech recognition)
    approved_by: object | None
    approved_at: datetime.datetime
    cues: tuple[types.Cue, ...]


def subtitle_versions(*, asset: VideoAsset) -> list[SubtitleVersion]:
    """Every approved version of the video's subtitles, oldest first, from Wagtail's publish log entries."""
    track = subtitle_track_of(asset=asset)
    if track is None:
        return []
    content_type = ContentType.objects.get_for_model(SubtitleTrack)
    published = list(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(track.pk), action="wagtail.publish")
        .exclude(revision=None)
        .select_related("user", "revision__user")
        .order_by("timestamp", "pk")
    )
    revisions = list(
        Revision.objects.filter(base_content_type=content_type, object_id=str(track.pk))
        .select_related("user")
        .order_by("created_at", "pk")
        .defer("content")
    )
    versions, previous_id = [], 0
    for entry in published:
        revision = entry.revision
        editors = tuple(dict.fromkeys(r.user for r in revisions if previous_id < r.pk <= revision.pk))
        versions.append(
            SubtitleVersion(
                revision_id=revision.pk,
                edited_by=revision.user,
                editors=editors,
                approved_by=entry.user,
                approved_at=entry.timestamp,
                cues=_as_track(asset, revision.content.get("cues", [])).cues,
            )
        )
        previous_id = revision.pk
    return versions


def video_chapters_track(*, chapters: list[tuple[float, str]], duration: float) -> types.SubtitleTrack:
    cues = []
    for index, (start, title) in enumerate(chapters):
        end = chapters[index + 1][0] if index + 1 < len(chapters) else duration
        if end > start:
            cues.append(types.Cue(start=start, end=end, text=title))
    return types.SubtitleTrack(language="", cues=tuple(cues))


def video_used_by(*, asset: VideoAsset) -> list:
    """The pages whose content uses ``asset`` (Wagtail's reference index), as their specific types, by title."""
    from wagtail.models import Page, ReferenceIndex

    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(asset)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
        if object_id.isdigit()
    ]
    return list(Page.objects.filter(pk__in=page_ids).order_by("title").specific())


def video_chapter_track(*, track: types.SubtitleTrack, chapter) -> types.SubtitleTrack:
    """The cues of one step's chapter (a tutorials.chapters.Chapter), cut to it. Times stay on the whole video's
    clock: the step's player plays the same file from the chapter's start."""
    from tutorials.chapters import in_chapter

    end = chapter.end if chapter.end is not None else float("inf")
    cues = tuple(
        types.Cue(start=max(cue.start, chapter.start), end=min(cue.end, end), text=cue.text)
        for cue in track.cues
        if in_chapter(cue.start, cue.end, chapter)
    )
    return types.SubtitleTrack(language=track.language, cues=cues)
