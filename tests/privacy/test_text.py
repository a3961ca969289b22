import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privacy.detect import Kind, bank_card_valid, find_numbers, mobile_valid, resident_id_valid, samples
from privacy.detect.text import id18_check_digit

ID = "110101199003074514"  # check digit 4 by GB 11643
ID_X = "11010519491231002X"


def kinds(text):
    return [(f.kind, f.masked) for f in find_numbers(text)]


def test_check_digit_follows_gb_11643():
    assert id18_check_digit(ID[:17]) == "4"
    assert id18_check_digit(ID_X[:17]) == "X"


@pytest.mark.parametrize("number", [ID, ID_X, "440524800101001"])
def test_valid_resident_ids(number):
    assert resident_id_valid(number)


@pytest.mark.parametrize(
    "number, why",
    [
        ("110101199003074515", "wrong check digit"),
        ("990101199003074514"[:17] + id18_check_digit("99010119900307451"), "no such province"),
        ("11010119901307451" + id18_check_digit("11010119901307451"), "month 13"),
        ("11010118990307451" + id18_check_digit("11010118990307451"), "born before 1900"),
        ("11010121990307451" + id18_check_digit("11010121990307451"), "born in the future"),
        ("440524801301001", "old number with month 13"),
        ("11010119900307451Y", "letter other than X"),
    ],
)
def test_invalid_resident_ids(number, why):
    assert not resident_id_valid(number), why


def test_mobile_and_card_rules():
    assert mobile_valid("13812345678") and mobile_valid("19912345678")
    assert not mobile_valid("12812345678") and not mobile_valid("1381234567")
    assert bank_card_valid("4111111111111111")
    assert not bank_card_valid("4111111111111112")  # Luhn fails
    assert not bank_card_valid("2111111111111111"[:15] + "7")  # starts like no card


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"身份证号：{ID}。", [(Kind.RESIDENT_ID, "1101**********4514")]),
        (f"证件 {ID_X.lower()} 有效", [(Kind.RESIDENT_ID, "1101**********002X")]),
        ("电话13812345678", [(Kind.MOBILE, "138****5678")]),
        ("+86 138-1234-5678", [(Kind.MOBILE, "138****5678")]),
        ("＋８６１３８１２３４５６７８", [(Kind.MOBILE, "138****5678")]),
        ("卡号 4111 1111 1111 1111 已绑定", [(Kind.BANK_CARD, "4111 **** **** 1111")]),
        (f"{ID[:6]}\n{ID[6:]}", [(Kind.RESIDENT_ID, "1101**********4514")]),
        (f"{ID_X[:10]} {ID_X[10:17]} X", [(Kind.RESIDENT_ID, "1101**********002X")]),
        ("１１０１０１　１９９００３０７－４５１４", [(Kind.RESIDENT_ID, "1101**********4514")]),
        (f"{ID} 13812345678", [(Kind.RESIDENT_ID, "1101**********4514"), (Kind.MOBILE, "138****5678")]),
    ],
)
def test_numbers_found_in_every_written_form(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "拨打 12345 政务服务热线，社保 12333，工行 95588",
        "2024-05-12 13:45 办理",
        "金额 ¥13,812,345,678.00",
        "余额 13812345678.50 元",
        "3101**********6883 和 138****5678 以及 6222 **** **** 1234",
        "订单号 202405121381234567",  # a mobile number inside a longer run is not one
        "运单 SF13812345678",
        "（2024）浙0102民初12345号",
        "110101199003074515",  # check digit wrong, and fails Luhn
        "12812345678",
        "010-12345678",
    ],
)
def test_look_alikes_pass(text):
    assert find_numbers(text) == []


def test_span_points_at_the_number_and_findings_hold_no_number():
    text = f"请核对：{ID[:6]} {ID[6:]}，谢谢"
    (found,) = find_numbers(text)
    assert text[found.span[0] : found.span[1]] == f"{ID[:6]} {ID[6:]}"
    assert ID not in repr(found) and ID[6:14] not in repr(found)


def test_fingerprint_is_keyed_and_stable():
    a = find_numbers(f"{ID}", key=b"site-a")[0].fingerprint
    assert a == find_numbers(f"{ID[:6]}-{ID[6:]}", key=b"site-a")[0].fingerprint
    assert a != find_numbers(f"{ID}", key=b"site-b")[0].fingerprint


@given(
    name=st.sampled_from(sorted(samples.MAKERS)),
    form=st.sampled_from(samples.FORMS),
    rng=st.randoms(use_true_random=False),
)
@settings(max_examples=600, deadline=None)
def test_property_every_valid_number_is_found(name, form, rng):
    kind, make = samples.MAKERS[name]
    number = make(rng)
    text = samples.in_context(samples.written(number, rng, form), rng)
    found = find_numbers(text)
    assert [f.kind for f in found] == [kind], text
    assert found[0].masked[-4:] == number[-4:]


@given(rng=st.randoms(use_true_random=False))
@settings(max_examples=600, deadline=None)
def test_property_look_alikes_are_not_flagged(rng):
    text = samples.look_alike(rng)
    assert find_numbers(text) == [], text


def test_generators_make_valid_numbers():
    rng = random.Random(7)
    for _ in range(200):
        assert resident_id_valid(samples.resident_id(rng))
        assert resident_id_valid(samples.old_resident_id(rng))
        assert mobile_valid(samples.mobile(rng))
        assert bank_card_valid(samples.bank_card(rng))
