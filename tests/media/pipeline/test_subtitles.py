import unicodedata

import pytest

from media.pipeline.subtitles import cues_from_transcript, parse_subtitles, to_json, to_srt, to_webvtt
from media.pipeline.types import Cue, PipelineError, Segment, SubtitleTrack, Transcript

ZH_LONG = (
    "首先打开微信，点击右下角的“我”，然后进入服务页面，找到城市服务，选择社保查询。"
    "输入身份证号码和验证码以后，就可以看到个人缴费记录了。"
)
EN_LONG = (
    "Open the app, then tap the blue button at the bottom of the screen to check your pension. "
    "If nothing happens, wait a moment and try again, or ask the staff at the service counter for help."
)


def _transcript(language: str, *segments: tuple[float, float, str]) -> Transcript:
    return Transcript(
        language=language,
        segments=tuple(Segment(start, end, text) for start, end, text in segments),
        engine="test",
        model="none",
    )


def _zh_chars(line: str) -> float:
    """Chinese characters count 1, Latin letters and digits half, as on screen."""
    return sum(1 if unicodedata.east_asian_width(char) in "WFA" else 0.5 for char in line)


def _assert_timeline(track: SubtitleTrack) -> None:
    for cue, following in zip(track.cues, track.cues[1:], strict=False):
        assert cue.start < cue.end
        assert cue.end <= following.start, f"{cue} overlaps {following}"


def test_a_short_segment_is_one_cue_on_one_line() -> None:
    track = cues_from_transcript(_transcript("zh", (1.0, 3.0, "请打开微信。")))

    assert track.language == "zh"
    assert track.cues == (Cue(start=1.0, end=3.0, text="请打开微信。"),)


def test_chinese_lines_hold_at_most_16_characters_and_cues_two_lines() -> None:
    track = cues_from_transcript(_transcript("zh", (0.0, 12.0, ZH_LONG)))

    assert len(track.cues) >= 3
    for cue in track.cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(_zh_chars(line) <= 16 for line in cue.lines), cue.lines
    assert "".join(line for cue in track.cues for line in cue.lines) == ZH_LONG
    _assert_timeline(track)


def test_chinese_breaks_after_punctuation_and_never_before_it() -> None:
    track = cues_from_transcript(_transcript("zh", (0.0, 4.0, "请先打开微信，然后点击右下角的我进入设置")))

    assert track.cues[0].lines == ["请先打开微信，", "然后点击右下角的我进入设置"]
    punctuation = "，。！？、；：”）」"
    long_track = cues_from_transcript(_transcript("zh", (0.0, 12.0, ZH_LONG)))
    assert not any(line[0] in punctuation for cue in long_track.cues for line in cue.lines)


def test_latin_lines_hold_at_most_42_characters_and_break_on_spaces() -> None:
    track = cues_from_transcript(_transcript("en", (0.0, 12.0, EN_LONG)))

    assert len(track.cues) >= 2
    for cue in track.cues:
        assert 1 <= len(cue.lines) <= 2
        assert all(len(line) <= 42 for line in cue.lines), cue.lines
    words = [word for cue in track.cues for line in cue.lines for word in line.split(" ")]
    assert words == EN_LONG.split()
    _assert_timeline(track)


def test_explicit_max_chars_and_max_lines_are_obeyed() -> None:
    track = cues_from_transcript(_transcript("en", (0.0, 12.0, EN_LONG)), max_chars=20, max_lines=1)

    assert all(len(cue.lines) == 1 and len(cue.text) <= 20 for cue in track.cues)


def test_the_script_decides_when_the_language_label_is_wrong() -> None:
    track = cues_from_transcript(_transcript("en", (0.0, 12.0, ZH_LONG)))

    assert all(_zh_chars(line) <= 16 for cue in track.cues for line in cue.lines)


def test_a_long_segment_shares_its_time_by_text_length() -> None:
    first = "The first sentence is short."
    second = "The second one is longer, so it stays on the screen for a longer time."
    track = cues_from_transcript(_transcript("en", (10.0, 20.0, f"{first} {second}")))

    assert [cue.text.replace("\n", " ") for cue in track.cues] == [first, second]
    assert track.cues[0].start == 10.0
    assert track.cues[-1].end == 20.0
    assert track.cues[0].end == track.cues[1].start
    share = (track.cues[0].end - 10.0) / 10.0
    assert share == pytest.approx(len(first.replace(" ", "")) / len(f"{first}{second}".replace(" ", "")), abs=0.01)


def test_a_short_cue_is_extended_into_the_gap_after_it() -> None:
    track = cues_from_transcript(_transcript("en", (1.0, 1.2, "OK."), (5.0, 6.0, "Next step.")))

    assert track.cues[0] == Cue(start=1.0, end=1.7, text="OK.")


