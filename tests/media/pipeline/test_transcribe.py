import pytest

from media.pipeline import transcribe as transcribe_module
from media.pipeline.chinese import to_simplified
from media.pipeline.transcribe import transcribe
from media.pipeline.types import ModelUnavailable, PipelineError, Transcript
from tests.media.pipeline.whisper_helpers import (
    CHINESE,
    ENGLISH,
    noise,
    packaged_model_dir,
    require_openai_whisper,
    speech,
    word_error_rate,
)


@pytest.fixture(scope="session")
def model_dir():
    return packaged_model_dir()


@pytest.fixture(scope="session")
def english_clip():
    return speech(ENGLISH, "en-us")


@pytest.fixture(scope="session")
def chinese_clip():
    return speech(CHINESE, "cmn-latn-pinyin")


def _assert_well_formed(transcript: Transcript) -> None:
    assert transcript.segments
    previous_end = 0.0
    for segment in transcript.segments:
        assert segment.text == segment.text.strip() != ""
        assert previous_end <= segment.start <= segment.end
        assert round(segment.start, 2) == segment.start and round(segment.end, 2) == segment.end
        previous_end = segment.end


def _assert_simplified(text: str) -> None:
    assert any("\u4e00" <= char <= "\u9fff" for char in text), text
    traditional = [char for char in text if to_simplified(char) != char]
    assert not traditional, f"Traditional characters in {text!r}: {traditional}"


def test_english_speech_is_transcribed_accurately(model_dir, english_clip):
    reported = []

    transcript = transcribe(english_clip, language="en", model_dir=model_dir, progress=reported.append)

    assert transcript.language == "en"
    assert transcript.engine == "faster-whisper"
    assert transcript.model == "whisper-base-ct2"
    _assert_well_formed(transcript)
    assert word_error_rate(ENGLISH, transcript.text) <= 0.10, transcript.text
    assert reported[0] == 0.0 and reported[-1] == 1.0
    assert reported == sorted(reported)


def test_mandarin_comes_out_in_simplified_characters(model_dir, chinese_clip):
    # espeak-ng's Mandarin is too robotic to score words; check the shape and the script.
    transcript = transcribe(chinese_clip, language="zh-hans", model_dir=model_dir)

    assert transcript.language == "zh"
    _assert_well_formed(transcript)
    _assert_simplified(transcript.text)


def test_silence_and_noise_give_no_invented_subtitles(model_dir):
    # Without the VAD filter Whisper base writes "字幕製作人" once a second over this noise.
    transcript = transcribe(noise(12.0), language="zh", model_dir=model_dir)

    assert transcript.segments == ()


def test_hotwords_keep_accuracy(model_dir, english_clip):
    transcript = transcribe(english_clip, language="en", model_dir=model_dir, hotwords="WeChat Alipay social insurance")

    assert word_error_rate(ENGLISH, transcript.text) <= 0.10, transcript.text


def test_a_worker_loads_the_model_once(model_dir, english_clip):
    transcribe(english_clip, language="en", model_dir=model_dir)
    loaded = dict(transcribe_module._MODELS)

    transcribe(english_clip, language="en", model_dir=model_dir)

    assert transcribe_module._MODELS == loaded
    assert ("faster-whisper", str(model_dir.resolve()), "int8") in loaded


def test_readable_errors(model_dir, english_clip, tmp_path):
    with pytest.raises(PipelineError, match="does not exist"):
        transcribe(tmp_path / "missing.wav", language="en", model_dir=model_dir)
    with pytest.raises(PipelineError, match="Unknown speech engine"):
        transcribe(english_clip, language="en", engine="kaldi", model_dir=model_dir)
    with pytest.raises(PipelineError, match="does not know the language 'xx'"):
        transcribe(english_clip, language="xx", model_dir=model_dir)
    with pytest.raises(ModelUnavailable, match="model.bin is missing"):
        transcribe(english_clip, language="en", model_dir=tmp_path)
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("not a sound file")
    with pytest.raises(PipelineError, match="Cannot read the audio"):
        transcribe(not_audio, language="en", model_dir=model_dir)


@pytest.mark.parametrize("clip_name", ["english_clip", "chinese_clip"])
def test_openai_whisper_writes_the_same_text(model_dir, clip_name, request):
    require_openai_whisper()
    clip = request.getfixturevalue(clip_name)
    language = "en" if clip_name == "english_clip" else "zh"

    reference = transcribe(clip, language=language, engine="openai-whisper", model_dir=model_dir)
    # Same float32 arithmetic and no VAD: the two implementations must agree word for word.
    faster = transcribe(clip, language=language, model_dir=model_dir, compute_type="float32", vad_filter=False)

    assert reference.engine == "openai-whisper"
    _assert_well_formed(reference)
    assert [segment.text for segment in reference.segments] == [segment.text for segment in faster.segments]
    assert [(s.start, s.end) for s in reference.segments] == [(s.start, s.end) for s in faster.segments]
    if language == "en":
        # int8 weights, the default, still give the reference's words on clean English speech.
        default = transcribe(clip, language=language, model_dir=model_dir, vad_filter=False)
        assert default.text == reference.text
