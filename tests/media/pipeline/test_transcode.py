from pathlib import Path

import pytest

from media.pipeline.probe import probe
from media.pipeline.transcode import transcode_for_phone
from media.pipeline.types import NotAVideo
from tests.media.conftest import ffprobe_json, stream


@pytest.fixture(scope="module")
def phone_rendition(sample_video: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    """The 6 s 720p sample (busy testsrc2 picture, speech) through the default settings, with its progress."""
    reports: list[float] = []
    dest = tmp_path_factory.mktemp("phone") / "phone.mp4"
    result = transcode_for_phone(sample_video, dest, progress=reports.append)
    assert result == dest
    return dest, reports


def test_phone_rendition_is_h264_aac_mp4_with_faststart(phone_rendition: tuple[Path, list[float]]) -> None:
    dest, _ = phone_rendition
    info = ffprobe_json(dest)
    video, audio = stream(info, "video"), stream(info, "audio")

    assert "mp4" in info["format"]["format_name"]
    assert video["codec_name"] == "h264"
    assert video["profile"] in ("Main", "High")
    assert video["pix_fmt"] == "yuv420p"
    assert audio["codec_name"] == "aac"
    assert probe(dest).faststart is True
    assert float(info["format"]["duration"]) == pytest.approx(6.0, abs=0.2)


def test_phone_rendition_keeps_720p_and_about_one_megabit(phone_rendition: tuple[Path, list[float]]) -> None:
    dest, _ = phone_rendition
    info = ffprobe_json(dest)
    video = stream(info, "video")

    assert (video["width"], video["height"]) == (1280, 720)
    assert int(info["format"]["bit_rate"]) <= 1_300_000
    assert int(info["format"]["bit_rate"]) >= 600_000  # the busy picture uses its budget; not a silent failure


def test_progress_runs_from_zero_to_one(phone_rendition: tuple[Path, list[float]]) -> None:
    _, reports = phone_rendition

    assert reports[0] == 0.0
    assert reports[-1] == 1.0
    assert reports == sorted(reports)
    assert any(0.0 < value < 1.0 for value in reports)


@pytest.mark.parametrize(
    ("size", "max_height", "expected"),
    [
        ((640, 360), 180, (320, 180)),  # landscape: the height is the short side
        ((360, 640), 180, (180, 320)),  # portrait phone recording: the width is the short side
        ((320, 240), 720, (320, 240)),  # never enlarged
        ((321, 241), 720, (320, 240)),  # odd sizes become even, as yuv420p needs
    ],
)
def test_size_is_capped_keeping_aspect_and_even(
    make_video, tmp_path: Path, size: tuple[int, int], max_height: int, expected: tuple[int, int]
) -> None:
    src = make_video(*size, 1)

    dest = transcode_for_phone(src, tmp_path / "out.mp4", max_height=max_height, preset="ultrafast")

    video = stream(ffprobe_json(dest), "video")
    assert (video["width"], video["height"]) == expected


def test_a_video_without_sound_stays_without_sound(video_without_audio: Path, tmp_path: Path) -> None:
    dest = transcode_for_phone(video_without_audio, tmp_path / "out.mp4", preset="ultrafast")

    info = ffprobe_json(dest)
    assert stream(info, "video")["codec_name"] == "h264"
    assert stream(info, "audio") is None


def test_frame_rate_is_capped_at_thirty(make_video, tmp_path: Path) -> None:
    src = make_video(160, 120, 1, fps=60)

    dest = transcode_for_phone(src, tmp_path / "out.mp4", preset="ultrafast")

    assert stream(ffprobe_json(dest), "video")["avg_frame_rate"] == "30/1"


def test_a_bad_input_leaves_the_old_file_and_no_temporary_files(text_as_mp4: Path, tmp_path: Path) -> None:
    dest = tmp_path / "phone.mp4"
    dest.write_bytes(b"previous rendition")

    with pytest.raises(NotAVideo):
        transcode_for_phone(text_as_mp4, dest)

    assert dest.read_bytes() == b"previous rendition"
    assert [path.name for path in tmp_path.iterdir()] == ["phone.mp4"]


def test_an_interrupted_transcode_writes_nothing(make_video, tmp_path: Path) -> None:
    src = make_video(320, 240, 3, audio="sine")
    dest = tmp_path / "phone.mp4"

    def cancel(fraction: float) -> None:
        if fraction > 0:
            raise KeyboardInterrupt("worker stopping")

    with pytest.raises(KeyboardInterrupt):
        transcode_for_phone(src, dest, progress=cancel, preset="ultrafast")

    assert list(tmp_path.iterdir()) == []
