"""Stage agent: after each stage day, that day's ride classified into a ride mode and scored.

The rules and the points come from the mission's ``[scoring]`` only (``mission_config``):

- **Which ride.** The rides (``ride``/``virtualride``) whose LOCAL start date is the stage day,
  each session counted once whatever its sources (``memory.sessions.counted``); of those, the
  one with the most TSS is the stage ride. An activity is the ride of one stage at most.
- **Ride mode.** The first of the mission's modes whose minimum intensity factor and TSS the
  ride meets; ``rest`` when none does, or when there was no ride. Rest earns nothing. The
  intensity factor is the activity's own (NP / FTP) when it has one, else the one its load
  implies: ``sqrt(TSS / (100 * hours))``.
- **Late activities.** Every past stage is checked again each day until the recovery weeks
  end. When an activity arrives after its stage was scored (say, as rest), a new result is
  published and replaces the old one: the latest result of each stage counts.
- **Bonuses.** ``finisher``: every stage has a result and none is rest. ``streak``: once for
  each run of at least ``length`` stages in a row (in stage order) ridden in ``mode``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import msgspec

from lanterne_rouge.memory.activity_store import StoredActivity
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.sessions import RIDE_SPORTS, counted
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import StageInfo, StageResult
from lanterne_rouge.mission_config import REST_MODE, Mission, Scoring, Stage


def intensity_factor(activity: StoredActivity) -> float | None:
    """The activity's intensity factor, or the one its TSS and duration imply."""
    recorded = activity.detail.get("intensity_factor")
    if isinstance(recorded, int | float) and not isinstance(recorded, bool) and recorded > 0:
        return round(float(recorded), 3)
    hours = activity.moving_s / 3600
    return round(math.sqrt(activity.tss / (100 * hours)), 3) if hours > 0 else None


def score_stage(
    mission_id: str, stage: Stage, ride: StoredActivity | None, scoring: Scoring
) -> StageResult:
    """Pure: the stage's result from its ride (None: no ride that day)."""
    info = StageInfo(number=stage.number, type=stage.type, name=stage.name)
    if ride is None:
        return StageResult(
            mission_id=mission_id,
            stage=info,
            stage_day=stage.day,
            mode=REST_MODE,
            points=0,
            reason="no ride on the stage day",
        )
    factor, tss = intensity_factor(ride), round(ride.tss, 1)
    mode = scoring.classify(factor, tss)
    return StageResult(
        mission_id=mission_id,
        stage=info,
        stage_day=stage.day,
        mode=mode,
        points=scoring.points_for(stage.type, mode),
        activity_source=ride.source,
        activity_id=ride.external_id,
        intensity_factor=factor,
        tss=tss,
        reason=_reason(mode, factor, tss),
    )


def _reason(mode: str, factor: float | None, tss: float) -> str:
    measured = f"IF {factor:.2f}, TSS {tss:.0f}" if factor is not None else f"TSS {tss:.0f}"
    return f"{measured}: below every ride mode" if mode == REST_MODE else measured


def stage_rides(
    stages: Sequence[Stage], activities: Sequence[StoredActivity]
) -> dict[int, StoredActivity | None]:
    """Pure: each stage's ride (see the module docstring); one activity per stage at most."""
    rides = counted([a for a in activities if a.sport in RIDE_SPORTS])
    used: set[tuple[str, str]] = set()
    out: dict[int, StoredActivity | None] = {}
    for stage in sorted(stages, key=lambda s: s.day):
        candidates = [
            r for r in rides if r.local_day == stage.day and (r.source, r.external_id) not in used
        ]
        ride = max(candidates, key=lambda r: (r.tss, r.start_utc), default=None)
        if ride is not None:
            used.add((ride.source, ride.external_id))
        out[stage.number] = ride
    return out


class Standings(msgspec.Struct, frozen=True):
    """The latest result of each scored stage, and the bonuses they earn."""

    results: dict[int, StageResult]
    bonuses: tuple[tuple[str, int], ...] = ()

    @property
    def points(self) -> int:
        return sum(r.points for r in self.results.values()) + sum(p for _, p in self.bonuses)


def standings(mission: Mission, results: dict[int, StageResult]) -> Standings:
    """Pure: the stage points so far plus the bonuses earned (see the module docstring)."""
    scoring = mission.scoring
    if scoring is None:
        return Standings(results)
    order = [s.number for s in sorted(mission.stages, key=lambda s: s.day)]
    modes = [results[n].mode if n in results else None for n in order]
    earned: list[tuple[str, int]] = []
    for bonus in scoring.bonuses:
        if bonus.kind == "finisher":
            if modes and all(m is not None and m != REST_MODE for m in modes):
                earned.append((bonus.name, bonus.points))
        else:
            long_runs = [n for n in _runs(modes, bonus.mode) if n >= (bonus.length or 0)]
            earned += [(bonus.name, bonus.points)] * len(long_runs)
    return Standings(results, tuple(earned))


def _runs(modes: Sequence[str | None], mode: str | None) -> list[int]:
    """Lengths of the runs of consecutive entries equal to ``mode``."""
    runs, current = [], 0
    for m in modes:
        if m == mode:
            current += 1
        elif current:
            runs.append(current)
            current = 0
    if current:
        runs.append(current)
    return runs


class StageAgent:
    producer = "stage_agent"

    def __init__(self, mission: Mission, store: StateStore) -> None:
        self.mission = mission
        self.store = store

    def update(self, athlete_id: str, day: date) -> tuple[list[StageResult], Standings | None]:
        """New or changed results of the stages before ``day``, and the standings with them.

        ``None`` standings when the mission has no scoring. Once the recovery weeks after the
        event are over, stages are no longer re-checked; the standings stay as stored.
        """
        mission = self.mission
        if mission.scoring is None or not mission.stages:
            return [], None
        past = [s for s in mission.stages if s.day < day]
        if not past:
            return [], standings(mission, {})
        stored = self._stored_results(athlete_id, day)
        last_check = mission.mission.end + timedelta(days=mission.phases.recovery_days + 1)
        if day > last_check:
            return [], standings(mission, stored)
        rides = stage_rides(past, self._activities(athlete_id, past))
        fresh = []
        for stage in past:
            result = score_stage(mission.mission.id, stage, rides[stage.number], mission.scoring)
            if stored.get(stage.number) != result:
                fresh.append(result)
                stored[stage.number] = result
        return fresh, standings(mission, stored)

    def _stored_results(self, athlete_id: str, day: date) -> dict[int, StageResult]:
        """The latest stored result of each stage of THIS mission (same mission id, stage
        number and day: last year's race or an edited stage date is not one of them)."""
        stage_days = {s.number: s.day for s in self.mission.stages}
        first = min(stage_days.values())
        found = MemoryBus(self.store).history(StageResult, athlete_id, since=first, until=day)
        return {
            r.stage.number: r
            for r in found
            if r.mission_id == self.mission.mission.id
            and stage_days.get(r.stage.number) == r.stage_day
        }

    def _activities(self, athlete_id: str, stages: Sequence[Stage]) -> list[StoredActivity]:
        first = min(s.day for s in stages)
        last = max(s.day for s in stages)
        return self.store.activities.activities(athlete_id, since=first, until=last)
