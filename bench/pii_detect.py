"""Personal-information guard: recall and false positives on generated text and screenshots, and the time to scan
a 60 s screen recording beside a bare tesseract run over the same frames.

    .venv/bin/python -m bench.pii_detect [--seed N] [--video-only]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from privacy.detect import find_numbers, samples
from privacy.detect.ocr import find_in_images, tesseract_command, tesseract_environment
from privacy.detect.video import find_in_video, sample_frames
from tutorials.demo import screens

TEXT_VALID, TEXT_LOOK_ALIKES = 300, 300
SHOTS_VALID, SHOTS_LOOK_ALIKES = 100, 30


def bench_text(rng: random.Random) -> None:
    found = 0
    for _ in range(TEXT_VALID):
        kind, make = samples.MAKERS[rng.choice(sorted(samples.MAKERS))]
        number = make(rng)
        text = samples.in_context(samples.written(number, rng, rng.choice(samples.FORMS)), rng)
        result = find_numbers(text)
        found += len(result) == 1 and result[0].kind is kind
    flagged = sum(bool(find_numbers(samples.look_alike(rng))) for _ in range(TEXT_LOOK_ALIKES))
    print(f"text: {TEXT_VALID + TEXT_LOOK_ALIKES} cases; recall {found}/{TEXT_VALID} ({100 * found / TEXT_VALID:.1f}%)")
    print(f"text: look-alikes flagged {flagged}/{TEXT_LOOK_ALIKES}")


def _font(size: int):
    return screens.ImageFont.truetype(str(screens.REGULAR_FONT), size, index=screens._face_index(screens.REGULAR_FONT))


def _busy_background(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (screens.WIDTH, screens.HEIGHT))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(screens.WIDTH), rng.randrange(screens.HEIGHT)
        r = rng.randrange(30, 200)
        colour = tuple(rng.randrange(150, 256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    return image.filter(ImageFilter.GaussianBlur(6))


def _shot(rng: random.Random, text: str, *, busy: bool) -> Image.Image:
    label = rng.choice(["身份证号", "手机号", "银行卡号", "联系电话", "证件号码"])
    if not busy:
        value = text if len(text) <= 22 else text.replace(" ", "")
        return screens.draw_phone_screen(
            app_name=rng.choice(["浙里办", "粤省事", "随申办"]),
            title=rng.choice(["个人信息", "实名认证", "绑定银行卡"]),
            lines=["#基本信息", "姓名|张三", f"{label}|{value}", "!请勿向他人透露验证码", "养老保险缴费记录"],
        )
    image = _busy_background(rng)
    draw = ImageDraw.Draw(image)
    size = rng.choice([24, 28, 30, 32, 40])
    y = rng.randrange(200, 1000)
    draw.text((40, y), label, font=_font(size), fill=screens.TEXT)
    draw.text((40, y + size + 16), text, font=_font(size), fill=screens.TEXT)
    return image


def bench_screenshots(rng: random.Random, workdir: Path) -> None:
    cases = []
    texts: dict[Path, str] = {}
    for index in range(SHOTS_VALID + SHOTS_LOOK_ALIKES):
        busy = index % 3 == 0
        if index < SHOTS_VALID:
            kind, make = samples.MAKERS[rng.choice(sorted(samples.MAKERS))]
            number = make(rng)
            text = samples.written(number, rng, rng.choice(["plain", "spaces", "dashes"]))
            expected = (kind, number[-4:])
        else:
            text, expected = samples.look_alike(rng), None
        path = workdir / f"shot-{index:03d}.png"
        _shot(rng, text, busy=busy).save(path)
        cases.append((path, expected, busy))
        texts[path] = text
    started = time.perf_counter()
    results = find_in_images([path for path, _, _ in cases])
    elapsed = time.perf_counter() - started
    found = flagged = busy_found = busy_total = 0
    missed = []
    for (path, expected, busy), result in zip(cases, results, strict=True):
        if expected is None:
            flagged += bool(result)
            continue
        hit = any(f.kind is expected[0] and f.masked.endswith(expected[1]) for f in result)
        found += hit
        busy_total += busy
        busy_found += hit and busy
        if not hit:
            missed.append(f"{path.name} ({'busy' if busy else 'app screen'}): {texts[path]!r}")
    print(
        f"screenshots: recall {found}/{SHOTS_VALID} ({100 * found / SHOTS_VALID:.1f}%), "
        f"on busy backgrounds {busy_found}/{busy_total}; look-alikes flagged {flagged}/{SHOTS_LOOK_ALIKES}; "
        f"{1000 * elapsed / len(cases):.0f} ms a screenshot"
    )
    for line in missed:  # made-up numbers: printed whole, to see what OCR made of them
        print(f"screenshots: missed {line}")


def _recording(rng: random.Random, workdir: Path) -> Path:
    """60 s: fifteen screens of four seconds, every third showing a number, each sliding in over half a second."""
    listing = []
    for index in range(15):
        rows = ["#基本信息", "姓名|张三", "手机号|请输入手机号", "养老保险缴费记录", "社保卡办理进度"]
        if index % 3 == 1:
            rows[2] = f"手机号|{samples.mobile(rng)}"
        if index % 3 == 2:
            rows.insert(2, f"身份证号|{samples.resident_id(rng)}")
        screen = screens.draw_phone_screen(app_name="浙里办", title=f"第{index + 1}页", lines=rows)
        path = workdir / f"screen-{index:02d}.png"
        screen.save(path)
        listing.append(f"file '{path}'\nduration 4\n")
    listing.append(f"file '{path}'\n")
    (workdir / "screens.txt").write_text("".join(listing))
    dest = workdir / "recording.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
         "-i", str(workdir / "screens.txt"), "-vf", "fps=30,format=yuv420p", "-c:v", "libx264", "-t", "60", str(dest)],
        check=True,
    )  # fmt: skip
    return dest


def _bare_run(unique: list[Path], workdir: Path) -> None:
    """The same pictures, in as many tesseract command processes as the scan runs engines, and nothing else."""
    halves = [unique[0::2], unique[1::2]]
    processes = []
    for index, part in enumerate(h for h in halves if h):
        listing = workdir / f"bare-{index}.txt"
        listing.write_text("".join(f"{p}\n" for p in part))
        processes.append(
            subprocess.Popen(tesseract_command(listing), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=tesseract_environment())
        )  # fmt: skip
    for process in processes:
        process.wait()


def bench_video(rng: random.Random, workdir: Path, *, rounds: int = 3) -> None:
    video = _recording(rng, workdir)
    frames_dir = workdir / "frames"
    frames_dir.mkdir()
    frames = sample_frames(video, frames_dir)
    unique = list(dict.fromkeys(frame.path for frame in frames))
    runs = []  # (scan wall, scan CPU, bare wall, bare CPU), the two side by side in each round
    for _ in range(rounds):
        started, cpu = time.perf_counter(), _cpu_seconds()
        findings = find_in_video(video, jobs=2)
        scan, scan_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        started, cpu = time.perf_counter(), _cpu_seconds()
        _bare_run(unique, workdir)
        runs.append((scan, scan_cpu, time.perf_counter() - started, _cpu_seconds() - cpu))
    scan, scan_cpu, bare, bare_cpu = (statistics.median(run[i] for run in runs) for i in range(4))
    wall_ratio = statistics.median(run[0] / run[2] for run in runs)
    cpu_ratio = statistics.median(run[1] / run[3] for run in runs)
    print(
        f"video: 60 s recording, {len(frames)} sampled frames, {len(unique)} read; {len(findings)} findings "
        f"(10 numbers shown); medians of {rounds} rounds: scan {scan:.2f} s = {scan / 60:.3f}x real time; "
        f"bare tesseract {bare:.2f} s; scan/bare {wall_ratio:.2f} (aim <= 1.2)"
    )
    # CPU time, this process and the ffmpeg, engine and tesseract processes it waited for: steadier than the wall
    # clock on a machine others use too.
    print(f"video: CPU time: scan {scan_cpu:.2f} s, bare tesseract {bare_cpu:.2f} s; scan/bare {cpu_ratio:.2f}")


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--video-only", action="store_true", help="only the video figures")
    options = parser.parse_args()
    seed = options.seed
    if not options.video_only:
        bench_text(random.Random(seed))
    with tempfile.TemporaryDirectory(prefix="bangban-bench-pii-") as workdir:
        if not options.video_only:
            bench_screenshots(random.Random(seed), Path(workdir))
        bench_video(random.Random(seed), Path(workdir))


if __name__ == "__main__":
    main()
