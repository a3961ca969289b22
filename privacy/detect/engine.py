"""A tesseract engine kept loaded in a process of its own, fed one grey picture at a time over a pipe.

The frames of a video arrive one by one while ffmpeg decodes it. The ``tesseract`` command reads a list of files
given in advance and loads its language models on each call; an engine loads them once and reads each frame as it
comes, through libtesseract's C API (the library the command itself uses, with the same models, page segmentation
and TSV output: the words are the same). It runs in its own process, so a crash in the library cannot take the
caller with it, and with one OpenMP thread, as the command is run.

Protocol, all bytes: the engine writes ``ready`` (or ``error <reason>``) once loaded; then for each picture it is
sent ``<width> <height>\\n`` and width x height bytes of 8-bit grey pixels, it answers ``ok <length>\\n`` and that
many bytes of TSV (tesseract's columns, page 1, without the header row), or ``error <reason>\\n``. An empty line or
the end of its input stops it.

This file imports only the standard library: the engine process runs it as a script (``python -I -S engine.py``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import subprocess
import sys
from pathlib import Path

LANGUAGES = "chi_sim+eng"  # as privacy.detect.ocr
PAGE_SEGMENTATION = 11
_MAX_SIDE = 20000


class EngineError(RuntimeError):
    pass


def _library():
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    lib = ctypes.CDLL(name)
    lib.TessBaseAPICreate.restype = ctypes.c_void_p
    lib.TessBaseAPIInit3.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPISetPageSegMode.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
    ]  # fmt: skip
    lib.TessBaseAPIGetTsvText.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.TessBaseAPIGetTsvText.restype = ctypes.c_void_p
    lib.TessDeleteText.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIEnd.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIDelete.argtypes = [ctypes.c_void_p]
    return lib


def _serve(stdin, stdout) -> int:
    try:
        lib = _library()
    except OSError as error:
        stdout.write(f"error libtesseract cannot be loaded ({error})\n".encode())
        stdout.flush()
        return 1
    api = lib.TessBaseAPICreate()
    try:
        if lib.TessBaseAPIInit3(api, None, LANGUAGES.encode()) != 0:
            stdout.write(f"error the {LANGUAGES} language models cannot be loaded\n".encode())
            stdout.flush()
            return 1
        lib.TessBaseAPISetPageSegMode(api, PAGE_SEGMENTATION)
        stdout.write(b"ready\n")
        stdout.flush()
        while header := stdin.readline().strip():
            try:
                width, height = (int(value) for value in header.split())
            except ValueError:
                stdout.write(b"error a picture's size is two numbers\n")
                stdout.flush()
                return 1
            if not (0 < width <= _MAX_SIDE and 0 < height <= _MAX_SIDE):
                stdout.write(f"error a picture of {width}x{height} pixels cannot be read\n".encode())
                stdout.flush()
                return 1
            pixels = stdin.read(width * height)
            if len(pixels) < width * height:
                return 1
            lib.TessBaseAPISetImage(api, pixels, width, height, 1, width)
            text = lib.TessBaseAPIGetTsvText(api, 0)
            tsv = ctypes.string_at(text) if text else b""
            if text:
                lib.TessDeleteText(text)
            stdout.write(b"ok %d\n" % len(tsv) + tsv)
            stdout.flush()
        return 0
    finally:
        lib.TessBaseAPIEnd(api)
        lib.TessBaseAPIDelete(api)


class Engine:
    """One engine process; ``read(width, height, pixels)`` returns tesseract's TSV for the picture.

    Raises EngineError when the engine cannot start, fails, or takes longer than ``timeout`` seconds on a picture.
    Use it as a context manager, or call ``close()``.
    """

    def __init__(self, *, timeout: float = 60.0) -> None:
        self.timeout = timeout
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", os.fspath(Path(__file__))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # tesseract's per-picture notes ("Estimating resolution as ...")
            env=env,
        )
        try:
            answer = self._line()
        except BaseException:
            self.close()
            raise
        if answer != "ready":
            self.close()
            raise EngineError(answer.removeprefix("error ") or "the OCR engine did not start")

    def _line(self) -> str:
        stdout = self._process.stdout
        assert stdout is not None
        ready, _, _ = select.select([stdout], [], [], self.timeout)
        if not ready:
            raise EngineError(f"OCR took longer than {self.timeout:.0f} s and was stopped.")
        line = stdout.readline()
        if not line:
            code = self._process.wait()
            raise EngineError(f"the OCR engine stopped (exit status {code})")
        return line.decode("utf-8", "replace").strip()

    def read(self, width: int, height: int, pixels: bytes) -> str:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(b"%d %d\n" % (width, height))
            stdin.write(pixels)
            stdin.flush()
        except BrokenPipeError:
            code = self._process.wait()
            raise EngineError(f"the OCR engine stopped (exit status {code})") from None
        answer = self._line()
        if not answer.startswith("ok "):
            raise EngineError(answer.removeprefix("error "))
        length = int(answer[3:])
        data = stdout.read(length)
        if len(data) < length:
            raise EngineError("the OCR engine stopped in the middle of an answer")
        return data.decode("utf-8", "replace")

    def close(self) -> None:
        process = self._process
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    sys.exit(_serve(sys.stdin.buffer, sys.stdout.buffer))
