"""Chinese word segmentation with jieba for the `*_seg` fields and for queries.

The cluster may have no Chinese analyzer, so words are cut here, in search mode (long words also yield their
dictionary sub-words: 个人所得税 -> 个人 所得 所得税 个人所得税), lower-cased and joined by spaces for the built-in
`whitespace` analyzer. Documents and queries go through the same function, so their tokens agree.
"""

from __future__ import annotations

import logging
import threading

import jieba

# jieba logs its dictionary loading at DEBUG through its own handler; that is noise in a web log.
logging.getLogger("jieba").setLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_user_words: set[str] = set()


def _get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tokenizer = jieba.Tokenizer()
                # Loading the dictionary takes about a second; do it once, before any thread uses the tokenizer.
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def load_user_words(words: list[str]) -> None:
    """Teach jieba the site glossary (service names like 粤省事, 个税, 电子社保卡) so they stay whole words.

    Idempotent; words already loaded are skipped. Words with spaces cannot be matched by jieba and are ignored.
    """
    tokenizer = _get_tokenizer()
    with _lock:
        for raw in words:
            word = raw.strip()
            if not word or word in _user_words or any(ch.isspace() for ch in word):
                continue
            # freq=None lets jieba pick a frequency just high enough to keep the word in one piece.
            tokenizer.add_word(word)
            _user_words.add(word)


def words(text: str) -> list[str]:
    """The search-mode words of `text`, lower-cased, without punctuation or whitespace tokens."""
    if not text or not text.strip():
        return []
    tokenizer = _get_tokenizer()
    out: list[str] = []
    for token in tokenizer.cut_for_search(text):
        token = token.strip().lower()
        # Punctuation tokens would match every document that has the same punctuation.
        if token and any(ch.isalnum() for ch in token):
            out.append(token)
    return out


def segment(text: str) -> str:
    """`text` as space-separated search-mode words, ready for a `whitespace`-analysed field."""
    return " ".join(words(text))


def cut(text: str) -> list[str]:
    """Precise-mode words (no overlapping sub-words), lower-cased, punctuation kept out; for reading a query."""
    if not text or not text.strip():
        return []
    tokenizer = _get_tokenizer()
    return [t for t in (tok.strip().lower() for tok in tokenizer.cut(text)) if t and any(ch.isalnum() for ch in t)]
