"""The data of activity load: inputs, settings and the result.

Inputs are typed but not range-checked here: ``load.check_activity`` and
``load.check_thresholds`` reject absurd values with ``TrainingInputError``. Settings are data
(sport tables, weights, the session-RPE scale) validated with ``extra="forbid"``, so a typo in
a settings file is an error.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lanterne_rouge.training.heart_rate import Sex

LoadMethod = Literal["power", "heart_rate", "session_rpe", "duration_estimate", "not_counted"]
LoadSource = Literal[
    "power_stream", "provider_np", "heart_rate_stream", "average_hr", "rpe", "sport_table"
]


class AthleteThresholds(BaseModel):
    """The athlete's thresholds on the day of the activity; any may be unknown."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
    not_counted: str | None = None
    """Why the activity loads nothing (method ``not_counted``)."""


WithoutData = Literal["duration", "not_counted"]


class SportRule(BaseModel):
    """How one sport loads fitness (CTL) and fatigue (ATL).

    ``ctl`` and ``atl`` are the shares of the activity's load counted for each (both 0: the
    sport loads nothing, e.g. mobility). ``without_data`` says what an activity with no power,
    heart rate or session RPE counts: a ``duration`` estimate at ``tss_per_hour``, or nothing
    (``not_counted``: it is listed as not counted, never silently estimated).
    ``provider_np`` trusts the provider's normalized power (rides with a power meter).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ctl: float = Field(default=1.0, ge=0.0, le=1.0)
    atl: float = Field(default=1.0, ge=0.0, le=1.0)
    without_data: WithoutData = "duration"
    tss_per_hour: float = Field(default=40.0, ge=0.0, le=150.0)
    provider_np: bool = False

    @property
    def loads_nothing(self) -> bool:
        return self.ctl == 0.0 and self.atl == 0.0


class LoadSettings(BaseModel):
    """The sport table and the checks behind the methods; sports match case-insensitively.

    A sport missing from ``sports`` follows ``other``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    sports: dict[str, SportRule] = Field(default_factory=dict)
    other: SportRule = SportRule()
    rpe_at_one_hour_max: float = Field(default=10.0, gt=0.0, le=10.0)
    """The session RPE of one hour at threshold: 100 points."""
    max_variability: float = Field(default=1.5, ge=1.0, le=5.0)
    """Normalized power above this many times the average power is not believed."""
    max_intensity: float = Field(default=1.3, gt=0.0, le=3.0)
    """An intensity factor above this over ``intensity_check_minutes`` or more is not believed."""
    intensity_check_minutes: float = Field(default=20.0, ge=0.0, le=600.0)

    @field_validator("sports", mode="after")
    @classmethod
    def _casefold_sports(cls, table: dict[str, SportRule]) -> dict[str, SportRule]:
        folded = {sport.casefold(): value for sport, value in table.items()}
        if len(folded) != len(table):
            raise ValueError("sport names must differ other than by case")
        return folded

    def rule(self, sport: str) -> SportRule:
        return self.sports.get(sport.casefold(), self.other)
