"""Pure planning: the days ahead, sized so fitness climbs toward the target within the safe
ramp, and tapered so form lands in the target band on the start day.

1. Each day gets an intended action: today's decision, then the mission's stages and rest
   days, then the phase's weekly shape (``data/workouts.toml``).
2. Each action has a weight (push 1.4, maintain 1.0, ease 0.6, recover 0.3, rest 0); the
   week's average load is what moves CTL by the needed ramp (capped at the safe ramp):
   ``avg = CTL + ramp / (7 k)`` with ``k = 1 - exp(-1/42)``.
3. Workouts are stretched or shortened (x0.2 .. x2) to their day's load; rest days keep their
   shape, and stage rides take the load the mission expects of their stage type
   (``[stage_loads]``, e.g. mountain 210 TSS), today's scaled by how it is to be ridden (the
   hardest ride mode all of it, the easiest 60 %).
4. The whole plan is scaled down until no projected weekly ramp exceeds the limit, and, when the
   start day is inside the plan, the days before it are scaled down until projected form on
   the start day is inside the band (the taper).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from lanterne_rouge.agents.mission_agent import mission_phase
from lanterne_rouge.messages import Action, PlannedDay, Workout
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.training.fitness import FitnessPoint
from lanterne_rouge.training.fitness_state import FitnessState, project
from lanterne_rouge.workouts import Library, WorkoutTemplate, choose

PLAN_DAYS = 7
WEIGHTS: dict[Action, float] = {
    "push": 1.4,
    "maintain": 1.0,
    "ease": 0.6,
    "recover": 0.3,
    "rest": 0,
}
K_CTL = 1 - math.exp(-1 / 42)
MIN_STRETCH, MAX_STRETCH = 0.2, 2.0


MAX_STAGE_STRETCH = 4.0
EASIEST_MODE_SHARE = 0.6


class Slot(msgspec.Struct, frozen=True):
    day: date
    action: Action
    template: WorkoutTemplate
    fixed: bool  # stage rides and rest keep their shape
    target: float | None = None  # a stage ride's expected load, TSS

    @property
    def tss(self) -> float:
        return self.target if self.target is not None else self.template.tss

    def workout(self, stretch: float) -> Workout:
        if self.target is not None and self.template.tss > 0:
            share = self.target / self.template.tss
            return self.template.as_workout(min(MAX_STAGE_STRETCH, max(MIN_STRETCH, share)))
        if self.fixed or not self.template.steps:
            return self.template.as_workout()
        return self.template.as_workout(min(MAX_STRETCH, max(MIN_STRETCH, stretch)))


def mode_share(ride_mode: str | None, modes: Sequence[str]) -> float:
    """How much of the stage's expected load a ride mode takes: the hardest all of it, the
    easiest ``EASIEST_MODE_SHARE``, the ones between in proportion."""
    if ride_mode is None or ride_mode not in modes or len(modes) < 2:
        return 1.0
    return 1.0 - (1.0 - EASIEST_MODE_SHARE) * modes.index(ride_mode) / (len(modes) - 1)


def intended_action(mission: Mission, day: date, lib: Library) -> tuple[Action, str | None]:
    """The intended action of a future day: the mission's stages and rest days first."""
    stage = mission.stage_on(day)
    if stage is not None:
        return "push", stage.type
    if day in mission.rest_days:
        return "rest", None
    if mission.mission.kind == "single_event" and mission_phase(mission, day) == "event":
        return "push", None
    return lib.week[mission_phase(mission, day)][day.weekday()], None


def horizon(mission: Mission, today: date) -> int:
    """Seven days, stretched to reach the start day when the taper is on."""
    to_start = (mission.mission.start - today).days
    if 0 < to_start <= mission.phases.taper_days + 1:
        return max(PLAN_DAYS, to_start + 1)
    return PLAN_DAYS


def slots(
    mission: Mission,
    today: date,
    action: Action,
    stage_type: str | None,
    lib: Library,
    share: float = 1.0,
) -> list[Slot]:
    out = []
    for offset in range(horizon(mission, today)):
        day = today + timedelta(days=offset)
        if offset == 0:
            act, stage = action, stage_type
        else:
            act, stage = intended_action(mission, day, lib)
        found = mission.stage_on(day)
        ridden = found is not None and act != "rest"  # a stage is ridden, however hard
        template = choose("push" if ridden else act, mission_phase(mission, day), stage, lib)
        fixed = template.fixed or bool(template.stage_types) or act == "rest"
        target = None
        if found is not None and ridden and template.stage_types:
            target = mission.stage_load(found.type) * (share if offset == 0 else 1.0)
        out.append(Slot(day, act, template, fixed=fixed, target=target))
    return out


