import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from tests.privacy.conftest import ID, screen_with_text
from tutorials.models import TutorialPage


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        call_command("pii_scan", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_text_file_lines_and_exit_status(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(f"联系电话：138 1234 5678\n身份证号 {ID}，热线 12345\n", encoding="utf-8")
    code, out, _ = run("--text", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"mobile\t{path}:1:6\t138****5678",
        f"resident_id\t{path}:2:6\t1101**********4514",
    ]
    assert ID not in out


def test_json_output_one_object_per_line(monkeypatch):
    code, out, _ = run("--text", "-", "--json", stdin="卡号 4111 1111 1111 1111\n", monkeypatch=monkeypatch)
    assert code == 1
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record == {
        "kind": "bank_card",
        "source": "-",
        "masked": "4111 **** **** 1111",
        "line": 1,
        "column": 4,
        "start": 3,
        "end": 22,
    }


def test_nothing_found_exits_zero(monkeypatch):
    assert run("--text", "-", stdin="拨打12345，已脱敏 138****5678\n", monkeypatch=monkeypatch) == (0, "", "")


def test_image_reports_box(tmp_path):
    image, boxes = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    path = tmp_path / "shot.png"
    image.save(path)
    code, out, _ = run("--image", str(path), "--json")
    assert code == 1
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["kind"] == "resident_id" and record["masked"] == "1101**********4514"
    left, top, right, bottom = record["box"]
    assert left < boxes[1][2] and boxes[1][0] < right and top < boxes[1][3] and boxes[1][1] < bottom


def test_video_reports_time_and_shows_progress(make_video):
    blank, _ = screen_with_text([("手机号", 40, 300)])
    shown, _ = screen_with_text([("手机号", 40, 300), ("13812345678", 240, 300)])
    video = make_video([(blank, 1.0), (shown, 3.0), (blank, 1.0)])
    code, out, err = run("--video", str(video))
    assert code == 1
    kind, source, masked, span, box = out.strip().split("\t")
    assert (kind, source, masked) == ("mobile", str(video), "138****5678")
    assert span == "1.0s-4.0s" and box.startswith("box ")
    assert "100%" in err


@pytest.mark.parametrize("option", ["--text", "--image", "--video"])
def test_missing_file_is_a_clear_error(option, tmp_path):
    with pytest.raises(CommandError, match="no such file") as error:
        call_command("pii_scan", option, str(tmp_path / "absent"))
    assert error.value.returncode == 2


def test_binary_text_file_is_a_clear_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("pii_scan", "--text", str(path))


def test_site_scan_reports_published_text_with_places(tutorial_index):
    page = factories.make_tutorial(tutorial_index)
    # Content published before the guard was installed.
    TutorialPage.objects.filter(pk=page.pk).update(summary="有问题请打 13812345678 找我")
    factories.make_tutorial(tutorial_index, summary=f"草稿里有 {ID}", publish=False)
    code, out, _ = run("--json", "--text-only")
    assert code == 1
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["kind"] == "mobile" and record["masked"] == "138****5678"
    assert record["place"] == f"tutorial {page.pk} ({page.url_path}) summary"


def test_site_scan_clean_site_exits_zero(tutorial):
    assert run()[0] == 0


def test_site_scan_reads_published_pictures_and_stores_their_findings(tutorial_index):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from privacy.models import Finding

    page = factories.make_tutorial(tutorial_index)
    image, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    picture = Image.objects.create(title="old", file=ImageFile(buffer, name="old.png"))
    raw = list(page.steps.raw_data)
    raw[0]["value"]["screenshots"][0]["value"]["image"] = picture.pk
    TutorialPage.objects.filter(pk=page.pk).update(steps=json.dumps(raw))
    code, out, _ = run()
    assert code == 1
    (line,) = out.splitlines()
    kind, place, masked, box = line.split("\t")
    assert (kind, place, masked) == ("resident_id", f"image {picture.pk} (old) picture", "1101**********4514")
    assert box.startswith("box ")
    assert Finding.objects.get(object_id=picture.pk, source="image").status == "open"
    assert run()[0] == 1  # idempotent: the same one finding again
    assert Finding.objects.filter(object_id=picture.pk, source="image").count() == 1
