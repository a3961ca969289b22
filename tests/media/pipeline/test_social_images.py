"""Covers, the long image and the poster PDFs, drawn by Pillow; QR codes read back by zbarimg."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from media.pipeline.cards import render_cover
from media.pipeline.long_image import render_long_image
from media.pipeline.poster_pdf import render_poster_pdf
from media.pipeline.social import CHANNELS, PackageSpec, StepSpec, tagged_url
from media.pipeline.types import PipelineError

URL = "https://bangban.example.gov.cn/tutorials/shebao-jiaofei/"


@pytest.fixture
def spec(tmp_path: Path) -> PackageSpec:
    steps = []
    for number, (title, size) in enumerate(
        [("打开“粤省事”小程序", (720, 1280)), ("点击“社保缴费记录”", (720, 1280)), ("选择查询年份", (1280, 720))], 1
    ):
        path = tmp_path / f"step{number}.png"
        Image.new("RGB", size, (40 * number, 120, 200)).save(path)
        steps.append(StepSpec(number, title, text=f"第{number}步的说明文字，" * number, screenshot=path))
    return PackageSpec(title="查询社保缴费记录", url=URL, steps=tuple(steps), summary="三步查到自己的缴费记录。")


def zbar(path: Path) -> str:
    completed = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=60)
    return completed.stdout.strip()


@pytest.mark.parametrize("slug", sorted(CHANNELS))
def test_cover_has_the_channel_size(spec: PackageSpec, tmp_path: Path, slug: str) -> None:
    size = CHANNELS[slug].cover_size
    dest = render_cover(title=spec.title, brand=spec.brand, size=size, dest=tmp_path / "cover.jpg",
                        screenshot=spec.steps[0].screenshot)  # fmt: skip
    with Image.open(dest) as image:
        assert image.format == "JPEG"
        assert image.size == size


def test_long_image_holds_every_step_in_order(spec: PackageSpec, tmp_path: Path) -> None:
    dest = tmp_path / "long.png"
    layout = render_long_image(spec, dest, channel="wechat-article")

    with Image.open(dest) as image:
        assert image.size == (layout.width, layout.height)
    assert [block.number for block in layout.steps] == [1, 2, 3]
    tops = [block.box[1] for block in layout.steps]
    bottoms = [block.box[3] for block in layout.steps]
    assert all(bottom <= top for bottom, top in zip(bottoms, tops[1:], strict=False))  # no overlap
    assert bottoms[-1] <= layout.footer[1] < layout.footer[3] <= layout.height
    for block in layout.steps:
        left, top, right, bottom = block.picture
        assert block.box[1] < top < bottom <= block.box[3]  # the screenshot inside its step
        assert block.title_lines and block.text_lines
    heights = [block.picture[3] - block.picture[1] for block in layout.steps]
    assert heights[0] > heights[2]  # a portrait screenshot is taller than the landscape one


def test_long_image_grows_with_the_steps(spec: PackageSpec, tmp_path: Path) -> None:
    one = render_long_image(PackageSpec(spec.title, spec.url, spec.steps[:1]), tmp_path / "one.png", channel="weibo")
    three = render_long_image(spec, tmp_path / "three.png", channel="weibo")
    assert three.height > one.height + 1000


def test_long_image_qr_code_decodes_to_the_tagged_url(spec: PackageSpec, tmp_path: Path) -> None:
    dest = tmp_path / "long.png"
    render_long_image(spec, dest, channel="wechat-article")
    assert zbar(dest) == tagged_url(URL, "wechat-article")


def test_long_image_with_a_broken_screenshot_writes_nothing(spec: PackageSpec, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    bad = PackageSpec(spec.title, spec.url, (StepSpec(1, "打开", screenshot=broken),))
    with pytest.raises(PipelineError, match="Step 1: the screenshot 'broken.png' is not a readable image"):
        render_long_image(bad, tmp_path / "out" / "long.png", channel="weibo")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def media_box(pdf: Path) -> tuple[float, float]:
    match = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert match, "no MediaBox in the PDF"
    return float(match.group(1)), float(match.group(2))


@pytest.mark.parametrize(("paper", "millimetres"), [("A4", (210, 297)), ("A3", (297, 420))])
def test_poster_pdf_has_the_paper_size(spec: PackageSpec, tmp_path: Path, paper: str, millimetres) -> None:
    dest = tmp_path / f"poster-{paper}.pdf"
    poster = render_poster_pdf(spec, dest, paper=paper)

    assert dest.read_bytes().startswith(b"%PDF-")
    width, height = media_box(dest)
    assert width == pytest.approx(millimetres[0] / 25.4 * 72, abs=0.01)
    assert height == pytest.approx(millimetres[1] / 25.4 * 72, abs=0.01)
    assert poster.page_points == pytest.approx((width, height), abs=0.01)


def test_poster_qr_code_decodes_to_the_tagged_url(spec: PackageSpec, tmp_path: Path) -> None:
    poster = render_poster_pdf(spec, tmp_path / "poster.pdf", paper="A4", dpi=100)
    with _page_image(poster.path) as page:
        page.save(tmp_path / "page.png")
    assert zbar(tmp_path / "page.png") == tagged_url(URL, "poster")


def _page_image(pdf: Path) -> Image.Image:
    """The page's picture, taken back out of the PDF (Pillow writes one JPEG image per page)."""
    import io

    data = pdf.read_bytes()
    start = data.index(b"\xff\xd8")
    end = data.rindex(b"\xff\xd9") + 2
    return Image.open(io.BytesIO(data[start:end]))


def test_poster_refuses_an_unknown_paper_size(spec: PackageSpec, tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="Unknown paper size 'B5'"):
        render_poster_pdf(spec, tmp_path / "poster.pdf", paper="B5")
    assert not (tmp_path / "poster.pdf").exists()
