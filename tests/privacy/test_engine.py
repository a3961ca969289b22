import subprocess

import pytest

from privacy.detect.engine import Engine, EngineError
from privacy.detect.ocr import parse_tsv, tesseract_command, tesseract_environment
from tests.privacy.conftest import ID, screen_with_text


def grey(image):
    image = image.convert("L")
    return image.width, image.height, image.tobytes()


def test_the_engine_reads_what_the_tesseract_command_reads(tmp_path):
    image, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300), ("办理进度：已受理", 40, 500)])
    path = tmp_path / "shot.pgm"
    image.convert("L").save(path)
    command = subprocess.run(
        tesseract_command(path), capture_output=True, env=tesseract_environment(), check=True
    ).stdout.decode()
    with Engine() as engine:
        first = engine.read(*grey(image))
        blank = engine.read(*grey(image.point(lambda _: 255)))
        again = engine.read(*grey(image))  # the models stay loaded; a picture leaves nothing behind for the next
    assert parse_tsv(first, 1) == parse_tsv(command, 1) == parse_tsv(again, 1)
    assert ID in [word.text for word in parse_tsv(first, 1)[0]]
    assert parse_tsv(blank, 1) == [[]]


def test_a_picture_of_the_wrong_size_is_a_clear_error():
    with Engine() as engine, pytest.raises(EngineError, match="0x5 pixels"):
        engine.read(0, 5, b"")


def test_an_engine_that_dies_is_a_clear_error():
    engine = Engine()
    engine._process.kill()
    engine._process.wait()
    with pytest.raises(EngineError, match="stopped"):
        engine.read(4, 4, bytes(16))
    engine.close()
