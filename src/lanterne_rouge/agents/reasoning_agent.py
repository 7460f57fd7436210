"""Reasoning agent: threshold rules decide today's action and cite their evidence.

The rules are checked in order and the first that fires decides. Every number they compare
against comes from the mission's ``[thresholds]``. Missing data is treated conservatively: a
rule that needs a signal never fires on its absence, and several days without recovery data
cap the day at ``ease``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lanterne_rouge.messages import (
    Action,
    Decision,
    Evidence,
    MissionStatus,
    Observation,
    Reflection,
)
from lanterne_rouge.mission_config import Thresholds

PUSH_PHASES = ("base", "build", "peak")


@dataclass(frozen=True)
class Facts:
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
        return _below(self.compliance, self.limits.compliance_low)

    @property
    def hrv_drop_pct(self) -> float | None:
        if self.obs.hrv_rmssd is None or not self.obs.hrv_baseline:
            return None
        return round(100 * (1 - self.obs.hrv_rmssd / self.obs.hrv_baseline), 1)

    @property
    def rhr_rise(self) -> float | None:
        if self.obs.resting_hr is None or self.obs.resting_hr_baseline is None:
            return None
        return round(self.obs.resting_hr - self.obs.resting_hr_baseline, 1)

    @property
    def hrv_suppressed(self) -> bool:
        drop = self.hrv_drop_pct
        return drop is not None and drop >= self.limits.hrv_drop_pct

    @property
    def rhr_elevated(self) -> bool:
        rise = self.rhr_rise
        return rise is not None and rise >= self.limits.rhr_rise_bpm

    @property
    def recovery_missing(self) -> bool:
        days = self.obs.days_without_recovery
        return days is None or days >= self.limits.missing_days_ease


def _below(value: float | None, threshold: float) -> bool:
    return value is not None and value < threshold


@dataclass(frozen=True)
class Rule:
    id: str
    action: Action
    fires: Callable[[Facts], bool]
    reason: Callable[[Facts], str]
    evidence: Callable[[Facts], tuple[Evidence, ...]]


def _readiness(f: Facts, threshold: float) -> tuple[Evidence, ...]:
    return (Evidence(name="readiness", value=f.obs.readiness_score, threshold=threshold),)


def _form(f: Facts, threshold: float) -> tuple[Evidence, ...]:
    return (Evidence(name="form (TSB)", value=f.obs.tsb, threshold=threshold),)


def _hrv(f: Facts) -> Evidence:
    return Evidence(
        name="HRV drop vs baseline", value=f.hrv_drop_pct, threshold=f.limits.hrv_drop_pct, unit="%"
    )


def _rhr(f: Facts) -> Evidence:
    return Evidence(
        name="resting HR rise", value=f.rhr_rise, threshold=f.limits.rhr_rise_bpm, unit="bpm"
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "event_rest_day",
        "rest",
        lambda f: f.status.rest_day,
        lambda f: f"it is a rest day of {f.status.mission_name}",
        lambda f: (Evidence(name="phase", value=f.status.phase),),
    ),
    Rule(
        "readiness_very_low",
        "rest",
        lambda f: _below(f.obs.readiness_score, f.limits.readiness_rest),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_rest}",
        lambda f: _readiness(f, f.limits.readiness_rest),
    ),
    Rule(
        "form_very_low",
        "rest",
        lambda f: _below(f.obs.tsb, f.limits.tsb_rest),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_rest:+.0f}",
        lambda f: _form(f, f.limits.tsb_rest),
    ),
    Rule(
        "illness_signs",
        "recover",
        lambda f: f.hrv_suppressed and f.rhr_elevated,
        lambda f: (
            f"HRV is {f.hrv_drop_pct}% under baseline and resting HR is {f.rhr_rise} bpm up, "
            "a pattern of illness or strain whatever the readiness score says"
        ),
        lambda f: (_hrv(f), _rhr(f), *_readiness(f, f.limits.readiness_ease)),
    ),
    Rule(
        "readiness_low",
        "recover",
        lambda f: _below(f.obs.readiness_score, f.limits.readiness_recover),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_recover}",
        lambda f: _readiness(f, f.limits.readiness_recover),
    ),
    Rule(
        "form_low",
        "recover",
        lambda f: _below(f.obs.tsb, f.limits.tsb_recover),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_recover:+.0f}",
        lambda f: _form(f, f.limits.tsb_recover),
    ),
    Rule(
        "post_event_recovery",
        "recover",
        lambda f: f.status.phase == "recovery",
        lambda f: f"{f.status.mission_name} is over and the body needs to absorb it",
        lambda f: (Evidence(name="phase", value=f.status.phase),),
    ),
    Rule(
        "recovery_data_missing",
        "ease",
        lambda f: f.recovery_missing,
        lambda f: (
            "there is no recovery data to trust"
            if f.obs.days_without_recovery is None
            else f"recovery data has been missing for {f.obs.days_without_recovery} days"
        ),
        lambda f: (
            Evidence(
                name="days without recovery data",
                value=f.obs.days_without_recovery,
                threshold=f.limits.missing_days_ease,
                unit="days",
            ),
        ),
    ),
    Rule(
        "hrv_suppressed",
        "ease",
        lambda f: f.hrv_suppressed,
        lambda f: f"HRV is {f.hrv_drop_pct}% under its baseline",
        lambda f: (_hrv(f),),
    ),
    Rule(
        "resting_hr_elevated",
        "ease",
        lambda f: f.rhr_elevated,
        lambda f: f"resting HR is {f.rhr_rise} bpm above its baseline",
        lambda f: (_rhr(f),),
    ),
    Rule(
        "readiness_fair",
        "ease",
        lambda f: _below(f.obs.readiness_score, f.limits.readiness_ease),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_ease}",
        lambda f: _readiness(f, f.limits.readiness_ease),
    ),
    Rule(
        "form_fatigued",
        "ease",
        lambda f: _below(f.obs.tsb, f.limits.tsb_ease),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_ease:+.0f}",
        lambda f: _form(f, f.limits.tsb_ease),
    ),
    Rule(
        "stage_day",
        "push",
        lambda f: f.status.stage is not None,
        lambda f: (
            f"stage {f.status.stage.number} ({f.status.stage.type}) is on and recovery is fine"
            if f.status.stage
            else ""
        ),
        lambda f: (
            Evidence(name="stage", value=f.status.stage.number if f.status.stage else None),
            *_readiness(f, f.limits.readiness_ease),
        ),
    ),
    Rule(
        "event_day",
        "push",
        lambda f: f.status.phase == "event" and f.status.mission_kind == "single_event",
        lambda f: f"it is the day of {f.status.mission_name} and recovery is fine: ride it",
        lambda f: (
            Evidence(name="phase", value=f.status.phase),
            *_readiness(f, f.limits.readiness_ease),
        ),
    ),
    Rule(
        "taper",
        "maintain",
        lambda f: f.status.phase == "taper",
        lambda f: f"the taper is on with {f.status.days_to_go} days to go: keep it sharp, not long",
        lambda f: (Evidence(name="days to go", value=f.status.days_to_go, unit="days"),),
    ),
    Rule(
        "ramp_limit",
        "maintain",
        lambda f: f.obs.ramp_rate is not None and f.obs.ramp_rate > f.status.max_weekly_ramp,
        lambda f: (
            f"fitness rose {f.obs.ramp_rate} in a week, above the safe {f.status.max_weekly_ramp}"
        ),
        lambda f: (
            Evidence(name="ramp rate", value=f.obs.ramp_rate, threshold=f.status.max_weekly_ramp),
        ),
    ),
    Rule(
        "low_compliance",
        "maintain",
        lambda f: f.status.phase in PUSH_PHASES and f.compliance_poor,
        lambda f: (
            f"last week only {f.compliance:.0%} of the planned load was done: "
            "build the habit back before pushing"
        ),
        lambda f: (
            Evidence(
                name="last week's compliance", value=f.compliance, threshold=f.limits.compliance_low
            ),
        ),
    ),
    Rule(
        "ready_to_push",
        "push",
        lambda f: (
            f.status.phase in PUSH_PHASES
            and f.obs.readiness_score is not None
            and f.obs.readiness_score >= f.limits.readiness_push
            and f.obs.tsb >= f.limits.tsb_push_min
        ),
        lambda f: (
            f"readiness {f.obs.readiness_score} and form {f.obs.tsb:+.1f} leave room for hard work"
        ),
        lambda f: (*_readiness(f, f.limits.readiness_push), *_form(f, f.limits.tsb_push_min)),
    ),
)

DEFAULT_RULE = Rule(
    "steady",
    "maintain",
    lambda f: True,
    lambda f: "nothing calls for more or less: keep the steady work going",
    lambda f: (
        Evidence(name="readiness", value=f.obs.readiness_score),
        Evidence(name="form (TSB)", value=f.obs.tsb),
    ),
)


def decide(
    obs: Observation,
    status: MissionStatus,
    limits: Thresholds,
    reflection: Reflection | None = None,
) -> Decision:
    """Pure: the first rule that fires decides, with its reason and evidence."""
    facts = Facts(obs=obs, status=status, limits=limits, reflection=reflection)
    rule = next((r for r in RULES if r.fires(facts)), DEFAULT_RULE)
    return Decision(
        action=rule.action,
        rule=rule.id,
        reason=rule.reason(facts),
        evidence=rule.evidence(facts),
        flags=_flags(facts),
    )


def _flags(f: Facts) -> tuple[str, ...]:
    flags = []
    if f.status.ramp_needed is not None and not f.status.ramp_safe:
        flags.append(
            f"reaching CTL {f.status.target_ctl:.0f} needs {f.status.ramp_needed}/week, "
            f"above the safe {f.status.max_weekly_ramp}"
        )
    flags.extend(f"{gap.signal}: {gap.reason}" for gap in f.obs.gaps)
    return tuple(flags)


class ReasoningAgent:
    producer = "reasoning_agent"

    def __init__(self, limits: Thresholds) -> None:
        self.limits = limits

    def decide(
        self, obs: Observation, status: MissionStatus, reflection: Reflection | None = None
    ) -> Decision:
        return decide(obs, status, self.limits, reflection)
