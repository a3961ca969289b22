"""The whole video pipeline against the same work done by hand, in the same run.

Baseline: the hand-written ffmpeg commands (phone transcode, poster frame, 16 kHz audio) plus one bare
faster-whisper call. Pipeline: `media.services.video_process` on an uploaded asset (probe, the same stages,
progress reporting, subtitle cues, database writes). Both use a loaded model (one warm-up first); runs are
interleaved and the medians compared. Aim: pipeline at most 1.3x the bare commands.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.pipeline_overhead [--runs 3] [--seconds 60]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM = 1.3
FFMPEG = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]


def make_video(folder: Path, seconds: float) -> Path:
    from bench.whisper_speed import make_clip

    speech = make_clip(folder, seconds)
    video = folder / "tutorial.mp4"
    subprocess.run(
        [*FFMPEG, "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}", "-i", str(speech),
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(video)],
        check=True,
    )  # fmt: skip
    return video


def bare(video: Path, work: Path, model) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*FFMPEG, "-i", str(video), "-vf", "scale=-2:720", "-c:v", "libx264", "-preset", "medium", "-profile:v",
         "high", "-pix_fmt", "yuv420p", "-b:v", "1000k", "-maxrate", "1200k", "-bufsize", "2000k", "-c:a", "aac",
         "-b:a", "96k", "-movflags", "+faststart", str(work / "phone.mp4")],
        check=True,
    )  # fmt: skip
    subprocess.run([*FFMPEG, "-ss", "6", "-i", str(video), "-frames:v", "1", str(work / "poster.jpg")], check=True)
    subprocess.run([*FFMPEG, "-i", str(video), "-vn", "-ac", "1", "-ar", "16000", str(work / "audio.wav")], check=True)
    segments, _ = model.transcribe(
        str(work / "audio.wav"), language="en", beam_size=5, temperature=0.0, condition_on_previous_text=False,
        vad_filter=True,
    )  # fmt: skip
    list(segments)
    return time.perf_counter() - started


def pipeline(video: Path) -> float:
    from django.core.files import File

    from media import services
    from media.models import VideoAsset

    with open(video, "rb") as handle:
        asset = VideoAsset(title="bench", language="en")
        asset.file.save("bench.mp4", File(handle), save=False)
        VideoAsset.objects.bulk_create([asset])  # no queue: the benchmark runs the task body itself
    started = time.perf_counter()
    services.video_process(asset_id=asset.pk)
    elapsed = time.perf_counter() - started
    asset.refresh_from_db()
    if asset.status != VideoAsset.Status.READY:
        raise SystemExit(f"pipeline failed: {asset.failure_reason}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.conf import settings

    from media.pipeline.transcribe import _load
    from media.services import whisper_options

    options = whisper_options()
    model = _load(options["engine"], options["model_dir"], options["compute_type"])
    with tempfile.TemporaryDirectory(prefix="bangban-bench-") as tmp:
        folder = Path(tmp)
        video = make_video(folder, args.seconds)
        settings.MEDIA_WORK_DIR = folder / "work"
        bare(video, folder, model)  # warm-up: page cache, model buffers
        bare_times, pipeline_times = [], []
        for _ in range(args.runs):
            bare_times.append(bare(video, folder, model))
            pipeline_times.append(pipeline(video))
    bare_median, pipeline_median = statistics.median(bare_times), statistics.median(pipeline_times)
    print(f"video pipeline on a {args.seconds:g} s 720p clip with speech, median of {args.runs} interleaved runs")
    print(f"  bare ffmpeg commands + faster-whisper call: {bare_median:6.2f} s  {[round(t, 2) for t in bare_times]}")
    print(
        f"  media.services.video_process:               {pipeline_median:6.2f} s  "
        f"{[round(t, 2) for t in pipeline_times]}"
    )
    print(f"  pipeline / bare = {pipeline_median / bare_median:.2f}x (aim <= {AIM}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
