"""Certificates drawn as pictures: the PNG and the A4 landscape PDF, and the masked name shown to the public.

Pure functions (no Django): Pillow draws the page with the Simplified Chinese face of Noto Sans CJK; segno draws the
QR code that leads to the public verification page. The PDF's page size is set through its resolution, as the
poster's is, so it is A4 to the point whatever the rounding of the pixel count.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from media.pipeline import cards
from media.pipeline.qr import qr_image

if TYPE_CHECKING:
    from PIL import Image

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
A4_LANDSCAPE_MM = (297, 210)
MASK = "*"


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 张 → 张; longer names keep only their first and last character (欧阳*明)."""
    name = "".join(name.split())
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK + name[-1]


@dataclass(frozen=True)
class CertificateText:
    full_name: str
    course: str
    date: str  # as printed, e.g. "2026年11月30日"
    office: str
    code: str
    verify_url: str
    heading: str = "结业证书"
    brand: str = "帮办 · 干部数字技能培训"
    body: str = "已完成以下课程的全部学习内容，考核合格，特发此证。"
    code_label: str = "验证码"
    scan_hint: str = "扫码核验证书真伪"


def page_points() -> tuple[float, float]:
    width_mm, height_mm = A4_LANDSCAPE_MM
    return (width_mm / MM_PER_INCH * POINTS_PER_INCH, height_mm / MM_PER_INCH * POINTS_PER_INCH)


def draw_certificate(text: CertificateText, *, dpi: int = 150) -> Image.Image:
    """The certificate page: A4 landscape at ``dpi``."""
    from PIL import Image, ImageDraw

    points = page_points()
    width, height = (round(side / POINTS_PER_INCH * dpi) for side in points)
    unit = width / 100
    page = Image.new("RGB", (width, height), cards.PAPER)
    draw = ImageDraw.Draw(page)
    border = round(2 * unit)
    draw.rectangle((border, border, width - border, height - border), outline=cards.BRAND, width=round(0.6 * unit))
    draw.rectangle((0, 0, width, round(1.2 * unit)), fill=cards.BRAND)
    centre = width / 2
    y = cards.draw_lines(
        draw,
        [text.brand],
        x=centre,
        top=round(5 * unit),
        typeface=cards.font(round(2.2 * unit)),
        fill=cards.BRAND,
        align="centre",
    )
    y = cards.draw_lines(
        draw,
        [text.heading],
        x=centre,
        top=y + unit,
        typeface=cards.font(round(5.5 * unit), bold=True),
        fill=cards.BRAND_DARK,
        align="centre",
    )
    name_font = cards.font(round(4.2 * unit), bold=True)
    y = cards.draw_lines(
        draw,
        cards.wrap(text.full_name, name_font, width * 0.7, max_lines=1),
        x=centre,
        top=y + 2 * unit,
        typeface=name_font,
        fill=cards.INK,
        align="centre",
    )
    body_font = cards.font(round(2.2 * unit))
    y = cards.draw_lines(
        draw,
        cards.wrap(text.body, body_font, width * 0.7, max_lines=2),
        x=centre,
        top=y + unit,
        typeface=body_font,
        fill=cards.INK_SOFT,
        align="centre",
    )
    course_font = cards.font(round(3.2 * unit), bold=True)
    cards.draw_lines(
        draw,
        cards.wrap(f"《{text.course}》", course_font, width * 0.7, max_lines=2),
        x=centre,
        top=y + unit,
        typeface=course_font,
        fill=cards.INK,
        align="centre",
    )

    code = qr_image(text.verify_url, size=round(16 * unit))
    left = round(7 * unit)
    top = height - round(7 * unit) - code.height
    page.paste(code, (left, top))
    small = cards.font(round(1.6 * unit))
    cards.draw_lines(
        draw,
        [text.scan_hint],
        x=left + code.width / 2,
        top=top + code.height,
        typeface=small,
        fill=cards.INK_SOFT,
        align="centre",
    )
    detail_font = cards.font(round(2 * unit))
    right = width - round(7 * unit)
    lines = [text.office, text.date, f"{text.code_label}：{text.code}"]
    step = cards.line_height(detail_font)
    bottom = height - round(7 * unit)
    for index, line in enumerate(lines):
        draw.text(
            (right, bottom - (len(lines) - index) * step + step / 2),
            line,
            font=detail_font,
            fill=cards.INK,
            anchor="rm",
        )
    return page


def render_png(text: CertificateText, *, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    draw_certificate(text, dpi=dpi).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def render_pdf(text: CertificateText, *, dpi: int = 150) -> bytes:
    """One A4 landscape page (841.89 × 595.28 points)."""
    page = draw_certificate(text, dpi=dpi)
    points = page_points()
    resolution = (page.width * POINTS_PER_INCH / points[0], page.height * POINTS_PER_INCH / points[1])
    buffer = io.BytesIO()
    page.save(buffer, "PDF", dpi=resolution, quality=92, title=f"{text.heading} {text.code}", author=text.brand)
    return buffer.getvalue()
