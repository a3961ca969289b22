"""Made-up numbers for tests and benchmarks: valid ones of each kind, their written forms, and look-alikes.

Everything is drawn from a ``random.Random`` the caller seeds, so a failing case can be replayed.
"""

from __future__ import annotations

import datetime
import random

from privacy.detect.regions import PROVINCE_PREFIXES
from privacy.detect.text import bank_card_valid, id18_check_digit, luhn_valid, mobile_valid, resident_id_valid
from privacy.detect.types import Kind

_PROVINCES = sorted(PROVINCE_PREFIXES)
_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _birth(rng: random.Random, *, first: int = 1900, last: int | None = None) -> datetime.date:
    start = datetime.date(first, 1, 1)
    end = datetime.date(last, 12, 31) if last else datetime.date.today()
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def resident_id(rng: random.Random) -> str:
    region = rng.choice(_PROVINCES) + f"{rng.randrange(1, 100):02d}" + f"{rng.randrange(1, 100):02d}"
    first17 = region + _birth(rng).strftime("%Y%m%d") + _digits(rng, 3)
    return first17 + id18_check_digit(first17)


def old_resident_id(rng: random.Random) -> str:
    region = rng.choice(_PROVINCES) + _digits(rng, 4)
    return region + _birth(rng, last=1999).strftime("%y%m%d") + _digits(rng, 3)


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + _digits(rng, 9)


def bank_card(rng: random.Random) -> str:
    prefix = rng.choice(["62", "4", "5", "3", "9558", "6013"])
    body = prefix + _digits(rng, rng.randint(16, 19) - len(prefix) - 1)
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always completes a Luhn number")


MAKERS = {
    "resident_id": (Kind.RESIDENT_ID, resident_id),
    "old_resident_id": (Kind.RESIDENT_ID, old_resident_id),
    "mobile": (Kind.MOBILE, mobile),
    "bank_card": (Kind.BANK_CARD, bank_card),
}


def _split(number: str, rng: random.Random, separator: str) -> str:
    cuts = sorted(rng.sample(range(1, len(number)), k=rng.randint(1, min(4, len(number) - 1))))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    return separator.join(parts)


def written(number: str, rng: random.Random, form: str) -> str:
    """``number`` as someone might write or paste it."""
    if form == "plain":
        return number
    if form == "spaces":
        return _split(number, rng, " ")
    if form == "dashes":
        return _split(number, rng, "-")
    if form == "full_width":
        return number.translate(_FULL_WIDTH)
    if form == "line_break":
        return _split(number, rng, rng.choice(["\n", "\r\n", "\n  "]))
    if form == "mixed":
        return _split(number, rng, rng.choice([" ", "-", "　", " - "])).translate(_FULL_WIDTH)
    raise ValueError(form)


FORMS = ("plain", "spaces", "dashes", "full_width", "line_break", "mixed")

_CONTEXTS = [
    "{}",
    "身份证号：{}",
    "请拨打 {} 咨询",
    "我的号码是{}，谢谢",
    "卡号 {} 已绑定",
    "Phone: {}.",
    "（{}）",
]


def in_context(text: str, rng: random.Random) -> str:
    return rng.choice(_CONTEXTS).format(text)


def look_alike(rng: random.Random) -> str:
    """A string with digits in it that holds no personal number."""
    kind = rng.randrange(11)
    if kind == 0:
        return rng.choice(["12345", "12333", "95588", "95566", "10086", "12315", "110", "120", "4008-123-456"])
    if kind == 1:
        day = _birth(rng, first=1990, last=2030)
        return rng.choice([day.isoformat(), day.strftime("%Y年%m月%d日"), day.strftime("%Y/%m/%d %H:%M")])
    if kind == 2:
        return f"¥{rng.randrange(1, 10**7):,}.{rng.randrange(100):02d}"
    if kind == 3:  # masked the way apps show them
        number = rng.choice([resident_id(rng), mobile(rng), bank_card(rng)])
        if len(number) == 11:
            return number[:3] + "****" + number[-4:]
        if len(number) == 18:
            return number[:4] + "*" * 10 + number[-4:]
        return rng.choice([f"{number[:4]} **** **** {number[-4:]}", f"**** **** **** {number[-4:]}"])
    if kind == 4:  # an 18-digit number, like an ID, whose check digit is wrong (and that fails Luhn too)
        while True:
            number = resident_id(rng)
            number = number[:17] + rng.choice([c for c in "0123456789X" if c != number[-1]])
            if not bank_card_valid(number):
                return number
    if kind == 5:  # a 16-19 digit order number that fails Luhn or starts like no card
        while True:
            number = rng.choice("0123456789") + _digits(rng, rng.randint(15, 18))
            if not bank_card_valid(number) and not resident_id_valid(number) and not _is_mobile_like(number):
                return rng.choice(["订单号 ", "流水号：", ""]) + number
    if kind == 6:  # eleven digits that are no mobile number
        return rng.choice(["10", "11", "12", "0"]) + _digits(rng, 9 if rng.random() < 0.75 else 10)[:9]
    if kind == 7:  # a landline
        return rng.choice(["010-", "021-", "0571-", "0755 "]) + _digits(rng, 8)
    if kind == 8:  # a case number
        return f"（{rng.randrange(2015, 2027)}）浙0102民初{rng.randrange(1, 99999)}号"
    if kind == 9:  # a mobile number inside a longer code
        return rng.choice(["SF", "YT", "JD"]) + mobile(rng) + _digits(rng, 2)
    # an ID-like number with an impossible date (and that fails Luhn, else it would read as a card)
    while True:
        first17 = rng.choice(_PROVINCES) + "0101" + rng.choice(["1990", "2001"]) + rng.choice(["13", "00"])
        first17 += f"{rng.randrange(1, 29):02d}" + _digits(rng, 3)
        number = first17 + id18_check_digit(first17)
        if not bank_card_valid(number):
            return number


def _is_mobile_like(number: str) -> bool:
    return mobile_valid(number) or any(
        number.startswith(prefix) and mobile_valid(number[len(prefix) :]) for prefix in ("86", "0086")
    )
