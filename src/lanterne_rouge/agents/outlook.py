"""The plan's outlook: fitness projected from the end of the planned days to the event's start.

The planned days cover a week (longer in the taper). Beyond them, the planner's own rules are
applied week after week (``build_plan`` from the projected state, each day's intended action
from the mission), so the projection shows where today's plan leads on the start day, not a
straight line. It stops after ``MAX_DAYS`` for an event further away. It is worked out when
the day is shown (report, dashboard), not in the daily run, which stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from lanterne_rouge.agents.plan_builder import build_plan, intended_action
from lanterne_rouge.messages import PlannedDay
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness import FitnessPoint
from lanterne_rouge.training.fitness_state import FitnessState, advance, advance_days
from lanterne_rouge.workouts import Library

MAX_DAYS = 182


class ProjectedDay(NamedTuple):
    """A day after the planned days: the load the planner would set, and the model after it."""

    day: date
    load: float  # planned TSS
    ctl: float
    atl: float
    tsb: float


def outlook(
    state: FitnessState,
    mission: Mission,
    planned: Sequence[PlannedDay],
    lib: Library,
    ramp_limit: float,
) -> tuple[ProjectedDay, ...]:
    """Pure: the days after ``planned`` up to the start day; ``state`` is the day before them."""
    if not planned:
        return ()
    end = min(mission.mission.start, planned[0].day + timedelta(days=MAX_DAYS))
    if state.day + timedelta(days=1) != planned[0].day:
        for p in planned:
            state = advance(state, p.day, p.workout.tss_target)
    else:  # the plan starts the day after the state (as the planner makes it): in one pass
        _, state = advance_days(state, [p.workout.tss_target for p in planned])
    out: list[ProjectedDay] = []
    day = planned[-1].day + timedelta(days=1)
    while day <= end:
        action, stage_type = intended_action(mission, day, lib)
        week = [
            p for p in build_plan(day, state, mission, action, stage_type, lib, ramp_limit)
            if p.day <= end
        ]  # fmt: skip
        points, state = advance_days(state, [p.workout.tss_target for p in week])
        out += [
            _projected(p.day, p.workout.tss_target, point)
            for p, point in zip(week, points, strict=True)
        ]
        day = state.day + timedelta(days=1)
    return tuple(out)


def _projected(day: date, load: float, point: FitnessPoint) -> ProjectedDay:
    return ProjectedDay(
        day=day,
        load=round(load, 1),
        ctl=round(point.ctl, 2),
        atl=round(point.atl, 2),
        tsb=round(point.tsb, 2),
    )
