"""One athlete-day, in three phases, over the memory bus.

1. One short transaction: claim the day, observe, score stages, mission status, the weekly
   reflection, decide, plan; commit. The day is now *decided* and this process holds its lease.
2. No transaction: the narrator explains the decision (the only network call of the day).
3. One short transaction: store the ``CoachReport``, the usage-ledger rows of phase 2 and
   (through the bus's subscribers) the effects owed; mark the day done.

A crash in phase 1 leaves nothing. A crash after it leaves a decided day: the next run of that
day (or ``repair``) takes over its lease and does phases 2 and 3 without deciding again. A day
whose lease a live process holds is being run elsewhere (``DayInProgress``). The effects (the
reasoning-log row, the report, the morning message) are done after phase 3 by
``bus.deliver_owed()``, which the caller runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

import msgspec

from lanterne_rouge.agents.communication_agent import CommunicationAgent
from lanterne_rouge.agents.mission_agent import MissionAgent
from lanterne_rouge.agents.observation_agent import ObservationAgent
from lanterne_rouge.agents.planning_agent import PlanningAgent
from lanterne_rouge.agents.reasoning_agent import ReasoningAgent
from lanterne_rouge.agents.reflection_agent import ReflectionAgent, week_of
from lanterne_rouge.agents.stage_agent import StageAgent
from lanterne_rouge.ai.ai_clients import Narrator, OfflineNarrator
from lanterne_rouge.errors import DataError, DayInProgress
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.records import RunRecord, Spent
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
from lanterne_rouge.training.fitness import TsbConvention
from lanterne_rouge.utils.logger import bind_run, get_logger

log = get_logger(__name__)


class Agents(msgspec.Struct, frozen=True):
    observation: ObservationAgent
    mission: MissionAgent
    reasoning: ReasoningAgent
    planning: PlanningAgent
    communication: CommunicationAgent
    reflection: ReflectionAgent
    stage: StageAgent


class DayResult(msgspec.Struct, frozen=True):
    run: RunRecord
    observation: Observation
    status: MissionStatus
    decision: Decision
    plan: Plan
    report: CoachReport
    reflection: Reflection | None = None
    stage_results: tuple[StageResult, ...] = ()


class _Decided(msgspec.Struct, frozen=True):
    """What phase 1 leaves for phases 2 and 3 (read back from the store on a take-over)."""

    run: RunRecord
    observation: Observation
    status: MissionStatus
    decision: Decision
    plan: Plan
    plan_id: uuid.UUID
    reflection: Reflection | None
    fresh_reflection: bool  # made in this run: the report sums the week up
    stage_results: tuple[StageResult, ...]


LEASE = timedelta(minutes=2)  # longer than the narrator's deadline: phases 2 and 3 fit in it


class Finisher:
    """Phases 2 and 3 of a decided day: all that needs no mission, so ``repair`` can do it."""

    def __init__(
        self,
        bus: MemoryBus,
        communication: CommunicationAgent,
        *,
        clock: Callable[[], datetime] = utc_now,
        lease: timedelta = LEASE,
    ) -> None:
        self.bus, self.store, self.communication = bus, bus.store, communication
        self.clock, self.lease = clock, lease

    def finish_decided(self, athlete_id: str | None = None) -> list[DayResult]:
        """Phases 2 and 3 of every decided day whose owner is gone."""
        done = []
        for run in self.store.day_runs.unfinished(athlete_id):
            with self.store.transaction():  # taken, read back, and what the model cost so far
                taken = self.store.day_runs.take_over(run, now=self.clock(), lease=self.lease)
                decided = self.read_decided(taken) if taken else None
                spent = self.spent(run.athlete_id) if decided else None
            if decided is not None:
                with bind_run(day=run.day.isoformat(), athlete=run.athlete_id):
                    done.append(self.finish(decided, spent=spent))
        return done

    def spent(self, athlete_id: str) -> Spent | None:
        """The running sums (a few rows, however long the ledger), when a model is used."""
        if not self.communication.narrator.uses_model:
            return None
        return self.store.spent(athlete_id, now=self.clock())

    def finish(self, d: _Decided, *, spent: Spent | None) -> DayResult:
        """Phase 2 outside any transaction, then phase 3; ``spent``: the model's spend so far
        (``spent()``, read in the caller's last transaction)."""
        run = d.run
        if self.store.in_transaction:
            raise RuntimeError("the narrator must not be called inside a transaction")
        with bind_run(run_id=str(run.run_id)):
            report, usage = self.communication.report(
                run.athlete_id, d.observation, d.status, d.decision, d.plan,
                run_id=run.run_id, day=run.day,
                week=d.reflection if d.fresh_reflection else None, spent=spent,
            )  # fmt: skip
        with self.store.transaction():
            if not self.store.day_runs.finish(run.run_id, now=self.clock()):
                raise DayInProgress(
                    f"{run.athlete_id} {run.day} was taken over by another process; "
                    "it finishes there"
                )
            publish = _Publisher(self.bus, run, self.clock)
            publish(self.communication.producer, report, d.plan_id)
            for row in usage:
                self.store.record_llm_call(row)
        log.info("day done", action=d.decision.action, rule=d.decision.rule)
        return DayResult(
            run, d.observation, d.status, d.decision, d.plan, report, d.reflection,
            d.stage_results,
        )  # fmt: skip

    def read_decided(self, run: RunRecord) -> _Decided:
        """A decided day as phase 1 stored it."""
        bus, who, ident = self.bus, run.athlete_id, run.run_id
        stored = bus.of_run(who, ident)  # one read for the run's messages
        obs, status = stored.latest(Observation), stored.latest(MissionStatus)
        decision, plan = stored.latest(Decision), stored.latest_stored(Plan)
        if obs is None or status is None or decision is None or plan is None:
            raise DataError(f"run {ident} of {who} {run.day} is decided but has no plan stored")
        monday, _ = week_of(run.day)
        return _Decided(
            run, obs, status, decision, plan.payload, plan.message_id,
            bus.latest(Reflection, who, since=monday, until=run.day),
            stored.latest(Reflection) is not None,
            tuple(stored.history(StageResult)),
        )  # fmt: skip


class Orchestrator:
    def __init__(
        self,
        bus: MemoryBus,
        agents: Agents,
        *,
        clock: Callable[[], datetime] = utc_now,
        lease: timedelta = LEASE,
    ) -> None:
        self.bus = bus
        self.store = bus.store
        self.agents = agents
        self.clock = clock
        self.lease = lease
        self.finisher = Finisher(bus, agents.communication, clock=clock, lease=lease)

    def run_day(
        self, athlete_id: str, day: date, *, data_label: str, force: bool = False
    ) -> DayResult:
        """Run (or finish) the day. ``DayAlreadyDone`` when it is done and not forced;
        ``DayInProgress`` when another live process holds it."""
        with bind_run(day=day.isoformat(), athlete=athlete_id):
            decided = self._phase_one(athlete_id, day, data_label, force)
            return self.finisher.finish(decided, spent=self.finisher.spent(athlete_id))

    def decide(self, athlete_id: str, day: date, *, data_label: str) -> RunRecord:
        """Phase 1 alone, its lease given up at commit, for a fleet whose phases 2 and 3 run
        as another task, in whichever worker takes it (``Finisher.finish_decided``). A day
        decided before is left as it is; ``DayAlreadyDone`` when it is done."""
        runs = self.store.day_runs
        with bind_run(day=day.isoformat(), athlete=athlete_id), self.store.transaction():
            last = runs.last(athlete_id, day)
            if last is not None and last.status == "decided":
                return last
            run = runs.claim(athlete_id, day, now=self.clock(), lease=self.lease, last=last)
            with bind_run(run_id=str(run.run_id)):
                self._decide(run, data_label)
            return runs.release(run)

    def _phase_one(self, athlete_id: str, day: date, data_label: str, force: bool) -> _Decided:
        runs = self.store.day_runs
        with self.store.transaction():
            last = runs.last(athlete_id, day)
            if last is not None and last.status == "decided" and not force:
                taken = runs.take_over(last, now=self.clock(), lease=self.lease)
                if taken is None:
                    raise DayInProgress(
                        f"{athlete_id} {day} is being run elsewhere ({last.lease_owner}); "
                        "it finishes there"
                    )
                log.info("finishing a decided day", run_id=str(taken.run_id))
                return self.finisher.read_decided(taken)
            run = runs.claim(
                athlete_id, day, force=force, now=self.clock(), lease=self.lease, last=last
            )
            with bind_run(run_id=str(run.run_id)):
                return self._decide(run, data_label)

    def _decide(self, run: RunRecord, data_label: str) -> _Decided:
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
        return _Decided(
            run, obs, status, decision, plan, plan_id, reflection, fresh, tuple(results)
        )  # fmt: skip

    def _reflection(
        self, run: RunRecord, publish: _Publisher, cause: uuid.UUID
    ) -> tuple[Reflection | None, bool]:
        """This week's reflection on the previous week: made on the first run of the week
        (when the coach ran in the week before), read back on the days after; and whether it
        was made now."""
        monday, _ = week_of(run.day)
        found = self.bus.latest(Reflection, run.athlete_id, since=monday, until=run.day)
        if found is not None:
            return found, False
        week_start = monday - timedelta(days=7)
        last_sunday = monday - timedelta(days=1)
        if not self.bus.exists(Decision, run.athlete_id, since=week_start, until=last_sunday):
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


def _race(mission: Mission) -> tuple[date, date] | None:
    """The days of a stage race, inside which compliance is not computed."""
    if mission.mission.kind != "stage_race":
        return None
    return mission.mission.start, mission.mission.end


def build_orchestrator(
    store: StateStore,
    mission: Mission,
    *,
    narrator: Narrator | None = None,
    bus: MemoryBus | None = None,
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
        reflection=ReflectionAgent(store, mission.thresholds.compliance_low, _race(mission)),
        stage=StageAgent(mission, store),
    )
    return Orchestrator(bus or MemoryBus(store, clock=clock), agents, clock=clock)


def finish_decided(bus: MemoryBus, narrator: Narrator) -> list[DayResult]:
    """``repair``: phases 2 and 3 of every decided day whose owner is gone."""
    return Finisher(bus, CommunicationAgent(narrator)).finish_decided()
