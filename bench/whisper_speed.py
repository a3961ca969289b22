"""Whisper transcription speed on CPU: faster-whisper (int8, float32) against openai-whisper, same weights.

For a 60 s clip of generated English speech prints, per engine, the speed as a multiple of real time (audio seconds /
wall seconds, median of 3 runs after one warm-up) and the peak memory (RSS high-water mark of a child process that
runs only that engine), then the ratio faster-whisper int8 / openai-whisper. Figures only, no pass/fail.

Aims: faster-whisper >= 8x real time, and >= 3x openai-whisper.

All engines decode alike (temperature 0, beam 5, no VAD, so each gets the same audio to work through); one extra
row shows faster-whisper int8 with the pipeline's default VAD filter.

    .venv/bin/python -m bench.whisper_speed [--runs 3] [--seconds 60]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM_REAL_TIME = 8.0
AIM_VS_OPENAI = 3.0
ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "To check your social insurance record, open the app and tap the search button.",
    "Enter your identity card number and the code we send to your phone, then press confirm.",
    "Your payment history for the last twelve months appears on the next page.",
    "If a month is missing, tap report a problem and choose the office nearest to you.",
    "You can also print the record or send it to your employer as a file.",
]
# (label, engine, compute type, VAD filter)
ENGINES = [
    ("faster-whisper int8", "faster-whisper", "int8", False),
    ("faster-whisper float32", "faster-whisper", "float32", False),
    ("openai-whisper fp32", "openai-whisper", "float32", False),
    ("faster-whisper int8 + VAD", "faster-whisper", "int8", True),
]


def make_clip(folder: Path, seconds: float) -> Path:
    """English tutorial speech from espeak-ng, looped to ``seconds``, as 16 kHz mono WAV."""
    parts = []
    for i, sentence in enumerate(SENTENCES):
        part = folder / f"part{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-g", "8", "-w", str(part), sentence], check=True)
        parts.append(part)
    listing = folder / "parts.txt"
    listing.write_text("".join(f"file '{part}'\n" for part in parts))
    clip = folder / f"speech-{seconds:g}s.wav"
    ffmpeg = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error"]
    subprocess.run(
        [*ffmpeg, "-stream_loop", "-1", "-f", "concat", "-safe", "0", "-i", str(listing), "-t", f"{seconds}"]
        + ["-ar", "16000", "-ac", "1", str(clip)],
        check=True,
    )
    return clip


def run_child(audio: Path, model_dir: Path, engine: str, compute_type: str, vad: bool, runs: int) -> None:
    """In a fresh process: one warm-up (loads the model), then ``runs`` timed transcriptions; prints JSON."""
    from media.pipeline.transcribe import transcribe

    options = {"language": "en", "engine": engine, "model_dir": model_dir, "compute_type": compute_type}
    transcript = transcribe(audio, vad_filter=vad, **options)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        transcript = transcribe(audio, vad_filter=vad, **options)
        seconds.append(time.perf_counter() - started)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "text": transcript.text}))


def measure(audio: Path, model_dir: Path, engine: str, compute_type: str, vad: bool, runs: int) -> dict:
    command = [sys.executable, "-m", "bench.whisper_speed", "--child", engine, compute_type, str(int(vad))]
    command += ["--audio", str(audio), "--model-dir", str(model_dir), "--runs", str(runs)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{engine} {compute_type} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def openai_whisper_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("whisper", "torch"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "bangban-whisper-cache")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "COMPUTE_TYPE", "VAD"), help=argparse.SUPPRESS)
    parser.add_argument("--audio", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare-openai", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_openai:
        from media.pipeline.whisper_convert import ensure_openai_checkpoint

        ensure_openai_checkpoint(args.model_dir)
        return 0
    if args.child:
        engine, compute_type, vad = args.child
        run_child(args.audio, args.model_dir, engine, compute_type, vad == "1", args.runs)
        return 0

    from media.pipeline.weights import ensure_model_dir

    model_dir = ensure_model_dir(args.cache_dir)
    has_openai = openai_whisper_installed()
    if has_openai:  # convert once, in its own process, so neither the timings nor the peak memory include it
        command = [sys.executable, "-m", "bench.whisper_speed", "--prepare-openai", "--model-dir", str(model_dir)]
        subprocess.run(command, cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="bangban-whisper-bench-") as folder:
        audio = make_clip(Path(folder), args.seconds)
        print(f"Whisper model {model_dir}; {args.seconds:g} s of espeak-ng English, 16 kHz mono; {os.cpu_count()} CPUs")
        print(f"median of {args.runs} runs after one warm-up; temperature 0, beam 5, language given\n")
        print(f"{'engine':<27} {'median s':>9} {'x real time':>12} {'peak RSS MiB':>13}  aim")
        results: dict[str, dict] = {}
        for label, engine, compute_type, vad in ENGINES:
            if engine == "openai-whisper" and not has_openai:
                print(f"{label:<27} {'not installed (pip install openai-whisper)':>36}")
                continue
            figures = measure(audio, model_dir, engine, compute_type, vad, args.runs)
            median = statistics.median(figures["seconds"])
            speed = args.seconds / median
            results[label] = {**figures, "speed": speed}
            aim = f">= {AIM_REAL_TIME:g}x real time" if engine == "faster-whisper" else ""
            if aim:
                aim += " (met)" if speed >= AIM_REAL_TIME else " (NOT met)"
            print(f"{label:<27} {median:>9.2f} {speed:>11.1f}x {figures['peak_mib']:>13.0f}  {aim}")

    print()
    fast, reference = results.get("faster-whisper int8"), results.get("openai-whisper fp32")
    if fast and reference:
        ratio = fast["speed"] / reference["speed"]
        met = "met" if ratio >= AIM_VS_OPENAI else "NOT met"
        print(f"faster-whisper int8 / openai-whisper: {ratio:.2f}x   aim >= {AIM_VS_OPENAI:g}x ({met})")
        same = results["faster-whisper float32"]["text"] == reference["text"]
        print(f"faster-whisper float32 text identical to openai-whisper: {'yes' if same else 'no'}")
    else:
        print("faster-whisper int8 / openai-whisper: not measured (openai-whisper not installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
