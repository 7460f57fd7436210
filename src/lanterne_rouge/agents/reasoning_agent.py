"""Reasoning agent: threshold rules decide today's action and cite their evidence.

The rules are checked in order and the first that fires decides; on a stage day the stage
rules (``stage_rules``) decide how to ride it. Every number they compare
against comes from the mission's ``[thresholds]``. Missing data is treated conservatively: a
rule that needs a signal never fires on its absence, and several days without recovery data
cap the day at ``ease``.
"""

from __future__ import annotations

from lanterne_rouge.agents.rules import (
    PUSH_PHASES,
    Facts,
    Rule,
    below,
    form_evidence,
    hrv_evidence,
    readiness_evidence,
    rhr_evidence,
)
from lanterne_rouge.agents.stage_rules import STAGE_RULES
from lanterne_rouge.messages import Decision, Evidence, MissionStatus, Observation, Reflection
from lanterne_rouge.mission_config import Thresholds
from lanterne_rouge.wording import plural

RULES: tuple[Rule, ...] = (
    Rule(
        "event_rest_day",
        "rest",
        lambda f: f.status.rest_day,
        lambda f: f"it is a rest day of {f.status.mission_name}",
        lambda f: (Evidence(name="phase", value=f.status.phase),),
    ),
    *STAGE_RULES,
    Rule(
        "readiness_very_low",
        "rest",
        lambda f: below(f.obs.readiness_score, f.limits.readiness_rest),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_rest}",
        lambda f: readiness_evidence(f, f.limits.readiness_rest),
    ),
    Rule(
        "form_very_low",
        "rest",
        lambda f: below(f.obs.tsb, f.limits.tsb_rest),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_rest:+.0f}",
        lambda f: form_evidence(f, f.limits.tsb_rest),
    ),
    Rule(
        "illness_signs",
        "recover",
        lambda f: f.hrv_suppressed and f.rhr_elevated,
        lambda f: (
            f"{f.hrv_text} and resting HR is {f.rhr_rise} bpm up, "
            "a pattern of illness or strain whatever the readiness score says"
        ),
        lambda f: (
            hrv_evidence(f),
            rhr_evidence(f),
            *readiness_evidence(f, f.limits.readiness_ease),
        ),
    ),
    Rule(
        "readiness_low",
        "recover",
        lambda f: below(f.obs.readiness_score, f.limits.readiness_recover),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_recover}",
        lambda f: readiness_evidence(f, f.limits.readiness_recover),
    ),
    Rule(
        "form_low",
        "recover",
        lambda f: below(f.obs.tsb, f.limits.tsb_recover),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_recover:+.0f}",
        lambda f: form_evidence(f, f.limits.tsb_recover),
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
        lambda f: f.hrv_text,
        lambda f: (hrv_evidence(f),),
    ),
    Rule(
        "resting_hr_elevated",
        "ease",
        lambda f: f.rhr_elevated,
        lambda f: f"resting HR is {f.rhr_rise} bpm above its baseline",
        lambda f: (rhr_evidence(f),),
    ),
    Rule(
        "readiness_fair",
        "ease",
        lambda f: below(f.obs.readiness_score, f.limits.readiness_ease),
        lambda f: f"readiness {f.obs.readiness_score} is below {f.limits.readiness_ease}",
        lambda f: readiness_evidence(f, f.limits.readiness_ease),
    ),
    Rule(
        "form_fatigued",
        "ease",
        lambda f: below(f.obs.tsb, f.limits.tsb_ease),
        lambda f: f"form {f.obs.tsb:+.1f} is below {f.limits.tsb_ease:+.0f}",
        lambda f: form_evidence(f, f.limits.tsb_ease),
    ),
    Rule(
        "event_day",
        "push",
        lambda f: f.status.phase == "event" and f.status.mission_kind == "single_event",
        lambda f: f"it is the day of {f.status.mission_name} and recovery is fine: ride it",
        lambda f: (
            Evidence(name="phase", value=f.status.phase),
            *readiness_evidence(f, f.limits.readiness_ease),
        ),
    ),
    Rule(
        "taper",
        "maintain",
        lambda f: f.status.phase == "taper",
        lambda f: (
            f"the taper is on with {plural(f.status.days_to_go, 'day')} to go: "
            "keep it sharp, not long"
        ),
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
        lambda f: (
            *readiness_evidence(f, f.limits.readiness_push),
            *form_evidence(f, f.limits.tsb_push_min),
        ),
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
        ride_mode=rule.ride_mode(facts),
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
