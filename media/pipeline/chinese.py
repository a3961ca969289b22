"""Chinese script conversion: recognisers sometimes answer in traditional characters; the site shows simplified."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _converter() -> Any:
    # opencc-python-reimplemented: pure Python with its dictionaries inside the wheel, so it works offline.
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese characters (OpenCC t2s); other text passes through unchanged."""
    if not text:
        return text
    return _converter().convert(text)
