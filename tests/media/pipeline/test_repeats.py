import pytest

from media.pipeline.transcribe import collapse_repeats


@pytest.mark.parametrize(
    "text, expected",
    [
        ("地衣补, 下开补, 下开补,下开补,下开补,下开补,下开补", "地衣补, 下开补"),
        ("4-4-4-4-4-4-4-4-4-4-", "4-"),
        ("the the the the the button", "the button"),
        ("打开应用，点击查询。", "打开应用，点击查询。"),
        ("very very good", "very very good"),
        ("第1步 第2步 第3步", "第1步 第2步 第3步"),
    ],
)
def test_loops_collapse_and_normal_text_stays(text, expected):
    assert collapse_repeats(text) == expected
