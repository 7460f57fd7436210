"""Planning agent: today's workout for the decision, and the days ahead with projected form."""

from __future__ import annotations

from datetime import date, timedelta

from lanterne_rouge.agents.mission_agent import mission_phase
from lanterne_rouge.messages import (
    Action,
    Decision,
    MissionStatus,
    Observation,
    Plan,
    PlannedDay,
    Workout,
)
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness_state import project, seed_state
from lanterne_rouge.workouts import Library, choose, library

PLAN_DAYS = 7


def planned_action(mission: Mission, day: date, lib: Library) -> tuple[Action, str | None]:
    """The intended action for a future day: the mission's stages and rest days first."""
    phase = mission_phase(mission, day)
    stage = mission.stage_on(day)
    if stage is not None:
        return "push", stage.type
    if day in mission.rest_days:
        return "rest", None
    return lib.week[phase][day.weekday()], None


def make_plan(
    day: date,
    obs: Observation,
    status: MissionStatus,
    decision: Decision,
    mission: Mission,
    lib: Library | None = None,
) -> Plan:
    """Pure: today's workout for the decided action, then the shape of the next days."""
    lib = lib or library()
    stage_type = status.stage.type if status.stage else None
    workouts: list[tuple[date, Workout]] = [
        (day, choose(decision.action, status.phase, stage_type, lib).as_workout())
    ]
    for offset in range(1, PLAN_DAYS):
        ahead = day + timedelta(days=offset)
        action, ahead_stage = planned_action(mission, ahead, lib)
        template = choose(action, mission_phase(mission, ahead), ahead_stage, lib)
        workouts.append((ahead, template.as_workout()))
    start = seed_state(day - timedelta(days=1), seed_ctl=obs.ctl, seed_atl=obs.atl)
    points = project(start, [w.tss_target for _, w in workouts])
    days = tuple(
        PlannedDay(
            day=when,
            workout=workout,
            projected_ctl=round(point.ctl, 2),
            projected_atl=round(point.atl, 2),
            projected_tsb=round(point.tsb, 2),
        )
        for (when, workout), point in zip(workouts, points, strict=True)
    )
    return Plan(action=decision.action, workout=workouts[0][1], days=days)


class PlanningAgent:
    producer = "planning_agent"

    def __init__(self, mission: Mission) -> None:
        self.mission = mission

    def plan(self, day: date, obs: Observation, status: MissionStatus, decision: Decision) -> Plan:
        return make_plan(day, obs, status, decision, self.mission)
