"""Charts as plain SVG text: pure functions over dates and numbers, no plotting library.

One renderer serves the static report and the dashboard. A chart is a stack of panels that
share the time axis; each panel draws its series as lines (a ``None`` value breaks the line),
planned series dashed, optional horizontal bands shaded behind them, and a marker for today.

The performance management chart (:func:`pmc_chart`) has two panels: fitness (CTL) and
fatigue (ATL) above, form (TSB) below with the form bands shaded (:data:`FORM_BANDS`):

========================  ===================  ============================================
form (TSB)                band                 meaning
========================  ===================  ============================================
below -30                 high risk            deep fatigue: overreaching, illness, injury
-30 to -10                optimal training     productive training load
-10 to 5                  grey zone            neither building nor fresh
5 to 25                   fresh                ready to race
above 25                  transition           detraining: fitness is being lost
========================  ===================  ============================================

Every text is escaped, so the output is both valid inline HTML and well-formed XML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

Point = tuple[date, float | None]


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[Point, ...]
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal band of a panel; ``None`` means open towards that side."""

    low: float | None
    high: float | None
    label: str
    color: str


@dataclass(frozen=True)
class Panel:
    title: str
    series: tuple[Series, ...]
    bands: tuple[Band, ...] = ()
    unit: str = ""
    include: tuple[float, ...] = ()  # values the vertical range must show


class PmcPoint(NamedTuple):
    day: date
    ctl: float
    atl: float
    tsb: float


FORM_BANDS: tuple[Band, ...] = (
    Band(None, -30, "high risk", "#f6c9c9"),
    Band(-30, -10, "optimal training", "#cfe8cf"),
    Band(-10, 5, "grey zone", "#e4e4e4"),
    Band(5, 25, "fresh", "#cde3f5"),
    Band(25, None, "transition", "#f8e6bd"),
)

CTL_COLOR, ATL_COLOR, TSB_COLOR = "#1f5fa8", "#c2185b", "#d98200"

WIDTH = 760
PANEL_HEIGHT = 190
_LEFT, _TOP, _BOTTOM = 46, 26, 22


def pmc_chart(history: Sequence[PmcPoint], planned: Sequence[PmcPoint], today: date) -> str:
    """Fitness, fatigue and form: history solid, the plan's projections dashed."""

    def series(field: str, label: str, color: str) -> tuple[Series, Series]:
        past = tuple((p.day, float(getattr(p, field))) for p in history)
        ahead = tuple((p.day, float(getattr(p, field))) for p in planned)
        if past and ahead:  # join the projection to the last known day
            ahead = (past[-1], *ahead)
        return Series(label, past, color), Series(f"{label} planned", ahead, color, dashed=True)

    ctl, atl, tsb = (
        series("ctl", "CTL fitness", CTL_COLOR),
        series("atl", "ATL fatigue", ATL_COLOR),
        series("tsb", "TSB form", TSB_COLOR),
    )
    load = Panel("Fitness (CTL) and fatigue (ATL)", (*ctl, *atl), include=(0.0,))
    form = Panel("Form (TSB)", tsb, bands=FORM_BANDS, include=(-35.0, 30.0))
    return render((load, form), today=today, title="Performance management chart")


def trend_chart(
    panels: Sequence[tuple[str, str, str, Sequence[Point]]], today: date, title: str
) -> str:
    """Small stacked line panels, one per (title, unit, color, points)."""
    built = tuple(
        Panel(name, (Series(name, tuple(points), color),), unit=unit)
        for name, unit, color, points in panels
    )
    return render(built, today=today, title=title, width=480, panel_height=120)


def render(
    panels: Sequence[Panel],
    *,
    today: date | None = None,
    title: str = "",
    width: int = WIDTH,
    panel_height: int = PANEL_HEIGHT,
) -> str:
    """The panels stacked in one ``<svg>`` element sharing one date axis."""
    days = [d for p in panels for s in p.series for d, v in s.points if v is not None]
    span = (min(days), max(days)) if days else None
    height = panel_height * len(panels)
    right = width - (118 if any(p.bands for p in panels) else 46)  # room for band labels
    body = "".join(
        f'<g transform="translate(0,{i * panel_height})">'
        f"{_panel(panel, span, today, right, panel_height)}</g>"
        for i, panel in enumerate(panels)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lr-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="system-ui, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


@dataclass(frozen=True)
class _Frame:
    """Maps data to pixels inside one panel."""

    x0: float
    x1: float
    y0: float
    y1: float
    first: date
    days: int
    low: float
    high: float

    def x(self, day: date) -> float:
        return self.x0 + (self.x1 - self.x0) * (day - self.first).days / max(self.days, 1)

    def y(self, value: float) -> float:
        return self.y1 - (self.y1 - self.y0) * (value - self.low) / (self.high - self.low)


def _panel(
    panel: Panel, span: tuple[date, date] | None, today: date | None, right: int, h: int
) -> str:
    heading = f'<text x="{_LEFT}" y="16" font-weight="600">{escape(panel.title)}</text>'
    values = [v for s in panel.series for _, v in s.points if v is not None]
    if span is None or not values:
        return heading + f'<text x="{_LEFT}" y="{h // 2}" fill="#666">no data</text>'
    low, high = _nice_range([*values, *panel.include])
    frame = _Frame(_LEFT, right, _TOP, h - _BOTTOM, span[0], (span[1] - span[0]).days, low, high)
    parts = [heading]
    parts += [_band(b, frame) for b in panel.bands]
    parts.append(_grid(frame, panel.unit))
    parts.append(_date_axis(frame))
    if today is not None and span[0] <= today <= span[1]:
        x = frame.x(today)
        parts.append(
            f'<line x1="{x:.1f}" y1="{frame.y0}" x2="{x:.1f}" y2="{frame.y1}" '
            f'stroke="#333" stroke-dasharray="2 3"/>'
            f'<text x="{x + 3:.1f}" y="{frame.y0 + 10}" fill="#333">today</text>'
        )
    parts += [_line(s, frame) for s in panel.series]
    if len(panel.series) > 1:
        parts.append(_legend(panel.series, frame))
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
        f'<rect x="{f.x0}" y="{top:.1f}" width="{f.x1 - f.x0}" height="{bottom - top:.1f}" '
        f'fill="{band.color}" fill-opacity="0.8"><title>{escape(band.label)}</title></rect>'
        f'<text x="{f.x1 + 4}" y="{(top + bottom) / 2 + 4:.1f}" fill="#555" '
        f'font-size="10">{escape(band.label)}</text>'
    )


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


def _line(series: Series, f: _Frame) -> str:
    path, pen_down = [], False
    for day, value in series.points:
        if value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{f.x(day):.1f},{f.y(value):.1f}")
        pen_down = True
    if not path:
        return ""
    dash = ' stroke-dasharray="5 4"' if series.dashed else ""
    return (
        f'<path d="{" ".join(path)}" fill="none" stroke="{series.color}" stroke-width="2"'
        f"{dash}><title>{escape(series.label)}</title></path>"
    )


def _legend(series: Sequence[Series], f: _Frame) -> str:
    shown = [s for s in series if not s.dashed and s.points]
    if any(s.dashed and s.points for s in series):
        shown.append(Series("planned", (), "#555", dashed=True))
    parts = []
    for i, s in enumerate(shown):
        x = f.x0 + 200 + i * 120
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        parts.append(
            f'<line x1="{x}" y1="12" x2="{x + 18}" y2="12" stroke="{s.color}" '
            f'stroke-width="2"{dash}/><text x="{x + 22}" y="16">{escape(s.label)}</text>'
        )
    return "".join(parts)
