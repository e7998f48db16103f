"""Server-rendered SVG charts: geometry computed here, drawn by templates with classes only (the
CSP forbids inline styles; SVG presentation attributes such as x, y, width, height are fine).

Every coordinate leaves this module as a `svg_number` string: the template engine localises int and
float values (Vietnamese writes 23,6), and a comma inside an SVG attribute makes the shape vanish.
Strings are never localised, so a chart cannot be broken by the page's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.core.text import format_number


def svg_number(value: float) -> str:
    """A coordinate as SVG reads it: a dot before at most one decimal, no thousands separator."""
    text = f"{round(float(value), 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


MONTHS = ("", "Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12")


@dataclass
class Bar:
    label: str
    x: str
    width: str
    segments: list[dict] = field(default_factory=list)
    total_text: str = ""
    total_y: str = "0"


@dataclass
class BarChart:
    """Vertical stacked bars, one per category, in a viewBox of `width` × `height`."""

    title: str
    width: str
    height: str
    bars: list[Bar]
    legend: list[tuple[str, str]]
    baseline: str
    label_y: str


def stacked_bars(title, categories, series, *, width=640, height=240) -> BarChart:
    """categories: [(label, {series_key: value})]; series: [(key, label, css class)]."""
    top, bottom, left = 20, 30, 8
    plot = height - top - bottom
    peak = max((sum(values.get(k, 0) for k, _, _ in series) for _, values in categories), default=0)
    slot = (width - 2 * left) / max(len(categories), 1)
    bars = []
    for index, (label, values) in enumerate(categories):
        x = left + index * slot + slot * 0.15
        bar = Bar(label=label, x=svg_number(x), width=svg_number(slot * 0.7))
        y = top + plot
        total = 0
        for key, name, css in series:
            value = values.get(key, 0) or 0
            total += value
            h = plot * value / peak if peak else 0
            y -= h
            bar.segments.append(
                {"y": svg_number(y), "height": svg_number(h), "css": css,
                 "title": f"{label} — {name}: {format_number(value)}"}
            )  # fmt: skip
        bar.total_text = format_number(total)
        bar.total_y = svg_number(max(y - 4, 12))
        bars.append(bar)
    legend = [(name, css) for _, name, css in series]
    return BarChart(
        title, svg_number(width), svg_number(height), bars, legend,
        svg_number(top + plot), svg_number(height - 10),
    )  # fmt: skip


@dataclass
class Share:
    label: str
    value: int
    pct: float | None
    css: str
    x: str = "0"
    width: str = "0"


def share_bar(parts: list[tuple[str, int, str]], *, width=640) -> list[Share]:
    """One horizontal bar split into parts: [(label, value, css)] → Share with x/width."""
    total = sum(value for _, value, _ in parts)
    shares, x = [], 0.0
    for label, value, css in parts:
        w = width * value / total if total else 0
        pct = round(100 * value / total, 1) if total else None
        shares.append(Share(label, value, pct, css, svg_number(x), svg_number(w)))
        x += w
    return shares


def month_label(day) -> str:
    return f"{MONTHS[day.month]}/{day.year % 100:02d}"


def gauge(value: float | None, *, width=200) -> dict:
    """A rate as a filled bar of `width` (None: no data)."""
    if value is None:
        return {"value": None, "width": "0", "full": svg_number(width)}
    return {
        "value": value,
        "width": svg_number(width * min(value, 100) / 100),
        "full": svg_number(width),
    }
