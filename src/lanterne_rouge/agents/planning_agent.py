"""Planning agent: today's workout for the decision, and the days ahead with projected form."""

from __future__ import annotations

from datetime import date, timedelta

from lanterne_rouge.agents.plan_builder import build_plan
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import Decision, MissionStatus, Observation, Plan
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness_state import FitnessState, seed_state
from lanterne_rouge.workouts import Library, library


def make_plan(
    day: date,
    state: FitnessState,
    status: MissionStatus,
    decision: Decision,
    mission: Mission,
    lib: Library | None = None,
) -> Plan:
    """Pure: today's workout for the decided action, then the days ahead, projected."""
    stage_type = status.stage.type if status.stage else None
    days = build_plan(day, state, mission, decision.action, stage_type, lib or library())
    return Plan(action=decision.action, workout=days[0].workout, days=days)


class PlanningAgent:
    producer = "planning_agent"

    def __init__(self, mission: Mission, store: StateStore | None = None) -> None:
        self.mission = mission
        self.store = store

    def plan(
        self,
        athlete_id: str,
        day: date,
        obs: Observation,
        status: MissionStatus,
        decision: Decision,
    ) -> Plan:
        """Re-planned each day from what was done: it starts from yesterday's fitness state."""
        yesterday = day - timedelta(days=1)
        state = self.store.fitness_state(athlete_id, until=yesterday) if self.store else None
        if state is None or state.day != yesterday:
            state = seed_state(yesterday, seed_ctl=obs.ctl, seed_atl=obs.atl)
        return make_plan(day, state, status, decision, self.mission)
