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
    days = _history_until(history, day)
    context = _Context(day, stale_after_days, chosen, days)
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
    return _hrv(_Context(day, stale_after_days, chosen, _history_until(history, day)))


def check_recovery_day(record: RecoveryDay) -> None:
    """Reject implausible values with a message naming the day and field."""
    for field, low, high, unit in _LIMITS:
        value = getattr(record, field)
        if value is None:
            continue
        if (type(value) is float or type(value) is int) and low <= value <= high:
            continue  # a plain number in range (NaN and infinities are not): nothing to say
        within(value, f"{field} on {record.day}", low, high, unit)


class _Context:
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


def exact_stdev(values: Sequence[float]) -> float:
    """The sample standard deviation, the same float as ``statistics.stdev``: the square root,
    correctly rounded, of the exact variance (worked out in integers here; ``statistics``
    works it out in ``Fraction`` steps, several times slower)."""
    n = len(values)
    if n < 2:
        raise TrainingInputError("a standard deviation needs at least two values")
    if not all(map(math.isfinite, values)):
        return statistics.stdev(values)
    sizes = [abs(v) for v in values if v] or [1.0]
    bits = 53 - math.frexp(min(sizes))[1]  # fraction bits of the finest value: all are exact
    if bits < 0 or math.frexp(max(sizes))[1] + bits > 1000:
        return statistics.stdev(values)  # too far apart for a float scale: the slow way
    scale = 2.0**bits
    ints = [int(v * scale) for v in values]  # exact: a power of two only moves the point
    total = sum(ints)
    numerator = n * sum(i * i for i in ints) - total * total
    denominator = (n * (n - 1)) << (2 * bits)
    common = math.gcd(numerator, denominator)
    return _sqrt_of_fraction(numerator // common, denominator // common)


_SQRT_BITS = 2 * 53 + 3  # 53: a double's mantissa digits (sys.float_info.mant_dig)


def _sqrt_of_fraction(n: int, m: int) -> float:
    """sqrt(n / m) as a float, correctly rounded (round-to-odd on enough extra bits, as
    ``statistics`` does)."""
    q = (n.bit_length() - m.bit_length() - _SQRT_BITS) // 2
    if q >= 0:
        return float(_isqrt_rto(n, m << 2 * q) << q)
    return _isqrt_rto(n << -2 * q, m) / (1 << -q)


def _isqrt_rto(n: int, m: int) -> int:
    root = math.isqrt(n // m)
    return root | (root * root * m != n)


def _history_until(history: Sequence[RecoveryDay], day: date) -> dict[date, RecoveryDay]:
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
    name: SignalName, unit: str, context: _Context, series: list[tuple[date, float]]
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


def _hrv(context: _Context) -> SignalReading:
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


def _resting_hr(context: _Context) -> SignalReading:
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


def _sleep_duration(context: _Context) -> SignalReading:
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


def _score(name: SignalName, field: str) -> Callable[[_Context], SignalReading]:
    def read(context: _Context) -> SignalReading:
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


_SIGNALS: tuple[Callable[[_Context], SignalReading], ...] = (
    _hrv,
    _resting_hr,
    _sleep_duration,
    _score("sleep_score", "sleep_score"),
    _score("readiness_score", "readiness_score"),
)