def test_a_short_cue_never_overlaps_the_next_one() -> None:
    track = cues_from_transcript(_transcript("en", (1.0, 1.2, "OK."), (1.5, 3.0, "Next step.")))

    assert track.cues[0].end == 1.5
    _assert_timeline(track)


def test_overlapping_and_unordered_segments_give_an_ordered_track() -> None:
    track = cues_from_transcript(_transcript("zh", (4.0, 6.0, "第二句。"), (0.0, 4.5, "第一句。"), (7.0, 8.0, " ")))

    assert [cue.text for cue in track.cues] == ["第一句。", "第二句。"]
    _assert_timeline(track)


def test_webvtt_and_srt_output() -> None:
    track = SubtitleTrack("zh", (Cue(1.5, 3.0, "请打开微信，\n点击“我”。"), Cue(3.25, 3633.5, "好的")))

    vtt, srt = to_webvtt(track), to_srt(track)

    assert vtt.startswith("WEBVTT")
    assert "00:00:01.500 --> 00:00:03.000\n请打开微信，\n点击“我”。\n" in vtt
    assert "01:00:33.500" in vtt
    assert "00:00:01,500 --> 00:00:03,000\n请打开微信，\n点击“我”。\n" in srt
    assert srt.lstrip().startswith("1\n")


@pytest.mark.parametrize("writer", [to_webvtt, to_srt])
def test_written_subtitles_read_back_the_same(writer) -> None:
    track = cues_from_transcript(_transcript("zh", (0.0, 12.0, ZH_LONG), (12.5, 13.0, "谢谢观看！")))

    assert parse_subtitles(writer(track), language="zh") == track


def test_webvtt_escapes_markup_characters_and_keeps_braces() -> None:
    track = SubtitleTrack("en", (Cue(0.0, 2.0, "Tap <Next> & {Save}"),))

    vtt = to_webvtt(track)

    assert "Tap &lt;Next&gt; &amp; {Save}" in vtt
    assert parse_subtitles(vtt, language="en") == track


def test_parse_webvtt_drops_notes_identifiers_settings_and_tags() -> None:
    text = (
        "\ufeffWEBVTT\nKind: captions\n\n"
        "NOTE made by hand\n\n"
        "intro\n00:01.000 --> 00:02.500 align:start position:10%\n<v Staff>Open <i>WeChat</i></v>\n\n"
        "NOTE between cues\n\n"
        "step-2\n00:00:03.000 --> 00:00:04.000\nTap &quot;Me&quot;\nthen Services\n"
    )

    track = parse_subtitles(text, language="en")

    assert track == SubtitleTrack("en", (Cue(1.0, 2.5, "Open WeChat"), Cue(3.0, 4.0, 'Tap "Me"\nthen Services')))


@pytest.mark.parametrize("writer", [to_webvtt, to_srt])
def test_a_line_of_digits_is_text_not_a_cue_number(writer) -> None:
    track = SubtitleTrack("zh", (Cue(0.0, 1.0, "请拨打热线\n12345"), Cue(1.0, 2.0, "服务热线\n12345")))

    assert parse_subtitles(writer(track), language="zh") == track


def test_parse_webvtt_without_cue_identifiers() -> None:
    text = "WEBVTT\n\n00:00.000 --> 00:01.000\n拨打\n12345\n\n00:01.000 --> 00:02.000\n再见\n"

    assert parse_subtitles(text, language="zh").cues == (Cue(0.0, 1.0, "拨打\n12345"), Cue(1.0, 2.0, "再见"))


def test_parse_srt_with_windows_line_ends() -> None:
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n<b>你好</b>\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,000\r\n再见\r\n"

    track = parse_subtitles(text, language="zh")

    assert track.cues == (Cue(1.0, 2.0, "你好"), Cue(2.5, 3.0, "再见"))


@pytest.mark.parametrize("text", ["", "just some words", "[Script Info]\nTitle: x\n"])
def test_parse_rejects_text_that_is_not_webvtt_or_srt(text: str) -> None:
    with pytest.raises(PipelineError):
        parse_subtitles(text, language="zh")


def test_to_json() -> None:
    track = SubtitleTrack("zh", (Cue(1.23456, 2.5, "第一行\n第二行"),))

    assert to_json(track) == [{"start": 1.235, "end": 2.5, "text": "第一行\n第二行"}]


def test_a_run_without_break_opportunities_still_fits_the_lines():
    from media.pipeline.subtitles import cues_from_transcript
    from media.pipeline.types import Segment, Transcript

    long_run = "2," + "5," * 120
    for language, width in (("zh", 32), ("en", 42)):
        track = cues_from_transcript(
            Transcript(language=language, segments=(Segment(0.0, 30.0, long_run),), engine="", model="")
        )
        assert len(track.cues) > 1
        for cue in track.cues:
            assert len(cue.lines) <= 2
            assert all(len(line) <= width for line in cue.lines), cue.text
        assert "".join(line for cue in track.cues for line in cue.lines) == long_run
