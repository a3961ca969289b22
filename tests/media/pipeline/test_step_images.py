"""Each step's picture as a file of the article package, and the article that shows them by their file names."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from media.pipeline.package import render_package
from media.pipeline.social import CHANNELS, PackageSpec, StepSpec
from media.pipeline.step_images import render_step_image, render_step_images
from media.pipeline.types import PipelineError

URL = "https://bangban.example.gov.cn/tutorials/shebao-jiaofei/"


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def images_of(html: str) -> list[dict[str, str]]:
    parser = Images()
    parser.feed(html)
    return parser.found


@pytest.fixture
def spec(tmp_path: Path) -> PackageSpec:
    wide = tmp_path / "wide.png"
    Image.new("RGB", (1440, 2560), (30, 120, 200)).save(wide)
    small = tmp_path / "small.jpg"
    Image.new("RGB", (720, 1280), (200, 120, 30)).save(small)
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (600, 400), (0, 0, 0, 0)).save(clear)
    steps = (
        StepSpec(1, "打开“粤省事”小程序", text="在微信里搜索。", screenshot=wide),
        StepSpec(2, "点击“社保缴费记录”", text="在首页找到入口。", screenshot=small),
        StepSpec(3, "等待结果", text="这一步没有截图。"),
        StepSpec(4, "选择查询年份", text="选好年份后查看。", screenshot=clear),
    )
    return PackageSpec(title="查询社保缴费记录", url=URL, steps=steps, summary="四步查到自己的缴费记录。")


def test_the_article_package_carries_each_step_picture_and_shows_it_by_name(spec: PackageSpec, tmp_path: Path):
    folder = tmp_path / "out"
    rendered = render_package(spec, folder, channel=CHANNELS["wechat-article"])

    assert {number: path.name for number, path in rendered.step_images.items()} == {
        1: "step-01.jpg",
        2: "step-02.jpg",
        4: "step-04.jpg",
    }
    sizes = {}
    for path in rendered.step_images.values():
        assert path.parent == folder and path.read_bytes().startswith(b"\xff\xd8")
        with Image.open(path) as picture:
            assert picture.format == "JPEG" and picture.mode == "RGB"
            sizes[path.name] = picture.size
    # Shrunk to a phone article's width keeping its shape; a smaller picture is never enlarged.
    assert sizes == {"step-01.jpg": (1080, 1920), "step-02.jpg": (720, 1280), "step-04.jpg": (600, 400)}
    # A transparent screenshot lies on white, not black.
    with Image.open(folder / "step-04.jpg") as picture:
        assert min(picture.getpixel((300, 200))) > 240

    html = (folder / "article.html").read_text(encoding="utf-8")
    assert html == rendered.article_html
    shown = images_of(html)
    assert [image["src"] for image in shown] == ["step-01.jpg", "step-02.jpg", "step-04.jpg"]
    assert [image["alt"] for image in shown] == [
        "第1步：打开“粤省事”小程序",
        "第2步：点击“社保缴费记录”",
        "第4步：选择查询年份",
    ]
    assert all("max-width:100%" in image["style"] for image in shown)
    # Each picture follows its own step's heading: step 3 has none.
    step_three = html.split("等待结果", 1)[1].split("选择查询年份", 1)[0]
    assert "<img" not in step_three
    # Every file of the package, pictures included, for the command line and the store.
    assert {path.name for path in rendered.paths()} == {
        "step-01.jpg", "step-02.jpg", "step-04.jpg", "article.html", "long-image.png", "cover.jpg", "caption.txt",
    }  # fmt: skip


def test_other_channels_have_no_step_pictures(spec: PackageSpec, tmp_path: Path):
    rendered = render_package(spec, tmp_path / "weibo", channel=CHANNELS["weibo"])
    assert rendered.step_images == {}
    assert not list((tmp_path / "weibo").glob("step-*.jpg"))


def test_a_step_picture_keeps_its_orientation(tmp_path: Path):
    source = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: shown rotated 90 degrees clockwise
    Image.new("RGB", (1600, 900), (90, 90, 90)).save(source, exif=exif)
    assert render_step_image(source, tmp_path / "step-01.jpg", what="Step 1") == (900, 1600)
    with Image.open(tmp_path / "step-01.jpg") as picture:
        assert picture.size == (900, 1600)


def test_a_broken_screenshot_names_its_step_and_writes_nothing(spec: PackageSpec, tmp_path: Path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    steps = (*spec.steps[:1], StepSpec(2, "点击", screenshot=broken))
    folder = tmp_path / "pictures"
    folder.mkdir()
    with pytest.raises(PipelineError, match=re.escape("Step 2: the screenshot 'broken.png' is not a readable image")):
        render_step_images(PackageSpec(title="t", url=URL, steps=steps), folder)
    assert not list(folder.glob("step-02*"))
