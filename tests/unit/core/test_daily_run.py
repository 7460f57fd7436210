"""The daily run: idempotent per athlete-day, --force adds an attempt, a crash leaves nothing."""

from __future__ import annotations

import os
import socket
from datetime import date
from itertools import pairwise
from pathlib import Path

import msgspec
import pytest

from lanterne_rouge.agents.communication_agent import CommunicationAgent
from lanterne_rouge.ai.ai_clients import ExplainRequest, Narration, WeekRequest
from lanterne_rouge.effects import Outputs, subscribe_effects
from lanterne_rouge.errors import DayAlreadyDone, DayInProgress
from lanterne_rouge.memory.memory_bus import MemoryBus
from lanterne_rouge.memory.state_store import StateStore
from lanterne_rouge.messages import KINDS
from lanterne_rouge.orchestrator import DayResult, Orchestrator, build_orchestrator
from lanterne_rouge.reasoning_log import read_rows
from lanterne_rouge.sources.demo import DEMO_ATHLETE, seed_demo

DAY = date(2026, 3, 10)  # a Tuesday: no weekly reflection


def _coach(store: StateStore, tmp_path: Path) -> Orchestrator:
    """The demo's coach, with the day's effects subscribed (the CSV goes to out/log.csv)."""
    bus = subscribe_effects(MemoryBus(store), Outputs(tmp_path / "out", "previous_day"))
    return build_orchestrator(store, seed_demo(store, DAY), bus=bus)


def _run(coach: Orchestrator, day: date = DAY, *, force: bool = False) -> DayResult:
    """A day as the CLI runs it: the three phases, then the owed effects."""
    result = coach.run_day(DEMO_ATHLETE, day, data_label="demo", force=force)
    coach.bus.deliver_owed()
    return result


def _rows(tmp_path: Path) -> list[dict[str, str]]:
    return read_rows(tmp_path / "out" / "reasoning_log.csv")


def test_same_day_twice_leaves_one_decision_and_one_csv_row(
    store: StateStore, tmp_path: Path
) -> None:
    coach = _coach(store, tmp_path)
    _run(coach)
    with pytest.raises(DayAlreadyDone, match="already done"):
        _run(coach)
    assert len(store.messages(DEMO_ATHLETE, kinds=["decision"])) == 1
    assert len(_rows(tmp_path)) == 1
    assert len(store.day_runs.of(DEMO_ATHLETE, DAY)) == 1


def test_force_records_a_second_attempt_beside_the_first(store: StateStore, tmp_path: Path) -> None:
    coach = _coach(store, tmp_path)
    first = _run(coach)
    second = _run(coach, force=True)
    assert [r.attempt for r in store.day_runs.of(DEMO_ATHLETE, DAY)] == [1, 2]
    decisions = store.messages(DEMO_ATHLETE, kinds=["decision"])
    assert {d.run_id for d in decisions} == {first.run.run_id, second.run.run_id}
    assert [r["attempt"] for r in _rows(tmp_path)] == ["1", "2"]


def test_every_message_of_the_day_is_stored_with_a_causation_chain(
    store: StateStore, tmp_path: Path
) -> None:
    result = _run(_coach(store, tmp_path))
    day_messages = store.messages(DEMO_ATHLETE, run_id=result.run.run_id)
    kinds = [m.kind for m in day_messages]
    assert kinds == ["observation", "mission_status", "decision", "plan", "coach_report"]
    for parent, child in pairwise(day_messages):
        assert child.causation_id == parent.message_id
    assert all(m.created_at.tzinfo is not None for m in day_messages)
    assert set(kinds) <= set(KINDS)


class Boom(RuntimeError):
    pass


def test_a_crash_between_agents_leaves_no_partial_day(store: StateStore, tmp_path: Path) -> None:
    coach = _coach(store, tmp_path)

    class ExplodingPlanner:
        producer = "planning_agent"

        def plan(self, *args: object) -> None:
            raise Boom("planner fell over")

    broken = _coach(store, tmp_path)
    broken.agents = msgspec.structs.replace(broken.agents, planning=ExplodingPlanner())
    with pytest.raises(Boom):
        _run(broken)
    assert store.messages(DEMO_ATHLETE) == []
    assert store.day_runs.of(DEMO_ATHLETE) == []
    assert store.outbox.pending() == []
    assert not (tmp_path / "out" / "reasoning_log.csv").exists()
    # the day is still free and runs cleanly afterwards
    _run(coach)
    assert len(store.messages(DEMO_ATHLETE)) == 5


def test_monday_run_publishes_a_reflection_on_the_week_before(
    store: StateStore, tmp_path: Path
) -> None:
    coach = _coach(store, tmp_path)
    for day in range(2, 9):  # Monday 2 .. Sunday 8 March 2026
        _run(coach, date(2026, 3, day))
    monday = _run(coach, date(2026, 3, 9))
    assert monday.reflection is not None
    assert monday.reflection.week_start == date(2026, 3, 2)
    assert sum(monday.reflection.actions.values()) == 7
    assert len(store.messages(DEMO_ATHLETE, kinds=["reflection"])) == 1


class FailingNarrator:
    """A narrator whose model is down; it notes whether a transaction was open."""

    uses_model = True

    def __init__(self, store: StateStore) -> None:
        self.store, self.calls, self.in_transaction = store, 0, False

    def explain_week(self, request: WeekRequest) -> Narration:
        raise Boom("the model server went away")

    def explain(self, request: ExplainRequest) -> Narration:
        self.calls += 1
        self.in_transaction |= self.store.in_transaction
        raise Boom("the model server went away")


def test_a_crash_in_phase_two_leaves_a_decided_day_the_next_run_finishes(
    store: StateStore, tmp_path: Path
) -> None:
    coach = _coach(store, tmp_path)
    narrator = FailingNarrator(store)
    coach.agents = msgspec.structs.replace(coach.agents, communication=CommunicationAgent(narrator))
    coach.finisher.communication = coach.agents.communication
    with pytest.raises(Boom):
        _run(coach)
    assert narrator.calls == 1 and not narrator.in_transaction
    (run,) = store.day_runs.of(DEMO_ATHLETE, DAY)
    assert run.status == "decided"
    assert [m.kind for m in store.messages(DEMO_ATHLETE)][-1] == "plan"
    assert not (tmp_path / "out" / "reasoning_log.csv").exists()

    again = _run(_coach(store, tmp_path))  # not decided again: the same run is finished
    assert again.run.run_id == run.run_id
    assert len(store.messages(DEMO_ATHLETE, kinds=["decision"])) == 1
    assert [r.status for r in store.day_runs.of(DEMO_ATHLETE, DAY)] == ["done"]
    assert [r["run_id"] for r in _rows(tmp_path)] == [str(run.run_id)]


def test_a_decided_day_held_by_a_live_process_is_being_run_elsewhere(
    store: StateStore, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from lanterne_rouge.memory.tables import runs

    coach = _coach(store, tmp_path)
    coach.agents = msgspec.structs.replace(
        coach.agents, communication=CommunicationAgent(FailingNarrator(store))
    )
    coach.finisher.communication = coach.agents.communication
    with pytest.raises(Boom):
        _run(coach)
    alive = f"{socket.gethostname()}:{os.getppid()}"  # the test runner's parent: alive
    with store.connection() as conn:
        conn.execute(update(runs).values(lease_owner=alive))
    with pytest.raises(DayInProgress, match="being run elsewhere"):
        _run(_coach(store, tmp_path))
    assert [r.status for r in store.day_runs.of(DEMO_ATHLETE, DAY)] == ["decided"]
