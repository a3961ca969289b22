"""Every file of one channel package, rendered into a folder: what the package task and ``package_build`` share.

Which files a channel gets depends on its kind: a video app gets the vertical video, a cover and the caption; an
official-account article each step's picture, the article HTML (which shows those pictures by their file names), the
long image, a cover and its digest; Weibo the post text, the long image and a cover; the service hall's poster an A4
and an A3 PDF and a cover.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from media.pipeline.social import ChannelSpec, PackageSpec
from media.pipeline.types import PipelineError

# role -> file name in the package folder (the step pictures are named by step_images.step_image_name)
FILE_NAMES = {
    "video": "video.mp4",
    "cover": "cover.jpg",
    "long_image": "long-image.png",
    "article_html": "article.html",
    "poster_a4": "poster-a4.pdf",
    "poster_a3": "poster-a3.pdf",
    "caption": "caption.txt",
}
ROLES_BY_KIND = {
    "video": ("video", "cover", "caption"),
    "article": ("step_image", "article_html", "long_image", "cover", "caption"),
    "post": ("long_image", "cover", "caption"),
    "print": ("poster_a4", "poster_a3", "cover"),
}
# The share of the whole build each role takes, for one progress bar across the files.
WEIGHTS = {"video": 20.0, "long_image": 2.0, "poster_a4": 1.0, "poster_a3": 2.0}

StageProgress = Callable[[float, str], None]


@dataclass(frozen=True)
class RenderedPackage:
    files: dict[str, Path]  # role -> path, one file per role
    caption: str
    article_html: str
    weibo_text: str
    step_images: dict[int, Path] = field(default_factory=dict)  # step number -> its picture (role "step_image")

    def paths(self) -> list[Path]:
        """Every file of the package."""
        return [*self.step_images.values(), *self.files.values()]


def roles_for(channel: ChannelSpec) -> tuple[str, ...]:
    try:
        return ROLES_BY_KIND[channel.kind]
    except KeyError:
        raise PipelineError(f"Unknown channel kind {channel.kind!r}.") from None


def render_package(
    spec: PackageSpec,
    folder: Path,
    *,
    channel: ChannelSpec,
    over_limit: str = "refuse",
    progress: StageProgress | None = None,
) -> RenderedPackage:
    """Write the channel's files into ``folder`` (made if missing) and return them by role.

    ``progress(fraction, role)`` is called as each file is made. A failure raises PipelineError naming the file.
    """
    from media.pipeline import captions, cards, long_image, poster_pdf, social_video, step_images

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    roles = roles_for(channel)
    total = sum(WEIGHTS.get(role, 0.5) for role in roles)
    done = 0.0
    files: dict[str, Path] = {}
    pictures: dict[int, Path] = {}
    caption = article = weibo = ""
    first_shot = next((step.screenshot for step in spec.steps if step.screenshot is not None), None)

    def report(role: str, share: float) -> None:
        if progress is not None:
            progress(min(1.0, (done + share * WEIGHTS.get(role, 0.5)) / total), role)

    for role in roles:
        report(role, 0.0)
        if role == "step_image":
            pictures = step_images.render_step_images(spec, folder)
            done += WEIGHTS.get(role, 0.5)
            report(role, 0.0)
            continue
        dest = folder / FILE_NAMES[role]
        if role == "video":
            social_video.render_vertical_video(
                spec, dest, channel=channel, over_limit=over_limit, progress=lambda f: report("video", f)
            )
        elif role == "cover":
            cards.render_cover(
                title=spec.title, brand=spec.brand, size=channel.cover_size, dest=dest, screenshot=first_shot
            )
        elif role == "long_image":
            long_image.render_long_image(spec, dest, channel=channel.slug)
        elif role == "article_html":
            # Relative names: the article opens with its pictures beside it in the package folder.
            names = {number: path.name for number, path in pictures.items()}
            article = captions.article_html(spec, channel=channel.slug, images=names)
            captions.write_text(article, dest)
        elif role == "poster_a4":
            poster_pdf.render_poster_pdf(spec, dest, paper="A4", channel=channel.slug)
        elif role == "poster_a3":
            poster_pdf.render_poster_pdf(spec, dest, paper="A3", channel=channel.slug)
        elif role == "caption":
            if channel.kind == "post":
                weibo = captions.weibo_text(spec, channel=channel)
                caption = weibo
            else:
                caption = captions.caption_text(spec, channel=channel)
            captions.write_text(caption, dest)
        files[role] = dest
        done += WEIGHTS.get(role, 0.5)
        report(role, 0.0)
    return RenderedPackage(files=files, caption=caption, article_html=article, weibo_text=weibo, step_images=pictures)
