"""Inline SVG charts for report.html: no scripts, no fonts or files from anywhere else."""

from __future__ import annotations

import math
from html import escape

EMOTION_COLOURS = {
    "anger": "#d64545", "frustration": "#e8793a", "disappointment": "#c9a227", "confusion": "#8a63d2",
    "anxiety": "#3d8fd1", "sadness": "#5b6f8a", "urgency": "#d1458f", "positive": "#2e9e6b",
    "neutral": "#b7c0ca",
}
ACCENT = "#2f6fdb"
GRID = "#e6e9ef"
INK = "#1f2a37"
MUTED = "#6b7785"


def rate_colour(rate: float | None) -> str:
    if rate is None:
        return GRID
    if rate >= 0.8:
        return "#2e9e6b"
    if rate >= 0.6:
        return "#e0a526"
    return "#d64545"


def _text(x, y, content, *, size=12, anchor="start", colour=INK, weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
            f'font-weight="{weight}">{escape(str(content))}</text>')


def rate_bars(rows: list[tuple[str, float | None, int]], *, width: int = 440, label_width: int = 120,
              colours: dict | None = None) -> str:
    """Horizontal bars of rates 0..1, each labelled with its percentage and how many moments it rests on."""
    row_height = 28
    height = max(1, len(rows)) * row_height + 24
    bar_space = width - label_width - 90
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_width + tick * bar_space
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>')
        parts.append(_text(x, height - 6, f"{int(tick * 100)}%", size=10, anchor="middle", colour=MUTED))
    for i, (label, rate, count) in enumerate(rows):
        y = 8 + i * row_height
        parts.append(_text(label_width - 8, y + 14, label.replace("_", " "), anchor="end"))
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar_space}" height="18" rx="3" fill="#f3f5f8"/>')
        colour = (colours or {}).get(label) or rate_colour(rate)
        if rate is not None:
            parts.append(f'<rect x="{label_width}" y="{y}" width="{max(2.0, rate * bar_space):.1f}" height="18" '
                         f'rx="3" fill="{colour}"><title>{escape(label)}: {rate:.0%} of {count}</title></rect>')
        shown = f"{rate:.0%}" if rate is not None else "–"
        parts.append(_text(label_width + bar_space + 8, y + 14, shown, weight="bold"))
        parts.append(_text(label_width + bar_space + 46, y + 14, f"n={count}", size=10, colour=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def donut(segments: list[tuple[str, int]], *, size: int = 190, centre_label: str = "") -> str:
    total = sum(count for _, count in segments)
    radius, thickness = size / 2 - 6, 30
    cx = cy = size / 2
    parts = [f'<svg viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    if total == 0:
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius - thickness / 2}" fill="none" stroke="{GRID}" '
                     f'stroke-width="{thickness}"/>')
    angle = -math.pi / 2
    for label, count in segments:
        if not count:
            continue
        sweep = 2 * math.pi * count / total
        if sweep >= 2 * math.pi - 1e-6:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius - thickness / 2}" fill="none" '
                         f'stroke="{EMOTION_COLOURS.get(label, ACCENT)}" stroke-width="{thickness}"/>')
            break
        r = radius - thickness / 2
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x2, y2 = cx + r * math.cos(angle + sweep), cy + r * math.sin(angle + sweep)
        large = 1 if sweep > math.pi else 0
        parts.append(f'<path d="M{x1:.2f},{y1:.2f} A{r:.2f},{r:.2f} 0 {large} 1 {x2:.2f},{y2:.2f}" fill="none" '
                     f'stroke="{EMOTION_COLOURS.get(label, ACCENT)}" stroke-width="{thickness}">'
                     f'<title>{escape(label)}: {count} ({count / total:.0%})</title></path>')
        angle += sweep
    parts.append(_text(cx, cy + 2, centre_label or f"{total:,}", size=22, anchor="middle", weight="bold"))
    parts.append(_text(cx, cy + 20, "customer turns", size=10, anchor="middle", colour=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(days: list[dict], *, width: int = 920, height: int = 240) -> str:
    """Bars: upset moments per day. Line: share acknowledged that day."""
    left, right, top, bottom = 46, 46, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">']
    most = max((d["upset"] for d in days), default=0) or 1
    step = plot_w / max(1, len(days))
    for tick in (0, 0.5, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left + plot_w + 6, y + 4, f"{int(tick * 100)}%", size=10, colour=ACCENT))
        parts.append(_text(left - 6, y + 4, f"{round(most * tick):,}", size=10, anchor="end", colour=MUTED))
    points = []
    # Month-day labels, unless the days span more than one year.
    short = len({d["day"][:4] for d in days}) == 1
    label_every = max(1, math.ceil(len(days) / 12))
    for i, day in enumerate(days):
        x = left + i * step
        bar_h = plot_h * day["upset"] / most
        parts.append(f'<rect x="{x + step * 0.18:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.64:.1f}" '
                     f'height="{bar_h:.1f}" fill="#f2c4b5" rx="2"><title>{escape(day["day"])}: '
                     f'{day["upset"]} upset moments</title></rect>')
        rate = day.get("acknowledgment_rate")
        if rate is not None:
            points.append((x + step / 2, top + plot_h * (1 - rate), day["day"], rate))
        if i % label_every == 0:
            parts.append(_text(x + step / 2, height - bottom + 16, day["day"][5:] if short else day["day"][2:], size=10, anchor="middle",
                               colour=MUTED))
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5" '
                     f'stroke-linejoin="round"/>')
    for x, y, label, rate in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{ACCENT}" stroke-width="2">'
                     f'<title>{escape(label)}: {rate:.0%} acknowledged</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def meter(rate: float, *, width: int = 120) -> str:
    return (f'<svg viewBox="0 0 {width} 10" width="{width}" height="10" xmlns="http://www.w3.org/2000/svg">'
            f'<rect width="{width}" height="10" rx="5" fill="{GRID}"/>'
            f'<rect width="{max(4.0, rate * width):.1f}" height="10" rx="5" fill="{rate_colour(rate)}"/></svg>')
