"""The data of activity load: inputs, settings and the result.

Inputs are typed but not range-checked here: ``load.check_activity`` and
``load.check_thresholds`` reject absurd values with ``TrainingInputError``. Settings are data
(sport tables, weights, the session-RPE scale) validated with ``extra="forbid"``, so a typo in
a settings file is an error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lanterne_rouge.training.heart_rate import Sex

LoadMethod = Literal["power", "heart_rate", "session_rpe", "duration_estimate"]
LoadSource = Literal[
    "power_stream", "provider_np", "heart_rate_stream", "average_hr", "rpe", "sport_table"
]


class AthleteThresholds(BaseModel):
    """The athlete's thresholds on the day of the activity; any may be unknown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ftp: float | None = None
    """Functional threshold power, W."""
    threshold_hr: float | None = None
    """Lactate threshold heart rate, bpm."""
    resting_hr: float | None = None
    """bpm."""
    max_hr: float | None = None
    """bpm."""
    sex: Sex | None = None
    """Chooses the TRIMP exponent; heart-rate load is not computed without it."""


class ActivityInput(BaseModel):
    """What is known about one activity. Streams share one recording interval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sport: str
    """Activity type as the source names it (``Ride``, ``VirtualRide``, ``WeightTraining``)."""
    duration_seconds: float
    """Moving time, s."""
    power_stream: tuple[float | None, ...] | None = None
    """Watts per sample; None or NaN where the meter dropped out."""
    hr_stream: tuple[float | None, ...] | None = None
    """bpm per sample; None, NaN or 0 where the strap dropped out."""
    sample_seconds: float = 1.0
    """Recording interval of the streams, s."""
    normalized_power: float | None = None
    """The provider's normalized power, W."""
    average_power: float | None = None
    """W."""
    device_watts: bool | None = None
    """Whether the power comes from a power meter: True measured, False estimated (never used
    for load), None unknown (a recorded stream is used, a provider's summary is not)."""
    average_hr: float | None = None
    """bpm."""
    rpe: float | None = None
    """Session RPE on the CR-10 scale (0..10)."""


class LoadResult(BaseModel):
    """One activity's load and how it was obtained (details are None when not used)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: LoadMethod
    source: LoadSource
    tss: float
    """The activity's load before sport weighting, TSS points."""
    ctl_load: float
    """The part counted for fitness."""
    atl_load: float
    """The part counted for fatigue."""
    fatigue_only: bool
    """The sport counts for fatigue only (strength work)."""
    normalized_power: float | None = None
    """W."""
    intensity_factor: float | None = None
    trimp: float | None = None
    """Banister TRIMP, arbitrary units."""
    session_rpe: float | None = None
    """CR-10 rating x minutes, arbitrary units."""
    tss_per_hour: float | None = None
    """The sport table's rate used by the duration estimate."""
    skipped: tuple[str, ...] = ()
    """Why each better method was not used, best first."""


class SportWeight(BaseModel):
    """How much of a sport's load counts for fitness (CTL) and fatigue (ATL)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ctl: float = Field(default=1.0, ge=0.0, le=1.0)
    atl: float = Field(default=1.0, ge=0.0, le=1.0)


def _default_tss_per_hour() -> dict[str, float]:
    # Moderate endurance effort (IF about 0.7 = 49 points an hour) adjusted by sport.
    return {
        "ride": 50.0,
        "virtualride": 50.0,
        "run": 60.0,
        "virtualrun": 60.0,
        "swim": 50.0,
        "rowing": 55.0,
        "walk": 25.0,
        "hike": 35.0,
        "weighttraining": 40.0,
        "strength": 40.0,
        "workout": 40.0,
        "yoga": 15.0,
    }


def _default_weights() -> dict[str, SportWeight]:
    fatigue_only = SportWeight(ctl=0.0, atl=1.0)
    return {"strength": fatigue_only, "weighttraining": fatigue_only}


class LoadSettings(BaseModel):
    """Tables and scales behind the fallbacks; sports are matched case-insensitively."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tss_per_hour: dict[str, float] = Field(default_factory=_default_tss_per_hour)
    """Duration estimate by sport, points per hour."""
    default_tss_per_hour: float = Field(default=40.0, ge=0.0, le=150.0)
    """For a sport missing from the table."""
    sport_weights: dict[str, SportWeight] = Field(default_factory=_default_weights)
    """Sports whose load does not count fully for fitness or fatigue; others count fully."""
    rpe_at_one_hour_max: float = Field(default=10.0, gt=0.0, le=10.0)
    """The session RPE of one hour at threshold: 100 points."""

    @field_validator("tss_per_hour", "sport_weights", mode="after")
    @classmethod
    def _casefold_sports(cls, table: dict[str, object]) -> dict[str, object]:
        folded = {sport.casefold(): value for sport, value in table.items()}
        if len(folded) != len(table):
            raise ValueError("sport names must differ other than by case")
        return folded

    @field_validator("tss_per_hour", mode="after")
    @classmethod
    def _plausible_rates(cls, table: dict[str, float]) -> dict[str, float]:
        for sport, rate in table.items():
            if not 0.0 <= rate <= 150.0:
                raise ValueError(f"tss_per_hour[{sport!r}] must be 0..150, got {rate}")
        return table
