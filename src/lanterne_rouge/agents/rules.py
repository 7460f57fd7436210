"""What the decision rules look at: the day's facts, derived once, and the rule's shape.

Shared by the general rules (``reasoning_agent``) and the stage-race rules (``stage_rules``).
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from lanterne_rouge.messages import Action, Evidence, MissionStatus, Observation, Reflection
from lanterne_rouge.mission_config import Thresholds

PUSH_PHASES = ("base", "build", "peak")


class Facts(msgspec.Struct, frozen=True):
    """What the rules look at, derived once from the day's messages."""

    obs: Observation
    status: MissionStatus
    limits: Thresholds
    reflection: Reflection | None = None

    @property
    def compliance(self) -> float | None:
        return self.reflection.compliance if self.reflection else None

    @property
    def compliance_poor(self) -> bool:
        return below(self.compliance, self.limits.compliance_low)

    @property
    def rhr_rise(self) -> float | None:
        if self.obs.resting_hr is None or self.obs.resting_hr_baseline is None:
            return None
        return round(self.obs.resting_hr - self.obs.resting_hr_baseline, 1)

    @property
    def hrv_suppressed(self) -> bool:
        """The 7-day ln rMSSD under its 60-day band (never on a reading that is not there)."""
        return self.obs.hrv_status == "low"

    @property
    def hrv_text(self) -> str:
        o = self.obs
        return (
            f"HRV's 7-day level {o.hrv_7day} ms is under its 60-day band "
            f"({o.hrv_band_low}-{o.hrv_band_high} ms)"
        )

    @property
    def rhr_elevated(self) -> bool:
        rise = self.rhr_rise
        return rise is not None and rise >= self.limits.rhr_rise_bpm

    @property
    def recovery_missing(self) -> bool:
        days = self.obs.days_without_recovery
        return days is None or days >= self.limits.missing_days_ease


def below(value: float | None, threshold: float) -> bool:
    return value is not None and value < threshold


class Rule(msgspec.Struct, frozen=True):
    id: str
    action: Action
    fires: Callable[[Facts], bool]
    reason: Callable[[Facts], str]
    evidence: Callable[[Facts], tuple[Evidence, ...]]
    ride_mode: Callable[[Facts], str | None] = lambda f: None


def readiness_evidence(f: Facts, threshold: float) -> tuple[Evidence, ...]:
    return (Evidence(name="readiness", value=f.obs.readiness_score, threshold=threshold),)


def form_evidence(f: Facts, threshold: float) -> tuple[Evidence, ...]:
    return (Evidence(name="form (TSB)", value=f.obs.tsb, threshold=threshold),)


def hrv_evidence(f: Facts) -> Evidence:
    return Evidence(
        name="HRV 7-day level", value=f.obs.hrv_7day, threshold=f.obs.hrv_band_low, unit="ms"
    )


def rhr_evidence(f: Facts) -> Evidence:
    return Evidence(
        name="resting HR rise", value=f.rhr_rise, threshold=f.limits.rhr_rise_bpm, unit="bpm"
    )
