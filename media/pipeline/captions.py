"""The text parts of a package: captions within each channel's limits, the Weibo text and the WeChat article.

The article is a file an officer pastes into the WeChat editor, not a page of this site: the editor keeps inline
``style`` attributes and drops <style> blocks, classes and scripts, so every rule is inline here.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from media.pipeline._ffmpeg import atomic_path
from media.pipeline.social import ChannelSpec, PackageSpec, tagged_url
from media.pipeline.types import PipelineError

ELLIPSIS = "…"
MIN_BODY = 12  # characters of summary kept before hashtags are dropped
_TAG_CHARS = re.compile(r"[\s#@]+")


def hashtag(tag: str, *, style: str) -> str:
    word = _TAG_CHARS.sub("", tag)
    return f"#{word}#" if style == "wrap" else f"#{word}"


def _shorten(text: str, limit: int) -> str:
    if limit <= 0:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def caption_text(spec: PackageSpec, *, channel: ChannelSpec) -> str:
    """The caption: title, summary (shortened first), the tagged link where the channel makes it clickable,
    and up to ``max_hashtags`` hashtags; never longer than the channel's limit (counted in characters)."""
    limit = channel.caption_max_chars
    if limit <= 0:
        raise PipelineError(f"{channel.name} takes no caption.")
    tags = [hashtag(tag, style=channel.hashtag_style) for tag in spec.hashtags if _TAG_CHARS.sub("", tag)]
    tags = list(dict.fromkeys(tags))[: channel.max_hashtags]
    title = _shorten(spec.title, channel.title_max_chars or limit)
    tail_parts = []
    if channel.link_in_caption:
        tail_parts.append(tagged_url(spec.url, channel.slug))
    if tags:
        tail_parts.append(" ".join(tags))
    tail = "\n".join(tail_parts)
    while tags and limit - len(title) - len(tail) - 2 < MIN_BODY:  # hashtags go before the text is cut to nothing
        tags.pop()
        tail = "\n".join([*tail_parts[:-1], " ".join(tags)] if tags else tail_parts[:-1])
    steps = " ".join(f"{step.number}. {step.title}" for step in spec.steps)
    body = spec.summary or steps
    fixed = len(title) + (len(tail) + 1 if tail else 0)
    room = limit - fixed - 1
    parts = [title]
    if body and room >= 2:
        parts.append(_shorten(body, room))
    if tail:
        parts.append(tail)
    text = "\n".join(parts)
    if len(text) > limit:
        text = _shorten(text, limit)
    return text


def weibo_text(spec: PackageSpec, *, channel: ChannelSpec) -> str:
    """A Weibo post: 【title】, the steps in brief, the tagged link and #topics#, within the channel's limit."""
    limit = channel.caption_max_chars
    link = tagged_url(spec.url, channel.slug)
    tags = [hashtag(tag, style="wrap") for tag in spec.hashtags if _TAG_CHARS.sub("", tag)][: channel.max_hashtags]
    head = f"【{spec.title}】"
    foot = f"完整图文步骤：{link}" + (f"\n{' '.join(tags)}" if tags else "")
    steps = "\n".join(f"{step.number}. {step.title}" for step in spec.steps)
    room = limit - len(head) - len(foot) - 2
    if room < 0:
        raise PipelineError(f"The title and link alone are longer than {channel.name}'s {limit} characters.")
    return "\n".join(part for part in (head, _shorten(steps, room), foot) if part)


def article_html(spec: PackageSpec, *, channel: str, images: dict[int, str] | None = None) -> str:
    """The article body: a heading per step with its number, its text and picture, and the tagged link at the end.

    ``images`` maps a step number to the address of its picture: its file name beside the article in the package,
    or any address the reader's browser can load (the admin preview rewrites the names to its own).
    """
    images = images or {}
    link = escape(tagged_url(spec.url, channel), quote=True)
    out = [
        '<section style="font-size:16px;line-height:1.75;color:#1d2129;letter-spacing:0.5px;">',
        f'<h1 style="font-size:22px;font-weight:bold;margin:0 0 12px;">{escape(spec.title)}</h1>',
    ]
    if spec.summary:
        out.append(f'<p style="margin:0 0 16px;color:#5a606e;">{escape(spec.summary)}</p>')
    for step in spec.steps:
        out.append(
            '<h2 style="font-size:18px;font-weight:bold;margin:24px 0 8px;">'
            '<span style="display:inline-block;min-width:28px;height:28px;line-height:28px;border-radius:14px;'
            f'background:#0b57d0;color:#ffffff;text-align:center;margin-right:8px;">{step.number}</span>'
            f"{escape(step.title)}</h2>"
        )
        for paragraph in filter(None, (line.strip() for line in step.text.split("\n"))):
            out.append(f'<p style="margin:0 0 8px;">{escape(paragraph)}</p>')
        if step.number in images:
            out.append(
                f'<p style="margin:8px 0;text-align:center;"><img src="{escape(images[step.number], quote=True)}" '
                f'alt="{escape(f"第{step.number}步：{step.title}", quote=True)}" '
                'style="max-width:100%;height:auto;border:1px solid #dcdfe6;border-radius:8px;"></p>'
            )
    out.append(
        '<p style="margin:24px 0 0;padding:12px;background:#f4f5f7;border-radius:8px;">'
        f'完整步骤和视频：<a href="{link}" style="color:#0b57d0;">{link}</a></p>'
    )
    out.append("</section>")
    return "\n".join(out)


def write_text(text: str, dest: Path) -> Path:
    """Write a text part of the package (UTF-8), replaced in one rename."""
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return dest
