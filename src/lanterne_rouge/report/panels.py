"""What a chart is made of: panels of lines, bars, bands and labels on one time axis.

Plain frozen values (msgspec Structs), no plotting library; ``chart`` draws them as SVG and
the dashboard as Plotly shapes. A panel holds, back to front: horizontal bands (ranges of value
with a meaning), ribbons (a band that changes day by day, such as a rolling baseline), bars
(planned bars pale), reference rules (a target), lines (a ``None`` value breaks the line;
planned lines dashed) and labelled values. Markers (today, the event) cross every panel.

The form (TSB) bands are the ones intervals.icu draws (:data:`FORM_BANDS`):

========================  ===================  ============================================
form (TSB)                band                 meaning
========================  ===================  ============================================
below -30                 high risk            deep fatigue: overreaching, illness, injury
-30 to -10                optimal training     productive training load
-10 to 5                  grey zone            neither building nor fresh
5 to 25                   fresh                ready to race
above 25                  transition           detraining: fitness is being lost
========================  ===================  ============================================
"""

from __future__ import annotations

from datetime import date

import msgspec

Point = tuple[date, float | None]


class Series(msgspec.Struct, frozen=True):
    label: str
    points: tuple[Point, ...]
    color: str
    dashed: bool = False
    width: float = 2.0


class Bars(msgspec.Struct, frozen=True):
    label: str
    points: tuple[tuple[date, float], ...]
    color: str
    planned: bool = False


class Band(msgspec.Struct, frozen=True):
    """A horizontal band of a panel; ``None`` means open towards that side."""

    low: float | None
    high: float | None
    label: str
    color: str


FORM_BANDS: tuple[Band, ...] = (
    Band(None, -30, "high risk", "#f6c9c9"),
    Band(-30, -10, "optimal training", "#cfe8cf"),
    Band(-10, 5, "grey zone", "#e4e4e4"),
    Band(5, 25, "fresh", "#cde3f5"),
    Band(25, None, "transition", "#f8e6bd"),
)


class Ribbon(msgspec.Struct, frozen=True):
    """A band whose limits change day by day: (day, low, high)."""

    label: str
    points: tuple[tuple[date, float, float], ...]
    color: str


class Rule(msgspec.Struct, frozen=True):
    """A horizontal reference line, such as a target."""

    value: float
    label: str
    color: str
    css: str = "lr-rule"


class Label(msgspec.Struct, frozen=True):
    """A value written beside its point, such as today's value at the end of a line."""

    day: date
    value: float
    text: str
    color: str
    css: str = "lr-value"


class Marker(msgspec.Struct, frozen=True):
    """A vertical line across every panel at a day."""

    day: date
    label: str
    color: str = "#333"
    css: str = "lr-marker"
    row: int = 0  # where its name goes: 0 above the top panel, 1 just inside it


class Panel(msgspec.Struct, frozen=True):
    title: str
    series: tuple[Series, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: str = ""
    include: tuple[float, ...] = ()  # values the vertical range must show
    bars: tuple[Bars, ...] = ()
    ribbons: tuple[Ribbon, ...] = ()
    rules: tuple[Rule, ...] = ()
    labels: tuple[Label, ...] = ()
    height: int | None = None

    def values(self) -> list[float]:
        found = [v for s in self.series for _, v in s.points if v is not None]
        found += [v for b in self.bars for _, v in b.points] + [0.0] * bool(self.bars)
        found += [v for r in self.ribbons for _, lo, hi in r.points for v in (lo, hi)]
        return found + [r.value for r in self.rules]

    def days(self) -> list[date]:
        found = [d for s in self.series for d, v in s.points if v is not None]
        found += [d for b in self.bars for d, _ in b.points]
        return found + [d for r in self.ribbons for d, _, _ in r.points]
