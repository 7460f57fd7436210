"""The facts a model may use to explain a decision, compact enough for a ~150-token prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lanterne_rouge.ai.ai_clients import ExplainRequest
    from lanterne_rouge.messages import MissionStatus, Workout


def explanation_facts(request: ExplainRequest) -> dict[str, Any]:
    """Decision, evidence, workout and fitness: every number the answer may quote."""
    decision, obs = request.decision, request.observation
    evidence = {e.name: _rounded(e.value) for e in decision.evidence if e.value is not None}
    return {
        "reason": decision.reason,
        "evidence": evidence,
        "workout": _workout(request.plan.workout),
        "fitness": round(obs.ctl, 1),
        "fatigue": round(obs.atl, 1),
        "form": round(obs.tsb, 1),
        "goal": _goal(request.status),
    }


def _rounded(value: int | float | str) -> int | float | str:
    return round(value, 1) if isinstance(value, float) else value


def _workout(workout: Workout) -> str:
    if not workout.minutes:
        return workout.name
    return f"{workout.name}, {workout.minutes} min, {workout.tss_target:.0f} TSS"


def _goal(status: MissionStatus) -> str:
    if status.stage is not None:
        return f"stage {status.stage.number} ({status.stage.type}) of {status.mission_name}"
    if status.days_to_go > 0:
        return f"{status.days_to_go} days to {status.mission_name}"
    return f"{status.phase} phase of {status.mission_name}"
