import pytest
from PIL import Image

from privacy.detect import DetectError, Kind
from privacy.detect.ocr import find_in_image
from privacy.detect.types import Box, ImageFinding
from privacy.detect.video import RATE, SEEN_LATE_BY, find_in_video, merge_frames, sample_frames
from tests.privacy.conftest import ID, overlaps, screen_with_text
from tutorials.demo.screens import draw_phone_screen


def test_id_number_in_a_screenshot_is_found_with_its_box(tmp_path):
    image, boxes = screen_with_text([("身份证号", 40, 300), (ID, 300, 300), ("办理进度：已受理", 40, 500)])
    path = tmp_path / "shot.png"
    image.save(path)
    (found,) = find_in_image(path)
    assert found.kind is Kind.RESIDENT_ID
    assert found.masked == "1101**********4514"
    assert overlaps(found.box, boxes[1])
    assert not overlaps(found.box, boxes[0])  # the label beside it stays readable


def test_number_split_over_ocr_words_and_lines_gets_one_box(tmp_path):
    image, boxes = screen_with_text([("手机号 138 1234", 60, 400), ("5678", 60, 440)])
    path = tmp_path / "wrapped.png"
    image.save(path)
    (found,) = find_in_image(path)
    assert found.kind is Kind.MOBILE and found.masked == "138****5678"
    assert found.box.top <= boxes[0][3] and found.box.bottom >= boxes[1][1]  # both lines inside one box


def test_demo_screen_detail_rows_are_read(tmp_path):
    path = tmp_path / "demo.png"
    draw_phone_screen(
        app_name="浙里办", title="个人信息", lines=["#基本信息", f"身份证号|{ID}", "手机号|138 1234 5678", "热线|12345"]
    ).save(path)
    assert sorted((f.kind, f.masked) for f in find_in_image(path)) == [
        (Kind.MOBILE, "138****5678"),
        (Kind.RESIDENT_ID, "1101**********4514"),
    ]


def test_masked_and_look_alike_numbers_in_a_screenshot_pass(tmp_path):
    image, _ = screen_with_text([("3101**********6883", 40, 200), ("138****5678", 40, 300), ("热线 12345", 40, 400)])
    path = tmp_path / "masked.png"
    image.save(path)
    assert find_in_image(path) == []


def test_unreadable_image_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    with pytest.raises(DetectError, match="not an image that can be read"):
        find_in_image(path)


def test_number_shown_for_three_seconds_in_a_video(make_video):
    blank, _ = screen_with_text([("身份证号", 40, 300)])
    shown, boxes = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    video = make_video([(blank, 1.5), (shown, 3.0), (blank, 1.5)])
    progress = []
    (found,) = find_in_video(video, progress=progress.append)
    assert found.kind is Kind.RESIDENT_ID and found.masked == "1101**********4514"
    assert found.start == pytest.approx(1.5, abs=0.25)
    assert found.end == pytest.approx(4.5, abs=0.25)
    assert overlaps(found.box, boxes[1])
    assert progress[-1] == 1.0


def test_frames_at_least_every_two_seconds_catch_a_number_without_scene_change(make_video, tmp_path):
    # A static screen never changes scene: the periodic samples alone must see it, over the whole span.
    shown, _ = screen_with_text([("手机", 40, 300), ("13812345678", 200, 300)])
    video = make_video([(shown, 5.0)])
    (found,) = find_in_video(video)
    assert (found.start, found.end) == (0.0, pytest.approx(5.0, abs=0.1))
    frames = sample_frames(video, tmp_path)
    assert [frame.time for frame in frames] == [0.0, 2.0, 4.0]
    assert len({frame.path for frame in frames}) == 1  # an unchanged picture is read once, its findings repeated


def test_merge_joins_consecutive_frames_and_splits_when_the_number_goes():
    box = Box(10, 10, 100, 30)
    seen = ImageFinding(kind=Kind.MOBILE, box=box, masked="138****5678", fingerprint="a")
    other = ImageFinding(kind=Kind.MOBILE, box=box, masked="139****5678", fingerprint="b")
    merged = merge_frames([(0.0, [seen]), (2.0, [seen, other]), (4.0, []), (6.0, [seen])], duration=7.0)
    assert [(m.masked, m.start, m.end) for m in merged] == [
        ("138****5678", 0.0, 4.0),
        ("139****5678", 2.0, 4.0),
        ("138****5678", 6.0, 7.0),
    ]


def test_not_a_video_is_a_clear_error(tmp_path):
    path = tmp_path / "clip.mp4"
    Image.new("RGB", (10, 10)).save(tmp_path / "x.png")
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(DetectError, match="not a video"):
        find_in_video(path)


def test_a_number_shown_between_reference_frames_is_covered_from_when_it_shows(make_video, tmp_path):
    # x264 puts B-frames between the frames others are decoded from; the scan skips decoding them, so it may see a
    # number a few frames late: SEEN_LATE_BY before its start covers that.
    blank, _ = screen_with_text([("身份证号", 40, 300)])
    shown, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    for appears in (1.0, 1.0 + 1 / 30, 1.0 + 2 / 30, 1.0 + 3 / 30, 1.1 + 1 / 30):
        video = make_video([(blank, appears), (shown, 2.0)], name=f"late-{appears:.3f}.mp4")
        (found,) = find_in_video(video)
        # Times are those of the looks (1/RATE apart), so the start may round down to the look before.
        assert found.start - SEEN_LATE_BY <= appears and found.start > appears - 1 / RATE
