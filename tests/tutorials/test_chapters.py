"""tutorials.chapters: chapter spans, chapter times suggested from the transcript, flowing transcript text."""

import pytest

from tutorials.chapters import (
    Chapter,
    StepVideo,
    chapter_spans,
    flowing_text,
    in_chapter,
    similarity,
    suggest_chapter_starts,
)


def test_a_chapter_ends_where_the_next_part_of_its_video_begins():
    steps = [
        StepVideo(1, 0.0),
        StepVideo(1, 36.43),
        StepVideo(None),
        StepVideo(1, 75.16, 80.0),  # an explicit end wins
        StepVideo(2, None),
        StepVideo(1, 110.38),
    ]
    spans = chapter_spans(steps, {1: 150.2, 2: None})
    assert spans == [
        Chapter(0.0, 36.43),
        Chapter(36.43, 75.16),
        None,
        Chapter(75.16, 80.0),
        Chapter(0.0, None),  # a video of its own, length unknown: to the end
        Chapter(110.38, 150.2),
    ]


def test_steps_out_of_video_order_still_end_at_the_nearest_later_start():
    spans = chapter_spans([StepVideo(1, 50.5), StepVideo(1, 10.25), StepVideo(1, 30.0)], {1: 60.0})
    assert spans == [Chapter(50.5, 60.0), Chapter(10.25, 30.0), Chapter(30.0, 50.5)]


def test_in_chapter_keeps_cues_that_overlap_and_drops_those_touching_the_edges():
    chapter = Chapter(36.43, 75.16)
    assert in_chapter(36.43, 40.0, chapter)
    assert in_chapter(74.0, 76.0, chapter)
    assert not in_chapter(30.0, 36.43, chapter)  # ends where the chapter begins
    assert not in_chapter(75.16, 80.0, chapter)
    assert in_chapter(200.0, 201.0, Chapter(100.0, None))


def test_flowing_text_joins_hard_line_breaks():
    assert flowing_text("请认准开发\n者：人社部") == "请认准开发者：人社部"
    assert flowing_text("Open the\napp") == "Open the app"
    assert flowing_text("打开 App\nStore") == "打开 App Store"
    assert flowing_text("\n") == ""


def test_similarity_is_the_share_of_the_cue_said_by_the_step():
    assert similarity("打开掌上12333应用", "打开掌上12333") == 1.0
    assert similarity("打开掌上12333应用", "选择缴费年份") == 0.0
    assert similarity("任何内容", "，。") == 0.0


STEPS = [
    "打开“掌上12333”。在应用商店搜索并安装人社部的掌上12333",
    "登录账号。用手机号和验证码登录，第一次使用要实名认证",
    "进入社保查询。在首页点击“社保查询”，再选“缴费记录”",
    "选择年份。点击年份，选择要查的年份，就能看到每个月的缴费",
]
CUES = [
    (0.0, 3.2, "第1步，打开“掌上12333”。"),
    (3.2, 7.9, "在应用商店搜索并安装\n人社部的掌上12333"),
    (7.9, 12.0, "请认准开发者"),  # matches no step: stays with the step before
    (12.34, 15.0, "第2步，登录账号。"),
    (15.0, 19.5, "用手机号和验证码登录"),
    (19.5, 24.0, "第一次使用要实名认证"),
    (24.56, 28.0, "第3步，进入社保查询。"),
    (28.0, 33.0, "在首页点击“社保查询”，\n再选“缴费记录”"),
    (33.78, 37.0, "第4步，选择年份。"),
    (37.0, 42.0, "点击年份，选择要查的年份"),
]


def test_suggested_starts_follow_the_narration():
    assert suggest_chapter_starts(STEPS, CUES) == [0.0, 12.34, 24.56, 33.78]


def test_suggested_starts_are_in_order_even_when_a_later_step_repeats_words():
    steps = ["打开应用", "点击查询", "再次打开应用查看结果"]
    cues = [(0.0, 2.0, "打开应用"), (2.5, 4.0, "点击查询"), (4.5, 6.0, "打开应用"), (6.25, 8.0, "查看结果")]
    starts = suggest_chapter_starts(steps, cues)
    assert starts == sorted(starts)
    assert starts[:2] == [0.0, 2.5]
    assert starts[2] in (4.5, 6.25)


def test_too_few_cues_for_the_steps_is_named():
    with pytest.raises(ValueError, match="3 steps need at least 3 subtitle lines; the video has 2"):
        suggest_chapter_starts(["一", "二", "三"], [(0.0, 1.0, "一"), (1.0, 2.0, "二")])
    assert suggest_chapter_starts([], CUES) == []
