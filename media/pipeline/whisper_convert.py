"""Turn a CTranslate2 Whisper folder into the checkpoint openai-whisper loads.

No package ships openai-whisper's ``.pt`` file and nothing may come from a model hub at run time, so the reference
engine runs on the same weights as faster-whisper: each variable of CTranslate2's ``model.bin`` maps one to one to a
tensor of openai-whisper's ``state_dict`` (fused q/k/v projections are split, float16/bfloat16/int8 weights become
float32).

``model.bin`` layout (little endian, written by ``ctranslate2.specs.model_spec.ModelSpec._serialize``):
uint32 binary version; string spec name; uint32 spec revision; uint32 variable count; per variable: string name,
uint8 rank, uint32 × rank shape, uint8 dtype id, uint32 byte count, the bytes; uint32 alias count; per alias: string
alias, string target. A string is a uint16 length (counting a trailing NUL) and the UTF-8 bytes with the NUL.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from media.pipeline import weights
from media.pipeline.types import ModelUnavailable

CHECKPOINT_NAME = "openai-whisper.pt"
# CTranslate2's DataType enum (include/ctranslate2/types.h); bfloat16 has no numpy type and is widened by hand.
_DTYPES: dict[int, str] = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16", 5: "bfloat16"}
# ctranslate2 4.x writes version 6. Version 5 changed only how int8 values were rounded when quantising, and 4 is
# the first with a dtype id per variable, so 4 to 6 read alike; older files are refused.
_SUPPORTED_VERSIONS = range(4, 7)


def read_ct2_variables(model_bin: Path) -> tuple[str, dict[str, np.ndarray], dict[str, str]]:
    """Parse a CTranslate2 ``model.bin``: (spec name, variables by name as stored, aliases alias → target)."""
    variables: dict[str, np.ndarray] = {}
    aliases: dict[str, str] = {}
    with open(model_bin, "rb") as handle:
        version = _unpack(handle, "I")
        if version not in _SUPPORTED_VERSIONS:
            raise ModelUnavailable(f"{model_bin} uses CTranslate2 binary format {version}; this reader knows 4 to 6.")
        spec = _string(handle)
        _unpack(handle, "I")  # spec revision
        for _ in range(_unpack(handle, "I")):
            name = _string(handle)
            shape = tuple(_unpack(handle, "I") for _ in range(_unpack(handle, "B")))
            type_id = _unpack(handle, "B")
            data = _read(handle, _unpack(handle, "I"))
            if type_id not in _DTYPES:
                raise ModelUnavailable(f"{model_bin}: variable {name} has unknown CTranslate2 dtype id {type_id}.")
            variables[name] = _to_array(data, _DTYPES[type_id], shape)
        for _ in range(_unpack(handle, "I")):
            alias = _string(handle)
            aliases[alias] = _string(handle)
    return spec, variables, aliases


def convert_ct2_to_openai(model_dir: Path, dest: Path) -> Path:
    """Write ``dest``: ``{"dims": ..., "model_state_dict": ...}`` as ``whisper.load_model(dest)`` expects."""
    spec, stored, _aliases = read_ct2_variables(Path(model_dir) / "model.bin")
    if spec != "WhisperSpec":
        raise ModelUnavailable(f"{model_dir} holds a {spec} model, not Whisper.")
    dims, state = _map_variables(stored)
    import torch

    checkpoint = {"dims": dims, "model_state_dict": {name: torch.from_numpy(array) for name, array in state.items()}}
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(handle)
    try:
        torch.save(checkpoint, temp_name)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, dest)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return dest


def ensure_openai_checkpoint(model_dir: Path, cache_dir: Path | None = None) -> Path:
    """The openai-whisper checkpoint for ``model_dir``, converted once (under a lock) and reused while fresh.

    It sits beside ``model.bin`` when that folder is writable (the packaged model's cache folder is), else in
    ``cache_dir`` (default: the system temporary folder), named after the model folder.
    """
    model_dir = Path(model_dir)
    source = model_dir / "model.bin"
    if _is_writable(model_dir):
        dest = model_dir / CHECKPOINT_NAME
    else:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", str(model_dir.resolve())).strip("-")
        dest = Path(cache_dir or tempfile.gettempdir()) / "bangban-openai-whisper" / f"{slug}.pt"
    if _is_fresh(dest, source):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with weights.locked(dest.parent / f".{dest.name}.lock"):
        if not _is_fresh(dest, source):
            convert_ct2_to_openai(model_dir, dest)
    return dest


def _map_variables(stored: dict[str, np.ndarray]) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """One openai-whisper tensor per CTranslate2 variable; every stored variable must be used exactly once."""
    weights = _dequantised(stored)
    used: set[str] = set()

    def take(name: str) -> np.ndarray:
        if name not in weights:
            raise ModelUnavailable(f"The CTranslate2 Whisper model lacks the variable {name}.")
        used.add(name)
        return weights[name]

    def layer_count(prefix: str) -> int:
        found = {int(m.group(1)) for key in weights if (m := re.match(rf"{prefix}/layer_(\d+)/", key))}
        return max(found) + 1 if found else 0

    state: dict[str, np.ndarray] = {}

    def norm(ct2: str, openai: str) -> None:
        state[f"{openai}.weight"] = take(f"{ct2}/gamma")
        state[f"{openai}.bias"] = take(f"{ct2}/beta")

    def linear(ct2: str, openai: str) -> None:
        state[f"{openai}.weight"] = take(f"{ct2}/weight")
        state[f"{openai}.bias"] = take(f"{ct2}/bias")

    def fused(ct2: str, openai: str, parts: tuple[str, ...]) -> None:
        # CTranslate2 fuses projections row-wise; Whisper's key projection has no bias, so its slice holds zeros.
        weight_rows = np.split(take(f"{ct2}/weight"), len(parts))
        bias_rows = np.split(take(f"{ct2}/bias"), len(parts))
        for part, weight, bias in zip(parts, weight_rows, bias_rows, strict=True):
            state[f"{openai}.{part}.weight"] = np.ascontiguousarray(weight)
            if part == "key":
                if np.any(bias):
                    raise ModelUnavailable(f"{ct2} has a key bias, which openai-whisper's architecture lacks.")
            else:
                state[f"{openai}.{part}.bias"] = np.ascontiguousarray(bias)

    def mlp(ct2: str, openai: str) -> None:
        norm(f"{ct2}/layer_norm", f"{openai}.mlp_ln")
        linear(f"{ct2}/linear_0", f"{openai}.mlp.0")
        linear(f"{ct2}/linear_1", f"{openai}.mlp.2")

    linear("encoder/conv1", "encoder.conv1")
    linear("encoder/conv2", "encoder.conv2")
    state["encoder.positional_embedding"] = take("encoder/position_encodings/encodings")
    n_audio_layer = layer_count("encoder")
    for i in range(n_audio_layer):
        ct2, openai = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        norm(f"{ct2}/self_attention/layer_norm", f"{openai}.attn_ln")
        fused(f"{ct2}/self_attention/linear_0", f"{openai}.attn", ("query", "key", "value"))
        linear(f"{ct2}/self_attention/linear_1", f"{openai}.attn.out")
        mlp(f"{ct2}/ffn", openai)
    norm("encoder/layer_norm", "encoder.ln_post")

    state["decoder.token_embedding.weight"] = take("decoder/embeddings/weight")
    state["decoder.positional_embedding"] = take("decoder/position_encodings/encodings")
    n_text_layer = layer_count("decoder")
    for i in range(n_text_layer):
        ct2, openai = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        norm(f"{ct2}/self_attention/layer_norm", f"{openai}.attn_ln")
        fused(f"{ct2}/self_attention/linear_0", f"{openai}.attn", ("query", "key", "value"))
        linear(f"{ct2}/self_attention/linear_1", f"{openai}.attn.out")
        norm(f"{ct2}/attention/layer_norm", f"{openai}.cross_attn_ln")
        linear(f"{ct2}/attention/linear_0", f"{openai}.cross_attn.query")
        fused(f"{ct2}/attention/linear_1", f"{openai}.cross_attn", ("key", "value"))
        linear(f"{ct2}/attention/linear_2", f"{openai}.cross_attn.out")
        mlp(f"{ct2}/ffn", openai)
    norm("decoder/layer_norm", "decoder.ln")

    # openai-whisper reuses the token embedding as the output projection; CTranslate2 stores an alias or a copy.
    projection = weights.get("decoder/projection/weight")
    if projection is not None:
        if not np.array_equal(projection, state["decoder.token_embedding.weight"]):
            raise ModelUnavailable("The model's output projection differs from its token embedding.")
        used.add("decoder/projection/weight")
    left = sorted(set(weights) - used)
    if left:
        raise ModelUnavailable(f"Variables with no openai-whisper counterpart: {', '.join(left)}.")

    n_vocab, n_text_state = state["decoder.token_embedding.weight"].shape
    n_audio_ctx, n_audio_state = state["encoder.positional_embedding"].shape
    dims = {
        "n_mels": int(state["encoder.conv1.weight"].shape[1]),
        "n_audio_ctx": int(n_audio_ctx),
        "n_audio_state": int(n_audio_state),
        "n_audio_head": int(stored["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(n_vocab),
        "n_text_ctx": int(state["decoder.positional_embedding"].shape[0]),
        "n_text_state": int(n_text_state),
        "n_text_head": int(stored["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def _dequantised(stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Float32 tensors; int8/int16 weights divided by their ``*_scale``.

    Rank-0 variables (num_heads, activation, pre_norm, …) are configuration, not weights, and are left out.
    """
    weights: dict[str, np.ndarray] = {}
    for name, value in stored.items():
        scope, _, attr = name.rpartition("/")
        if value.ndim == 0 or attr.endswith("_scale"):
            continue
        if attr.endswith("_zero"):
            raise ModelUnavailable(f"{name}: AWQ-quantised models cannot be converted for openai-whisper.")
        scale = stored.get(f"{scope}/{attr}_scale")
        if scale is not None:
            # CTranslate2 quantises as round(w * scale), with one scale per output row (or one for int16).
            scale = scale.astype(np.float32)
            shape = (-1,) + (1,) * (value.ndim - 1) if scale.ndim else ()
            value = value.astype(np.float32) / scale.reshape(shape)
        weights[name] = np.array(value, dtype=np.float32)  # a writable copy: torch refuses read-only buffers
    return weights


def _to_array(data: bytes, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    if dtype == "bfloat16":  # the high half of a float32
        widened = np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16
        return widened.view(np.float32).reshape(shape)
    return np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape)


def _read(handle: IO[bytes], size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise ModelUnavailable(f"{handle.name} ends early: it is not a complete CTranslate2 model.")
    return data


def _unpack(handle: IO[bytes], fmt: str) -> Any:
    return struct.unpack(f"<{fmt}", _read(handle, struct.calcsize(f"<{fmt}")))[0]


def _string(handle: IO[bytes]) -> str:
    return _read(handle, _unpack(handle, "H")).rstrip(b"\0").decode("utf-8")


def _is_writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def _is_fresh(dest: Path, source: Path) -> bool:
    try:
        return dest.stat().st_mtime >= source.stat().st_mtime
    except OSError:
        return False
