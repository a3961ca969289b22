"""What a channel package is made from: the channel specs, the tutorial spec, tagged links and cue spans.

The renderers (social_video, cards, long_image, poster_pdf, captions) take these values and write files;
nothing here touches Django, so the package builder and the command line share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from media.pipeline.types import Cue, PipelineError

# The query parameter that names the channel on every link and QR code; visit counting reads it.
CHANNEL_PARAM = "ch"


@dataclass(frozen=True)
class ChannelSpec:
    """What one channel accepts. Defaults for the channel snippets; a site may change them there."""

    slug: str
    name: str
    kind: str  # "video", "article", "post" or "print"
    cover_size: tuple[int, int]
    max_video_seconds: float | None = None
    caption_max_chars: int = 0
    title_max_chars: int = 0
    max_hashtags: int = 0
    hashtag_style: str = "prefix"  # "prefix": #话题 ; "wrap": #话题# (Weibo)
    link_in_caption: bool = False  # video apps do not make caption links clickable; a QR code carries the link


CHANNELS: dict[str, ChannelSpec] = {
    spec.slug: spec
    for spec in (
        ChannelSpec(
            "douyin", "抖音", "video", (1080, 1920), max_video_seconds=15 * 60,
            caption_max_chars=1000, title_max_chars=55, max_hashtags=5,
        ),
        ChannelSpec(
            "wechat-channels", "微信视频号", "video", (1080, 1920), max_video_seconds=60 * 60,
            caption_max_chars=1000, title_max_chars=16, max_hashtags=5,
        ),
        ChannelSpec(
            "kuaishou", "快手", "video", (1080, 1920), max_video_seconds=10 * 60,
            caption_max_chars=500, title_max_chars=30, max_hashtags=5,
        ),
        ChannelSpec(
            "wechat-article", "微信公众号文章", "article", (900, 383),
            caption_max_chars=120, title_max_chars=64, max_hashtags=0, link_in_caption=False,
        ),
        ChannelSpec(
            "weibo", "微博", "post", (1080, 1080),
            caption_max_chars=2000, max_hashtags=3, hashtag_style="wrap", link_in_caption=True,
        ),
        ChannelSpec("poster", "服务大厅海报", "print", (1080, 1528)),
    )
}  # fmt: skip


def channel_spec(slug: str) -> ChannelSpec:
    try:
        return CHANNELS[slug]
    except KeyError:
        raise PipelineError(f"Unknown channel {slug!r}; known channels: {', '.join(CHANNELS)}.") from None


def tagged_url(url: str, channel: str) -> str:
    """``url`` with the channel named in its query (replacing any earlier tag), fragment kept."""
    if not channel:
        raise PipelineError("A channel is needed to tag the link.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PipelineError(f"The tutorial link must be a full http(s) address, not {url!r}.")
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != CHANNEL_PARAM]
    query.append((CHANNEL_PARAM, channel))
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class Chapter:
    """A stretch of a video file, in seconds of that file."""

    source: Path
    start: float
    end: float


@dataclass(frozen=True)
class StepSpec:
    """One step. ``cues`` are timed from the start of the step as it plays in the package (see ``cues_for_span``)."""

    number: int
    title: str
    text: str = ""
    screenshot: Path | None = None
    chapter: Chapter | None = None
    cues: tuple[Cue, ...] = ()
    narration: Path | None = None


@dataclass(frozen=True)
class PackageSpec:
    title: str
    url: str  # the tutorial's public address, untagged
    steps: tuple[StepSpec, ...]
    summary: str = ""
    hashtags: tuple[str, ...] = field(default=())
    brand: str = "帮办"


def cues_for_span(cues: tuple[Cue, ...] | list[Cue], *, start: float, end: float) -> tuple[Cue, ...]:
    """The cues shown between ``start`` and ``end`` of a video, cut to that span and timed from ``start``."""
    picked = []
    for cue in cues:
        begin, finish = max(cue.start, start), min(cue.end, end)
        if finish - begin > 0.05:
            picked.append(Cue(round(begin - start, 3), round(finish - start, 3), cue.text))
    return tuple(picked)
