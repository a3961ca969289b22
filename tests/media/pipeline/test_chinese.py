from media.pipeline.chinese import to_simplified


def test_traditional_becomes_simplified() -> None:
    assert to_simplified("請打開微信，點擊「我」，進入服務頁面查詢社會保險。") == (
        "请打开微信，点击「我」，进入服务页面查询社会保险。"
    )


def test_one_to_many_characters_follow_the_phrase() -> None:
    assert to_simplified("頭髮 發展 後面 乾燥") == "头发 发展 后面 干燥"


def test_simplified_latin_and_digits_pass_through() -> None:
    text = "请拨打12345热线 or visit gov.cn"
    assert to_simplified(text) == text
    assert to_simplified("") == ""
