"""Personal numbers in plain text: mainland resident ID numbers, mobile numbers and bank card numbers.

A number is recognised when its digits are written together or split into groups by spaces, dashes or a line
break, in ASCII or full-width digits. A candidate always starts and ends at a group boundary, so digits inside a
longer run (an order number, a timestamp) never yield a number, and one already masked the way apps show them
(138****5678) is not a candidate at all: the asterisks split it into groups too short for any kind.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from privacy.detect.regions import PROVINCE_PREFIXES
from privacy.detect.types import Finding, Kind

# Without a key from the caller, digests only need to agree within one process (frames of one video, one scan).
_PROCESS_KEY = secrets.token_bytes(32)

_FULL_WIDTH = {chr(0xFF10 + n): str(n) for n in range(10)}
_X = {"X", "x", "Ｘ", "ｘ"}
_DASHES = set("-‐‑‒–—－−")
_SPACES = set(" \t\u00a0\u3000")
_NEWLINES = set("\n\r\u2028")
_SEPARATORS = _DASHES | _SPACES | _NEWLINES
_PLUS = {"+", "＋"}
# A separator this long joins two groups only when it holds a line break (wrapped, indented text); otherwise a
# column gap in a table would join numbers that have nothing to do with each other.
_MAX_GAP = 3
_MAX_WRAP_GAP = 8
_LONGEST = 19 + 2  # a bank card, or a mobile number after a 0086 prefix

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Major industry identifiers of payment cards seen in China: 3 (JCB, Amex), 4 (Visa), 5 (Mastercard),
# 6 and 8 (UnionPay), 9 (old domestic cards such as ICBC's 9558). Order numbers often start with a year (20..)
# and so are not mistaken for cards when their digits happen to pass Luhn.
_CARD_FIRST_DIGITS = frozenset("345689")
_PRIORITY = {Kind.RESIDENT_ID: 0, Kind.BANK_CARD: 1, Kind.MOBILE: 2}


def _digit(char: str) -> str | None:
    if "0" <= char <= "9":
        return char
    return _FULL_WIDTH.get(char)


def _birth_date_valid(year: int, month: int, day: int, *, today: datetime.date | None = None) -> bool:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= (today or datetime.date.today())


def id18_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_valid(number: str) -> bool:
    """An 18-character number (check character last) or a 15-digit pre-1999 number, in canonical ASCII form."""
    if len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            return False
        if number[:2] not in PROVINCE_PREFIXES:
            return False
        if not _birth_date_valid(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return False
        return id18_check_digit(number[:17]) == number[17]
    if len(number) == 15 and number.isdigit():
        if number[:2] not in PROVINCE_PREFIXES:
            return False
        return _birth_date_valid(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def mobile_valid(number: str) -> bool:
    return len(number) == 11 and number.isdigit() and number[0] == "1" and number[1] in "3456789"


def luhn_valid(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def bank_card_valid(number: str) -> bool:
    return 16 <= len(number) <= 19 and number[0] in _CARD_FIRST_DIGITS and luhn_valid(number)


def mask(kind: Kind, number: str) -> str:
    """The form apps show: enough to recognise one's own number, too little to use it."""
    if kind is Kind.RESIDENT_ID:
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    if kind is Kind.MOBILE:
        return number[:3] + "****" + number[-4:]
    return f"{number[:4]} **** **** {number[-4:]}"


def fingerprint(kind: Kind, number: str, *, key: bytes | None = None) -> str:
    return hmac.new(key or _PROCESS_KEY, f"{kind}:{number}".encode(), hashlib.sha256).hexdigest()[:24]


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    digits: str  # canonical ASCII, an ID check character X only as the last one


def _lone_x(text: str, i: int) -> bool:
    """An ID check character X standing on its own: the last character, or followed by no letter or digit."""
    after = text[i + 1] if i + 1 < len(text) else ""
    return text[i] in _X and not (after.isascii() and after.isalnum()) and _digit(after) is None


def _groups(text: str) -> list[list[_Group]]:
    """Runs of digit groups, where the groups of a run are joined by short separators."""
    runs: list[list[_Group]] = []
    current: list[_Group] = []
    i, n = 0, len(text)
    while i < n:
        if current and text[i] in _SEPARATORS:
            j = i
            while j < n and text[j] in _SEPARATORS:
                j += 1
            gap = text[i:j]
            wrapped = any(c in _NEWLINES for c in gap)
            if j < n and (_digit(text[j]) is not None or _lone_x(text, j)):
                if len(gap) <= (_MAX_WRAP_GAP if wrapped else _MAX_GAP):
                    i = j
                    if _digit(text[j]) is None:  # the check character of the number before, split off
                        current.append(_Group(j, j + 1, "X"))
                        runs.append(current)
                        current = []
                        i = j + 1
                    continue
        if _digit(text[i]) is None:
            if current:
                runs.append(current)
                current = []
            i += 1
            continue
        start, digits = i, []
        while i < n and (d := _digit(text[i])) is not None:
            digits.append(d)
            i += 1
        if i < n and _lone_x(text, i):
            digits.append("X")
            i += 1
        current.append(_Group(start, i, "".join(digits)))
        if digits[-1] == "X":
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _is_code_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """False when the digits are glued to letters (a tracking code) or are part of an amount (1,234 or 12.50)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if _is_code_letter(before) or _is_code_letter(after) or after == "_" or before == "_":
        return False
    if after in {".", "．", ","} and end + 1 < len(text) and _digit(text[end + 1]) is not None:
        return False
    if before in {".", "．", ","} and start >= 2 and _digit(text[start - 2]) is not None:
        return False
    return True


def _classify(number: str) -> tuple[Kind, str] | None:
    """The kind and canonical number for a candidate's digits, or None."""
    if resident_id_valid(number):
        return Kind.RESIDENT_ID, number
    if "X" in number:
        return None
    if mobile_valid(number):
        return Kind.MOBILE, number
    for prefix in ("86", "0086"):
        if number.startswith(prefix) and mobile_valid(number[len(prefix) :]):
            return Kind.MOBILE, number[len(prefix) :]
    if bank_card_valid(number):
        return Kind.BANK_CARD, number
    return None


def find_numbers(text: str, *, key: bytes | None = None) -> list[Finding]:
    """Every personal number in ``text``, in order of position, none overlapping another."""
    candidates: list[tuple[int, int, Kind, str]] = []
    for run in _groups(text):
        for i in range(len(run)):
            digits = ""
            for j in range(i, len(run)):
                if digits.endswith("X"):
                    break
                digits += run[j].digits
                if len(digits) > _LONGEST:
                    break
                start, end = run[i].start, run[j].end
                if not _boundary_ok(text, start, end):
                    continue
                found = _classify(digits)
                if found is None:
                    continue
                kind, number = found
                if kind is Kind.MOBILE and number != digits and start > 0 and text[start - 1] in _PLUS:
                    start -= 1
                candidates.append((start, end, kind, number))
    # The longest reading wins (+86 138… over 138…); of equal length, the kind whose check is the strictest.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2]], c[0]))
    taken: list[tuple[int, int, Kind, str]] = []
    for candidate in candidates:
        if all(candidate[1] <= other[0] or other[1] <= candidate[0] for other in taken):
            taken.append(candidate)
    taken.sort(key=lambda c: c[0])
    return [
        Finding(kind=kind, span=(start, end), masked=mask(kind, number), fingerprint=fingerprint(kind, number, key=key))
        for start, end, kind, number in taken
    ]
