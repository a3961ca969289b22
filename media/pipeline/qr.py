"""QR codes for packages: one module drawn as a square of whole pixels, with the quiet zone scanners need."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from media.pipeline.types import PipelineError

if TYPE_CHECKING:
    from PIL import Image

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def qr_image(data: str, *, size: int) -> Image.Image:
    """A black-on-white QR code of ``data`` at most ``size`` pixels square (error correction level M)."""
    import segno
    from PIL import Image

    if not data:
        raise PipelineError("A QR code needs something to encode.")
    code = segno.make(data, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = size // modules
    if scale < 2:
        raise PipelineError(f"A QR code of {len(data)} characters does not fit in {size} pixels; give it more room.")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="black", light="white")
    buffer.seek(0)
    with Image.open(buffer) as image:
        return image.convert("RGB")
