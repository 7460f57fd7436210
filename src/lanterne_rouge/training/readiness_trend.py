"""The HRV and resting-HR baselines of many days at once, for a chart of the recovery trends.

Each day's numbers are those ``assess_readiness`` reads on that day (from the records
``look_back`` days before it on): the HRV 7-day mean of ln rMSSD and its 60-day normal range
when the signal is judged, the resting HR's 30-day mean and its "elevated" line when there is a
reading that very day. They are found in one pass: each signal's values are taken out of the
history once, each day's windows are found by bisection, and their means and deviations come
from exact running sums (``ExactWindows``: the same floats as reading day by day).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.exact_stats import ExactWindows
from lanterne_rouge.training.readiness import history_until
from lanterne_rouge.training.readiness_models import ReadinessSettings, RecoveryDay


class DayBaselines(msgspec.Struct, frozen=True):
    """One day's baselines; None where the signal is not judged (or not read that day)."""

    day: date
    hrv: tuple[float, float, float] | None  # (lower, upper, 7-day mean), ln ms
    resting_hr: tuple[float, float] | None  # (30-day mean, elevated line), bpm


class _Series:
    """One field's (day, value) pairs, oldest first, where it has a value."""

    def __init__(self, pairs: list[tuple[date, float]]) -> None:
        self.days = [d for d, _ in pairs]
        self.windows = ExactWindows([v for _, v in pairs])

    def span(self, first: date | None, last: date) -> tuple[int, int]:
        """The positions of the values from ``first`` (or the start) to ``last``, inclusive."""
        low = 0 if first is None else bisect_left(self.days, first)
        return low, bisect_right(self.days, last)


def baseline_days(
    history: Sequence[RecoveryDay],
    days: Sequence[date],
    *,
    look_back: int | None = None,
    stale_after_days: int = 2,
    settings: ReadinessSettings | None = None,
) -> list[DayBaselines]:
    """The baselines of each of ``days``, as ``assess_days`` with the same arguments reads
    them (the same records are checked, the same errors raised)."""
    chosen = settings if settings is not None else ReadinessSettings()
    if stale_after_days < 0:
        raise TrainingInputError(f"stale_after_days must be >= 0, got {stale_after_days}")
    if not days:
        return []
    ordered = sorted(history_until(history, max(days)).values(), key=lambda r: r.day)
    hrv = _Series([(r.day, math.log(r.hrv_rmssd)) for r in ordered if r.hrv_rmssd is not None])
    rhr = _Series([(r.day, float(r.resting_hr)) for r in ordered if r.resting_hr is not None])
    found = []
    for day in days:
        first = None if look_back is None else day - timedelta(days=look_back)
        found.append(
            DayBaselines(
                day,
                _hrv_band(hrv, day, first, stale_after_days, chosen),
                _rhr_line(rhr, day, first, chosen),
            )
        )
    return found


def _hrv_band(
    series: _Series, day: date, first: date | None, stale_after: int, s: ReadinessSettings
) -> tuple[float, float, float] | None:
    low, high = series.span(first, day)
    if low == high or (day - series.days[high - 1]).days > stale_after:
        return None  # missing or stale
    recent = max(low, series.span(day - timedelta(days=s.hrv_recent_days - 1), day)[0])
    base = max(low, series.span(day - timedelta(days=s.hrv_baseline_days - 1), day)[0])
    if recent == high or high - base < s.hrv_min_baseline_days:
        return None  # nothing recent, or too short a baseline
    w = series.windows
    mean, spread = w.mean(base, high), w.stdev(base, high) * s.hrv_band_sd
    return mean - spread, mean + spread, w.mean(recent, high)


def _rhr_line(
    series: _Series, day: date, first: date | None, s: ReadinessSettings
) -> tuple[float, float] | None:
    """The mean of the 30 days before ``day`` and the line above it, when read on ``day``."""
    low, high = series.span(first, day)
    if low == high or series.days[high - 1] != day:
        return None
    yesterday = day - timedelta(days=1)
    start = day - timedelta(days=s.rhr_baseline_days)
    base_low, base_high = series.span(start, yesterday)
    base_low = max(base_low, low)
    if base_high - base_low < s.rhr_min_baseline_days:
        return None
    baseline = series.windows.mean(base_low, base_high)
    return baseline, baseline + s.rhr_elevated_bpm
