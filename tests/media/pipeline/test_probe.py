from pathlib import Path

import pytest

from media.pipeline.probe import check_limits, probe, read_mp4_layout
from media.pipeline.types import NotAVideo, OverLimit, PipelineError, ProbeResult
from tests.media.conftest import ffmpeg


def test_probe_reads_the_facts_of_a_video(sample_video: Path) -> None:
    result = probe(sample_video)

    assert result.duration == pytest.approx(6.0, abs=0.1)
    assert (result.width, result.height) == (1280, 720)
    assert result.video_codec == "h264"
    assert result.audio_codec == "aac"
    assert result.has_video and result.has_audio
    assert result.size_bytes == sample_video.stat().st_size
    assert "mp4" in result.format_name
    assert result.bit_rate and result.bit_rate > 100_000
    assert result.faststart is False  # ffmpeg writes the index last unless asked


def test_faststart_is_true_when_the_index_comes_first(faststart_video: Path) -> None:
    assert probe(faststart_video).faststart is True


def test_a_video_without_sound_has_no_audio_codec(video_without_audio: Path) -> None:
    result = probe(video_without_audio)

    assert result.has_video
    assert result.audio_codec is None
    assert not result.has_audio


def test_a_rotated_phone_recording_reports_its_upright_size(make_video, tmp_path: Path) -> None:
    rotated = tmp_path / "rotated.mp4"
    ffmpeg("-i", make_video(320, 240, 1), "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated)

    result = probe(rotated)

    assert (result.width, result.height) == (240, 320)


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("empty_mp4", "empty (0 bytes)"),
        ("text_as_mp4", "not a video"),
        ("png_as_mp4", "still image (PNG)"),
        ("truncated_mp4", "index (the 'moov' box) is missing"),
        ("truncated_faststart_mp4", "truncated"),
        ("audio_only_mp4", "no video stream"),
    ],
)
def test_bad_uploads_get_a_readable_reason(fixture: str, reason: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(fixture)

    with pytest.raises(NotAVideo) as raised:
        probe(path)

    assert reason in str(raised.value)
    assert "ffprobe" not in str(raised.value)


def test_a_missing_file_is_a_pipeline_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="does not exist"):
        probe(tmp_path / "nowhere.mp4")


def test_mp4_layout_lists_top_level_boxes_in_order(sample_video: Path, faststart_video: Path) -> None:
    plain = read_mp4_layout(sample_video)
    fast = read_mp4_layout(faststart_video)

    assert plain is not None and fast is not None
    assert plain.types[0] == "ftyp" and fast.types[0] == "ftyp"
    assert plain.types.index("mdat") < plain.types.index("moov")
    assert fast.types.index("moov") < fast.types.index("mdat")
    assert not plain.truncated and not fast.truncated
    assert sum(box.size for box in plain.boxes) == sample_video.stat().st_size


def test_mp4_layout_is_none_for_other_files(text_as_mp4: Path, png_as_mp4: Path) -> None:
    assert read_mp4_layout(text_as_mp4) is None
    assert read_mp4_layout(png_as_mp4) is None


def _result(*, size_bytes: int = 50 * 1024**2, duration: float = 120.0) -> ProbeResult:
    return ProbeResult(
        duration=duration,
        size_bytes=size_bytes,
        format_name="mov,mp4,m4a,3gp,3g2,mj2",
        width=1280,
        height=720,
        video_codec="h264",
        audio_codec="aac",
        bit_rate=1_000_000,
        faststart=True,
    )


def test_check_limits_accepts_a_video_within_them() -> None:
    check_limits(_result(), max_bytes=500 * 1024**2, max_seconds=1800)


def test_check_limits_rejects_a_large_file_in_megabytes() -> None:
    with pytest.raises(OverLimit) as raised:
        check_limits(_result(size_bytes=812 * 1024**2), max_bytes=500 * 1024**2, max_seconds=1800)

    assert "812 MB" in str(raised.value)
    assert "500 MB" in str(raised.value)


def test_check_limits_rejects_a_long_video_in_minutes() -> None:
    with pytest.raises(OverLimit) as raised:
        check_limits(_result(duration=3725), max_bytes=500 * 1024**2, max_seconds=1800)

    assert "1 h 02 min" in str(raised.value)
    assert "30 min" in str(raised.value)
