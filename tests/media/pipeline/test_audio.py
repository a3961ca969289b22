import math
import wave
from array import array
from pathlib import Path

import pytest

from media.pipeline.audio import extract_audio, is_silent, loudest_window_db
from media.pipeline.types import NoAudioTrack, PipelineError


def _write_wav(path: Path, samples: list[int], *, rate: int = 16_000, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        if width == 1:
            writer.writeframes(bytes((sample + 128) & 0xFF for sample in samples))
        else:
            writer.writeframes(array("h", samples).tobytes())
    return path


def _tone(seconds: float, *, dbfs: float, rate: int = 16_000, full_scale: int = 32767) -> list[int]:
    """A 440 Hz sine whose RMS level is ``dbfs``."""
    amplitude = full_scale * math.sqrt(2) * 10 ** (dbfs / 20)
    return [round(amplitude * math.sin(2 * math.pi * 440 * n / rate)) for n in range(round(seconds * rate))]


def test_extracted_audio_is_16k_mono_16bit_wav(sample_video: Path, tmp_path: Path) -> None:
    dest = extract_audio(sample_video, tmp_path / "speech.wav")

    with wave.open(str(dest)) as reader:
        assert reader.getnchannels() == 1
        assert reader.getframerate() == 16_000
        assert reader.getsampwidth() == 2
        assert reader.getnframes() / 16_000 == pytest.approx(6.0, abs=0.1)
    assert dest.read_bytes()[36:40] == b"data"  # plain 44-byte header, no metadata chunks


def test_speech_is_not_silent(sample_video: Path, tmp_path: Path) -> None:
    dest = extract_audio(sample_video, tmp_path / "speech.wav")

    assert not is_silent(dest)
    assert loudest_window_db(dest) > -30


def test_a_silent_track_is_silent(silent_video: Path, tmp_path: Path) -> None:
    dest = extract_audio(silent_video, tmp_path / "silence.wav")

    assert is_silent(dest)
    assert loudest_window_db(dest) == -math.inf


def test_a_video_without_sound_raises_no_audio_track(video_without_audio: Path, tmp_path: Path) -> None:
    with pytest.raises(NoAudioTrack, match="no sound track"):
        extract_audio(video_without_audio, tmp_path / "none.wav")

    assert list(tmp_path.iterdir()) == []


def test_threshold_decides_for_quiet_sound(tmp_path: Path) -> None:
    wav = _write_wav(tmp_path / "quiet.wav", _tone(0.5, dbfs=-60))

    assert loudest_window_db(wav) == pytest.approx(-60, abs=0.5)
    assert is_silent(wav)  # default threshold -50 dB
    assert not is_silent(wav, threshold_db=-70)


def test_a_short_word_in_a_long_silence_is_not_silent(tmp_path: Path) -> None:
    samples = [0] * 16_000 * 30 + _tone(0.2, dbfs=-30) + [0] * 16_000 * 30  # -55 dB over the whole file
    wav = _write_wav(tmp_path / "word.wav", samples)

    assert not is_silent(wav)


def test_eight_bit_wav_is_read_as_unsigned(tmp_path: Path) -> None:
    wav = _write_wav(tmp_path / "u8.wav", [0] * 8000, width=1)  # 128 on disk: the 8-bit zero line

    assert is_silent(wav)


def test_a_file_that_is_not_wav_is_a_pipeline_error(text_as_mp4: Path) -> None:
    with pytest.raises(PipelineError, match="Could not read the WAV file"):
        is_silent(text_as_mp4)


def test_a_sound_only_file_gives_its_audio(audio_only_mp4: Path, tmp_path: Path) -> None:
    dest = extract_audio(audio_only_mp4, tmp_path / "voice.wav")

    assert not is_silent(dest)
