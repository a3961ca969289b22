"""Pictures drawn in Python for the channel packages: cards, the step and subtitle overlays, covers.

Pillow draws the text with the Simplified Chinese face of Debian's Noto Sans CJK (face 0 of the .ttc is the
Japanese one, which draws 直 说 关 in Japanese forms), so the face is chosen by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from media.pipeline._ffmpeg import atomic_path
from media.pipeline.types import PipelineError

if TYPE_CHECKING:
    from PIL import Image, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR_FONT = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD_FONT = FONT_DIR / "NotoSansCJK-Bold.ttc"
SIMPLIFIED_CHINESE_FACE = "Noto Sans CJK SC"

Colour = tuple[int, int, int]
BRAND: Colour = (11, 87, 208)
BRAND_DARK: Colour = (8, 44, 110)
INK: Colour = (29, 33, 41)
INK_SOFT: Colour = (90, 96, 110)
PAPER: Colour = (255, 255, 255)
STAGE: Colour = (17, 19, 24)  # behind a letterboxed step in the vertical video
ACCENT: Colour = (255, 196, 0)

# Latin words and numbers stay whole when wrapping; every other character may start a new line.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/@%+\-_']*\s*|\s+|.", re.S)
_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)%")


@lru_cache(maxsize=4)
def _face_index(path: Path) -> int:
    from PIL import ImageFont

    for index in range(16):
        try:
            family, _style = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:
            break
        if family == SIMPLIFIED_CHINESE_FACE:
            return index
    raise PipelineError(f"The font {path} has no {SIMPLIFIED_CHINESE_FACE} face.")


@lru_cache(maxsize=64)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path = BOLD_FONT if bold else REGULAR_FONT
    if not path.is_file():
        raise PipelineError(f"The Chinese font {path} is missing. Install it with: apt-get install fonts-noto-cjk")
    return ImageFont.truetype(str(path), size, index=_face_index(path))


def wrap(text: str, typeface: ImageFont.FreeTypeFont, width: float, *, max_lines: int | None = None) -> list[str]:
    """Lines of ``text`` no wider than ``width`` pixels; the last kept line ends in … when text is left over."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for token in _TOKEN.findall(paragraph):
            candidate = current + token
            if typeface.getlength(candidate.rstrip()) <= width or not current.strip():
                current = candidate
            elif token[0] in _NO_LINE_START:
                current = candidate  # keep closing punctuation with its word, a little past the margin
            else:
                lines.append(current.rstrip())
                current = token.lstrip()
        lines.append(current.rstrip())
    lines = [line for line in lines if line] or [""]
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and typeface.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def line_height(typeface: ImageFont.FreeTypeFont) -> int:
    return round(typeface.size * 1.4)


def draw_lines(draw, lines: list[str], *, x: float, top: float, typeface, fill: Colour, align: str = "left") -> float:
    """Draw ``lines`` from ``top`` (``x``: left edge, or centre when ``align="centre"``); returns the bottom."""
    step = line_height(typeface)
    for index, line in enumerate(lines):
        y = top + index * step + step / 2
        if align == "centre":
            draw.text((x, y), line, font=typeface, fill=fill, anchor="mm")
        else:
            draw.text((x, y), line, font=typeface, fill=fill, anchor="lm")
    return top + len(lines) * step


