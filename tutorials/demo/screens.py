"""Draw believable phone screenshots for the demo tutorials.

Pure Pillow: no Django, no randomness, no clock. The same arguments always give the same pixels.

``lines`` is a small markup, one screen element per entry:

``"#常用服务"``
    a section heading; the rows after it sit in a new card
``"!请勿向他人透露验证码"``
    a notice strip
``"@查社保|查医保|查公积金|更多"``
    a row of two to four round service icons
``"手机号|请输入手机号"``
    a form or detail row: label on the left, value on the right (values starting with 请 are placeholders)
``"养老保险缴费记录"``
    a menu row with an icon and a chevron

``highlight`` names the element the user must tap: the text of a menu row, the label (or the whole
``"label|value"``) of a detail row, one icon of an icon row, or the button. It is outlined and marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR_FONT = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD_FONT = FONT_DIR / "NotoSansCJK-Bold.ttc"
SIMPLIFIED_CHINESE_FACE = "Noto Sans CJK SC"

WIDTH = 720
HEIGHT = 1280
SCALE = 2  # drawn at twice the size, then reduced, for smooth edges

Colour = tuple[int, int, int]

PAGE_BG: Colour = (244, 245, 247)
CARD_BG: Colour = (255, 255, 255)
DIVIDER: Colour = (236, 237, 241)
TEXT: Colour = (29, 33, 41)
TEXT_SECONDARY: Colour = (134, 140, 152)
PLACEHOLDER: Colour = (180, 185, 194)
CHEVRON: Colour = (196, 200, 207)
MARK: Colour = (242, 78, 30)
NOTICE_BG: Colour = (255, 246, 230)
NOTICE_TEXT: Colour = (191, 102, 0)

STATUS_H = 44
HEADER_H = 88
HERO_H = 170
CARD_OVERLAP = 40
SIDE = 24
CARD_RADIUS = 22
ROW_MIN_H = 96
HOME_BAR_SPACE = 40
BUTTON_H = 92
NOTICE_TEXT_WIDTH = WIDTH - 2 * SIDE - 140
MENU_TEXT_WIDTH = WIDTH - 2 * SIDE - 196


class FontMissingError(RuntimeError):
    pass


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def centre_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def centre_y(self) -> int:
        return (self.top + self.bottom) // 2

    def grown(self, by: int) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)


@dataclass(frozen=True)
class Target:
    """Something on the screen that can be tapped, and the free spot where the finger goes."""

    box: Box
    tap: tuple[int, int]


def draw_phone_screen(
    *,
    app_name: str,
    title: str,
    lines: list[str],
    highlight: str | None = None,
    button: str | None = None,
    accent: tuple[int, int, int] = (22, 119, 255),
    subtitle: str | None = None,
    clock: str = "9:41",
) -> Image.Image:
    """Return a 720x1280 RGB portrait phone screen.

    Raises ValueError when ``highlight`` names nothing on the screen, and FontMissingError when
    the Noto CJK fonts are not installed.
    """
    _require_fonts()
    accent = _rgb(accent)
    canvas = _Canvas(accent=accent)
    canvas.backdrop()
    canvas.status_bar(clock=clock)
    canvas.header(app_name=app_name)
    canvas.hero(title=title, subtitle=subtitle)

    content_bottom = HEIGHT - HOME_BAR_SPACE - (BUTTON_H + 36 if button else 12)
    targets = canvas.content(lines=lines, top=STATUS_H + HEADER_H + HERO_H, bottom=content_bottom)
    if button:
        targets[button] = canvas.button(label=button, bottom=HEIGHT - HOME_BAR_SPACE - 12)
    canvas.home_indicator()

    if highlight is not None:
        if highlight not in targets:
            raise ValueError(f"highlight {highlight!r} is not on the screen {title!r}; choose one of {sorted(targets)}")
        canvas.mark(targets[highlight], label="点这里")
    return canvas.finish()


def _require_fonts() -> None:
    missing = [str(path) for path in (REGULAR_FONT, BOLD_FONT) if not path.is_file()]
    if missing:
        raise FontMissingError(
            f"CJK font not found: {', '.join(missing)}. Install it with: apt-get install fonts-noto-cjk"
        )


@lru_cache(maxsize=8)
def _face_index(path: Path) -> int:
    for index in range(10):
        try:
            family, _style = ImageFont.truetype(str(path), 12, index=index).getname()
        except OSError:
            break
        if family == SIMPLIFIED_CHINESE_FACE:
            return index
    return 0


@lru_cache(maxsize=64)
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = BOLD_FONT if bold else REGULAR_FONT
    return ImageFont.truetype(str(path), size * SCALE, index=_face_index(path))


def _rgb(colour: tuple[int, ...]) -> Colour:
    if len(colour) < 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in colour[:3]):
        raise ValueError(f"accent must be an (r, g, b) tuple of 0-255 integers, not {colour!r}")
    return (colour[0], colour[1], colour[2])


def _mix(colour: Colour, other: Colour, amount: float) -> Colour:
    r, g, b = (round(a + (o - a) * amount) for a, o in zip(colour, other, strict=True))
    return (r, g, b)


def _text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text) / SCALE


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, *, max_lines: int) -> list[str]:
    """Break CJK (and mixed) text into lines no wider than ``width``; the last line ends in … if cut."""
    lines: list[str] = []
    current = ""
    for char in text:
        if _text_width(current + char, font) <= width:
            current += char
            continue
        lines.append(current)
        current = char.lstrip()
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and _text_width(last + "…", font) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    return _wrap(text, font, width, max_lines=1)[0]


class _Canvas:
    def __init__(self, *, accent: Colour) -> None:
        self.accent = accent
        self.tint = _mix(accent, (255, 255, 255), 0.88)
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), PAGE_BG)
        self.draw = ImageDraw.Draw(self.image)

    # drawing primitives in screen pixels

    def rect(self, box: Box, *, fill: Colour | None = None, radius: int = 0, outline=None, width: int = 0) -> None:
        coords = [box.left * SCALE, box.top * SCALE, box.right * SCALE, box.bottom * SCALE]
        self.draw.rounded_rectangle(coords, radius=radius * SCALE, fill=fill, outline=outline, width=width * SCALE)

    def ellipse(self, box: Box, *, fill=None, outline=None, width: int = 0) -> None:
        coords = [box.left * SCALE, box.top * SCALE, box.right * SCALE, box.bottom * SCALE]
        self.draw.ellipse(coords, fill=fill, outline=outline, width=width * SCALE)

    def line(self, points: list[tuple[float, float]], *, fill: Colour, width: int) -> None:
        self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=fill, width=width * SCALE, joint="curve")

    def text(
        self, xy: tuple[float, float], text: str, *, size: int, fill, bold: bool = False, anchor: str = "la"
    ) -> None:
        self.draw.text((xy[0] * SCALE, xy[1] * SCALE), text, font=_font(size, bold=bold), fill=fill, anchor=anchor)

    # chrome

    def backdrop(self) -> None:
        self.rect(Box(0, 0, WIDTH, STATUS_H + HEADER_H + HERO_H), fill=self.accent)

    def status_bar(self, *, clock: str) -> None:
        white = (255, 255, 255)
        middle = STATUS_H // 2 + 2
        self.text((34, middle), clock, size=24, fill=white, bold=True, anchor="lm")

        battery = Box(WIDTH - 34 - 44, middle - 11, WIDTH - 34 - 4, middle + 11)
        self.rect(battery, radius=6, outline=white, width=2)
        self.rect(
            Box(battery.left + 4, battery.top + 4, battery.left + 4 + 26, battery.bottom - 4), fill=white, radius=3
        )
        self.rect(Box(battery.right + 1, middle - 5, battery.right + 5, middle + 5), fill=white, radius=2)

        wifi_x = battery.left - 30
        for radius in (6, 12, 18):
            arc = [
                (wifi_x - radius) * SCALE,
                (middle + 9 - radius) * SCALE,
                (wifi_x + radius) * SCALE,
                (middle + 9 + radius) * SCALE,
            ]
            self.draw.arc(arc, start=225, end=315, fill=white, width=3 * SCALE)
        self.ellipse(Box(wifi_x - 3, middle + 6, wifi_x + 3, middle + 12), fill=white)

        bars_right = wifi_x - 32
        for index, height in enumerate((7, 11, 15, 19)):
            left = bars_right - (3 - index) * 8 - 5
            self.rect(Box(left, middle + 10 - height, left + 5, middle + 10), fill=white, radius=1)
        self.text((bars_right - 36, middle), "5G", size=19, fill=white, bold=True, anchor="rm")

    def header(self, *, app_name: str) -> None:
        white = (255, 255, 255)
        top = STATUS_H
        middle = top + HEADER_H // 2
        self.line([(46, middle - 16), (30, middle), (46, middle + 16)], fill=white, width=4)
        name_font = _font(32, bold=True)
        self.text(
            (WIDTH / 2, middle), _fit(app_name, name_font, WIDTH - 260), size=32, fill=white, bold=True, anchor="mm"
        )

        capsule = Box(WIDTH - 24 - 150, middle - 30, WIDTH - 24, middle + 30)
        self.rect(
            capsule, radius=30, fill=_mix(self.accent, white, 0.18), outline=_mix(self.accent, white, 0.45), width=1
        )
        divider_x = capsule.left + 75
        for offset in (-18, 0, 18):
            x = capsule.left + 38 + offset
            self.ellipse(Box(x - 4, middle - 4, x + 4, middle + 4), fill=white)
        self.line([(divider_x, middle - 18), (divider_x, middle + 18)], fill=_mix(self.accent, white, 0.45), width=1)
        self.ellipse(Box(divider_x + 24, middle - 15, divider_x + 54, middle + 15), outline=white, width=4)
        self.ellipse(Box(divider_x + 34, middle - 5, divider_x + 44, middle + 5), fill=white)

    def hero(self, *, title: str, subtitle: str | None) -> None:
        white = (255, 255, 255)
        top = STATUS_H + HEADER_H
        title_font = _font(40, bold=True)
        self.text((SIDE + 8, top + 20), _fit(title, title_font, WIDTH - 2 * SIDE - 16), size=40, fill=white, bold=True)
        if subtitle:
            sub_font = _font(24)
            self.text(
                (SIDE + 8, top + 76),
                _fit(subtitle, sub_font, WIDTH - 2 * SIDE - 16),
                size=24,
                fill=_mix(self.accent, white, 0.82),
            )

    def home_indicator(self) -> None:
        middle = HEIGHT - HOME_BAR_SPACE // 2
        self.rect(Box(WIDTH // 2 - 120, middle - 4, WIDTH // 2 + 120, middle + 4), fill=(40, 42, 48), radius=4)

    # content

    def content(self, *, lines: list[str], top: int, bottom: int) -> dict[str, Target]:
        """Lay the cards out from ``top`` (the hero's lower edge) and return what can be tapped."""
        targets: dict[str, Target] = {}
        y = top - CARD_OVERLAP
        for index, (heading, rows) in enumerate(_group(lines)):
            if heading is not None:
                if index == 0:
                    y = top + 4
                if y + 48 + ROW_MIN_H > bottom:
                    break
                self.text((SIDE + 10, y + 24), heading, size=24, fill=TEXT_SECONDARY, anchor="lm")
                y += 48
            if rows:
                y = self._card(rows=rows, top=y, bottom=bottom, targets=targets) + 20
            if y >= bottom:
                break
        return targets

    def _card(self, *, rows: list[str], top: int, bottom: int, targets: dict[str, Target]) -> int:
        layouts: list[tuple[str, int]] = []
        height = 0
        for row in rows:
            row_height = self._row_height(row)
            if top + height + row_height > bottom:
                break
            layouts.append((row, row_height))
            height += row_height
        if not layouts:
            return bottom
        card = Box(SIDE, top, WIDTH - SIDE, top + height)
        shadow = card.grown(1)
        self.rect(
            Box(shadow.left, shadow.top + 2, shadow.right, shadow.bottom + 2),
            fill=(232, 234, 238),
            radius=CARD_RADIUS + 1,
        )
        self.rect(card, fill=CARD_BG, radius=CARD_RADIUS)
        y = top
        for index, (row, row_height) in enumerate(layouts):
            box = Box(card.left, y, card.right, y + row_height)
            if index and not row.startswith("!"):
                self.line([(card.left + 28, y), (card.right - 28, y)], fill=DIVIDER, width=1)
            self._row(row, box, targets=targets)
            y += row_height
        return y

    def _row_height(self, row: str) -> int:
        if row.startswith("@"):
            return 172
        if row.startswith("!"):
            lines = _wrap(row[1:], _font(24), NOTICE_TEXT_WIDTH, max_lines=3)
            return 44 + 34 * len(lines)
        if "|" in row:
            return ROW_MIN_H
        lines = _wrap(row, _font(30), MENU_TEXT_WIDTH, max_lines=2)
        return ROW_MIN_H if len(lines) == 1 else ROW_MIN_H + 40

    def _row(self, row: str, box: Box, *, targets: dict[str, Target]) -> None:
        if row.startswith("@"):
            self._icon_row([item.strip() for item in row[1:].split("|") if item.strip()], box, targets=targets)
        elif row.startswith("!"):
            self._notice(row[1:], box)
        elif "|" in row:
            label, value = (part.strip() for part in row.split("|", 1))
            target = Target(box, self._detail(label, value, box))
            targets.setdefault(label, target)
            targets.setdefault(row, target)
        else:
            targets.setdefault(row, Target(box, self._menu(row, box)))

    def _menu(self, text: str, box: Box) -> tuple[int, int]:
        icon = Box(box.left + 28, box.centre_y - 28, box.left + 28 + 56, box.centre_y + 28)
        self.rect(icon, fill=self.tint, radius=16)
        initial = text.strip()[:1] or "·"
        self.text((icon.centre_x, icon.centre_y), initial, size=28, fill=self.accent, bold=True, anchor="mm")
        font = _font(30)
        lines = _wrap(text, font, MENU_TEXT_WIDTH, max_lines=2)
        first_baseline = box.centre_y - (len(lines) - 1) * 20
        for index, line in enumerate(lines):
            self.text((icon.right + 22, first_baseline + index * 40), line, size=30, fill=TEXT, anchor="lm")
        self._chevron(box)
        text_right = icon.right + 22 + max(_text_width(line, font) for line in lines)
        tap_x = max(text_right + 60, box.left + (box.right - box.left) * 0.62)
        return (round(min(tap_x, box.right - 90)), box.centre_y)

    def _detail(self, label: str, value: str, box: Box) -> tuple[int, int]:
        label_font = _font(28)
        label_text = _fit(label, label_font, (box.right - box.left - 100) * 0.62)
        self.text((box.left + 32, box.centre_y), label_text, size=28, fill=TEXT_SECONDARY, anchor="lm")
        placeholder = value.startswith("请")
        value_font = _font(28)
        value_left = box.left + 32 + max(_text_width(label_text, label_font), 120) + 28
        value_text = _fit(value, value_font, box.right - 36 - value_left)
        self.text(
            (box.right - 36, box.centre_y), value_text, size=28, fill=PLACEHOLDER if placeholder else TEXT, anchor="rm"
        )
        label_right = box.left + 32 + _text_width(label_text, label_font)
        value_start = box.right - 36 - _text_width(value_text, value_font)
        if value_start - label_right >= 100:
            return (round((label_right + value_start) / 2), box.centre_y)
        return (round(box.left + 32 + _text_width(label_text, label_font) / 2), box.centre_y + 22)

    def _notice(self, text: str, box: Box) -> None:
        strip = Box(box.left + 16, box.top + 12, box.right - 16, box.bottom - 12)
        self.rect(strip, fill=NOTICE_BG, radius=14)
        first_line = strip.top + 10 + 17
        badge = Box(strip.left + 18, first_line - 16, strip.left + 18 + 32, first_line + 16)
        self.ellipse(badge, fill=NOTICE_TEXT)
        self.text((badge.centre_x, badge.centre_y), "!", size=22, fill=(255, 255, 255), bold=True, anchor="mm")
        lines = _wrap(text, _font(24), NOTICE_TEXT_WIDTH, max_lines=3)
        for index, line in enumerate(lines):
            self.text((badge.right + 14, first_line + index * 34), line, size=24, fill=NOTICE_TEXT, anchor="lm")

    def _icon_row(self, items: list[str], box: Box, *, targets: dict[str, Target]) -> None:
        if not items:
            return
        items = items[:4]
        cell_width = (box.right - box.left - 24) / 4
        offset = (4 - len(items)) * cell_width / 2
        palette = [
            self.accent,
            _mix(self.accent, (255, 140, 0), 0.55),
            _mix(self.accent, (0, 170, 120), 0.55),
            _mix(self.accent, (120, 80, 220), 0.55),
        ]
        for index, item in enumerate(items):
            left = box.left + 12 + offset + index * cell_width
            centre_x = round(left + cell_width / 2)
            colour = palette[index % len(palette)]
            icon = Box(centre_x - 40, box.top + 26, centre_x + 40, box.top + 106)
            self.rect(icon, fill=colour, radius=24)
            self.text((icon.centre_x, icon.centre_y), item[:1], size=36, fill=(255, 255, 255), bold=True, anchor="mm")
            label = _fit(item, _font(24), cell_width - 8)
            self.text((centre_x, box.top + 136), label, size=24, fill=TEXT, anchor="mm")
            cell = Box(round(left) + 6, box.top + 14, round(left + cell_width) - 6, box.bottom - 12)
            targets.setdefault(item, Target(cell, (icon.right - 4, icon.bottom - 6)))

    def _chevron(self, box: Box) -> None:
        x = box.right - 36
        self.line(
            [(x - 9, box.centre_y - 13), (x + 3, box.centre_y), (x - 9, box.centre_y + 13)], fill=CHEVRON, width=3
        )

    def button(self, *, label: str, bottom: int) -> Target:
        box = Box(SIDE + 8, bottom - BUTTON_H, WIDTH - SIDE - 8, bottom)
        self.rect(
            Box(box.left, box.top + 4, box.right, box.bottom + 4),
            fill=_mix(self.accent, PAGE_BG, 0.6),
            radius=BUTTON_H // 2,
        )
        self.rect(box, fill=self.accent, radius=BUTTON_H // 2)
        font = _font(34, bold=True)
        text = _fit(label, font, box.right - box.left - 60)
        self.text((box.centre_x, box.centre_y), text, size=34, fill=(255, 255, 255), bold=True, anchor="mm")
        tap_x = min(box.centre_x + _text_width(text, font) / 2 + 64, box.right - 60)
        return Target(box, (round(tap_x), box.centre_y))

    # the "tap here" marking

    def mark(self, target: Target, *, label: str) -> None:
        outline = target.box.grown(6)
        self.rect(outline, radius=CARD_RADIUS, outline=MARK, width=6)

        tap_x, tap_y = target.tap
        overlay = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        overlay_draw = ImageDraw.Draw(overlay)
        for radius, alpha in ((38, 70), (26, 110)):
            overlay_draw.ellipse(
                [
                    (tap_x - radius) * SCALE,
                    (tap_y - radius) * SCALE,
                    (tap_x + radius) * SCALE,
                    (tap_y + radius) * SCALE,
                ],
                fill=(*MARK, alpha),
            )
        self.image = Image.alpha_composite(self.image.convert("RGBA"), overlay).convert("RGB")
        self.draw = ImageDraw.Draw(self.image)
        self.ellipse(Box(tap_x - 14, tap_y - 14, tap_x + 14, tap_y + 14), fill=MARK, outline=(255, 255, 255), width=4)

        # The label sits on the frame's top edge, so it hides as little of the row above as possible.
        font = _font(26, bold=True)
        pill_w = round(_text_width(label, font)) + 40
        pill_h = 46
        pill_left = max(SIDE - 8, min(WIDTH - SIDE + 8 - pill_w, tap_x - pill_w // 2))
        pill = Box(pill_left, outline.top + 10 - pill_h, pill_left + pill_w, outline.top + 10)
        tip = [(tap_x - 12, pill.bottom - 1), (tap_x + 12, pill.bottom - 1), (tap_x, pill.bottom + 11)]
        self.draw.polygon([(x * SCALE, y * SCALE) for x, y in tip], fill=MARK)
        self.rect(pill, fill=MARK, radius=pill_h // 2, outline=(255, 255, 255), width=2)
        self.text((pill.centre_x, pill.centre_y), label, size=26, fill=(255, 255, 255), bold=True, anchor="mm")

    def finish(self) -> Image.Image:
        return self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def _group(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Split the markup into (heading, rows) cards."""
    groups: list[tuple[str | None, list[str]]] = []
    heading: str | None = None
    rows: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if rows or heading is not None:
                groups.append((heading, rows))
            heading, rows = line[1:].strip(), []
        else:
            rows.append(line)
    if rows or heading is not None:
        groups.append((heading, rows))
    return groups
