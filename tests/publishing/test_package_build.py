"""Building channel packages from a live tutorial: the files of each channel kind, checked with real tools."""

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from media.pipeline.poster_pdf import page_jpeg
from media.pipeline.probe import probe
from media.pipeline.social import tagged_url
from publishing.models import Package, PackageFile
from publishing.services import package_build
from tests.publishing.package_helpers import (
    STEP_TITLES,
    channel,
    ffmpeg_clip,
    real_video,
    tutorial_with_steps,
    with_video,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip(tmp_path_factory) -> Path:
    return ffmpeg_clip(tmp_path_factory.getbasetemp() / "package-clip.mp4")


def built(tutorial, slug: str) -> Package:
    package = Package(tutorial=tutorial, channel=channel(slug), live=False)
    package.save()
    package.save_revision()
    return package_build(package_id=package.pk)


def zbar(path: Path) -> list[str]:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line]


def stored(package: Package, role: str) -> Path:
    return Path(package.files.get(role=role).file.path)


def atoms(path: Path) -> list[str]:
    """The top-level MP4 boxes in file order."""
    names, data = [], path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        names.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return names


def test_the_vertical_video_package(tutorial_index, clip, tmp_path):
    tutorial = with_video(tutorial_with_steps(tutorial_index), real_video(clip))
    package = built(tutorial, "douyin")

    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    assert package.build_progress == 1.0
    assert package.tutorial_revision_id == tutorial.live_revision_id
    assert set(package.files.values_list("role", flat=True)) == {"video", "cover", "caption"}

    video = stored(package, "video")
    facts = probe(video)
    assert (facts.width, facts.height) == (1080, 1920)
    assert (facts.video_codec, facts.audio_codec) == ("h264", "aac")
    # title card 2.5 s + two 2 s chapters + step 3's screenshot 4 s + end card 4 s
    assert facts.duration == pytest.approx(2.5 + 2 + 2 + 4 + 4, abs=0.2)
    boxes = atoms(video)
    assert boxes.index("moov") < boxes.index("mdat")

    # The end card's QR code leads to the tutorial, tagged with the channel.
    frame = tmp_path / "end.png"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-sseof", "-1", "-i", str(video), "-frames:v", "1", str(frame)],
        check=True,
    )
    assert zbar(frame) == [tagged_url(tutorial.full_url, "douyin")]

    # An approved subtitle is burned in: the frame under it differs from the same moment with none (step 3).
    with_cue, without = tmp_path / "cue.png", tmp_path / "nocue.png"
    for at, dest in ((2.5 + 1.0, with_cue), (2.5 + 2 + 1.9, without)):
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-ss", str(at), "-i", str(video), "-frames:v", "1", str(dest)],
            check=True,
        )
    band = (80, 1600, 1000, 1810)
    cue_band = Image.open(with_cue).convert("L").crop(band)
    plain_band = Image.open(without).convert("L").crop(band)
    assert cue_band.getextrema()[1] - cue_band.getextrema()[0] > plain_band.getextrema()[1] - plain_band.getextrema()[0]

    cover = Image.open(stored(package, "cover"))
    assert cover.size == (1080, 1920)
    caption = stored(package, "caption").read_text(encoding="utf-8")
    assert caption == package.caption
    assert len(caption) <= 1000 and "#帮办" in caption

    # Every file is in the private storage, with its size and SHA-256 recorded.
    for row in package.files.all():
        path = Path(row.file.path)
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
        assert row.size == path.stat().st_size
        assert row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_rebuild_of_an_unchanged_tutorial_is_left_alone(tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, "poster")
    before = dict(package.files.values_list("role", "file"))
    again = package_build(package_id=package.pk)
    assert dict(again.files.values_list("role", "file")) == before


def test_the_article_package_has_every_step_in_its_long_image(tutorial_index):

    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, "wechat-article")
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    assert set(package.files.values_list("role", flat=True)) == {
        "article_html", "long_image", "cover", "caption", "step_image",
    }  # fmt: skip

    long_image = stored(package, "long_image")
    picture = Image.open(long_image)
    assert picture.width == 1080 and picture.height > 1280 * len(STEP_TITLES) * 0.8
    assert zbar(long_image) == [tagged_url(tutorial.full_url, "wechat-article")]
    text = ocr(long_image)
    for title in STEP_TITLES:
        assert title in text

    html = stored(package, "article_html").read_text(encoding="utf-8")
    assert html == package.article_html
    assert tagged_url(tutorial.full_url, "wechat-article").replace("&", "&amp;") in html
    assert all(title in html for title in STEP_TITLES)
    assert Image.open(stored(package, "cover")).size == (900, 383)


def ocr(path: Path) -> str:
    result = subprocess.run(
        ["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "4"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout)


def test_the_poster_package_has_an_a4_and_an_a3_page(tutorial_index, tmp_path):
    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, "poster")
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    sizes = {}
    for role in ("poster_a4", "poster_a3"):
        data = stored(package, role).read_bytes()
        (box,) = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        sizes[role] = tuple(round(float(side) / 72 * 25.4) for side in box)
        page = tmp_path / f"{role}.jpg"
        page.write_bytes(page_jpeg(stored(package, role)))
        assert zbar(page) == [tagged_url(tutorial.full_url, "poster")]
    assert sizes == {"poster_a4": (210, 297), "poster_a3": (297, 420)}


def test_the_weibo_package_links_the_tutorial_tagged_with_weibo(tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, "weibo")
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    assert tagged_url(tutorial.full_url, "weibo") in package.weibo_text
    assert len(package.weibo_text) <= 2000
    assert package.weibo_text == stored(package, "caption").read_text(encoding="utf-8")
    assert Image.open(io.BytesIO(package.files.get(role="cover").file.read())).size == (1080, 1080)


def test_a_failed_render_stores_nothing_and_says_why(tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    broken = channel("poster")
    broken.width = broken.height = 10  # the cover is drawn last, after both posters were rendered
    broken.save()
    package = built(tutorial, "poster")

    assert package.build_status == Package.BuildStatus.FAILED
    assert "too small" in package.failure_reason
    assert not PackageFile.objects.filter(package=package).exists()
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "packages" / str(package.pk)
    assert not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))


def test_a_failed_rebuild_keeps_the_last_good_files(tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, "poster")
    good = dict(package.files.values_list("role", "sha256"))
    Package.objects.filter(pk=package.pk).update(build_status=Package.BuildStatus.QUEUED)
    poster = package.channel
    poster.width = poster.height = 10
    poster.save()

    package = package_build(package_id=package.pk)
    assert package.build_status == Package.BuildStatus.FAILED
    assert dict(package.files.values_list("role", "sha256")) == good
    assert all(Path(row.file.path).is_file() for row in package.files.all())
