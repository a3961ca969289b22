from pathlib import Path

import pytest
from PIL import Image

from media.pipeline.poster import extract_poster
from media.pipeline.types import NotAVideo
from tests.media.conftest import ffmpeg


@pytest.fixture(scope="module")
def red_then_blue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s: red for the first two seconds, blue for the last two, so a frame tells where it was taken."""
    path = tmp_path_factory.mktemp("poster") / "red_then_blue.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=red:size=160x120:rate=10:duration=2",
        "-f", "lavfi", "-i", "color=c=blue:size=160x120:rate=10:duration=2",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path,
    )  # fmt: skip
    return path


def _colour(path: Path) -> str:
    with Image.open(path) as image:
        red, green, blue = image.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert green < 60
    return "red" if red > blue else "blue"


def test_poster_is_a_progressive_jpeg_at_most_720_wide(sample_video: Path, tmp_path: Path) -> None:
    dest = extract_poster(sample_video, tmp_path / "poster.jpg")

    with Image.open(dest) as image:
        assert image.format == "JPEG"
        assert image.info.get("progressive") or image.info.get("progression")
        assert image.size == (720, 405)  # 1280x720 scaled, aspect kept


def test_small_videos_are_not_enlarged(video_without_audio: Path, tmp_path: Path) -> None:
    dest = extract_poster(video_without_audio, tmp_path / "poster.jpg", max_width=1000)

    with Image.open(dest) as image:
        assert image.size == (640, 360)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (None, "red"),  # default: 10% in, 0.4 s
        (0.5, "red"),
        (3.0, "blue"),
        (60.0, "blue"),  # past the end: clamped to just before it
        (-5.0, "red"),  # before the start: clamped to the start
    ],
)
def test_poster_frame_is_taken_at_the_requested_time(
    red_then_blue: Path, tmp_path: Path, at: float | None, expected: str
) -> None:
    dest = extract_poster(red_then_blue, tmp_path / "poster.jpg", at=at)

    assert _colour(dest) == expected


def test_a_failed_poster_leaves_nothing_behind(text_as_mp4: Path, tmp_path: Path) -> None:
    with pytest.raises(NotAVideo):
        extract_poster(text_as_mp4, tmp_path / "poster.jpg")

    assert list(tmp_path.iterdir()) == []