def fit_into(picture: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``picture`` scaled (up or down) to fit inside ``box``, aspect kept."""
    from PIL import Image

    factor = min(box[0] / picture.width, box[1] / picture.height)
    size = (max(1, round(picture.width * factor)), max(1, round(picture.height * factor)))
    return picture.resize(size, Image.Resampling.LANCZOS)


def open_screenshot(path: Path, *, what: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except FileNotFoundError:
        raise PipelineError(f"{what}: the screenshot {Path(path).name!r} does not exist.") from None
    except (UnidentifiedImageError, OSError) as error:
        raise PipelineError(f"{what}: the screenshot {Path(path).name!r} is not a readable image ({error}).") from None


def title_card(*, title: str, brand: str, step_count: int, size: tuple[int, int] = (1080, 1920)) -> Image.Image:
    from PIL import Image, ImageDraw

    width, height = size
    card = Image.new("RGB", size, BRAND_DARK)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, width, height * 0.06), fill=BRAND)
    draw_lines(draw, [brand], x=width / 2, top=height * 0.14, typeface=font(52, bold=True), fill=ACCENT, align="centre")
    title_font = font(96, bold=True)
    lines = wrap(title, title_font, width - 160, max_lines=4)
    block = len(lines) * line_height(title_font)
    bottom = draw_lines(
        draw, lines, x=width / 2, top=(height - block) / 2 - 80, typeface=title_font, fill=PAPER, align="centre"
    )
    draw_lines(
        draw, [f"共 {step_count} 步 · 跟着做就会"], x=width / 2, top=bottom + 60, typeface=font(56), fill=PAPER,
        align="centre",
    )  # fmt: skip
    return card


def end_card(
    *, title: str, qr: Image.Image, label: str, brand: str, size: tuple[int, int] = (1080, 1920)
) -> Image.Image:
    from PIL import Image, ImageDraw

    width, height = size
    card = Image.new("RGB", size, BRAND_DARK)
    draw = ImageDraw.Draw(card)
    heading = font(72, bold=True)
    bottom = draw_lines(
        draw, wrap("扫码查看完整图文步骤", heading, width - 160), x=width / 2, top=height * 0.16, typeface=heading,
        fill=PAPER, align="centre",
    )  # fmt: skip
    side = min(720, width - 240)
    left = (width - side) // 2
    top = round(bottom + 80)
    draw.rounded_rectangle((left - 40, top - 40, left + side + 40, top + side + 40), radius=36, fill=PAPER)
    card.paste(qr, (left + (side - qr.width) // 2, top + (side - qr.height) // 2))
    small = font(44)
    draw_lines(
        draw, wrap(title, small, width - 160, max_lines=2), x=width / 2, top=top + side + 100, typeface=small,
        fill=PAPER, align="centre",
    )  # fmt: skip
    draw_lines(draw, [label], x=width / 2, top=height - 220, typeface=font(40), fill=ACCENT, align="centre")
    draw_lines(draw, [brand], x=width / 2, top=height - 150, typeface=font(40, bold=True), fill=PAPER, align="centre")
    return card


def step_badge(draw, *, number: int, centre: tuple[float, float], radius: int, fill: Colour = BRAND) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
    draw.text((x, y), str(number), font=font(round(radius * 1.1), bold=True), fill=PAPER, anchor="mm")


def step_header(*, number: int, title: str, width: int = 1080, height: int = 300) -> Image.Image:
    """The band above a step in the vertical video: its number in a circle and its title (two lines at most)."""
    from PIL import Image, ImageDraw

    band = Image.new("RGBA", (width, height), (*STAGE, 255))
    draw = ImageDraw.Draw(band)
    draw.text((60, 60), f"第 {number} 步", font=font(44, bold=True), fill=ACCENT, anchor="lm")
    title_font = font(64, bold=True)
    lines = wrap(title, title_font, width - 120, max_lines=2)
    draw_lines(draw, lines, x=60, top=100, typeface=title_font, fill=PAPER)
    return band


@dataclass(frozen=True)
class Overlay:
    """A transparent picture placed at (x, y) on the video canvas."""

    image: Image.Image
    x: int
    y: int


def subtitle_overlay(text: str, *, canvas: tuple[int, int] = (1080, 1920), bottom_margin: int = 110) -> Overlay:
    """One cue as a white-on-dark box centred near the bottom of the canvas (two lines at most)."""
    from PIL import Image, ImageDraw

    typeface = font(58, bold=True)
    lines = wrap(text, typeface, canvas[0] - 160, max_lines=2)
    text_width = max(typeface.getlength(line) for line in lines)
    pad_x, pad_y = 36, 22
    box = (round(text_width) + 2 * pad_x, len(lines) * line_height(typeface) + 2 * pad_y)
    image = Image.new("RGBA", box, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, box[0] - 1, box[1] - 1), radius=20, fill=(0, 0, 0, 178))
    draw_lines(draw, lines, x=box[0] / 2, top=pad_y, typeface=typeface, fill=PAPER, align="centre")
    return Overlay(image, (canvas[0] - box[0]) // 2, canvas[1] - bottom_margin - box[1])


def cover(*, title: str, brand: str, size: tuple[int, int], screenshot: Image.Image | None = None) -> Image.Image:
    """A channel cover: the title large on the brand colour, the first screenshot beside or below it when it fits."""
    from PIL import Image, ImageDraw

    width, height = size
    card = Image.new("RGB", size, BRAND_DARK)
    draw = ImageDraw.Draw(card)
    landscape = width >= height
    text_width = width * (0.58 if landscape and screenshot is not None else 0.86)
    unit = min(width, height)
    title_font = font(max(24, round(unit * (0.11 if landscape else 0.085))), bold=True)
    lines = wrap(title, title_font, text_width, max_lines=3)
    block = len(lines) * line_height(title_font)
    margin = round(unit * 0.07)
    if screenshot is not None:
        if landscape:
            picture = fit_into(screenshot, (round(width * 0.3), height - 2 * margin))
            card.paste(picture, (width - margin - picture.width, (height - picture.height) // 2))
            top = (height - block) / 2
        else:
            picture = fit_into(screenshot, (width - 2 * margin, round(height * 0.55)))
            card.paste(picture, ((width - picture.width) // 2, height - margin - picture.height))
            top = margin * 1.5
    else:
        top = (height - block) / 2
    draw_lines(draw, lines, x=margin, top=top, typeface=title_font, fill=PAPER)
    brand_font = font(max(16, round(unit * 0.045)), bold=True)
    draw.text((margin, margin / 2 + 4), brand, font=brand_font, fill=ACCENT, anchor="lt")
    return card


def render_cover(*, title: str, brand: str, size: tuple[int, int], dest: Path, screenshot: Path | None = None) -> Path:
    """Write a JPEG cover of ``size`` (a channel's cover size) to ``dest``, replaced in one rename."""

    if min(size) < 64:
        raise PipelineError(f"A cover of {size[0]}x{size[1]} pixels is too small.")
    picture = open_screenshot(screenshot, what="The cover") if screenshot is not None else None
    image = cover(title=title, brand=brand, size=size, screenshot=picture)
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        image.save(tmp, "JPEG", quality=90, optimize=True, progressive=True)
    return dest
