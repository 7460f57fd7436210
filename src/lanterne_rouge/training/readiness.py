"""Recovery signals for a day, each read against its own baseline.

``assess_readiness`` reads the history up to and including ``day`` (later records are
ignored) and reports one ``SignalReading`` per signal:

- ``hrv``: the mean of ln rMSSD over the last 7 days against the normal range of the last 60
  days (mean +- 0.5 SD of the daily ln rMSSD, both windows ending on ``day``): "low",
  "normal" or "high". The log makes the skewed rMSSD symmetric enough for a mean and SD.
- ``resting_hr``: the latest value against the mean of the 30 days before it: "elevated" when
  more than 5 bpm above (a common sign of incomplete recovery or illness), else "normal".
- ``sleep_duration``: the latest night against a minimum of 7 hours: "short" or "normal".
- ``readiness_score`` and ``sleep_score``: Oura's published bands, 85+ "optimal", 70-84
  "good", 60-69 "fair", below 60 "pay_attention".

A signal with no value up to ``day`` is "missing"; one whose latest value is more than
``stale_after_days`` old is "stale" and is not judged; a baseline with too few days of data
is "insufficient_baseline". These are statuses with a reason, never a default value.
Windows, minimum days and thresholds are settings (``ReadinessSettings``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Literal

from lanterne_rouge.training._checks import within
from lanterne_rouge.training.errors import TrainingInputError
from lanterne_rouge.training.exact_stats import exact_stdev
from lanterne_rouge.training.readiness_context import Columns, DayContext, SortedContext
from lanterne_rouge.training.readiness_models import (
    UNJUDGED,
    ReadinessAssessment,
    ReadinessSettings,
    RecoveryDay,
    SignalName,
    SignalReading,
    SignalStatus,
)


def assess_readiness(
    history: Sequence[RecoveryDay],
    day: date,
    *,
    stale_after_days: int = 2,
    settings: ReadinessSettings | None = None,
) -> ReadinessAssessment:
    """Read every recovery signal on ``day`` from the history up to it."""
    chosen = settings if settings is not None else ReadinessSettings()
    if stale_after_days < 0:
        raise TrainingInputError(f"stale_after_days must be >= 0, got {stale_after_days}")
    return _assessed(DayContext(day, stale_after_days, chosen, history_until(history, day)))


def assess_days(
    history: Sequence[RecoveryDay],
    days: Sequence[date],
    *,
    look_back: int | None = None,
    stale_after_days: int = 2,
    settings: ReadinessSettings | None = None,
) -> list[ReadinessAssessment]:
    """``assess_readiness`` of each of ``days``, reading for each only the records from
    ``look_back`` days before it on (all, when None). The history is checked and ordered once,
    so a chart of many days costs a window per day, not the whole history per day."""
    chosen = settings if settings is not None else ReadinessSettings()
    if stale_after_days < 0:
        raise TrainingInputError(f"stale_after_days must be >= 0, got {stale_after_days}")
    if not days:
        return []
    ordered = sorted(history_until(history, max(days)).items())
    columns = Columns([d for d, _ in ordered], [r for _, r in ordered])
    found = []
    for day in days:
        first = None if look_back is None else day - timedelta(days=look_back)
        found.append(_assessed(SortedContext(day, stale_after_days, chosen, columns, first)))
    return found


def _assessed(context: DayContext) -> ReadinessAssessment:
    day = context.day
    readings = tuple(read(context) for read in _SIGNALS)

    def named(*statuses: str) -> tuple[SignalName, ...]:
        return tuple(r.name for r in readings if r.status in statuses)

    return ReadinessAssessment(
        day=day,
        signals=readings,
        available=tuple(r.name for r in readings if r.status not in UNJUDGED),
        stale=named("stale"),
        missing=named("missing"),
        insufficient_baseline=named("insufficient_baseline"),
    )


# The fields checked on every recovery day: (field, low, high, unit).
_LIMITS = (
    ("readiness_score", 0.0, 100.0, ""),
    ("sleep_score", 0.0, 100.0, ""),
    ("hrv_rmssd", 1.0, 500.0, "ms"),
    ("resting_hr", 25.0, 150.0, "bpm"),
    ("sleep_secs", 0.0, 86400.0, "s"),
)


def hrv_reading(
    history: Sequence[RecoveryDay],
    day: date,
    *,
    stale_after_days: int = 2,
    settings: ReadinessSettings | None = None,
) -> SignalReading:
    """The HRV signal alone: ``assess_readiness(...).signal("hrv")`` without reading the
    other four (the morning observation needs only this one)."""
    chosen = settings if settings is not None else ReadinessSettings()
    if stale_after_days < 0:
        raise TrainingInputError(f"stale_after_days must be >= 0, got {stale_after_days}")
    return _hrv(DayContext(day, stale_after_days, chosen, history_until(history, day)))


def check_recovery_day(record: RecoveryDay) -> None:
    """Reject implausible values with a message naming the day and field."""
    for field, low, high, unit in _LIMITS:
        value = getattr(record, field)
        if value is None:
            continue
        if (type(value) is float or type(value) is int) and low <= value <= high:
            continue  # a plain number in range (NaN and infinities are not): nothing to say
        within(value, f"{field} on {record.day}", low, high, unit)


def history_until(history: Sequence[RecoveryDay], day: date) -> dict[date, RecoveryDay]:
    days: dict[date, RecoveryDay] = {}
    for record in history:
        if record.day > day:
            continue
        if record.day in days:
            raise TrainingInputError(f"recovery history has two records for {record.day}")
        check_recovery_day(record)
        days[record.day] = record
    return days


def _unread(
    name: SignalName, unit: str, context: DayContext, series: list[tuple[date, float]]
) -> SignalReading | None:
    """A "missing" or "stale" reading, or None when the latest value is fresh."""
    if not series:
        return SignalReading(
            name=name,
            status="missing",
            value=None,
            unit=unit,
            observed_on=None,
            reason=f"no {name} recorded up to {context.day}",
        )
    latest_day, latest = series[-1]
    age = (context.day - latest_day).days
    if age <= context.stale_after:
        return None
    return SignalReading(
        name=name,
        status="stale",
        value=latest,
        unit=unit,
        observed_on=latest_day,
        reason=f"latest {name} is from {latest_day}, {age} days old "
        f"(stale after {context.stale_after})",
    )


def _hrv(context: DayContext) -> SignalReading:
    unit = "ln ms"
    series = [(d, math.log(v)) for d, v in context.series("hrv_rmssd")]
    unread = _unread("hrv", unit, context, series)
    if unread is not None:
        return unread
    settings = context.settings
    recent_values = context.window(series, settings.hrv_recent_days, context.day)
    if not recent_values:  # only when stale_after_days reaches past the recent window
        return SignalReading(
            name="hrv",
            status="stale",
            value=None,
            unit=unit,
            observed_on=series[-1][0],
            reason=f"no HRV in the last {settings.hrv_recent_days} days",
        )
    recent = statistics.fmean(recent_values)
    base = context.window(series, settings.hrv_baseline_days, context.day)
    observed_on = series[-1][0]
    if len(base) < settings.hrv_min_baseline_days:
        return SignalReading(
            name="hrv",
            status="insufficient_baseline",
            value=recent,
            unit=unit,
            observed_on=observed_on,
            reason=f"{len(base)} days of HRV in the last {settings.hrv_baseline_days}, "
            f"need {settings.hrv_min_baseline_days} for a baseline",
        )
    mean, spread = statistics.fmean(base), exact_stdev(base) * settings.hrv_band_sd
    lower, upper = mean - spread, mean + spread
    status: SignalStatus = "low" if recent < lower else "high" if recent > upper else "normal"
    where = {"low": "below", "high": "above", "normal": "within"}[status]
    return SignalReading(
        name="hrv",
        status=status,
        value=recent,
        baseline=mean,
        lower=lower,
        upper=upper,
        unit=unit,
        observed_on=observed_on,
        reason=f"{settings.hrv_recent_days}-day mean ln rMSSD {recent:.2f} "
        f"({math.exp(recent):.0f} ms) is {where} the {settings.hrv_baseline_days}-day normal "
        f"range {lower:.2f}-{upper:.2f} ({math.exp(lower):.0f}-{math.exp(upper):.0f} ms)",
    )


def _resting_hr(context: DayContext) -> SignalReading:
    unit = "bpm"
    series = context.series("resting_hr")
    unread = _unread("resting_hr", unit, context, series)
    if unread is not None:
        return unread
    settings = context.settings
    observed_on, value = series[-1]
    base = context.window(series, settings.rhr_baseline_days, observed_on - timedelta(days=1))
    if len(base) < settings.rhr_min_baseline_days:
        return SignalReading(
            name="resting_hr",
            status="insufficient_baseline",
            value=value,
            unit=unit,
            observed_on=observed_on,
            reason=f"{len(base)} days of resting HR in the {settings.rhr_baseline_days} before "
            f"{observed_on}, need {settings.rhr_min_baseline_days} for a baseline",
        )
    baseline = statistics.fmean(base)
    upper = baseline + settings.rhr_elevated_bpm
    status: SignalStatus = "elevated" if value > upper else "normal"
    return SignalReading(
        name="resting_hr",
        status=status,
        value=value,
        baseline=baseline,
        upper=upper,
        unit=unit,
        observed_on=observed_on,
        reason=f"resting HR {value:g} bpm is {value - baseline:+.1f} from its "
        f"{settings.rhr_baseline_days}-day mean {baseline:.1f} "
        f"({'above' if status == 'elevated' else 'within'} +{settings.rhr_elevated_bpm:g})",
    )


def _sleep_duration(context: DayContext) -> SignalReading:
    unit = "h"
    series = [(d, v / 3600.0) for d, v in context.series("sleep_secs")]
    unread = _unread("sleep_duration", unit, context, series)
    if unread is not None:
        return unread
    observed_on, hours = series[-1]
    minimum = context.settings.min_sleep_hours
    status: SignalStatus = "short" if hours < minimum else "normal"
    return SignalReading(
        name="sleep_duration",
        status=status,
        value=hours,
        lower=minimum,
        unit=unit,
        observed_on=observed_on,
        reason=f"slept {hours:.1f} h, {'under' if status == 'short' else 'at least'} {minimum:g} h",
    )


def _score(name: SignalName, field: str) -> Callable[[DayContext], SignalReading]:
    def read(context: DayContext) -> SignalReading:
        series = context.series(field)
        unread = _unread(name, "points", context, series)
        if unread is not None:
            return unread
        observed_on, value = series[-1]
        status = score_band(value, context.settings.score_bands)
        return SignalReading(
            name=name,
            status=status,
            value=value,
            unit="points",
            observed_on=observed_on,
            reason=f"{name} {value:g} is in the {status.replace('_', ' ')} band",
        )

    return read


def score_band(
    score: float, bands: tuple[float, float, float] = (85.0, 70.0, 60.0)
) -> Literal["optimal", "good", "fair", "pay_attention"]:
    """Oura's band of a 0-100 score: 85+ optimal, 70-84 good, 60-69 fair, below 60 pay attention."""
    optimal, good, fair = bands
    if score >= optimal:
        return "optimal"
    if score >= good:
        return "good"
    return "fair" if score >= fair else "pay_attention"


_SIGNALS: tuple[Callable[[DayContext], SignalReading], ...] = (
    _hrv,
    _resting_hr,
    _sleep_duration,
    _score("sleep_score", "sleep_score"),
    _score("readiness_score", "readiness_score"),
)
