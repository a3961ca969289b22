"""The personal-information guard's detectors: pure functions over text, image files and video files, no Django.

Findings carry a kind, a place and a masked form, never the full number.
"""

from privacy.detect.text import bank_card_valid, find_numbers, mask, mobile_valid, resident_id_valid
from privacy.detect.types import Box, DetectError, Finding, ImageFinding, Kind, VideoFinding

__all__ = [
    "Box",
    "DetectError",
    "Finding",
    "ImageFinding",
    "Kind",
    "VideoFinding",
    "bank_card_valid",
    "find_numbers",
    "mask",
    "mobile_valid",
    "resident_id_valid",
]
