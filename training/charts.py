"""Horizontal bar charts as plain geometry, drawn by a template as inline SVG (no script, no style attributes)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 220
BAR_WIDTH = 340
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Segment:
    kind: str
    x: str
    width: str
    title: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    segments: tuple[Segment, ...]
    text: str
    href: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = 0
    bar_x: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8


@dataclass(frozen=True)
class Item:
    label: str
    # (kind, share in percent 0-100, tooltip) drawn left to right, stacked
    parts: tuple[tuple[str, float, str], ...]
    text: str
    href: str = ""


def _shorten(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(*, title: str, items: list[Item]) -> BarChart:
    bars = []
    for index, item in enumerate(items):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        x = float(LABEL_WIDTH)
        segments = []
        for kind, share, tooltip in item.parts:
            width = BAR_WIDTH * max(0.0, min(100.0, share)) / 100
            if width > 0:
                segments.append(Segment(kind=kind, x=f"{x:.1f}", width=f"{width:.1f}", title=tooltip))
            x += width
        bars.append(
            Bar(
                label=_shorten(item.label),
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                segments=tuple(segments),
                text=item.text,
                href=item.href,
            )
        )
    return BarChart(title=title, bars=tuple(bars), height=max(ROW_HEIGHT, len(items) * ROW_HEIGHT))
