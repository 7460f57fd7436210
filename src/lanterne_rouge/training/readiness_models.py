"""The data of readiness: a day of recovery data, settings, and what each signal says."""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SignalName = Literal["hrv", "resting_hr", "sleep_duration", "sleep_score", "readiness_score"]
SignalStatus = Literal[
    "missing",
    "stale",
    "insufficient_baseline",
    "low",
    "normal",
    "high",
    "elevated",
    "short",
    "optimal",
    "good",
    "fair",
    "pay_attention",
]
UNJUDGED: frozenset[str] = frozenset({"missing", "stale", "insufficient_baseline"})
"""Statuses that say the signal could not be read, rather than what it says."""


class RecoveryDay(BaseModel):
    """One day of recovery data (Oura), any field may be absent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    day: date
    readiness_score: float | None = None
    """Oura readiness, 0-100."""
    hrv_rmssd: float | None = None
    """Night-time rMSSD, ms."""
    resting_hr: float | None = None
    """bpm."""
    sleep_secs: float | None = None
    """Total sleep of the night ending on ``day``, s."""
    sleep_score: float | None = None
    """Oura sleep score, 0-100."""


class ReadinessSettings(BaseModel):
    """Windows and thresholds of the readiness signals."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hrv_recent_days: int = Field(default=7, ge=1)
    hrv_baseline_days: int = Field(default=60, ge=2)
    hrv_min_baseline_days: int = Field(default=14, ge=2)
    """Days with a value needed in the baseline window."""
    hrv_band_sd: float = Field(default=0.5, gt=0.0)
    """Half-width of the normal range, in SDs of daily ln rMSSD."""
    rhr_baseline_days: int = Field(default=30, ge=1)
    rhr_min_baseline_days: int = Field(default=14, ge=1)
    rhr_elevated_bpm: float = Field(default=5.0, gt=0.0)
    min_sleep_hours: float = Field(default=7.0, gt=0.0, le=24.0)
    score_bands: tuple[float, float, float] = (85.0, 70.0, 60.0)
    """Lower bounds of "optimal", "good" and "fair"; below the last is "pay_attention"."""


class SignalReading(BaseModel):
    """What one signal says on the day, with the numbers behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: SignalName
    status: SignalStatus
    value: float | None
    """The reading judged (for ``hrv`` the 7-day mean of ln rMSSD)."""
    baseline: float | None = None
    """What the value is compared with, in the same unit."""
    lower: float | None = None
    """Lower edge of the normal range, where there is one."""
    upper: float | None = None
    """Upper edge of the normal range, where there is one."""
    unit: str
    observed_on: date | None
    """Day of the latest value."""
    reason: str


class ReadinessAssessment(BaseModel):
    """All signals of a day, and which could be read."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run reads single signals, never a whole assessment.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    day: date
    signals: tuple[SignalReading, ...]
    available: tuple[SignalName, ...]
    """Signals that were read and judged."""
    stale: tuple[SignalName, ...]
    missing: tuple[SignalName, ...]
    insufficient_baseline: tuple[SignalName, ...]

    def signal(self, name: SignalName) -> SignalReading:
        """The reading of one signal."""
        return next(reading for reading in self.signals if reading.name == name)
