"""The printable poster for the service hall: a one-page PDF at exactly A4 or A3, with a large QR code.

Drawn by Pillow at ``dpi`` and saved by Pillow's PDF writer, whose page size is pixels × 72 / resolution: the
resolution is chosen so the page is the paper size to the point, whatever the rounding of the pixel count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from media.pipeline import cards
from media.pipeline._ffmpeg import atomic_path
from media.pipeline.qr import qr_image
from media.pipeline.social import PackageSpec, tagged_url
from media.pipeline.types import PipelineError

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
PAPER_MM = {"A4": (210, 297), "A3": (297, 420)}
MAX_STEPS_SHOWN = 8


@dataclass(frozen=True)
class Poster:
    path: Path
    paper: str
    page_points: tuple[float, float]
    pixels: tuple[int, int]


def page_points(paper: str) -> tuple[float, float]:
    width_mm, height_mm = PAPER_MM[paper]
    return (width_mm / MM_PER_INCH * POINTS_PER_INCH, height_mm / MM_PER_INCH * POINTS_PER_INCH)


def render_poster_pdf(
    spec: PackageSpec, dest: Path, *, paper: str = "A4", channel: str = "poster", dpi: int = 200
) -> Poster:
    """Write ``dest``: title, a QR code a third of the page wide, and the steps in brief (number and title)."""
    from PIL import Image, ImageDraw

    if paper not in PAPER_MM:
        raise PipelineError(f"Unknown paper size {paper!r}; choose one of {', '.join(PAPER_MM)}.")
    if not spec.steps:
        raise PipelineError("The tutorial has no steps to put on the poster.")
    dest = Path(dest)
    points = page_points(paper)
    width, height = (round(side / POINTS_PER_INCH * dpi) for side in points)
    unit = width / 100  # the layout is in hundredths of the page width, so A4 and A3 look alike

    page = Image.new("RGB", (width, height), cards.PAPER)
    draw = ImageDraw.Draw(page)
    margin = round(7 * unit)
    inner = width - 2 * margin
    draw.rectangle((0, 0, width, round(3 * unit)), fill=cards.BRAND)
    draw.text((margin, round(6 * unit)), spec.brand, font=cards.font(round(3.6 * unit), bold=True), fill=cards.BRAND,
              anchor="lt")  # fmt: skip
    title_font = cards.font(round(7 * unit), bold=True)
    y = cards.draw_lines(
        draw, cards.wrap(spec.title, title_font, inner, max_lines=3), x=margin, top=round(12 * unit),
        typeface=title_font, fill=cards.INK,
    )  # fmt: skip

    code = qr_image(tagged_url(spec.url, channel), size=round(44 * unit))
    top = round(y + 4 * unit)
    page.paste(code, ((width - code.width) // 2, top))
    y = top + code.height
    hint = cards.font(round(3.6 * unit), bold=True)
    y = cards.draw_lines(draw, ["手机扫码，一步一步教你办"], x=width / 2, top=y, typeface=hint, fill=cards.BRAND,
                         align="centre")  # fmt: skip

    step_font = cards.font(round(3.2 * unit))
    radius = round(2.2 * unit)
    y += round(3 * unit)
    shown = spec.steps[:MAX_STEPS_SHOWN]
    for step in shown:
        lines = cards.wrap(step.title, step_font, inner - 3 * radius, max_lines=2)
        cards.step_badge(draw, number=step.number, centre=(margin + radius, y + radius), radius=radius)
        y = cards.draw_lines(draw, lines, x=margin + 3 * radius, top=y, typeface=step_font, fill=cards.INK)
        y += round(1.2 * unit)
    if len(spec.steps) > len(shown):
        y = cards.draw_lines(draw, [f"…… 共 {len(spec.steps)} 步，扫码看全部"], x=margin, top=y, typeface=step_font,
                             fill=cards.INK_SOFT)  # fmt: skip
    if y > height - margin:
        raise PipelineError("The steps do not fit on the poster; shorten their titles.")

    resolution = (width * POINTS_PER_INCH / points[0], height * POINTS_PER_INCH / points[1])
    with atomic_path(dest) as tmp:
        page.save(tmp, "PDF", dpi=resolution, quality=92, title=spec.title, author=spec.brand)
    return Poster(dest, paper, points, (width, height))


def page_jpeg(path: Path) -> bytes:
    """The page picture of a poster this module wrote (Pillow stores it as one JPEG stream), for previews."""
    data = Path(path).read_bytes()
    marker = data.find(b"/DCTDecode")
    start = data.find(b"stream", marker) if marker >= 0 else -1
    if start < 0:
        raise PipelineError("The PDF holds no page picture to preview.")
    start += len(b"stream")
    while data[start : start + 1] in (b"\r", b"\n"):
        start += 1
    end = data.find(b"endstream", start)
    picture = data[start:end].rstrip(b"\r\n")
    if not picture.startswith(b"\xff\xd8"):
        raise PipelineError("The PDF's page picture is not a JPEG.")
    return picture
