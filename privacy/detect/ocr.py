"""Personal numbers inside pictures, read by Debian's tesseract-ocr (chi_sim + eng) through its TSV output.

The ``tesseract`` binary is called directly: its batch mode (a list file of images) loads the language models once
for many frames, which costs about a third of a second a call on this machine's CPUs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from privacy.detect.text import find_numbers
from privacy.detect.types import Box, DetectError, ImageFinding

TESSERACT = "tesseract"
LANGUAGES = "chi_sim+eng"
# Page segmentation 11 (sparse text) reads screens, whose text is scattered rows rather than paragraphs.
PAGE_SEGMENTATION = "11"
TIMEOUT_PER_IMAGE = 60


@dataclass(frozen=True)
class Word:
    box: Box
    text: str
    line: tuple[int, int, int]  # block, paragraph, line numbers within the page


def tesseract_command(source: str | os.PathLike[str]) -> list[str]:
    return [TESSERACT, os.fspath(source), "stdout", "-l", LANGUAGES, "--psm", PAGE_SEGMENTATION, "tsv"]


def tesseract_environment() -> dict[str, str]:
    # One thread per process: parallel processes use the cores better than tesseract's own threads do.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _run(paths: Sequence[Path]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="bangban-ocr-", delete=False) as listing:
        listing.write("".join(f"{os.fspath(path)}\n" for path in paths))
    try:
        completed = subprocess.run(
            tesseract_command(listing.name),
            capture_output=True,
            timeout=TIMEOUT_PER_IMAGE * max(1, len(paths)),
            env=tesseract_environment(),
            check=False,
        )
    except FileNotFoundError as error:
        raise DetectError("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim") from error
    except subprocess.TimeoutExpired as error:
        raise DetectError(f"OCR took longer than {error.timeout:.0f} s and was stopped.") from error
    finally:
        os.unlink(listing.name)
    stderr = completed.stderr.decode("utf-8", "replace")
    unreadable = [line for line in stderr.splitlines() if line.startswith("Image file ") and "cannot be read" in line]
    if unreadable:
        name = unreadable[0].removeprefix("Image file ").removesuffix(" cannot be read!")
        raise DetectError(f"{name}: not an image that can be read (PNG, JPEG, WebP, TIFF, GIF or BMP)")
    if completed.returncode != 0 or "Failed loading language" in stderr:
        detail = next((line for line in reversed(stderr.splitlines()) if line.strip()), "no details")
        if "Failed loading language" in stderr:
            detail = "the chi_sim language data is missing (apt-get install tesseract-ocr-chi-sim)"
        raise DetectError(f"OCR failed: {detail}")
    return completed.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str, pages: int) -> list[list[Word]]:
    """Words per page, in tesseract's reading order."""
    result: list[list[Word]] = [[] for _ in range(pages)]
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        if not text:
            continue
        page = int(cells[1]) - 1
        left, top, width, height = (int(value) for value in cells[6:10])
        if 0 <= page < pages:
            result[page].append(
                Word(Box(left, top, left + width, top + height), text, (int(cells[2]), int(cells[3]), int(cells[4])))
            )
    return result


def read_words(paths: Sequence[Path], *, jobs: int | None = None, progress: Callable[[int], None] | None = None):
    """OCR every image; returns the words of each, in the order given.

    The images are shared out between ``jobs`` tesseract processes (default: one per CPU); ``progress`` is called
    with the number of images finished as each batch ends.
    """
    paths = [Path(path) for path in paths]
    for path in paths:
        if not path.is_file():
            raise DetectError(f"{path}: no such file")
        if "\n" in os.fspath(path) or "\r" in os.fspath(path):
            raise DetectError(f"{path!r}: a file name with a line break cannot be read by OCR")
    if not paths:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    # Batches small enough to report progress, large enough that loading the models stays a small share.
    size = max(1, min(8, -(-len(paths) // jobs)))
    batches = [paths[i : i + size] for i in range(0, len(paths), size)]
    done = 0
    pages: list[list[Word]] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for batch, tsv in zip(batches, pool.map(_run, batches), strict=True):
            pages.extend(parse_tsv(tsv, len(batch)))
            done += len(batch)
            if progress is not None:
                progress(done)
    return pages


def _slice(word: Word, start: int, end: int) -> Box:
    """The part of a word's box holding characters [start, end) of its text, by their share of its width."""
    length = max(1, len(word.text))
    width = word.box.right - word.box.left
    left = word.box.left + (width * start) // length
    right = word.box.left + -(-width * end // length)
    return Box(left, word.box.top, max(right, left + 1), word.box.bottom)


def findings_in_words(words: Sequence[Word], *, key: bytes | None = None) -> list[ImageFinding]:
    """Numbers in one page's words, each with the box round the words (or parts of words) that hold it.

    Words of a line are joined by spaces and lines by line breaks, so a number split over several OCR words or
    wrapped onto the next line is read as one, as in text.
    """
    pieces: list[str] = []
    places: list[tuple[int, Word]] = []  # where each word starts in the joined text
    offset, previous_line = 0, None
    for word in words:
        if previous_line is not None:
            separator = " " if word.line == previous_line else "\n"
            pieces.append(separator)
            offset += 1
        places.append((offset, word))
        pieces.append(word.text)
        offset += len(word.text)
        previous_line = word.line
    text = "".join(pieces)
    findings = []
    for found in find_numbers(text, key=key):
        start, end = found.span
        box: Box | None = None
        for word_start, word in places:
            word_end = word_start + len(word.text)
            if word_end <= start or word_start >= end:
                continue
            part = _slice(word, max(start, word_start) - word_start, min(end, word_end) - word_start)
            box = part if box is None else box.union(part)
        if box is not None:
            findings.append(ImageFinding(kind=found.kind, box=box, masked=found.masked, fingerprint=found.fingerprint))
    return findings


def find_in_image(path: Path, *, key: bytes | None = None) -> list[ImageFinding]:
    """Personal numbers shown in one image file (PNG, JPEG, WebP, TIFF...), with the pixel box of each."""
    (words,) = read_words([Path(path)], jobs=1)
    return findings_in_words(words, key=key)
