"""Load flags: soft warnings about how fast load is rising, each with its evidence.

A flag is evidence for the rules and the explanation, never a rule itself: it says what was
measured, against which threshold, and whether it was crossed. Two are checked:

- ``ramp_rate``: the weekly CTL change, ``ctl[d] - ctl[d-7]``, against ``max_ramp_rate``
  (default 8 points a week, the top of the range usually called sustainable).
- ``acute_chronic_ratio``: ATL / CTL, the exponentially weighted acute:chronic workload
  ratio (7-day over 42-day averages of load, as in the fitness model; not the 7-day over
  28-day rolling sums), against ``max_acute_chronic_ratio`` (default 1.5, above which injury
  risk is commonly reported to rise). With CTL below ``min_ctl_for_ratio`` the ratio is
  noise (any session doubles it) and is reported as not evaluated.

Every check is returned, raised or not, so the evidence is there either way.
"""

# Annotations are evaluated as the classes are made (no ``from __future__ import
# annotations``): pydantic would otherwise evaluate each one from its string, a third of
# the time these models take to build at start-up.

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lanterne_rouge.training.fitness import FitnessPoint

FlagName = Literal["ramp_rate", "acute_chronic_ratio"]
FlagStatus = Literal["raised", "clear", "not_evaluated"]


class LoadFlagSettings(BaseModel):
    """Thresholds of the load flags (from the mission config)."""

    # defer_build: built the first time it is used, not as the module is imported; the
    # morning run never uses it on its own (a millisecond or two of start-up each).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    max_ramp_rate: float = Field(default=8.0, gt=0.0)
    """CTL points per week."""
    max_acute_chronic_ratio: float = Field(default=1.5, gt=0.0)
    min_ctl_for_ratio: float = Field(default=10.0, ge=0.0)
    """Below this CTL the ratio is not evaluated."""


class LoadFlag(BaseModel):
    """One soft check on a day's load, with its evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: FlagName
    day: date
    status: FlagStatus
    value: float | None
    threshold: float
    severity: Literal["warning"] = "warning"
    """Always a warning: flags inform decisions, they do not make them."""
    reason: str

    @property
    def raised(self) -> bool:
        """Whether the threshold was crossed."""
        return self.status == "raised"


def load_flags(
    point: FitnessPoint, settings: LoadFlagSettings | None = None
) -> tuple[LoadFlag, ...]:
    """Check the ramp rate and the acute:chronic ratio of one day."""
    chosen = settings if settings is not None else LoadFlagSettings()
    return (ramp_rate_flag(point, chosen), acute_chronic_flag(point, chosen))


def raised_flags(
    point: FitnessPoint, settings: LoadFlagSettings | None = None
) -> tuple[LoadFlag, ...]:
    """Only the flags whose threshold was crossed."""
    return tuple(flag for flag in load_flags(point, settings) if flag.raised)


def ramp_rate_flag(point: FitnessPoint, settings: LoadFlagSettings) -> LoadFlag:
    """Weekly CTL change against ``max_ramp_rate``."""
    limit = settings.max_ramp_rate
    ramp = point.ramp_rate
    if ramp is None:
        status: FlagStatus = "not_evaluated"
        reason = "no ramp rate for this day (CTL of 7 days before unknown)"
    elif ramp > limit:
        status = "raised"
        reason = f"CTL rose {ramp:.1f} points in 7 days, above the {limit:g} a week guide"
    else:
        status = "clear"
        reason = f"CTL changed {ramp:+.1f} points in 7 days, within {limit:g} a week"
    return LoadFlag(
        name="ramp_rate",
        day=point.day,
        status=status,
        value=ramp,
        threshold=limit,
        reason=reason,
    )


def acute_chronic_flag(point: FitnessPoint, settings: LoadFlagSettings) -> LoadFlag:
    """ATL / CTL against ``max_acute_chronic_ratio``; not evaluated on a small CTL."""
    limit = settings.max_acute_chronic_ratio
    ratio: float | None = None
    if point.ctl < settings.min_ctl_for_ratio or point.ctl <= 0.0:
        status: FlagStatus = "not_evaluated"
        reason = (
            f"CTL {point.ctl:.1f} is below {settings.min_ctl_for_ratio:g}: "
            "too little history for an acute:chronic ratio"
        )
    else:
        ratio = point.atl / point.ctl
        status = "raised" if ratio > limit else "clear"
        where = "above" if status == "raised" else "within"
        reason = (
            f"ATL/CTL {point.atl:.1f}/{point.ctl:.1f} = {ratio:.2f}, {where} the {limit:g} guide"
        )
    return LoadFlag(
        name="acute_chronic_ratio",
        day=point.day,
        status=status,
        value=ratio,
        threshold=limit,
        reason=reason,
    )
