"""A small line chart as inline SVG markup (no script, no style attribute: the admin's CSP allows it). Pure."""

from __future__ import annotations

from datetime import date
from html import escape

# Distinct on white and for the common kinds of colour blindness (Okabe–Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    step = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def line_chart_svg(
    *, days: list[date], series: list[tuple[str, list[int]]], title: str, width: int = 640, height: int = 240
) -> str:
    """One line per series over ``days``; every point carries its figure in a <title> (shown on hover)."""
    left, right, top, bottom = 40, 10, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((max(values, default=0) for _, values in series), default=0))
    count = max(len(days), 1)

    def x(n: int) -> float:
        return left + (plot_w * n / (count - 1) if count > 1 else plot_w / 2)

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / top_value

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="visits-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(5):
        value = top_value * tick // 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{value}</text>'
        )
    if days:
        for n in sorted({0, count // 2, count - 1}):
            out.append(
                f'<text x="{x(n):.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#555">'
                f"{days[n].strftime('%m-%d')}</text>"
            )
    for index, (label, values) in enumerate(series):
        stroke = colour(index)
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in enumerate(values))
        out.append(
            f'<g data-series="{escape(label)}">'
            f'<polyline fill="none" stroke="{stroke}" stroke-width="2" points="{points}"/>'
        )
        for n, value in enumerate(values):
            if value:
                out.append(
                    f'<circle cx="{x(n):.1f}" cy="{y(value):.1f}" r="3" fill="{stroke}">'
                    f"<title>{escape(label)} {days[n].isoformat()}: {value}</title></circle>"
                )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
