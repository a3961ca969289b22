"""From a live tutorial to the pipeline's PackageSpec: its live revision, approved subtitles, chapters, screenshots."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from media.pipeline.social import ChannelSpec, Chapter, PackageSpec, StepSpec, cues_for_span

from .models import Channel

# Channel.Kind -> the pipeline's kind
PIPELINE_KINDS = {
    Channel.Kind.VERTICAL_VIDEO: "video",
    Channel.Kind.ARTICLE: "article",
    Channel.Kind.WEIBO: "post",
    Channel.Kind.POSTER: "print",
}


class BuildRefused(Exception):
    """The tutorial cannot be packaged as it stands; the message says why, for the officer."""


def channel_spec_of(channel: Channel) -> ChannelSpec:
    return ChannelSpec(
        slug=channel.slug,
        name=channel.name,
        kind=PIPELINE_KINDS[channel.kind],
        cover_size=(channel.width, channel.height),
        max_video_seconds=float(channel.max_video_seconds) if channel.max_video_seconds else None,
        caption_max_chars=channel.caption_max_chars,
        title_max_chars=channel.title_max_chars,
        max_hashtags=channel.max_hashtags,
        hashtag_style=channel.hashtag_style,
        link_in_caption=channel.link_in_caption,
    )


def build_refusal(*, tutorial) -> str:
    """Why ``tutorial`` cannot be packaged now, or ""."""
    from media.models import VideoAsset
    from privacy.selectors import findings_open_for

    if not tutorial.live or tutorial.live_revision_id is None:
        return _("“%(title)s” is not published: only a published tutorial can be packaged.") % {"title": tutorial.title}
    live = tutorial.live_revision.as_object()
    unapproved = [
        str(video)
        for video in live.step_videos()
        if not video.is_ready or video.subtitles != VideoAsset.Subtitles.APPROVED
    ]
    if unapproved:
        return _(
            "“%(title)s” cannot be packaged: these videos have no approved subtitles yet: %(videos)s. A second "
            "person must approve their subtitles first."
        ) % {"title": tutorial.title, "videos": "、".join(unapproved)}
    # The tutorial's own guard says what is open or still being scanned; the findings of the live row as well.
    message = live.privacy_blocking_message()
    if message:
        return _("“%(title)s” cannot be packaged: %(reason)s") % {"title": tutorial.title, "reason": message}
    if findings_open_for(tutorial):
        return _(
            "“%(title)s” cannot be packaged: personal information was found in it and is still open. Mask it or "
            "edit the tutorial, or ask a Moderator to override it."
        ) % {"title": tutorial.title}
    return ""


def _local(field, workdir: Path, name: str) -> Path:
    try:
        return Path(field.path)
    except NotImplementedError:
        local = workdir / name
        with field.open("rb") as source:
            local.write_bytes(source.read())
        return local


def package_spec(*, tutorial, channel: Channel, workdir: Path) -> PackageSpec:
    """The PackageSpec of ``tutorial``'s live revision; files a storage cannot give as paths are copied to
    ``workdir``. Raises BuildRefused with a readable reason."""
    from media.selectors import video_track

    refusal = build_refusal(tutorial=tutorial)
    if refusal:
        raise BuildRefused(refusal)
    live = tutorial.live_revision.as_object()
    blocks = [block for block in live.steps if block.block_type == "step"]
    if not blocks:
        raise BuildRefused(_("“%(title)s” has no steps to package.") % {"title": tutorial.title})

    workdir.mkdir(parents=True, exist_ok=True)
    spans = live.step_chapters()
    tracks = {}
    steps = []
    for number, block in enumerate(blocks, start=1):
        value = block.value
        screenshot = None
        shots = [shot["image"] for shot in value.get("screenshots") or [] if shot.get("image") is not None]
        if shots:
            screenshot = _local(shots[0].file, workdir, f"step-{number}{Path(shots[0].file.name).suffix}")
        chapter, cues = None, ()
        video = value.get("video")
        span = spans.get(block.id)
        if video is not None and span is not None:
            start = span.start
            end = span.end if span.end is not None else float(video.duration or 0)
            if end > start:
                source = _local(video.file, workdir, f"video-{video.pk}{Path(video.file.name).suffix}")
                chapter = Chapter(source, start, end)
                if video.pk not in tracks:
                    tracks[video.pk] = video_track(asset=video)
                cues = cues_for_span(tracks[video.pk].cues, start=start, end=end)
        steps.append(
            StepSpec(
                number=number,
                title=value.get("title") or "",
                text=value.get("text") or "",
                screenshot=screenshot,
                chapter=chapter,
                cues=cues,
            )
        )
    hashtags = [*channel.hashtag_list()]
    if getattr(live, "category", None) is not None:
        hashtags.append(live.category.name)
    return PackageSpec(
        title=live.title,
        url=tutorial.full_url,
        steps=tuple(steps),
        summary=live.summary or "",
        hashtags=tuple(dict.fromkeys(hashtags)),
    )
