"""Server-rendered SVG charts: geometry computed here, drawn by templates with classes only (the
CSP forbids inline styles; SVG presentation attributes such as x, y, width, height are fine)."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.core.text import format_number

MONTHS = ("", "Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12")


@dataclass
class Bar:
    label: str
    x: float
    width: float
    segments: list[dict] = field(default_factory=list)
    total_text: str = ""
    total_y: float = 0


@dataclass
class BarChart:
    """Vertical stacked bars, one per category, in a viewBox of `width` × `height`."""

    title: str
    width: int
    height: int
    bars: list[Bar]
    legend: list[tuple[str, str]]
    baseline: float
    label_y: float


def stacked_bars(title, categories, series, *, width=640, height=240) -> BarChart:
    """categories: [(label, {series_key: value})]; series: [(key, label, css class)]."""
    top, bottom, left = 20, 30, 8
    plot = height - top - bottom
    peak = max((sum(values.get(k, 0) for k, _, _ in series) for _, values in categories), default=0)
    slot = (width - 2 * left) / max(len(categories), 1)
    bars = []
    for index, (label, values) in enumerate(categories):
        x = left + index * slot + slot * 0.15
        bar = Bar(label=label, x=round(x, 1), width=round(slot * 0.7, 1))
        y = top + plot
        total = 0
        for key, name, css in series:
            value = values.get(key, 0) or 0
            total += value
            h = plot * value / peak if peak else 0
            y -= h
            bar.segments.append(
                {"y": round(y, 1), "height": round(h, 1), "css": css,
                 "title": f"{label} — {name}: {format_number(value)}"}
            )  # fmt: skip
        bar.total_text = format_number(total)
        bar.total_y = round(max(y - 4, 12), 1)
        bars.append(bar)
    legend = [(name, css) for _, name, css in series]
    return BarChart(title, width, height, bars, legend, top + plot, height - 10)


@dataclass
class Share:
    label: str
    value: int
    pct: float | None
    css: str
    x: float = 0
    width: float = 0


def share_bar(parts: list[tuple[str, int, str]], *, width=640) -> list[Share]:
    """One horizontal bar split into parts: [(label, value, css)] → Share with x/width."""
    total = sum(value for _, value, _ in parts)
    shares, x = [], 0.0
    for label, value, css in parts:
        w = width * value / total if total else 0
        pct = round(100 * value / total, 1) if total else None
        shares.append(Share(label, value, pct, css, round(x, 1), round(w, 1)))
        x += w
    return shares


def month_label(day) -> str:
    return f"{MONTHS[day.month]}/{day.year % 100:02d}"


def gauge(value: float | None, *, width=200) -> dict:
    """A rate as a filled bar of `width` (None: no data)."""
    if value is None:
        return {"value": None, "width": 0, "full": width}
    return {"value": value, "width": round(width * min(value, 100) / 100, 1), "full": width}
