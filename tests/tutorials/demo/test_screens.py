import pytest
from PIL import ImageStat

from tutorials.demo import screens


def test_phone_screen_is_portrait_and_deterministic():
    kwargs = {
        "app_name": "国家医保服务平台",
        "title": "医保电子凭证",
        "lines": ["#常用服务", "激活凭证", "!请勿向他人透露验证码", "手机号|请输入手机号"],
        "highlight": "激活凭证",
        "button": "下一步",
        "accent": (28, 102, 214),
    }
    first = screens.draw_phone_screen(**kwargs)
    second = screens.draw_phone_screen(**kwargs)
    assert first.size == (screens.WIDTH, screens.HEIGHT) and first.height > first.width
    assert first.tobytes() == second.tobytes()
    # Something was drawn: the picture is far from one flat colour.
    assert max(ImageStat.Stat(first.convert("L")).stddev) > 20


def test_highlight_must_name_something_on_screen():
    with pytest.raises(ValueError):
        screens.draw_phone_screen(app_name="A", title="B", lines=["甲"], highlight="乙", button=None, accent=(0, 0, 0))


def test_missing_font_is_reported_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(screens, "REGULAR_FONT", tmp_path / "missing.ttc")
    screens._font.cache_clear()
    with pytest.raises(screens.FontMissingError, match="fonts-noto-cjk"):
        screens.draw_phone_screen(app_name="A", title="B", lines=["甲"], highlight=None, button=None, accent=(0, 0, 0))
    screens._font.cache_clear()
