"""The screenshot sizes tutorial pages use; kept in one place so templates and tasks agree."""

SCREENSHOT_WIDTHS = (320, 640)
SCREENSHOT_FILTERS = tuple(f"width-{width}" for width in SCREENSHOT_WIDTHS)
