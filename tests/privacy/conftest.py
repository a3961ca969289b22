import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images.models import Image as WagtailImage

from privacy import services
from tests import factories
from tutorials.demo import screens

ID = "110101199003074514"


def screen_with_text(lines: list[tuple[str, int, int]], *, size: int = 28) -> tuple[Image.Image, list[tuple]]:
    """A white 720x1280 screen with each (text, x, y) drawn in the demo screens' SC face; returns the boxes."""
    image = Image.new("RGB", (screens.WIDTH, screens.HEIGHT), screens.PAGE_BG)
    draw = ImageDraw.Draw(image)
    font = screens.ImageFont.truetype(str(screens.REGULAR_FONT), size, index=screens._face_index(screens.REGULAR_FONT))
    boxes = []
    for text, x, y in lines:
        draw.text((x, y), text, font=font, fill=screens.TEXT)
        boxes.append(draw.textbbox((x, y), text, font=font))
    return image, boxes


def overlaps(box, rect) -> bool:
    left, top, right, bottom = rect
    return box.left < right and left < box.right and box.top < bottom and top < box.bottom


@pytest.fixture
def make_video(tmp_path):
    def make(segments: list[tuple[Image.Image, float]], name: str = "recording.mp4") -> Path:
        listing = tmp_path / "frames.txt"
        entries = []
        for index, (image, seconds) in enumerate(segments):
            path = tmp_path / f"segment-{index}.png"
            image.save(path)
            entries.append(f"file '{path}'\nduration {seconds}\n")
        entries.append(f"file '{tmp_path / f'segment-{len(segments) - 1}.png'}'\n")
        listing.write_text("".join(entries))
        dest = tmp_path / name
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
             "-vf", "fps=30,format=yuv420p", "-c:v", "libx264", "-t", str(sum(s for _, s in segments)), str(dest)],
            check=True,
        )  # fmt: skip
        return dest

    return make


def screenshot_with_id(title: str = "shot") -> WagtailImage:
    image, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300), ("办理进度：已受理", 40, 500)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return WagtailImage.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


@pytest.fixture
def draft_with_id(tutorial_index):
    page = factories.make_tutorial(tutorial_index, publish=False)
    image = screenshot_with_id()
    page = page.get_latest_revision_as_object()
    raw = page.steps.raw_data
    raw[1]["value"]["screenshots"][0]["value"]["image"] = image.pk
    page.steps = raw
    page.save_revision()
    services.image_scan(image_id=image.pk)
    return page, image