def average_load(state: FitnessState, mission: Mission, today: date, ramp_limit: float) -> float:
    """The daily load that moves CTL toward the target within ``ramp_limit`` a week."""
    phase = mission_phase(mission, today)
    if phase in ("event", "recovery", "complete"):
        ramp = 0.0 if phase == "event" else -3.0
    else:
        weeks = max((mission.mission.start - today).days / 7, 1 / 7)
        needed = (mission.targets.ctl - state.ctl) / weeks
        ramp = max(-mission.targets.max_weekly_ramp, min(needed, ramp_limit))
    return max(0.0, state.ctl + ramp / (7 * K_CTL))


def _loads(plan: Sequence[Slot], stretches: Sequence[float]) -> list[Workout]:
    return [s.workout(f) for s, f in zip(plan, stretches, strict=True)]


def _stretches(plan: Sequence[Slot], avg: float) -> list[float]:
    # Stage rides take what the race asks, outside the budget the other days share.
    budgeted = [s for s in plan if s.target is None]
    total_weight = sum(WEIGHTS[s.action] for s in budgeted) or 1.0
    budget = avg * len(budgeted) - sum(s.tss for s in budgeted if s.fixed)
    per_weight = max(0.0, budget) / total_weight
    return [
        1.0 if s.fixed or s.template.tss <= 0 else per_weight * WEIGHTS[s.action] / s.template.tss
        for s in plan
    ]


def _project(state: FitnessState, workouts: Sequence[Workout]) -> list[FitnessPoint]:
    return project(state, [w.tss_target for w in workouts])


def _within_ramp(points: Sequence[FitnessPoint], limit: float) -> bool:
    return all(p.ramp_rate is None or p.ramp_rate <= limit + 1e-9 for p in points)


def build_plan(
    today: date,
    state: FitnessState,
    mission: Mission,
    action: Action,
    stage_type: str | None,
    lib: Library,
    ramp_limit: float | None = None,
    share: float = 1.0,
) -> tuple[PlannedDay, ...]:
    """Pure: the planned days from ``today`` with projected CTL, ATL and form; no projected
    weekly ramp above ``ramp_limit`` (default: the mission's ``max_weekly_ramp``); ``share``
    scales today's stage ride (see ``mode_share``)."""
    limit = mission.targets.max_weekly_ramp if ramp_limit is None else ramp_limit
    plan = slots(mission, today, action, stage_type, lib, share)
    stretches = _stretches(plan, average_load(state, mission, today, limit))
    workouts = _loads(plan, stretches)
    for _ in range(20):  # scale the flexible days down until the ramp is safe
        if _within_ramp(_project(state, workouts), limit):
            break
        stretches = [f * 0.9 if not s.fixed else f for s, f in zip(plan, stretches, strict=True)]
        workouts = _loads(plan, stretches)
    start = next((i for i, s in enumerate(plan) if s.day == mission.mission.start), None)
    if start is not None:
        workouts = _loads(plan, _taper(state, mission, plan, stretches, start))
    points = _project(state, workouts)
    return tuple(
        PlannedDay(
            day=slot.day,
            workout=workout,
            projected_ctl=round(point.ctl, 2),
            projected_atl=round(point.atl, 2),
            projected_tsb=round(point.tsb, 2),
        )
        for slot, workout, point in zip(plan, workouts, points, strict=True)
    )


def _taper(
    state: FitnessState,
    mission: Mission,
    plan: Sequence[Slot],
    stretches: list[float],
    index: int,
) -> list[float]:
    """Scale the days before the start (``plan[index]``) until its projected form is in the band."""
    band = (mission.targets.form_min, mission.targets.form_max)

    def form_with(scale: float) -> tuple[float, list[float]]:
        scaled = [f * scale if i < index else f for i, f in enumerate(stretches)]
        return _project(state, _loads(plan, scaled))[index].tsb, scaled

    best_scale, best_gap = 1.0, math.inf
    for step in range(0, 41):
        scale = 1.0 - step * 0.025
        tsb, _ = form_with(scale)
        gap = 0.0 if band[0] <= tsb <= band[1] else min(abs(tsb - band[0]), abs(tsb - band[1]))
        if gap < best_gap - 1e-9:
            best_scale, best_gap = scale, gap
        if gap == 0.0:
            break
    return form_with(best_scale)[1]
