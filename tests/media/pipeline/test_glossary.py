from media.pipeline.glossary import correct, correct_transcript, hotwords
from media.pipeline.types import Segment, Transcript

CORRECTIONS = {"社宝": "社保", "社宝卡": "社保卡", "wei xin": "微信", "app": "APP", "医宝": "医保"}


def test_known_mishearings_are_replaced() -> None:
    assert correct("请打开wei xin，查询社宝", CORRECTIONS) == "请打开微信，查询社保"


def test_the_longest_term_wins() -> None:
    assert correct("办理社宝卡", CORRECTIONS) == "办理社保卡"
    assert correct("办理社宝卡", {"社宝": "社保", "社宝卡": "社会保障卡"}) == "办理社会保障卡"


def test_latin_terms_match_whole_words_ignoring_case() -> None:
    text = "open the App, not the apple or happy apps"
    assert correct(text, CORRECTIONS) == "open the APP, not the apple or happy apps"
    assert correct("Wei Xin登录", CORRECTIONS) == "微信登录"


def test_replacements_are_not_corrected_again() -> None:
    assert correct("社宝", {"社宝": "社保", "社保": "社会保险"}) == "社保"


def test_no_corrections_leave_the_text_alone() -> None:
    assert correct("原文 unchanged", {}) == "原文 unchanged"
    assert correct("原文", {"": "x", " ": "y"}) == "原文"


def test_correct_transcript_keeps_times_and_labels() -> None:
    transcript = Transcript(
        language="zh",
        segments=(Segment(0.0, 1.5, "打开wei xin"), Segment(1.5, 3.0, "查医宝")),
        engine="faster-whisper",
        model="small",
    )

    fixed = correct_transcript(transcript, CORRECTIONS)

    assert fixed == Transcript(
        language="zh",
        segments=(Segment(0.0, 1.5, "打开微信"), Segment(1.5, 3.0, "查医保")),
        engine="faster-whisper",
        model="small",
    )
    assert transcript.segments[0].text == "打开wei xin"  # the input is not changed


def test_hotwords_joins_distinct_terms_with_spaces() -> None:
    assert hotwords(["社保", " 医保 ", "社保", "", "公积金", "12345 热线"]) == "社保 医保 公积金 12345 热线"
    assert hotwords([]) == ""
