"""Reading an uploaded bank file whatever its format and text encoding."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from training.quiz.aiken import parse_aiken
from training.quiz.gift import parse_gift
from training.quiz.types import Issue, Parsed, QuestionBank, gettext_noop
from training.quiz.xlsx import parse_xlsx


class BankFormat(StrEnum):
    GIFT = "gift"
    AIKEN = "aiken"
    XLSX = "xlsx"


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without a byte-order mark), else GB18030 (files saved by Chinese Windows); ``None`` if neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def guess_format(name: str, data: bytes) -> BankFormat:
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return BankFormat.XLSX
    if name.lower().endswith(".gift"):
        return BankFormat.GIFT
    text = decode(data) or ""
    return BankFormat.GIFT if "{" in text else BankFormat.AIKEN


def parse_file(data: bytes, *, format: BankFormat, category: str = "") -> Parsed:
    """Parse a bank; ``category`` is given to questions the file puts in none."""
    if format is BankFormat.XLSX:
        return parse_xlsx(data, category=category)
    text = decode(data)
    if text is None:
        return Parsed(None, (Issue(1, gettext_noop("The file is neither UTF-8 nor GB18030 text.")),))
    if format is BankFormat.AIKEN:
        return parse_aiken(text, category=category)
    parsed = parse_gift(text)
    if parsed.bank is None or not category:
        return parsed
    return Parsed(
        QuestionBank(tuple(q if q.category else replace(q, category=category) for q in parsed.bank.questions))
    )
