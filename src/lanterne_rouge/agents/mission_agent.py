"""Mission agent: where the athlete stands against the goal today."""

from __future__ import annotations

from datetime import date

from lanterne_rouge.agents.stage_agent import Standings
from lanterne_rouge.messages import MissionStatus, Phase, StageInfo
from lanterne_rouge.mission_config import REST_MODE, Mission, StageType


def mission_phase(mission: Mission, day: date) -> Phase:
    """The phase of ``day``: base, build, peak, taper, event, recovery or complete."""
    start, end = mission.mission.start, mission.mission.end
    phases = mission.phases
    if day > end:
        return "recovery" if (day - end).days <= phases.recovery_days else "complete"
    if day >= start:
        return "event"
    days_to_go = (start - day).days
    if days_to_go <= phases.taper_days:
        return "taper"
    if days_to_go <= phases.peak_days:
        return "peak"
    if days_to_go <= phases.build_days:
        return "build"
    return "base"


def mission_status(
    mission: Mission, day: date, current_ctl: float, standings: Standings | None = None
) -> MissionStatus:
    """Pure: phase, days to go, fitness against target, the ramp needed, today's stage and,
    in a scored stage race, the points so far."""
    days_to_go = (mission.mission.start - day).days
    target = mission.targets.ctl
    ramp_needed = None
    if days_to_go > 0:
        ramp_needed = round((target - current_ctl) / (days_to_go / 7), 2)
    stage = mission.stage_on(day)
    return MissionStatus(
        mission_id=mission.mission.id,
        mission_name=mission.mission.name,
        mission_kind=mission.mission.kind,
        phase=mission_phase(mission, day),
        days_to_go=days_to_go,
        current_ctl=round(current_ctl, 2),
        target_ctl=target,
        ramp_needed=ramp_needed,
        ramp_safe=ramp_needed is None or ramp_needed <= mission.targets.max_weekly_ramp,
        max_weekly_ramp=mission.targets.max_weekly_ramp,
        stage=StageInfo(number=stage.number, type=stage.type, name=stage.name) if stage else None,
        rest_day=day in mission.rest_days,
        points=standings.points if standings else None,
        stages_scored=len(standings.results) if standings else 0,
        stage_points=_stage_points(mission, stage.type) if stage else {},
        stage_load=mission.stage_load(stage.type) if stage else None,
        finisher_bonus=_finisher_left(mission, standings),
    )


def _stage_points(mission: Mission, stage_type: StageType) -> dict[str, int]:
    """Today's points by ride mode, hardest first; empty when the race is not scored."""
    scoring = mission.scoring
    if scoring is None:
        return {}
    return {m.name: scoring.points_for(stage_type, m.name) for m in scoring.modes}


def _finisher_left(mission: Mission, standings: Standings | None) -> int | None:
    """The finisher bonus, while no stage has been classified rest."""
    scoring = mission.scoring
    bonus = next((b for b in scoring.bonuses if b.kind == "finisher"), None) if scoring else None
    if bonus is None:
        return None
    results = standings.results.values() if standings else ()
    return None if any(r.mode == REST_MODE for r in results) else bonus.points


class MissionAgent:
    producer = "mission_agent"

    def __init__(self, mission: Mission) -> None:
        self.mission = mission

    def status(
        self, day: date, current_ctl: float, standings: Standings | None = None
    ) -> MissionStatus:
        return mission_status(self.mission, day, current_ctl, standings)
