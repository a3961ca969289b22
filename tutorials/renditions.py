"""The screenshot sizes tutorial pages use; kept in one place so templates and tasks agree."""

SCREENSHOT_WIDTHS = (320, 640)
# The picture a citizen opens full screen to zoom into: a phone screenshot's own width, never enlarged.
SCREENSHOT_FULL_FILTER = "width-1280"
SCREENSHOT_FILTERS = (*(f"width-{width}" for width in SCREENSHOT_WIDTHS), SCREENSHOT_FULL_FILTER)
