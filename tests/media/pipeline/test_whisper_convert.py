import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from media.pipeline import whisper_convert
from media.pipeline.types import ModelUnavailable
from media.pipeline.whisper_convert import (
    convert_ct2_to_openai,
    ensure_openai_checkpoint,
    read_ct2_variables,
)
from tests.media.pipeline.whisper_helpers import packaged_model_dir, require_openai_whisper

BASE_DIMS = {
    "n_mels": 80,
    "n_audio_ctx": 1500,
    "n_audio_state": 512,
    "n_audio_head": 8,
    "n_audio_layer": 6,
    "n_vocab": 51865,
    "n_text_ctx": 448,
    "n_text_state": 512,
    "n_text_head": 8,
    "n_text_layer": 6,
}
TINY = {"layers": 2, "heads": 2, "d": 8, "ff": 16, "mels": 4, "audio_ctx": 6, "text_ctx": 5, "vocab": 12}


def _tiny_shapes() -> dict[str, tuple[int, ...]]:
    d, ff = TINY["d"], TINY["ff"]
    shapes: dict[str, tuple[int, ...]] = {
        "encoder/conv1/weight": (d, TINY["mels"], 3),
        "encoder/conv1/bias": (d,),
        "encoder/conv2/weight": (d, d, 3),
        "encoder/conv2/bias": (d,),
        "encoder/position_encodings/encodings": (TINY["audio_ctx"], d),
        "decoder/embeddings/weight": (TINY["vocab"], d),
        "decoder/position_encodings/encodings": (TINY["text_ctx"], d),
    }
    layer_norms = ["encoder/layer_norm", "decoder/layer_norm"]
    linears: list[tuple[str, int, int]] = []
    for side in ("encoder", "decoder"):
        for i in range(TINY["layers"]):
            layer = f"{side}/layer_{i}"
            layer_norms += [f"{layer}/self_attention/layer_norm", f"{layer}/ffn/layer_norm"]
            linears += [(f"{layer}/self_attention/linear_0", 3 * d, d), (f"{layer}/self_attention/linear_1", d, d)]
            linears += [(f"{layer}/ffn/linear_0", ff, d), (f"{layer}/ffn/linear_1", d, ff)]
            if side == "decoder":
                layer_norms.append(f"{layer}/attention/layer_norm")
                linears += [(f"{layer}/attention/linear_0", d, d), (f"{layer}/attention/linear_1", 2 * d, d)]
                linears.append((f"{layer}/attention/linear_2", d, d))
    for scope in layer_norms:
        shapes[f"{scope}/gamma"] = shapes[f"{scope}/beta"] = (d,)
    for scope, rows, columns in linears:
        shapes[f"{scope}/weight"] = (rows, columns)
        shapes[f"{scope}/bias"] = (rows,)
    return shapes


def _write_tiny_model(folder: Path, quantization: str) -> dict[str, np.ndarray]:
    """A two-layer Whisper written by CTranslate2's own serializer; returns the float32 weights it started from."""
    from ctranslate2.specs import model_spec, whisper_spec

    d = TINY["d"]
    spec = whisper_spec.WhisperSpec(TINY["layers"], TINY["heads"], TINY["layers"], TINY["heads"])
    rng = np.random.default_rng(7)
    originals = {}
    for name, shape in _tiny_shapes().items():
        value = rng.standard_normal(shape).astype(np.float32)
        if name.endswith("self_attention/linear_0/bias"):
            value[d : 2 * d] = 0  # Whisper's key projections have no bias
        elif name.endswith("/attention/linear_1/bias"):
            value[:d] = 0
        originals[name] = value
        scope, _, attr = name.rpartition("/")
        setattr(model_spec.index_spec(spec, scope), attr, value.copy())  # optimize() quantises in place
    spec.decoder.projection.weight = originals["decoder/embeddings/weight"].copy()
    spec.register_vocabulary([f"token{i}" for i in range(TINY["vocab"])])
    spec.validate()
    spec.optimize(quantization)
    folder.mkdir(parents=True, exist_ok=True)
    spec._serialize(str(folder / "model.bin"))
    (folder / "config.json").write_text(json.dumps({"alignment_heads": [[1, 0]]}))
    return originals


def _write_header_only(path: Path, version: int, spec: str) -> None:
    name = spec.encode() + b"\0"
    path.write_bytes(struct.pack("<I", version) + struct.pack("<H", len(name)) + name + struct.pack("<III", 1, 0, 0))


def test_the_packaged_model_bin_holds_float16_whisper_weights():
    spec, variables, aliases = read_ct2_variables(packaged_model_dir() / "model.bin")

    assert spec == "WhisperSpec"
    assert aliases == {"decoder/projection/weight": "decoder/embeddings/weight"}
    tensors = {name: value for name, value in variables.items() if value.ndim}
    assert {str(value.dtype) for value in tensors.values()} == {"float16"}
    assert variables["encoder/layer_0/self_attention/linear_0/weight"].shape == (1536, 512)
    assert variables["decoder/layer_0/attention/linear_1/weight"].shape == (1024, 512)


