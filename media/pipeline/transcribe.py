"""Speech to text with Whisper: faster-whisper (CTranslate2) by default, openai-whisper as the reference engine.

Both engines run the same weights (``media.pipeline.weights``; openai-whisper through a converted checkpoint,
``media.pipeline.whisper_convert``) and decode the same way:

- temperature 0 only. Whisper's default fallback to higher temperatures made Chinese 10-30x slower and
  produced invented text; a deterministic beam search is both faster and steadier.
- the language is always passed: on short clips Whisper base detects Mandarin as Thai.
- condition_on_previous_text is off: with no temperature fallback to break a loop, a window that repeated
  itself would otherwise feed that repetition to every following window.
- faster-whisper filters out non-speech with its bundled Silero VAD (``vad_filter``). Over silence or pink noise
  Whisper base invents a Chinese line a second ("字幕製作人", "subtitles by") and, before speech, starts the first
  cue at 0 s instead of where speech begins; the filter removes both. openai-whisper has no VAD and runs as
  published.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

from media.pipeline.chinese import to_simplified
from media.pipeline.types import ModelUnavailable, PipelineError, Progress, Segment, Transcript

ENGINES = ("faster-whisper", "openai-whisper")

# One loaded model per (engine, model folder, compute type), so a worker pays the load once.
_MODELS: dict[tuple[str, str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


def transcribe(
    audio: Path,
    *,
    language: str,
    engine: str = "faster-whisper",
    model_dir: Path,
    compute_type: str = "int8",
    hotwords: str | None = None,
    progress: Progress | None = None,
    beam_size: int = 5,
    vad_filter: bool = True,
) -> Transcript:
    """Transcribe ``audio`` (any format ffmpeg reads) in ``language`` ("zh", "en", "zh-hans", …).

    ``hotwords`` (names of apps, services, places) bias the decoder towards their spelling. On a test clip Whisper
    base copied the comma list "Alipay, WeChat, social insurance" into the text; space-joined terms or a finished
    sentence ending in "." were not copied. Chinese output is written in Simplified characters. ``vad_filter``
    applies to faster-whisper only, and so does ``progress`` between 0 and 1: openai-whisper reports no segments
    until it is done.
    """
    audio = Path(audio)
    if not audio.is_file():
        raise PipelineError(f"The audio file {audio.name} does not exist.")
    model_dir = Path(model_dir)
    code = _language_code(language, model_dir)
    report = progress or (lambda fraction: None)
    report(0.0)
    if engine == "faster-whisper":
        raw = _faster_whisper(audio, code, model_dir, compute_type, hotwords, beam_size, vad_filter, report)
    elif engine == "openai-whisper":
        raw = _openai_whisper(audio, code, model_dir, compute_type, hotwords, beam_size)
    else:
        raise PipelineError(f"Unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}.")
    segments = []
    for start, end, text in raw:
        text = collapse_repeats(text.strip())
        if code == "zh":
            text = to_simplified(text)  # Whisper base writes Mandarin in Traditional characters
        if text:
            segments.append(Segment(start=round(start, 2), end=round(max(end, start), 2), text=text))
    report(1.0)
    return Transcript(language=code, segments=tuple(segments), engine=engine, model=model_dir.name)


# A phrase said four or more times in a row, with only spaces or commas between: at temperature 0 without
# fallback, Whisper sometimes loops on unclear audio ("下开补,下开补,下开补,…", "4-4-4-4-…").
_REPEATS = re.compile(r"(.{1,12}?)(?:[\s,，、]*\1){3,}")


def collapse_repeats(text: str) -> str:
    """Keep one copy of a phrase the decoder repeated in a loop; ordinary doubled words stay."""
    return _REPEATS.sub(r"\1", text)


def _language_code(language: str, model_dir: Path) -> str:
    """Whisper's code for a Django/BCP 47 language code: "zh-hans" → "zh", "en-us" → "en"."""
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    known = _model_languages(str(model_dir))
    if known and code not in known:
        raise PipelineError(f"The Whisper model in {model_dir.name} does not know the language {language!r}.")
    return code


