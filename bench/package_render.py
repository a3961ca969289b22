"""The vertical video of a channel package against a hand-written single ffmpeg command, in the same run.

Inputs are made here: a 60 s screen-recording-like clip (ffmpeg testsrc2) with speech from espeak-ng, and a
5-step spec (3 video chapters, 2 screenshots drawn by Pillow) with a subtitle cue every 3 s. The renderer
(`media.pipeline.social_video.render_vertical_video`) draws its cards and overlays in Python and runs one ffmpeg
filter graph; the baseline is one ffmpeg command written by hand: the same card and screenshot pictures, the step
titles and subtitles burned by libass from an .ass file (PlayResX/PlayResY 1080x1920). Same encoder settings.
Prints both times, the ratio (aim: at most 1.5x) and the peak RSS of the render (this process and its children).

    .venv/bin/python -m bench.package_render [--seconds 60]
"""

import argparse
import resource
import subprocess
import tempfile
import time
from pathlib import Path

AIM = 1.5
FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
SPEECH = "打开粤省事小程序，点击社保服务，选择缴费记录，输入查询年份，然后点击查询，就能看到每个月的缴费情况。"


def make_inputs(folder: Path, seconds: float):
    from media.pipeline.social import Chapter, PackageSpec, StepSpec
    from media.pipeline.types import Cue
    from tutorials.demo.screens import draw_phone_screen

    speech = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "cmn", "-s", "150", "-w", str(speech), SPEECH * 8], check=True)
    clip = folder / "recording.mp4"
    subprocess.run(
        [*FFMPEG, "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-stream_loop", "-1", "-i", str(speech), "-map", "0:v", "-map", "1:a", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(clip)],
        check=True,
    )  # fmt: skip
    shots = []
    for number, (title, rows, highlight) in enumerate(
        [("社保服务", ["养老保险缴费记录", "医疗保险缴费记录"], "养老保险缴费记录"),
         ("查询结果", ["2024年01月|已缴费", "2024年02月|已缴费"], "2024年01月")], 1
    ):  # fmt: skip
        path = folder / f"screen{number}.png"
        draw_phone_screen(app_name="粤省事", title=title, lines=rows, highlight=highlight).save(path)
        shots.append(path)

    chapter = (seconds - 2.5 - 4 - 8) / 3  # title card, end card and two 4 s screenshots fill the rest
    steps = []
    titles = ["打开“粤省事”小程序", "进入社保服务", "点击养老保险缴费记录", "选择查询年份", "查看每月缴费情况"]
    for number, title in enumerate(titles, 1):
        if number in (3, 5):
            steps.append(StepSpec(number, title, screenshot=shots[0 if number == 3 else 1],
                                  cues=(Cue(0.3, 3.5, title),)))  # fmt: skip
            continue
        index = {1: 0, 2: 1, 4: 2}[number]
        start = index * chapter
        cues = tuple(
            Cue(t, min(t + 2.8, chapter), f"第{number}步：{title}" if k % 2 == 0 else "跟着画面一步一步操作")
            for k, t in enumerate(x * 3.0 for x in range(int(chapter // 3)))
        )
        steps.append(StepSpec(number, title, chapter=Chapter(clip, start, start + chapter), cues=cues))
    spec = PackageSpec(
        title="查询社保缴费记录", url="https://bangban.example.gov.cn/tutorials/shebao/", steps=tuple(steps)
    )
    return spec


def _ass_time(seconds: float) -> str:
    centis = round(seconds * 100)
    return f"{centis // 360000}:{centis // 6000 % 60:02d}:{centis // 100 % 60:02d}.{centis % 100:02d}"


def hand_written(spec, folder: Path, dest: Path) -> list[str]:
    """The baseline: one ffmpeg command with the same pictures and libass for every line of text."""
    from media.pipeline import cards
    from media.pipeline.qr import qr_image
    from media.pipeline.social import CHANNELS, tagged_url
    from media.pipeline.social_video import _staged, plan_video

    plan = plan_video(spec, channel=CHANNELS["douyin"])
    cards.title_card(title=spec.title, brand=spec.brand, step_count=len(spec.steps)).save(folder / "t.png")
    qr = qr_image(tagged_url(spec.url, "douyin"), size=720)
    cards.end_card(title=spec.title, qr=qr, label="抖音", brand=spec.brand).save(folder / "e.png")
    events = []
    inputs = ["-loop", "1", "-framerate", "30", "-t", "2.5", "-i", str(folder / "t.png")]
    graph, joined = [], []
    for index, segment in enumerate(plan.segments[1:-1], 1):
        step = segment.step
        head = f"{{\\an7\\pos(60,40)\\c&H00C4FF&\\fs44}}第 {step.number} 步\\N{{\\c&HFFFFFF&\\fs64}}{step.title}"
        events.append(f"Dialogue: 0,{_ass_time(segment.start)},{_ass_time(segment.end)},Head,,0,0,0,,{head}")
        for cue in step.cues:
            events.append(
                f"Dialogue: 0,{_ass_time(segment.start + cue.start)},{_ass_time(segment.start + cue.end)},Sub,,0,0,0,,"
                f"{cue.text}"
            )
        if step.chapter is not None:
            inputs += ["-ss", f"{segment.source_start}", "-t", f"{segment.duration}", "-i", str(step.chapter.source)]
            graph.append(
                f"[{index}:v]scale=1080:1280:force_original_aspect_ratio=decrease,setsar=1,"
                f"pad=1080:1920:(ow-iw)/2:300+(1280-ih)/2:color=0x111318,fps=30,format=yuv420p[v{index}]"
            )
            graph.append(f"[{index}:a]aresample=48000,aformat=channel_layouts=stereo[a{index}]")
        else:
            _staged(cards.open_screenshot(step.screenshot, what="")).save(folder / f"s{index}.png")
            inputs += [
                "-loop",
                "1",
                "-framerate",
                "30",
                "-t",
                f"{segment.duration}",
                "-i",
                str(folder / f"s{index}.png"),
            ]
            graph.append(f"[{index}:v]format=yuv420p[v{index}]")
            graph.append(f"anullsrc=r=48000:cl=stereo,atrim=duration={segment.duration}[a{index}]")
        joined.append(f"[v{index}][a{index}]")
    last = len(plan.segments) - 1
    inputs += ["-loop", "1", "-framerate", "30", "-t", "4", "-i", str(folder / "e.png")]
    graph.insert(0, "[0:v]format=yuv420p[v0];anullsrc=r=48000:cl=stereo,atrim=duration=2.5[a0]")
    graph.append(f"[{last}:v]format=yuv420p[v{last}];anullsrc=r=48000:cl=stereo,atrim=duration=4[a{last}]")
    ass = folder / "text.ass"
    ass.write_text(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 1080\nPlayResY: 1920\nWrapStyle: 0\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\n"
        "Style: Head,Noto Sans CJK SC,64,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,7,"
        "60,60,40,1\n"
        "Style: Sub,Noto Sans CJK SC,58,&H00FFFFFF,&H00FFFFFF,&H4D000000,&H4D000000,-1,0,0,0,100,100,0,0,3,12,0,2,"
        "80,80,110,1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        + "\n".join(events) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    joined = ["[v0][a0]", *joined, f"[v{last}][a{last}]"]
    graph.append(f"{''.join(joined)}concat=n={len(joined)}:v=1:a=1[c][aout];[c]subtitles={ass}[vout]")
    return [
        *FFMPEG, *inputs, "-filter_complex", ";".join(graph), "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-r", "30", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-movflags", "+faststart", str(dest),
    ]  # fmt: skip


def peak_rss_mib() -> tuple[float, float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024, own / 1024, children / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    options = parser.parse_args()

    from media.pipeline.probe import probe
    from media.pipeline.social import CHANNELS
    from media.pipeline.social_video import render_vertical_video

    with tempfile.TemporaryDirectory(prefix="bench-package-") as name:
        folder = Path(name)
        spec = make_inputs(folder, options.seconds)
        # The render goes first so the children's peak RSS read after it is the render's, not the baseline's.
        started = time.perf_counter()
        result = render_vertical_video(spec, folder / "package.mp4", channel=CHANNELS["douyin"])
        rendered = time.perf_counter() - started
        peak, own, children = peak_rss_mib()

        command = hand_written(spec, folder, folder / "hand.mp4")  # its pictures are drawn outside the clock
        started = time.perf_counter()
        subprocess.run(command, check=True)
        baseline = time.perf_counter() - started

        facts, hand_facts = probe(result.path), probe(folder / "hand.mp4")
        print(f"video: {facts.width}x{facts.height} {facts.video_codec}/{facts.audio_codec}, {facts.duration:.1f} s "
              f"(hand-written: {hand_facts.width}x{hand_facts.height}, {hand_facts.duration:.1f} s)")  # fmt: skip
        print(f"hand-written ffmpeg command: {baseline:6.1f} s")
        print(f"render_vertical_video:       {rendered:6.1f} s")
        ratio = rendered / baseline
        print(f"ratio: {ratio:.2f}x (aim <= {AIM}x) {'OK' if ratio <= AIM else 'OVER'}")
        print(f"peak RSS: {peak:.0f} MiB (this process {own:.0f} MiB, largest child {children:.0f} MiB)")


if __name__ == "__main__":
    main()
