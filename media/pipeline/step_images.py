"""Each step's picture as a file of its own, sized for a phone article: what the WeChat article shows beside each step.

The article references them by their names (``step-01.jpg`` …), so the package folder opens with its pictures.
"""

from __future__ import annotations

from pathlib import Path

from media.pipeline._ffmpeg import atomic_path
from media.pipeline.social import PackageSpec
from media.pipeline.types import PipelineError

MAX_WIDTH = 1080  # a phone article is never shown wider; WeChat scales larger pictures down anyway
MAX_HEIGHT = 4096  # a scrolling screenshot taller than this is shrunk as a whole
QUALITY = 85
PAPER = (255, 255, 255)


def step_image_name(number: int) -> str:
    return f"step-{number:02d}.jpg"


def render_step_image(
    source: Path, dest: Path, *, what: str, max_width: int = MAX_WIDTH, max_height: int = MAX_HEIGHT
) -> tuple[int, int]:
    """Write ``source`` as a JPEG no wider than ``max_width`` (never enlarged), upright, transparency on white.
    Returns its size. A missing or unreadable picture raises PipelineError naming ``what``."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as opened:
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except FileNotFoundError:
        raise PipelineError(f"{what}: the screenshot {Path(source).name!r} does not exist.") from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise PipelineError(
            f"{what}: the screenshot {Path(source).name!r} is not a readable image ({error})."
        ) from None
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, PAPER)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        picture = flat
    else:
        picture = picture.convert("RGB")
    picture.thumbnail((max_width, max_height), Image.Resampling.LANCZOS)
    dest = Path(dest)
    with atomic_path(dest) as tmp:
        picture.save(tmp, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return picture.size


def render_step_images(spec: PackageSpec, folder: Path) -> dict[int, Path]:
    """Every step's picture (``step-NN.jpg``) in ``folder``, by step number; a step without a screenshot has none."""
    pictures: dict[int, Path] = {}
    for step in spec.steps:
        if step.screenshot is None:
            continue
        dest = Path(folder) / step_image_name(step.number)
        render_step_image(step.screenshot, dest, what=f"Step {step.number}")
        pictures[step.number] = dest
    return pictures
