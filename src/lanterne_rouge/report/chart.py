"""Charts as plain SVG text: pure functions over dates and numbers, no plotting library.

A chart is a stack of :mod:`panels <lanterne_rouge.report.panels>` that share one time axis,
drawn back to front as the panel lists them. The vertical range of a panel is the data's own
(with any values it must ``include``), never forced down to zero.

Elements that carry a number say it in ``data-*`` attributes (``data-day``, ``data-value``),
so what is drawn can be checked against where it came from. Every text is escaped, so the
output is both valid inline HTML and well-formed XML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

import msgspec

from lanterne_rouge.report.panels import (
    Band,
    Bars,
    Label,
    Marker,
    Panel,
    Ribbon,
    Rule,
    Series,
)

WIDTH = 760
PANEL_HEIGHT = 190
_LEFT, _TOP, _BOTTOM = 46, 26, 22


def render(
    panels: Sequence[Panel],
    *,
    markers: Sequence[Marker] = (),
    title: str = "",
    width: int = WIDTH,
    panel_height: int = PANEL_HEIGHT,
) -> str:
    """The panels stacked in one ``<svg>`` element sharing one date axis."""
    days = [d for p in panels for d in p.days()]
    span = (min(days), max(days)) if days else None
    heights = [p.height or panel_height for p in panels]
    right = width - (118 if any(p.bands for p in panels) else 56)  # room for labels
    body, top = [], 0
    for i, (panel, h) in enumerate(zip(panels, heights, strict=True)):
        inner = _panel(panel, span, markers, right, h, named=i == 0)
        body.append(f'<g transform="translate(0,{top})">{inner}</g>')
        top += h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-chart" role="img" '
        f'viewBox="0 0 {width} {top}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="system-ui, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


class _Frame(msgspec.Struct, frozen=True):
    """Maps data to pixels inside one panel; made by ``over``."""

    x0: float
    x1: float
    y0: float
    y1: float
    first: date
    days: int
    low: float
    high: float
    width: float
    day_count: int
    first_ordinal: int
    height: float
    value_range: float

    @classmethod
    def over(
        cls,
        x0: float,
        x1: float,
        y0: float,
        y1: float,
        first: date,
        days: int,
        low: float,
        high: float,
    ) -> _Frame:
        # the parts of x() and y() that every point shares, worked out once per panel (the
        # same operations in the same order: the same pixels)
        derived = (x1 - x0, max(days, 1), first.toordinal(), y1 - y0, high - low)
        return cls(x0, x1, y0, y1, first, days, low, high, *derived)

    def x(self, day: date) -> float:
        return self.x0 + self.width * (day.toordinal() - self.first_ordinal) / self.day_count

    def y(self, value: float) -> float:
        return self.y1 - self.height * (value - self.low) / self.value_range

    def day_width(self) -> float:
        return (self.x1 - self.x0) / max(self.days, 1)


def _panel(
    panel: Panel,
    span: tuple[date, date] | None,
    markers: Sequence[Marker],
    right: int,
    h: int,
    *,
    named: bool,
) -> str:
    """One panel; markers are named in the top panel only."""
    heading = f'<text x="{_LEFT}" y="16" font-weight="600">{escape(panel.title)}</text>'
    values = panel.values()
    if span is None or not values:
        return heading + f'<text x="{_LEFT}" y="{h // 2}" fill="#666">no data</text>'
    low, high = _nice_range([*values, *panel.include])
    frame = _Frame.over(
        _LEFT, right, _TOP, h - _BOTTOM, span[0], (span[1] - span[0]).days, low, high
    )
    parts = [heading]
    parts += [_band(b, frame) for b in panel.bands]
    parts += [_ribbon(r, frame) for r in panel.ribbons]
    parts.append(_grid(frame, panel.unit))
    parts.append(_date_axis(frame))
    parts += [_marker(m, frame, named) for m in markers if span[0] <= m.day <= span[1]]
    parts += [_bars(b, frame) for b in panel.bars]
    parts += [_rule(r, frame) for r in panel.rules]
    parts += [_line(s, frame) for s in panel.series]
    parts += [_label(label, frame) for label in panel.labels]
    if len(panel.series) + len(panel.ribbons) + len(panel.bars) > 1:
        parts.append(_legend(panel, frame))
    return "".join(parts)


def _nice_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _step(high - low)
    return step * math.floor(low / step), step * math.ceil(high / step)


def _step(extent: float) -> float:
    """A round grid step giving at most about six lines."""
    step = 1.0
    while extent / step > 6:
        step *= 2.5 if str(int(step)).startswith("2") else 2
    return step


def _band(band: Band, f: _Frame) -> str:
    low = f.low if band.low is None else max(band.low, f.low)
    high = f.high if band.high is None else min(band.high, f.high)
    if high <= low:
        return ""
    top, bottom = f.y(high), f.y(low)
    return (
        f'<rect class="lr-band" x="{f.x0}" y="{top:.1f}" width="{f.x1 - f.x0}" '
        f'height="{bottom - top:.1f}" fill="{band.color}" fill-opacity="0.8">'
        f"<title>{escape(band.label)}</title></rect>"
        f'<text x="{f.x1 + 4}" y="{(top + bottom) / 2 + 4:.1f}" fill="#555" '
        f'font-size="10">{escape(band.label)}</text>'
    )


def _ribbon(ribbon: Ribbon, f: _Frame) -> str:
    """Consecutive days as one shaded polygon each; a gap in the days starts a new one."""
    parts, run = [], list[tuple[date, float, float]]()
    for point in [*ribbon.points, None]:
        if point is not None and (not run or (point[0] - run[-1][0]).days == 1):
            run.append(point)
            continue
        if run:
            upper = " ".join(f"{f.x(d):.1f},{f.y(hi):.1f}" for d, _, hi in run)
            lower = " ".join(f"{f.x(d):.1f},{f.y(lo):.1f}" for d, lo, _ in reversed(run))
            parts.append(
                f'<polygon class="lr-ribbon" points="{upper} {lower}" fill="{ribbon.color}" '
                f'fill-opacity="0.25" stroke="none"><title>{escape(ribbon.label)}</title>'
                "</polygon>"
            )
        run = [point] if point is not None else []
    return "".join(parts)


def _grid(f: _Frame, unit: str) -> str:
    step = _step(f.high - f.low)
    parts = []
    value = f.low
    while value <= f.high + 1e-9:
        y = f.y(value)
        label = f"{value:g}{escape(unit)}"
        parts.append(
            f'<line x1="{f.x0}" y1="{y:.1f}" x2="{f.x1}" y2="{y:.1f}" stroke="#000" '
            f'stroke-opacity="{0.35 if value == 0 else 0.08}"/>'
            f'<text x="{f.x0 - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{label}</text>'
        )
        value += step
    return "".join(parts)


def _date_axis(f: _Frame) -> str:
    every = 7 if f.days <= 60 else 14 if f.days <= 120 else 28
    first_monday = f.first + timedelta(days=(7 - f.first.weekday()) % 7)
    parts = []
    day = first_monday
    while (day - f.first).days <= f.days:
        x = f.x(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{f.y1}" x2="{x:.1f}" y2="{f.y1 + 4}" stroke="#888"/>'
            f'<text x="{x:.1f}" y="{f.y1 + 15}" text-anchor="middle" fill="#555">'
            f"{day:%d %b}</text>"
        )
        day += timedelta(days=every)
    return "".join(parts)


def _marker(m: Marker, f: _Frame, named: bool) -> str:
    x = f.x(m.day)
    right_side = x > f.x1 - 120  # name it on the left of its line
    anchor = ' text-anchor="end"' if right_side else ""
    text = (
        f'<text x="{x - 3 if right_side else x + 3:.1f}" y="{f.y0 - 2 + 12 * m.row}" '
        f'fill="{m.color}"'
        f"{anchor}>{escape(m.label)}</text>"
        if named
        else ""
    )
    return (
        f'<g class="{escape(m.css)}" data-day="{m.day.isoformat()}">'
        f'<line x1="{x:.1f}" y1="{f.y0}" x2="{x:.1f}" y2="{f.y1}" stroke="{m.color}" '
        f'stroke-dasharray="2 3"/>{text}</g>'
    )


def _bars(bars: Bars, f: _Frame) -> str:
    w = max(f.day_width() * 0.7, 1.0)
    style = 'fill-opacity="0.35"' if bars.planned else 'fill-opacity="0.8"'
    x, y, zero, half = f.x, f.y, f.y(0.0), w / 2
    rects = []
    for d, v in bars.points:
        if v > 0:
            top = y(v)
            rects.append(
                f'<rect x="{x(d) - half:.1f}" y="{top:.1f}" width="{w:.1f}" '
                f'height="{max(zero - top, 0):.1f}" data-day="{d.isoformat()}" '
                f'data-value="{v:g}"/>'
            )
    css = "lr-bars lr-planned" if bars.planned else "lr-bars"
    return (
        f'<g class="{css}" fill="{bars.color}" {style}><title>{escape(bars.label)}</title>'
        f"{''.join(rects)}</g>"
    )


def _rule(rule: Rule, f: _Frame) -> str:
    y = f.y(rule.value)
    return (
        f'<g class="{escape(rule.css)}" data-value="{rule.value:g}">'
        f'<line x1="{f.x0}" y1="{y:.1f}" x2="{f.x1}" y2="{y:.1f}" stroke="{rule.color}" '
        f'stroke-width="1.5" stroke-dasharray="8 3 2 3"/>'
        f'<text x="{f.x0 + 4}" y="{y - 4:.1f}" fill="{rule.color}">{escape(rule.label)}</text></g>'
    )


def _line(series: Series, f: _Frame) -> str:
    path, pen_down, x, y = [], False, f.x, f.y
    for day, value in series.points:
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{x(day):.1f},{y(value):.1f}")
        pen_down = True
    if not path:
        return ""
    dash = ' stroke-dasharray="5 4"' if series.dashed else ""
    return (
        f'<path d="{" ".join(path)}" fill="none" stroke="{series.color}" '
        f'stroke-width="{series.width:g}"{dash}><title>{escape(series.label)}</title></path>'
    )


def _label(label: Label, f: _Frame) -> str:
    x, y = f.x(label.day), f.y(label.value)
    return (
        f'<g class="{escape(label.css)}" data-day="{label.day.isoformat()}" '
        f'data-value="{label.value:g}"><circle cx="{x:.1f}" cy="{y:.1f}" r="3" '
        f'fill="{label.color}"/><text x="{x + 5:.1f}" y="{y - 5:.1f}" fill="{label.color}" '
        f'font-weight="600" stroke="#fff" stroke-width="3" paint-order="stroke">'
        f"{escape(label.text)}</text></g>"
    )


def _legend(panel: Panel, f: _Frame) -> str:
    keys = [(s.label, s.color, "line") for s in panel.series if not s.dashed and s.points]
    if any(s.dashed and s.points for s in panel.series):
        keys.append(("planned", "#555", "dashed"))
    keys += [(b.label, b.color, "pale" if b.planned else "box") for b in panel.bars if b.points]
    keys += [(r.label, r.color, "pale") for r in panel.ribbons if r.points]
    parts = []
    x = f.x0 + 200
    for label, color, kind in keys:
        if kind in ("box", "pale"):
            opacity = 0.8 if kind == "box" else 0.3
            mark = (
                f'<rect x="{x}" y="7" width="18" height="10" fill="{color}" '
                f'fill-opacity="{opacity}"/>'
            )
        else:
            dash = ' stroke-dasharray="5 4"' if kind == "dashed" else ""
            mark = (
                f'<line x1="{x}" y1="12" x2="{x + 18}" y2="12" stroke="{color}" '
                f'stroke-width="2"{dash}/>'
            )
        parts.append(f'{mark}<text x="{x + 22}" y="16">{escape(label)}</text>')
        x += 30 + 6 * len(label)
    return "".join(parts)
