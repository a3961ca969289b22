import pytest

from search.privacy import strip_personal_numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我的身份证110101199003074514怎么查社保", "我的身份证 怎么查社保"),
        ("身份证 11010119900307451X 医保", "身份证 医保"),
        ("手机13812345678收不到验证码", "手机 收不到验证码"),
        ("电话 138-1234-5678 医保", "电话 医保"),
        ("座机010-12345678", "座机"),
        ("银行卡6222 0212 3456 7890 123", "银行卡"),
        ("+86 138 1234 5678", ""),
        ("12345热线", "12345热线"),
        ("2026年个税汇算", "2026年个税汇算"),
        ("第3步 打不开", "第3步 打不开"),
    ],
)
def test_personal_numbers_are_removed_and_words_kept(text, expected):
    assert strip_personal_numbers(text) == expected