def test_each_variable_maps_to_one_openai_whisper_tensor():
    _spec, variables, _aliases = read_ct2_variables(packaged_model_dir() / "model.bin")

    dims, state = whisper_convert._map_variables(variables)

    assert dims == BASE_DIMS
    assert all(value.dtype == np.float32 for value in state.values())
    fused = variables["encoder/layer_3/self_attention/linear_0/weight"].astype(np.float32)
    split = [state[f"encoder.blocks.3.attn.{part}.weight"] for part in ("query", "key", "value")]
    assert np.array_equal(np.concatenate(split), fused)
    cross = variables["decoder/layer_5/attention/linear_1/weight"].astype(np.float32)
    assert np.array_equal(cross[512:], state["decoder.blocks.5.cross_attn.value.weight"])
    assert "decoder.blocks.5.cross_attn.key.bias" not in state
    assert np.array_equal(state["encoder.blocks.0.mlp.2.weight"], variables["encoder/layer_0/ffn/linear_1/weight"])
    assert state["encoder.conv1.weight"].shape == (512, 80, 3)
    # Encoder: conv1, conv2, positions, ln_post (7) + 15 per block (attn_ln 2, query 2, key 1, value 2, out 2,
    # mlp_ln 2, mlp.0 2, mlp.2 2). Decoder: tokens, positions, ln (4) + 24 per block (the 15 + cross-attention 9).
    assert len(state) == 7 + 6 * 15 + 4 + 6 * 24


@pytest.mark.parametrize("quantization", ["int8", "bfloat16"])
def test_quantised_weights_come_back_as_float32(tmp_path, quantization):
    originals = _write_tiny_model(tmp_path, quantization)
    _spec, variables, _aliases = read_ct2_variables(tmp_path / "model.bin")
    # The reader widens bfloat16 to float32 itself (numpy has no bfloat16); int8 comes with per-row scales.
    stored_dtype = {"int8": "int8", "bfloat16": "float32"}[quantization]
    assert str(variables["encoder/layer_0/ffn/linear_0/weight"].dtype) == stored_dtype

    dims, state = whisper_convert._map_variables(variables)

    assert dims["n_audio_layer"] == dims["n_text_layer"] == 2 and dims["n_mels"] == 4 and dims["n_vocab"] == 12
    checks = {
        "encoder.conv1.weight": originals["encoder/conv1/weight"],
        "encoder.blocks.1.attn.value.weight": originals["encoder/layer_1/self_attention/linear_0/weight"][16:],
        "decoder.blocks.0.cross_attn.key.weight": originals["decoder/layer_0/attention/linear_1/weight"][:8],
        "decoder.token_embedding.weight": originals["decoder/embeddings/weight"],
        "decoder.blocks.1.mlp.0.bias": originals["decoder/layer_1/ffn/linear_0/bias"],
    }
    for name, original in checks.items():
        # int8 keeps each row to within half a step of amax/127; bfloat16 keeps 8 bits of mantissa.
        rows = original.reshape(original.shape[0], -1)
        step = np.abs(rows).max(axis=1, keepdims=True) / 127 if quantization == "int8" else np.abs(rows) / 128
        error = np.abs(state[name].reshape(rows.shape) - rows)
        assert np.all(error <= step + 1e-6), name


def test_readable_errors_for_files_it_cannot_convert(tmp_path):
    _write_header_only(tmp_path / "model.bin", 6, "TransformerSpec")
    with pytest.raises(ModelUnavailable, match="TransformerSpec model, not Whisper"):
        convert_ct2_to_openai(tmp_path, tmp_path / "out.pt")
    _write_header_only(tmp_path / "model.bin", 3, "WhisperSpec")
    with pytest.raises(ModelUnavailable, match="binary format 3"):
        read_ct2_variables(tmp_path / "model.bin")
    (tmp_path / "model.bin").write_bytes((packaged_model_dir() / "model.bin").read_bytes()[:5000])
    with pytest.raises(ModelUnavailable, match="ends early"):
        read_ct2_variables(tmp_path / "model.bin")


def test_the_checkpoint_loads_in_openai_whisper():
    whisper = require_openai_whisper()
    from whisper.model import ModelDimensions, Whisper

    checkpoint = ensure_openai_checkpoint(packaged_model_dir())
    model = whisper.load_model(str(checkpoint), device="cpu")

    assert model.dims == ModelDimensions(**BASE_DIMS)
    assert model.is_multilingual
    fresh = Whisper(model.dims).state_dict()
    loaded = model.state_dict()
    assert {name: tuple(value.shape) for name, value in loaded.items()} == {
        name: tuple(value.shape) for name, value in fresh.items()
    }
    _spec, variables, _aliases = read_ct2_variables(packaged_model_dir() / "model.bin")
    key = variables["decoder/layer_2/self_attention/linear_0/weight"][512:1024].astype(np.float32)
    assert np.array_equal(loaded["decoder.blocks.2.attn.key.weight"].numpy(), key)


def test_the_checkpoint_is_converted_once_and_again_when_the_model_changes(tmp_path, monkeypatch):
    require_openai_whisper()
    model_dir = tmp_path / "tiny"
    _write_tiny_model(model_dir, "float16")

    checkpoint = ensure_openai_checkpoint(model_dir)
    assert checkpoint == model_dir / "openai-whisper.pt"
    converted_at = checkpoint.stat().st_mtime_ns

    def no_conversion(*args):
        raise AssertionError("converted again")

    with monkeypatch.context() as patch:
        patch.setattr(whisper_convert, "convert_ct2_to_openai", no_conversion)
        assert ensure_openai_checkpoint(model_dir) == checkpoint
    later = converted_at / 1e9 + 10
    os.utime(model_dir / "model.bin", (later, later))
    ensure_openai_checkpoint(model_dir)
    assert checkpoint.stat().st_mtime_ns != converted_at


def test_a_read_only_model_folder_converts_into_the_cache(tmp_path, monkeypatch):
    require_openai_whisper()
    model_dir = tmp_path / "site-model"
    _write_tiny_model(model_dir, "int8")
    monkeypatch.setattr(whisper_convert, "_is_writable", lambda folder: False)

    checkpoint = ensure_openai_checkpoint(model_dir, cache_dir=tmp_path / "cache")

    assert checkpoint.parent == tmp_path / "cache" / "bangban-openai-whisper"
    assert checkpoint.is_file()
    assert not (model_dir / "openai-whisper.pt").exists()
