"""The vertical video renderer against real ffmpeg, ffprobe and zbarimg, on a short 3-step spec."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from media.pipeline.probe import read_mp4_layout
from media.pipeline.social import CHANNELS, Chapter, PackageSpec, StepSpec, cues_for_span, tagged_url
from media.pipeline.social_video import CONTENT_HEIGHT, CONTENT_TOP, plan_video, render_vertical_video
from media.pipeline.types import Cue, OverLimit, PipelineError
from tests.media.conftest import ffmpeg, ffprobe_json, stream

URL = "https://bangban.example.gov.cn/tutorials/shebao-jiaofei/"
DOUYIN = CHANNELS["douyin"]


@pytest.fixture(scope="module")
def spec(make_video: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory) -> PackageSpec:
    folder = tmp_path_factory.mktemp("spec")
    source = make_video(1280, 720, 6, audio="sine")
    screenshot = folder / "step2.png"
    Image.new("RGB", (720, 1280), (200, 220, 240)).save(screenshot)
    return PackageSpec(
        title="查询社保缴费记录",
        url=URL,
        steps=(
            StepSpec(1, "打开小程序", chapter=Chapter(source, 0.0, 3.0), cues=(Cue(0.5, 2.5, "打开“粤省事”小程序"),)),
            StepSpec(2, "点击缴费记录", screenshot=screenshot, cues=(Cue(1.0, 2.5, "点击社保缴费记录"),)),
            StepSpec(3, "选择查询年份", chapter=Chapter(source, 3.0, 5.0)),
        ),
    )


@pytest.fixture(scope="module")
def rendered(spec: PackageSpec, tmp_path_factory: pytest.TempPathFactory):
    reports: list[float] = []
    dest = tmp_path_factory.mktemp("video") / "douyin.mp4"
    result = render_vertical_video(spec, dest, channel=DOUYIN, progress=reports.append)
    return result, reports


def frame(video: Path, at: float, dest: Path) -> Image.Image:
    ffmpeg("-ss", f"{at:.3f}", "-i", video, "-frames:v", "1", dest)
    with Image.open(dest) as image:
        return image.convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(a, b)).mean)


def test_video_is_1080x1920_h264_aac_with_moov_first(rendered) -> None:
    result, _ = rendered
    info = ffprobe_json(result.path)
    video, audio = stream(info, "video"), stream(info, "audio")

    assert (video["width"], video["height"]) == (1080, 1920)
    assert video["codec_name"] == "h264"
    assert video["pix_fmt"] == "yuv420p"
    assert audio["codec_name"] == "aac"
    # title card 2.5 + chapter 3 + screenshot 4 + chapter 2 + end card 4
    assert result.duration == pytest.approx(15.5)
    assert float(info["format"]["duration"]) == pytest.approx(15.5, abs=0.15)
    types = read_mp4_layout(result.path).types
    assert types.index("moov") < types.index("mdat")


def test_progress_runs_from_zero_to_one(rendered) -> None:
    _, reports = rendered
    assert reports[0] == 0.0 and reports[-1] == 1.0
    assert reports == sorted(reports)
    assert any(0.0 < value < 1.0 for value in reports)


def test_burned_subtitle_shows_only_while_its_cue_runs(rendered, tmp_path: Path) -> None:
    result, _ = rendered
    screenshot_step = next(segment for segment in result.segments if segment.kind == "screenshot")
    without = frame(result.path, screenshot_step.start + 0.5, tmp_path / "without.png")
    with_cue = frame(result.path, screenshot_step.start + 1.7, tmp_path / "with.png")
    below = (0, CONTENT_TOP + CONTENT_HEIGHT, 1080, 1920)
    picture = (0, CONTENT_TOP, 1080, CONTENT_TOP + CONTENT_HEIGHT)

    assert difference(without.crop(below), with_cue.crop(below)) > 5  # the subtitle box and its text
    assert difference(without.crop(picture), with_cue.crop(picture)) < 1  # the step's picture itself is untouched


def test_step_number_and_title_change_with_the_step(rendered, tmp_path: Path) -> None:
    result, _ = rendered
    steps = [segment for segment in result.segments if segment.step is not None]
    header = (0, 0, 1080, CONTENT_TOP)
    first = frame(result.path, steps[0].start + 0.2, tmp_path / "one.png").crop(header)
    third = frame(result.path, steps[2].start + 0.2, tmp_path / "three.png").crop(header)
    title = frame(result.path, 1.0, tmp_path / "title.png").crop(header)

    assert difference(first, third) > 1
    assert difference(first, title) > 5


def test_end_card_qr_code_decodes_to_the_tagged_url(rendered, tmp_path: Path) -> None:
    result, _ = rendered
    end = result.segments[-1]
    assert end.kind == "end"
    still = tmp_path / "end.png"
    frame(result.path, end.start + 1.0, still)

    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(still)], capture_output=True, text=True, timeout=60)
    assert decoded.stdout.strip() == tagged_url(URL, "douyin")
    assert decoded.stdout.strip().endswith("?ch=douyin")


def test_length_limit_refuses_with_a_clear_reason(spec: PackageSpec) -> None:
    short = dataclasses.replace(DOUYIN, max_video_seconds=12)
    with pytest.raises(OverLimit, match=r"16 s, longer than 抖音's limit of 12 s"):
        plan_video(spec, channel=short)


def test_length_limit_trims_the_chapters_and_keeps_the_cards(spec: PackageSpec) -> None:
    short = dataclasses.replace(DOUYIN, max_video_seconds=13)
    plan = plan_video(spec, channel=short, over_limit="trim")

    assert plan.trimmed
    assert plan.duration <= 13
    assert [segment.kind for segment in plan.segments] == ["title", "chapter", "screenshot", "chapter", "end"]
    assert plan.segments[-1].duration == 4.0
    assert plan.segments[1].duration < 3.0


def test_trimmed_render_is_within_the_limit(spec: PackageSpec, tmp_path: Path) -> None:
    short = dataclasses.replace(DOUYIN, max_video_seconds=9)
    lean = dataclasses.replace(spec, steps=spec.steps[:1] + spec.steps[2:])  # 11.5 s in full
    result = render_vertical_video(lean, tmp_path / "short.mp4", channel=short, over_limit="trim")

    assert result.trimmed
    assert float(ffprobe_json(result.path)["format"]["duration"]) <= 9.1


def test_limit_too_small_for_the_cards_is_refused(spec: PackageSpec) -> None:
    tiny = dataclasses.replace(DOUYIN, max_video_seconds=8)
    with pytest.raises(OverLimit, match="cannot be made to fit"):
        plan_video(spec, channel=tiny, over_limit="trim")


def test_step_without_picture_or_video_is_named(spec: PackageSpec) -> None:
    bad = dataclasses.replace(spec, steps=(*spec.steps, StepSpec(4, "完成")))
    with pytest.raises(PipelineError, match="Step 4 has neither a video chapter nor a screenshot"):
        plan_video(bad, channel=DOUYIN)


def test_chapter_past_the_end_of_its_video_is_named(spec: PackageSpec) -> None:
    source = spec.steps[0].chapter.source
    bad = dataclasses.replace(spec, steps=(StepSpec(1, "打开", chapter=Chapter(source, 40.0, 45.0)),))
    with pytest.raises(PipelineError, match=r"Step 1: the video chapter starts at 40 s, after the end"):
        plan_video(bad, channel=DOUYIN)


def test_missing_screenshot_is_named(spec: PackageSpec, tmp_path: Path) -> None:
    bad = dataclasses.replace(spec, steps=(StepSpec(2, "点击", screenshot=tmp_path / "gone.png"),))
    with pytest.raises(PipelineError, match="Step 2: the screenshot 'gone.png' does not exist"):
        plan_video(bad, channel=DOUYIN)


def test_failed_render_leaves_the_old_file_and_no_partial_one(spec: PackageSpec, tmp_path: Path) -> None:
    dest = tmp_path / "douyin.mp4"
    dest.write_bytes(b"the previous package")

    def stop(value: float) -> None:
        if value > 0.1:
            raise RuntimeError("worker stopped")

    with pytest.raises(RuntimeError, match="worker stopped"):
        render_vertical_video(spec, dest, channel=DOUYIN, progress=stop)

    assert dest.read_bytes() == b"the previous package"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["douyin.mp4"]


def test_broken_chapter_source_fails_with_a_reason_and_writes_nothing(spec: PackageSpec, tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video\n" * 50)
    bad = dataclasses.replace(spec, steps=(StepSpec(1, "打开", chapter=Chapter(notes, 0.0, 2.0)),))
    out = tmp_path / "out"
    with pytest.raises(PipelineError, match="not a video"):
        render_vertical_video(bad, out / "douyin.mp4", channel=DOUYIN)
    assert not out.exists() or not any(out.iterdir())


def test_cues_for_span_cuts_and_retimes() -> None:
    cues = (Cue(1.0, 3.0, "a"), Cue(4.0, 6.0, "b"), Cue(9.0, 10.0, "c"))
    assert cues_for_span(cues, start=2.0, end=5.0) == (Cue(0.0, 1.0, "a"), Cue(2.0, 3.0, "b"))
