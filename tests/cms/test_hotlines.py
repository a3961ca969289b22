from cms.templatetags.hotlines import hotlines


def test_hotline_numbers_become_tap_to_call_links():
    assert hotlines("拨打12333咨询，或打12345。") == (
        '拨打<a class="tel-link" href="tel:12333">12333</a>咨询，或打<a class="tel-link" href="tel:12345">12345</a>。'
    )


def test_other_numbers_and_markup_stay_text():
    assert hotlines("号牌 A12345，电话 13612345678，验证码 123456") == "号牌 A12345，电话 13612345678，验证码 123456"
    assert hotlines("<b>12345</b>") == '&lt;b&gt;<a class="tel-link" href="tel:12345">12345</a>&lt;/b&gt;'
