"""The long image (长图) of a whole tutorial for articles and posts: title, every step, and a QR code at the foot.

``long_image_layout`` decides where everything goes (pure arithmetic over the text and picture sizes);
``render_long_image`` draws that layout, so tests and previews can check the boxes without reading pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from media.pipeline import cards
from media.pipeline._ffmpeg import atomic_path
from media.pipeline.qr import qr_image
from media.pipeline.social import PackageSpec, tagged_url
from media.pipeline.types import PipelineError

WIDTH = 1080
MARGIN = 56
GAP = 40
SCREENSHOT_MAX_HEIGHT = 1500
QR_SIZE = 360
BADGE = 88  # the step number's circle, and the least height of a step's title row
MAX_HEIGHT = 30_000  # past this, phones and the WeChat editor shrink or refuse the picture

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class StepBlock:
    number: int
    box: Box
    title_lines: tuple[str, ...]
    text_lines: tuple[str, ...]
    picture: Box | None


@dataclass(frozen=True)
class LongImageLayout:
    width: int
    height: int
    title_lines: tuple[str, ...]
    steps: tuple[StepBlock, ...]
    footer: Box


def _fonts() -> dict:
    return {
        "title": cards.font(64, bold=True),
        "summary": cards.font(36),
        "step_title": cards.font(46, bold=True),
        "text": cards.font(36),
        "foot": cards.font(34),
    }


def long_image_layout(
    spec: PackageSpec, *, picture_sizes: dict[int, tuple[int, int]], width: int = WIDTH
) -> LongImageLayout:
    """Where each part goes. ``picture_sizes`` maps a step number to its screenshot's pixel size."""
    fonts = _fonts()
    inner = width - 2 * MARGIN
    title_lines = cards.wrap(spec.title, fonts["title"], inner, max_lines=3)
    y = 72 + len(title_lines) * cards.line_height(fonts["title"])
    if spec.summary:
        y += 16 + len(cards.wrap(spec.summary, fonts["summary"], inner, max_lines=4)) * cards.line_height(
            fonts["summary"]
        )
    y += GAP
    blocks = []
    for step in spec.steps:
        top = y
        title_lines_step = cards.wrap(step.title, fonts["step_title"], inner - BADGE - 24, max_lines=3)
        y += max(BADGE, len(title_lines_step) * cards.line_height(fonts["step_title"])) + 16
        text_lines = cards.wrap(step.text, fonts["text"], inner) if step.text else []
        y += len(text_lines) * cards.line_height(fonts["text"])
        picture = None
        if step.number in picture_sizes:
            pw, ph = picture_sizes[step.number]
            factor = min(inner / pw, SCREENSHOT_MAX_HEIGHT / ph, 1.5)
            size = (round(pw * factor), round(ph * factor))
            y += 20
            left = (width - size[0]) // 2
            picture = (left, y, left + size[0], y + size[1])
            y += size[1]
        y += 32
        blocks.append(StepBlock(step.number, (MARGIN, top, width - MARGIN, y), tuple(title_lines_step),
                                tuple(text_lines), picture))  # fmt: skip
        y += GAP
    footer = (MARGIN, y, width - MARGIN, y + QR_SIZE + 48)
    height = footer[3] + 56
    if height > MAX_HEIGHT:
        raise PipelineError(
            f"The long image would be {height} pixels tall, more than {MAX_HEIGHT}; shorten the steps' texts "
            "or use fewer screenshots."
        )
    return LongImageLayout(width, height, tuple(title_lines), tuple(blocks), footer)


def render_long_image(spec: PackageSpec, dest: Path, *, channel: str, width: int = WIDTH) -> LongImageLayout:
    """Write ``dest`` (PNG or JPEG by its suffix) and return the layout it was drawn from."""
    from PIL import Image, ImageDraw

    dest = Path(dest)
    if not spec.steps:
        raise PipelineError("The tutorial has no steps to put in the long image.")
    pictures = {
        step.number: cards.open_screenshot(step.screenshot, what=f"Step {step.number}")
        for step in spec.steps
        if step.screenshot is not None
    }
    layout = long_image_layout(
        spec, picture_sizes={number: picture.size for number, picture in pictures.items()}, width=width
    )
    fonts = _fonts()
    canvas = Image.new("RGB", (layout.width, layout.height), (244, 245, 247))
    draw = ImageDraw.Draw(canvas)
    inner = width - 2 * MARGIN
    y = cards.draw_lines(draw, list(layout.title_lines), x=MARGIN, top=56, typeface=fonts["title"], fill=cards.INK)
    if spec.summary:
        lines = cards.wrap(spec.summary, fonts["summary"], inner, max_lines=4)
        cards.draw_lines(draw, lines, x=MARGIN, top=y + 16, typeface=fonts["summary"], fill=cards.INK_SOFT)
    for block in layout.steps:
        left, top, right, bottom = block.box
        draw.rounded_rectangle((left - 16, top, right + 16, bottom), radius=24, fill=cards.PAPER)
        cards.step_badge(draw, number=block.number, centre=(left + 44, top + BADGE // 2 + 4), radius=36)
        cards.draw_lines(
            draw, list(block.title_lines), x=left + 112, top=top + 8, typeface=fonts["step_title"], fill=cards.INK
        )
        text_top = top + max(BADGE, len(block.title_lines) * cards.line_height(fonts["step_title"])) + 16
        cards.draw_lines(draw, list(block.text_lines), x=left + 8, top=text_top, typeface=fonts["text"],
                         fill=cards.INK_SOFT)  # fmt: skip
        if block.picture is not None:
            pl, pt, pr, pb = block.picture
            canvas.paste(pictures[block.number].resize((pr - pl, pb - pt), Image.Resampling.LANCZOS), (pl, pt))
            draw.rectangle((pl, pt, pr - 1, pb - 1), outline=(220, 223, 230), width=2)
    left, top, right, _bottom = layout.footer
    code = qr_image(tagged_url(spec.url, channel), size=QR_SIZE)
    canvas.paste(code, (left, top + 24))
    cards.draw_lines(
        draw, ["扫码查看完整步骤", "长按图片识别二维码", spec.brand], x=left + code.width + 40, top=top + 80,
        typeface=fonts["foot"], fill=cards.INK,
    )  # fmt: skip
    with atomic_path(dest) as tmp:
        if dest.suffix.lower() in (".jpg", ".jpeg"):
            canvas.save(tmp, "JPEG", quality=88, optimize=True, progressive=True)
        else:
            canvas.save(tmp, "PNG", optimize=False, compress_level=6)
    return layout
