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
# A wrapped line continues the one above it in the same text size, at most a line's height below it.
_WRAP_HEIGHT_RATIO = 1.5
_APART = "\u2029"
# A busy background (see busy_background): at least this share of neighbouring pixels differ by a few levels.
_GENTLE_STEP = 12
_BUSY_SHARE = 0.1
# The binarised second reading: the background is the median of a 9x9 window at half size (wider than a stroke
# of the text sizes screens use), and ink is what differs from it by more than this many levels.
_BACKGROUND_WINDOW = 9
_INK_LEVELS = 32


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


def _separator(previous: Word, word: Word) -> str:
    if word.line == previous.line:
        return " "
    height, other = previous.box.bottom - previous.box.top, word.box.bottom - word.box.top
    gap = word.box.top - previous.box.bottom
    if 0 < height and 0 < other and max(height, other) <= _WRAP_HEIGHT_RATIO * min(height, other) and gap <= height:
        return "\n"
    return _APART  # not a separator of digit groups: the numbers on either side stay apart


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
    wrapped onto the next line is read as one, as in text; a line that cannot be the wrapped rest of the one before
    (far below it, or in another text size: an icon read as a digit) is kept apart.
    """
    pieces: list[str] = []
    places: list[tuple[int, Word]] = []  # where each word starts in the joined text
    offset, previous = 0, None
    for word in words:
        if previous is not None:
            pieces.append(_separator(previous, word))
            offset += 1
        places.append((offset, word))
        pieces.append(word.text)
        offset += len(word.text)
        previous = word
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


def busy_background(path: Path) -> bool:
    """Whether text in the picture may sit on a photo or a blurred wallpaper rather than on flat colours.

    App screens are flat areas with sharp edges; a photo or a blurred backdrop changes gently almost everywhere.
    """
    from PIL import Image, ImageChops, ImageFilter

    with Image.open(path) as source:
        grey = source.convert("L")
    small = grey.reduce(4) if min(grey.size) >= 64 else grey
    small = small.filter(ImageFilter.MedianFilter(5))
    width, height = small.size
    if width < 2 or height < 2:
        return False
    gentle = total = 0
    for right, down in ((1, 0), (0, 1)):  # each pixel against its right and its lower neighbour
        a = small.crop((0, 0, width - right, height - down))
        b = small.crop((right, down, width, height))
        histogram = ImageChops.difference(a, b).histogram()
        gentle += sum(histogram[1 : _GENTLE_STEP + 1])
        total += sum(histogram)
    return gentle / total >= _BUSY_SHARE


def binarised(path: Path, dest: Path) -> Path:
    """Black wherever a pixel stands out from its neighbourhood's background, whichever way (dark text on a light
    patch, or on a darker one); white elsewhere. A backdrop's gradients and dark patches no longer join the text
    into one blob that OCR takes for a picture."""
    from PIL import Image, ImageChops, ImageFilter

    with Image.open(path) as source:
        grey = source.convert("L")
    half = grey.reduce(2) if min(grey.size) >= 32 else grey
    background = half.filter(ImageFilter.MedianFilter(_BACKGROUND_WINDOW)).resize(grey.size, Image.Resampling.BILINEAR)
    difference = ImageChops.difference(grey, background)
    difference.point(lambda level: 0 if level > _INK_LEVELS else 255).save(dest, format="PNG")
    return dest


def find_in_images(
    paths: Sequence[Path], *, key: bytes | None = None, jobs: int | None = None
) -> list[list[ImageFinding]]:
    """Personal numbers in each image file, in the order given.

    A picture with a busy background is read twice, as it is and binarised (see ``binarised``), and a number
    either reading finds counts; a plain app screen is read once.
    """
    paths = [Path(path) for path in paths]
    pages = read_words(paths, jobs=jobs)
    results = [findings_in_words(words, key=key) for words in pages]
    with tempfile.TemporaryDirectory(prefix="bangban-ocr-") as workdir:
        again: list[tuple[int, Path]] = []
        for index, path in enumerate(paths):
            try:
                if busy_background(path):
                    again.append((index, binarised(path, Path(workdir) / f"{index:06d}.png")))
            except OSError:
                continue  # tesseract read it; Pillow cannot (a TIFF variant): the first reading stands
        second = read_words([path for _, path in again], jobs=jobs)
    for (index, _), words in zip(again, second, strict=True):
        seen = {finding.fingerprint for finding in results[index]}
        results[index] += [f for f in findings_in_words(words, key=key) if f.fingerprint not in seen]
    return results


def find_in_image(path: Path, *, key: bytes | None = None) -> list[ImageFinding]:
    """Personal numbers shown in one image file (PNG, JPEG, WebP, TIFF...), with the pixel box of each."""
    (found,) = find_in_images([Path(path)], key=key, jobs=1)
    return found
