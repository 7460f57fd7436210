"""Planning agent: today's workout for the decision, and the days ahead with projected form."""

from __future__ import annotations

from datetime import date, timedelta

from lanterne_rouge.agents.plan_builder import build_plan
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan, Reflection
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness_state import FitnessState, seed_state
from lanterne_rouge.workouts import Library, library

MIN_RAMP_SHARE = 0.25


def ramp_limit(mission: Mission, reflection: Reflection | None) -> tuple[float, tuple[str, ...]]:
    """The weekly ramp to plan with, and why it is lower than the mission's when it is.

    After a week whose compliance (done / planned load) was under ``compliance_low``, the
    ramp is the mission's scaled by that compliance (never under a quarter of it): a plan the
    athlete could not follow is replaced by a smaller one, not repeated.
    """
    limit = mission.targets.max_weekly_ramp
    compliance = reflection.compliance if reflection else None
    if compliance is None or compliance >= mission.thresholds.compliance_low:
        return limit, ()
    lowered = round(limit * max(compliance, MIN_RAMP_SHARE), 2)
    return lowered, (
        f"last week {compliance:.0%} of the planned load was done "
        f"(under {mission.thresholds.compliance_low:.0%}): weekly ramp lowered "
        f"from {limit:g} to {lowered:g}",
    )


def make_plan(
    day: date,
    state: FitnessState,
    status: MissionStatus,
    decision: Decision,
    mission: Mission,
    lib: Library | None = None,
    reflection: Reflection | None = None,
) -> Plan:
    """Pure: today's workout for the decided action, then the days ahead, projected."""
    stage_type = status.stage.type if status.stage else None
    limit, why = ramp_limit(mission, reflection)
    days = build_plan(day, state, mission, decision.action, stage_type, lib or library(), limit)
    workout = days[0].workout
    action = decision.action
    return Plan(action=action, workout=workout, days=days, ramp_limit=limit, adjustments=why)


class PlanningAgent:
    producer = "planning_agent"

    def __init__(self, mission: Mission) -> None:
        self.mission = mission

    def plan(
        self,
        athlete_id: str,
        day: date,
        obs: Observation,
        status: MissionStatus,
        decision: Decision,
        reflection: Reflection | None = None,
        state: FitnessState | None = None,
    ) -> Plan:
        """Re-planned each day from what was done: it starts from the fitness state at the end
        of yesterday the observation was built on (``state``; None when there is no history),
        with targets lowered after a week of poor compliance (``reflection``)."""
        yesterday = day - timedelta(days=1)
        if state is None or state.day != yesterday:
            state = seed_state(yesterday, seed_ctl=obs.ctl, seed_atl=obs.atl)
        return make_plan(day, state, status, decision, self.mission, reflection=reflection)
