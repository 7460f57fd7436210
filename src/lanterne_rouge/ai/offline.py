"""The deterministic offline explainer: two plain sentences from the decision and its evidence.

It is the default narrator and the fallback whenever a model cannot be used.
"""

from __future__ import annotations

from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan

OFFLINE_PROVIDER = "offline"
OFFLINE_MODEL = "rules-v1"
OFFLINE_PROMPT_ID = "offline_explainer"
OFFLINE_PROMPT_VERSION = 1

_VERBS = {
    "push": "Today is a day to push",
    "maintain": "Today is a steady day",
    "ease": "Today is a day to ease off",
    "recover": "Today is a recovery day",
    "rest": "Today is a rest day",
}


def offline_explanation(
    decision: Decision, plan: Plan, status: MissionStatus, obs: Observation
) -> str:
    """Two sentences: why (the rule's reason) and what (the workout, fitness and the goal)."""
    first = f"{_VERBS[decision.action]} because {decision.reason}."
    workout = plan.workout
    if workout.minutes:
        what = f"{workout.name}, {workout.minutes} min for about {workout.tss_target:.0f} TSS"
    else:
        what = workout.name.lower()
    goal = _goal(status)
    second = f"Plan: {what}; fitness {obs.ctl:.0f}, form {obs.tsb:+.0f}{goal}."
    return f"{first} {second}"


def _goal(status: MissionStatus) -> str:
    if status.stage is not None:
        return f", stage {status.stage.number} of {status.mission_name}"
    if status.days_to_go > 0:
        return f", {status.days_to_go} days to {status.mission_name}"
    return ""
