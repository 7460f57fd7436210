"""The day a readiness assessment is for and the history it reads: by day (one day), or in
columns found by bisection (``assess_days``, many days over one history)."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from lanterne_rouge.training.readiness_models import ReadinessSettings, RecoveryDay


class DayContext:
    """The day being assessed and the checked history up to it, by day."""

    def __init__(
        self,
        day: date,
        stale_after: int,
        settings: ReadinessSettings,
        days: dict[date, RecoveryDay],
    ) -> None:
        self.day = day
        self.stale_after = stale_after
        self.settings = settings
        self.days = days
        self.ordered = sorted(days.items())

    def series(self, field: str) -> list[tuple[date, float]]:
        """(day, value) of one field, oldest first, where it has a value."""
        values = ((d, getattr(r, field)) for d, r in self.ordered)
        return [(d, float(v)) for d, v in values if v is not None]

    def window(self, series: list[tuple[date, float]], days: int, end: date) -> list[float]:
        """Values of the ``days`` days ending on ``end`` (inclusive)."""
        start = end - timedelta(days=days - 1)
        return [v for d, v in series if start <= d <= end]


class Columns:
    """The checked history by day, oldest first, and each field's values where it has one."""

    def __init__(self, days: list[date], records: list[RecoveryDay]) -> None:
        self.days, self.records = days, records
        self._series: dict[str, list[tuple[date, float]]] = {}

    def series(self, field: str) -> list[tuple[date, float]]:
        if field not in self._series:
            values = ((d, getattr(r, field)) for d, r in zip(self.days, self.records, strict=True))
            self._series[field] = [(d, float(v)) for d, v in values if v is not None]
        return self._series[field]


class SortedContext(DayContext):
    """A day of ``assess_days``: the same readings as ``DayContext``, found by bisection."""

    def __init__(
        self,
        day: date,
        stale_after: int,
        settings: ReadinessSettings,
        columns: Columns,
        first: date | None,
    ) -> None:
        super().__init__(day, stale_after, settings, {})
        self.columns, self.first = columns, first

    def series(self, field: str) -> list[tuple[date, float]]:
        found = self.columns.series(field)
        low = 0 if self.first is None else bisect_left(found, (self.first,))
        return found[low : bisect_right(found, (self.day, math.inf))]

    def window(self, series: list[tuple[date, float]], days: int, end: date) -> list[float]:
        start = end - timedelta(days=days - 1)
        low, high = bisect_left(series, (start,)), bisect_right(series, (end, math.inf))
        return [v for _, v in series[low:high]]
