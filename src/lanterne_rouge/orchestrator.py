"""One athlete-day, in order, over the memory bus, in one transaction.

observation -> (stage results) -> mission status -> (weekly reflection) -> decision -> plan ->
report. Stage results are published for stage days that are over (or whose ride arrived late);
the week's reflection on the first run of a week, and the latest one is read by reasoning and
planning (a week of poor compliance lowers the next week's targets). The day is
claimed in the ``runs`` table inside the same transaction, so a crash anywhere leaves nothing
behind and a finished day is never run twice unless forced. The reasoning log row is written
only after the day is committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from lanterne_rouge.agents.communication_agent import CommunicationAgent
from lanterne_rouge.agents.mission_agent import MissionAgent
from lanterne_rouge.agents.observation_agent import ObservationAgent
from lanterne_rouge.agents.planning_agent import PlanningAgent
from lanterne_rouge.agents.reasoning_agent import ReasoningAgent
from lanterne_rouge.agents.reflection_agent import ReflectionAgent, week_of
from lanterne_rouge.agents.stage_agent import StageAgent
from lanterne_rouge.ai.ai_clients import Narrator, OfflineNarrator
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import RunRecord
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import (
    CoachReport,
    Decision,
    Envelope,
    MissionStatus,
    Observation,
    Payload,
    Plan,
    Reflection,
    StageResult,
    utc_now,
)
from lanterne_rouge.mission_config import Mission
from lanterne_rouge.reasoning_log import append_row
from lanterne_rouge.training.fitness import TsbConvention
from lanterne_rouge.usage import month_start
from lanterne_rouge.utils.logger import bind_run, get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Agents:
    observation: ObservationAgent
    mission: MissionAgent
    reasoning: ReasoningAgent
    planning: PlanningAgent
    communication: CommunicationAgent
    reflection: ReflectionAgent
    stage: StageAgent


@dataclass(frozen=True)
class DayResult:
    run: RunRecord
    observation: Observation
    status: MissionStatus
    decision: Decision
    plan: Plan
    report: CoachReport
    reflection: Reflection | None = None
    stage_results: tuple[StageResult, ...] = ()


class Orchestrator:
    def __init__(
        self,
        bus: MemoryBus,
        agents: Agents,
        *,
        reasoning_log: Path | None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.bus = bus
        self.store = bus.store
        self.agents = agents
        self.reasoning_log = reasoning_log
        self.clock = clock

    def run_day(
        self, athlete_id: str, day: date, *, data_label: str, force: bool = False
    ) -> DayResult:
        """Run the day; raises ``DayAlreadyDone`` when it was run before and not forced."""
        with self.store.transaction():
            run = self.store.claim_run(athlete_id, day, force=force, now=self.clock())
            with bind_run(run_id=str(run.run_id), day=day.isoformat(), athlete=athlete_id):
                result = self._steps(run, data_label)
                self.store.finish_run(run.run_id, now=self.clock())
        if self.reasoning_log is not None:
            append_row(self.reasoning_log, log_row(result))
        log.info("day done", action=result.decision.action, rule=result.decision.rule)
        return result

    def _steps(self, run: RunRecord, data_label: str) -> DayResult:
        a, day = self.agents, run.day
        publish = _Publisher(self.bus, run, self.clock)
        obs, state = a.observation.observe_with_state(run.athlete_id, day, data_label=data_label)
        obs_id = publish(a.observation.producer, obs, None)
        results, table = a.stage.update(run.athlete_id, day)
        for result in results:
            publish(a.stage.producer, result, obs_id)
        status = a.mission.status(day, obs.ctl, table)
        status_id = publish(a.mission.producer, status, obs_id)
        reflection, fresh = self._reflection(run, publish, status_id)
        decision = a.reasoning.decide(obs, status, reflection)
        decision_id = publish(a.reasoning.producer, decision, status_id)
        plan = a.planning.plan(run.athlete_id, day, obs, status, decision, reflection, state)
        plan_id = publish(a.planning.producer, plan, decision_id)
        spent = (  # budgets are per athlete: only this athlete's month counts
            tuple(self.store.llm_calls(since=month_start(self.clock()), athlete_id=run.athlete_id))
            if a.communication.narrator.uses_model
            else ()
        )
        report, usage = a.communication.report(
            run.athlete_id,
            obs,
            status,
            decision,
            plan,
            run_id=run.run_id,
            day=day,
            week=reflection if fresh else None,
            spent=spent,
        )
        for row in usage:
            self.store.record_llm_call(row)
        publish(a.communication.producer, report, plan_id)
        return DayResult(run, obs, status, decision, plan, report, reflection, tuple(results))

    def _reflection(
        self, run: RunRecord, publish: _Publisher, cause: uuid.UUID
    ) -> tuple[Reflection | None, bool]:
        """This week's reflection on the previous week: made on the first run of the week
        (when the coach ran in the week before), read back on the days after; and whether it
        was made now."""
        monday, _ = week_of(run.day)
        found = self.store.latest_message(run.athlete_id, "reflection", since=monday, until=run.day)
        if found is not None and isinstance(found.payload, Reflection):
            return found.payload, False
        week_start = monday - timedelta(days=7)
        last_sunday = monday - timedelta(days=1)
        if not self.store.has_message(
            run.athlete_id, "decision", since=week_start, until=last_sunday
        ):
            return None, False
        reflection = self.agents.reflection.reflect_week(run.athlete_id, week_start)
        publish(self.agents.reflection.producer, reflection, cause)
        return reflection, True


class _Publisher:
    """Wraps payloads in envelopes for one run and publishes them."""

    def __init__(self, bus: MemoryBus, run: RunRecord, clock: Callable[[], datetime]) -> None:
        self.bus, self.run, self.clock = bus, run, clock

    def __call__(self, producer: str, payload: Payload, cause: uuid.UUID | None) -> uuid.UUID:
        envelope = Envelope(
            run_id=self.run.run_id,
            causation_id=cause,
            athlete_id=self.run.athlete_id,
            day=self.run.day,
            producer=producer,
            created_at=self.clock(),
            payload=payload,
        )
        return self.bus.publish(envelope).message_id


def log_row(result: DayResult) -> dict[str, object]:
    obs, report, plan = result.observation, result.report, result.plan
    return {
        "date": result.run.day.isoformat(),
        "athlete_id": result.run.athlete_id,
        "attempt": result.run.attempt,
        "run_id": str(result.run.run_id),
        "data": obs.data_label,
        "phase": result.status.phase,
        "action": result.decision.action,
        "rule": result.decision.rule,
        "workout": plan.workout.name,
        "minutes": plan.workout.minutes,
        "tss_target": plan.workout.tss_target,
        "readiness": obs.readiness_score,
        "ctl": obs.ctl,
        "atl": obs.atl,
        "tsb": obs.tsb,
        "explanation": report.explanation,
        "provider": report.provider,
        "model": report.model,
        "prompt_id": report.prompt_id,
        "prompt_version": report.prompt_version,
        "fallback_reason": report.fallback_reason,
    }


def build_orchestrator(
    store: StateStore,
    mission: Mission,
    *,
    narrator: Narrator | None = None,
    reasoning_log: Path | None = None,
    tsb_convention: TsbConvention = "previous_day",
    clock: Callable[[], datetime] = utc_now,
) -> Orchestrator:
    """The standard set of agents for a mission, wired over a bus on ``store``."""
    agents = Agents(
        observation=ObservationAgent(store, tsb_convention=tsb_convention),
        mission=MissionAgent(mission),
        reasoning=ReasoningAgent(mission.thresholds),
        planning=PlanningAgent(mission),
        communication=CommunicationAgent(narrator or OfflineNarrator()),
        reflection=ReflectionAgent(store, mission.thresholds.compliance_low),
        stage=StageAgent(mission, store),
    )
    return Orchestrator(MemoryBus(store), agents, reasoning_log=reasoning_log, clock=clock)
