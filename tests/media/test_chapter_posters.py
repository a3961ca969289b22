"""Chapter posters: a frame a second into each chapter, from the phone version, made once (ffmpeg, real files)."""

import io
import subprocess

import pytest
from django.core.files import File
from PIL import Image

from media import services
from media.models import VideoAsset
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_colour_video(tmp_path):
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error",
            "-f", "lavfi", "-i", "color=c=red:s=320x480:r=20:d=2.5",
            "-f", "lavfi", "-i", "color=c=lime:s=320x480:r=20:d=2.75",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]",
            "-c:v", "libx264", "-g", "5", "-pix_fmt", "yuv420p", str(clip),
        ],
        check=True,
    )  # fmt: skip
    video = factories.make_video(subtitles="none", duration=5.25)
    with open(clip, "rb") as handle:
        video.rendition.save("clip.mp4", File(handle), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(rendition=video.rendition.name)
    video.refresh_from_db()
    return video


def centre(storage, name):
    with storage.open(name) as handle, Image.open(io.BytesIO(handle.read())) as image:
        return image.width, image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def test_each_chapter_gets_its_own_frame_once(two_colour_video):
    video = two_colour_video
    storage = video.poster.storage
    made = services.video_chapter_posters_make(asset_id=video.pk, chapters=[(0.0, 2.5), (2.5, None)])
    assert made == 2
    width, red = centre(storage, services.chapter_poster_name(asset_id=video.pk, start=0.0))
    _, lime = centre(storage, services.chapter_poster_name(asset_id=video.pk, start=2.5))
    assert width == 320 and red[0] > 200 and red[1] < 60 and lime[1] > 200 and lime[0] < 60
    # A second run (a republish) makes none again; a new chapter start makes only its own.
    assert services.video_chapter_posters_make(asset_id=video.pk, chapters=[(0.0, 2.5), (2.5, None)]) == 0
    assert services.video_chapter_posters_make(asset_id=video.pk, chapters=[(0.0, 1.2), (1.2, 2.5)]) == 1


def test_a_short_chapter_takes_its_middle_not_the_next_chapter(two_colour_video):
    video = two_colour_video
    services.video_chapter_posters_make(asset_id=video.pk, chapters=[(2.0, 2.5)])
    _, colour = centre(video.poster.storage, services.chapter_poster_name(asset_id=video.pk, start=2.0))
    assert colour[0] > 200 and colour[1] < 60  # 2.25 s, still red: a second in would be the next chapter


def test_unprocessed_or_unreadable_videos_make_nothing_and_raise_nothing(tmp_path):
    pending = factories.make_video(status="processing")
    assert services.video_chapter_posters_make(asset_id=pending.pk, chapters=[(0.0, None)]) == 0
    broken = factories.make_video()  # its phone version is a few bytes, not a video
    assert services.video_chapter_posters_make(asset_id=broken.pk, chapters=[(0.0, None)]) == 0
    assert not broken.poster.storage.exists(services.chapter_poster_name(asset_id=broken.pk, start=0.0))
