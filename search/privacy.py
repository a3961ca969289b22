"""Removing personal numbers from what citizens type before anything is stored or logged."""

import re

# ID card numbers (18 or 15 characters), mobile and landline numbers, bank cards: any long run of digits,
# with the separators people type inside them.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9A-Za-z])")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s\-－—]{5,}\d")
_SPACES = re.compile(r"\s+")


def strip_personal_numbers(text: str) -> str:
    """Drop ID card, phone and card numbers; keep the words around them ("社保 查询 …")."""
    text = _ID_CARD.sub(" ", text)
    text = _LONG_NUMBER.sub(lambda m: " " if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(), text)
    return _SPACES.sub(" ", text).strip()
