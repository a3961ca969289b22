"""Display preferences a citizen picks (elder mode, text size), kept in cookies so they survive visits."""

from dataclasses import dataclass

MODE_COOKIE = "bangban_mode"
SIZE_COOKIE = "bangban_size"
ELDER_SIZES = (18, 22, 26, 30)
ONE_YEAR = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class DisplayPrefs:
    elder: bool
    font_size: int

    @property
    def can_grow(self) -> bool:
        return self.font_size < ELDER_SIZES[-1]

    @property
    def can_shrink(self) -> bool:
        return self.font_size > ELDER_SIZES[0]


def prefs_from_cookies(cookies) -> DisplayPrefs:
    elder = cookies.get(MODE_COOKIE) == "elder"
    try:
        size = int(cookies.get(SIZE_COOKIE, ELDER_SIZES[1]))
    except ValueError:
        size = ELDER_SIZES[1]
    if size not in ELDER_SIZES:
        size = ELDER_SIZES[1]
    return DisplayPrefs(elder=elder, font_size=size)


def next_size(current: int, direction: str) -> int:
    index = ELDER_SIZES.index(current)
    if direction == "up":
        index = min(index + 1, len(ELDER_SIZES) - 1)
    elif direction == "down":
        index = max(index - 1, 0)
    return ELDER_SIZES[index]