@functools.cache
def _model_languages(model_dir: str) -> frozenset[str]:
    """The language tokens (<|zh|>, <|en|>, …) in the model's vocabulary; empty when it cannot be read."""
    try:
        tokens = Path(model_dir, "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(match.group(1) for token in tokens if (match := re.fullmatch(r"<\|([a-z]{2,3})\|>", token)))


def _faster_whisper(
    audio: Path,
    language: str,
    model_dir: Path,
    compute_type: str,
    hotwords: str | None,
    beam_size: int,
    vad_filter: bool,
    report: Progress,
) -> list[tuple[float, float, str]]:
    model = _load("faster-whisper", model_dir, compute_type)
    try:
        segments, info = model.transcribe(
            str(audio),
            language=language,
            beam_size=beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            vad_filter=vad_filter,
            hotwords=hotwords or None,
        )
        raw = []
        for segment in segments:  # a generator: decoding happens while iterating
            raw.append((segment.start, segment.end, segment.text))
            if info.duration > 0:
                report(min(segment.end / info.duration, 1.0))
    except (OSError, ValueError) as error:  # PyAV cannot decode the file
        raise PipelineError(f"Cannot read the audio of {audio.name}: {error}") from error
    return raw


def _openai_whisper(
    audio: Path, language: str, model_dir: Path, compute_type: str, hotwords: str | None, beam_size: int
) -> list[tuple[float, float, str]]:
    model = _load("openai-whisper", model_dir, compute_type)
    try:
        result = model.transcribe(
            str(audio),
            language=language,
            beam_size=beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            fp16=model.device.type == "cuda",
            # faster-whisper puts hotwords in every window's prompt; carry_initial_prompt does the same here.
            initial_prompt=hotwords or None,
            carry_initial_prompt=bool(hotwords),
            verbose=None,
        )
    except RuntimeError as error:  # whisper.audio.load_audio wraps ffmpeg's failure
        raise PipelineError(f"Cannot read the audio of {audio.name}: {error}") from error
    return [(segment["start"], segment["end"], segment["text"]) for segment in result["segments"]]


def _load(engine: str, model_dir: Path, compute_type: str) -> Any:
    if engine == "openai-whisper":
        compute_type = "float32"  # the reference runs float32 on CPU (float16 on CUDA); it has no int8 mode
    key = (engine, str(model_dir.resolve()), compute_type)
    with _MODELS_LOCK:
        if key not in _MODELS:
            if not (model_dir / "model.bin").is_file():
                raise ModelUnavailable(f"No Whisper model in {model_dir} (model.bin is missing).")
            if engine == "faster-whisper":
                _MODELS[key] = _load_faster(model_dir, compute_type)
            else:
                _MODELS[key] = _load_openai(model_dir)
        return _MODELS[key]


def _load_faster(model_dir: Path, compute_type: str) -> Any:
    try:
        import ctranslate2
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise ModelUnavailable("faster-whisper is not installed: pip install faster-whisper") from error
    device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    try:
        return WhisperModel(str(model_dir), device=device, compute_type=compute_type, local_files_only=True)
    except (RuntimeError, ValueError) as error:
        raise ModelUnavailable(f"faster-whisper cannot load {model_dir} as {compute_type}: {error}") from error


def _load_openai(model_dir: Path) -> Any:
    try:
        import torch
        import whisper
    except ImportError as error:
        raise ModelUnavailable(
            "The openai-whisper engine is an optional extra: pip install openai-whisper (it brings torch)."
        ) from error
    from media.pipeline.whisper_convert import ensure_openai_checkpoint

    checkpoint = ensure_openai_checkpoint(model_dir)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = whisper.load_model(str(checkpoint), device=device)
    # Cross-attention heads that follow the words in time (used for word timestamps), from CTranslate2's config.
    config = json.loads((model_dir / "config.json").read_text())
    heads = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
    for layer, head in config.get("alignment_heads") or []:
        heads[layer, head] = True
    if heads.any():
        model.register_buffer("alignment_heads", heads.to_sparse().to(device), persistent=False)
    return model
